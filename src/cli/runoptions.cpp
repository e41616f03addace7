#include "runoptions.h"

#include "migrate/migrationfile.h"

#include <atomic>
#include <csignal>

namespace dbdeck::cli {

namespace {

// A stop request (Ctrl+C, `kill`, a CI job cancelled, a closed terminal) stops between migrations
// or between the statements of a transaction:false one, instead of killing one half-way; the lock
// is then released and the attempt journaled as cancelled.
std::atomic_bool g_cancel{false};

void requestCancel(int)
{
    g_cancel.store(true);
}

void handleStopSignals()
{
    struct sigaction action {};
    action.sa_handler = requestCancel;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART; // the request is looked at between steps; nothing needs to be woken
    for (const int signal : {SIGINT, SIGTERM, SIGHUP})
        sigaction(signal, &action, nullptr);
}

} // namespace

void addLockTimeoutOption(QCommandLineParser &parser)
{
    parser.addOption({QStringLiteral("lock-timeout"), QStringLiteral("Seconds to wait for another migration to finish."),
                      QStringLiteral("seconds"), QStringLiteral("60")});
}

MigrationRunOptions migrationRunOptions(CommandContext &ctx, const QString &target, bool withRunFlags)
{
    MigrationRunOptions options;
    options.target = target;
    if (withRunFlags) {
        options.allowModified = ctx.parser.isSet(QStringLiteral("allow-modified"));
        options.retryPartial = ctx.parser.isSet(QStringLiteral("retry-partial"));
    }
    bool ok = false;
    const double seconds = ctx.parser.value(QStringLiteral("lock-timeout")).toDouble(&ok);
    if (!ok || seconds < 0 || seconds > 86400)
        throw UsageError(QStringLiteral("--lock-timeout must be a number of seconds from 0 to 86400"));
    options.lockTimeoutMs = int(seconds * 1000);
    const bool tty = ctx.interactive();
    QTextStream &out = ctx.out;
    options.progress = [&out, tty](const MigrationProgress &p) {
        using Phase = MigrationProgress::Phase;
        const QString position = QStringLiteral("[%1/%2] ").arg(p.index).arg(p.total);
        switch (p.phase) {
        case Phase::WaitingForLock:
            out << p.message << "\n";
            break;
        case Phase::Started:
            out << (tty ? QStringLiteral("\r") : QString()) << position << p.name << " ...";
            if (!tty)
                out << '\n';
            break;
        case Phase::Finished:
            if (tty)
                out << "\r" << position << p.name << " ... ";
            else
                out << position << p.name << ' ';
            if (p.alreadyApplied)
                out << "already applied by another runner (nothing run)\n";
            else
                out << (tty ? "ok (" : "ok (") << p.elapsedMs << " ms)\n";
            break;
        }
        out.flush();
    };
    g_cancel.store(false);
    options.cancel = &g_cancel;
    handleStopSignals();
    return options;
}

QString runSummary(const MigrationRunResult &result, bool up)
{
    const QString from = MigrationFile::formatVersion(result.from);
    const QString to = MigrationFile::formatVersion(result.to);
    const QString others = result.alreadyApplied.isEmpty()
        ? QString()
        : QStringLiteral("; %1 already %2 by another runner: %3")
              .arg(result.alreadyApplied.size())
              .arg(up ? QStringLiteral("applied") : QStringLiteral("reverted"), result.alreadyApplied.join(QStringLiteral(", ")));
    if (result.cancelled)
        return QStringLiteral("cancelled: stopped %1, at %2 (%3 ran%4)\n").arg(result.cancelledAt, to).arg(result.done.size()).arg(others);
    if (result.done.isEmpty())
        return QStringLiteral("nothing to do: the database is at %1%2\n").arg(to, others);
    return QStringLiteral("%1 %2 -> %3 (%4 migration(s)%5)\n")
        .arg(up ? QStringLiteral("upgraded") : QStringLiteral("downgraded"), from, to).arg(result.done.size()).arg(others);
}

} // namespace dbdeck::cli

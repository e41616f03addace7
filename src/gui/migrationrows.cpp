#include "migrationrows.h"

#include "migrationfindings.h"

#include <QCoreApplication>
#include <QMap>
#include <QRegularExpression>

namespace dbdeck::gui {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("MigrationsPanel", text);
}

QString v(qint64 version)
{
    return MigrationFile::formatVersion(version);
}

// The migration a failed journal entry names: its error starts "migration 0003_x (path) …".
QString failedMigrationOf(const JournalEntry &e)
{
    static const QRegularExpression name(QStringLiteral("^migration (\\S+) \\("));
    const QRegularExpressionMatch match = name.match(e.error);
    return match.hasMatch() ? match.captured(1) : QString();
}

} // namespace

namespace MigrationRows {

QString header(const StatusReport &st)
{
    // States that are not "applied", in the order the header lists them. Never "0 pending"
    // above a migration left part-way: that one is counted as failed-partial or interrupted.
    static const QStringList notApplied{QStringLiteral("pending"), QStringLiteral("failed-partial"), QStringLiteral("interrupted"),
                                        QStringLiteral("running"), QStringLiteral("modified"), QStringLiteral("missing")};
    QMap<QString, int> byState;
    for (const MigrationStatus &m : st.migrations)
        ++byState[stateName(m.state)];
    QStringList parts{tr("Current %1").arg(v(st.current)), tr("head %1").arg(st.head ? v(st.head) : tr("none"))};
    for (const QString &state : notApplied) {
        if (byState.value(state) > 0)
            parts << tr("%1 %2").arg(byState.value(state)).arg(state);
    }
    if (parts.size() == 2 && !st.migrations.isEmpty())
        parts << tr("up to date");
    if (!st.databaseExists)
        parts << tr("new database (not created yet)");
    return parts.join(QStringLiteral("  ·  "));
}

QStringList migrationsHeader()
{
    return {tr("Version"), tr("Name"), tr("State"), tr("Lint / preflight"), tr("Applied at (UTC)"), tr("Duration")};
}

QList<TableRow> migrations(const StatusReport &st, const std::optional<PendingFindings> &findings)
{
    const bool checked = findings && findings->key == MigrationFindingsText::pendingKey(st);
    QList<TableRow> rows;
    for (const MigrationStatus &m : st.migrations) {
        const QString name = stateName(m.state);
        TableCell state(m.statementsTotal > 0 && m.state != MigrationState::Applied && m.state != MigrationState::Pending
                            ? QStringLiteral("%1 (%2/%3)").arg(name).arg(m.statementsDone).arg(m.statementsTotal)
                            : name);
        state.state = name;
        TableCell marker;
        if (m.state == MigrationState::Pending) {
            if (!checked) {
                marker = TableCell(tr("checking…"));
                marker.dim = true;
            } else {
                const MigrationFindings f = findings->byVersion.value(m.version);
                marker = TableCell(MigrationFindingsText::marker(f));
                marker.state = MigrationFindingsText::markerState(f);
                marker.toolTip = MigrationFindingsText::details(f);
            }
        }
        TableCell duration(m.appliedAt.isEmpty() ? QString() : tr("%1 ms").arg(m.executionMs));
        duration.sortValue = m.executionMs;
        duration.alignRight = true;
        rows << TableRow{v(m.version), {TableCell(v(m.version)), TableCell(m.name), state, marker, TableCell(m.appliedAt.left(19)), duration}};
    }
    return rows;
}

const MigrationStatus *leftPartWay(const StatusReport &st, const QString &selectedKey)
{
    const MigrationStatus *first = nullptr;
    for (const MigrationStatus &m : st.migrations) {
        if (m.state != MigrationState::FailedPartial && m.state != MigrationState::Interrupted)
            continue;
        if (v(m.version) == selectedKey)
            return &m;
        if (!first)
            first = &m;
    }
    return first;
}

qint64 firstToShow(const StatusReport &st)
{
    if (const MigrationStatus *m = leftPartWay(st, QString()))
        return m->version;
    for (const MigrationStatus &m : st.migrations) {
        if (m.state == MigrationState::Pending)
            return m.version;
    }
    return st.migrations.isEmpty() ? 0 : st.migrations.last().version;
}

QStringList journalHeader()
{
    return {tr("Started (UTC)"), tr("Operation"), tr("Migration"), tr("From"), tr("To"), tr("Outcome"), tr("By"), tr("Detail / error")};
}

QList<TableRow> journal(const QList<JournalEntry> &entries)
{
    QList<TableRow> rows;
    for (const JournalEntry &e : entries) {
        TableCell started(e.startedAt.left(19));
        started.sortValue = e.id; // the order they happened in, even within one second
        TableCell outcome(e.outcome);
        outcome.state = e.outcome == QLatin1String("succeeded") ? QStringLiteral("applied") : e.outcome;
        rows << TableRow{QString::number(e.id),
                         {started, TableCell(e.operation + (e.forced ? tr(" (forced)") : QString())), TableCell(failedMigrationOf(e)),
                          TableCell(e.fromVersion ? v(*e.fromVersion) : QString()), TableCell(e.toVersion ? v(*e.toVersion) : QString()),
                          outcome, TableCell(e.runBy), TableCell(e.error.isEmpty() ? e.detail : e.error)}};
    }
    return rows;
}

} // namespace MigrationRows

} // namespace dbdeck::gui

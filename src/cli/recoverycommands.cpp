#include "recoverycommands.h"

#include "exitcodes.h"
#include "migrate/migrationplanner.h"
#include "migrate/migrator.h"
#include "runoptions.h"

namespace dbdeck::cli {

namespace {

qint64 versionArgument(CommandContext &ctx)
{
    const QStringList args = ctx.parser.positionalArguments().mid(1);
    if (args.size() != 1)
        throw UsageError(QStringLiteral("expected the version of the interrupted migration (e.g. 0003), got %1")
                             .arg(args.isEmpty() ? QStringLiteral("none") : args.join(QLatin1Char(' '))));
    const auto version = MigrationPlanner::parseVersion(args.first());
    if (!version || *version == 0)
        throw UsageError(QStringLiteral("\"%1\" is not a migration version (a number such as 0003)").arg(args.first()));
    return *version;
}

int runResume(CommandContext &ctx)
{
    const qint64 version = versionArgument(ctx);
    bool ok = false;
    const int from = ctx.parser.value(QStringLiteral("from")).toInt(&ok);
    if (!ctx.parser.isSet(QStringLiteral("from")) || !ok || from < 1)
        throw UsageError(QStringLiteral("resume needs --from N: the statement to start at (status shows where it stopped)"));
    const MigrationRunResult result = ctx.migrator().resume(version, from, migrationRunOptions(ctx, QString(), false));
    if (result.cancelled) {
        ctx.out << "cancelled: stopped " << result.cancelledAt << '\n';
        return ExitDbError;
    }
    ctx.out << "resumed " << result.done.value(0) << " from statement " << from << ": the database is at "
            << MigrationFile::formatVersion(result.to) << '\n';
    return ExitOk;
}

int runMark(CommandContext &ctx, bool applied)
{
    const qint64 version = versionArgument(ctx);
    Migrator &migrator = ctx.migrator();
    const MigrationRunOptions options = migrationRunOptions(ctx, QString(), false);
    applied ? migrator.markApplied(version, options) : migrator.markNotApplied(version, options);
    ctx.out << "marked " << MigrationFile::formatVersion(version) << (applied ? " as applied" : " as not applied")
            << " (nothing ran): the database is at " << MigrationFile::formatVersion(migrator.status().current) << '\n';
    return ExitOk;
}

} // namespace

QList<Command> recoveryCommands()
{
    return {
        {QStringLiteral("resume"),
         QStringLiteral("Finish an interrupted transaction:false migration: resume VERSION --from STATEMENT."),
         [](QCommandLineParser &parser) {
             parser.addOption({QStringLiteral("from"), QStringLiteral("The statement number to start at."), QStringLiteral("n")});
             addLockTimeoutOption(parser);
         },
         runResume},
        {QStringLiteral("mark-applied"),
         QStringLiteral("Record an interrupted migration as applied, running nothing: mark-applied VERSION."),
         addLockTimeoutOption, [](CommandContext &ctx) { return runMark(ctx, true); }},
        {QStringLiteral("mark-not-applied"),
         QStringLiteral("Record an interrupted migration as not applied, running nothing: mark-not-applied VERSION."),
         addLockTimeoutOption, [](CommandContext &ctx) { return runMark(ctx, false); }},
    };
}

} // namespace dbdeck::cli

#include "migratewritecommands.h"

#include "baselinecommand.h"
#include "db/database.h"
#include "exitcodes.h"
#include "migrate/migrator.h"
#include "migrate/preflight.h"
#include "runoptions.h"
#include "schemacommands.h"

namespace dbdeck::cli {

namespace {

void addRunOptions(QCommandLineParser &parser, bool withSql)
{
    parser.addOption({QStringLiteral("allow-modified"),
                      QStringLiteral("Proceed although applied migrations were modified or are missing (journaled).")});
    parser.addOption({QStringLiteral("retry-partial"), QStringLiteral("Run a failed-partial migration again.")});
    addLockTimeoutOption(parser);
    if (withSql)
        parser.addOption({QStringLiteral("sql"), QStringLiteral("Print the SQL that would run; change nothing.")});
}

QString target(CommandContext &ctx, const QString &fallback, const QString &what)
{
    const QStringList args = ctx.parser.positionalArguments().mid(1);
    if (args.size() > 1)
        throw UsageError(QStringLiteral("expected one target, got %1").arg(args.join(QLatin1Char(' '))));
    if (args.isEmpty() && fallback.isEmpty())
        throw UsageError(QStringLiteral("missing target: %1").arg(what));
    return args.isEmpty() ? fallback : args.first();
}

int runMigration(CommandContext &ctx, bool up)
{
    const QString tgt = up ? target(ctx, QStringLiteral("head"), QString())
                           : target(ctx, QString(), QStringLiteral("a version number, -N, or base"));
    Migrator &migrator = ctx.migrator();
    MigrationRunOptions options = migrationRunOptions(ctx, tgt);
    if (up && ctx.parser.isSet(QStringLiteral("preflight"))) {
        // Reads only: the pending migrations are checked against the live rows, nothing runs.
        const QString format = ctx.format();
        const MigrationPlan plan = migrator.planUpgrade(options);
        const PreflightReport report = Preflight::run(ctx.database(), migrator.set(), plan);
        if (format == QLatin1String("json"))
            printJson(ctx.out, report.toJson());
        else
            ctx.out << report.toText();
        return report.violationCount() ? ExitCheckFailed : ExitOk;
    }
    if (!up) {
        options.allowProtected = ctx.parser.isSet(QStringLiteral("allow-protected"));
        options.confirmName = ctx.parser.value(QStringLiteral("confirm"));
    }
    if (ctx.parser.isSet(QStringLiteral("sql"))) {
        const MigrationPlan plan = up ? migrator.planUpgrade(options) : migrator.planDowngrade(options);
        ctx.out << migrator.renderSql(plan);
        return ExitOk;
    }
    const MigrationRunResult result = up ? migrator.upgrade(options) : migrator.downgrade(options);
    if (!result.backupPath.isEmpty())
        ctx.out << "protected database: verified backup written to " << result.backupPath << '\n';
    ctx.out << runSummary(result, up);
    return result.cancelled ? ExitDbError : ExitOk;
}

int runRevision(CommandContext &ctx)
{
    const QString message = ctx.parser.value(QStringLiteral("message"));
    if (message.trimmed().isEmpty())
        throw UsageError(QStringLiteral("revision needs -m \"what the migration does\""));
    if (ctx.parser.isSet(QStringLiteral("autogenerate")))
        return runAutogenerate(ctx, message);
    if (ctx.parser.isSet(QStringLiteral("sql")))
        throw UsageError(QStringLiteral("--sql goes with --autogenerate (it prints the generated migration instead of writing it); "
                                        "revision -m alone writes an empty file to fill in. Nothing was written"));
    const QString path = MigrationSet::writeRevision(ctx.config().migrationsDir(), message);
    ctx.out << "created " << path << '\n';
    return ExitOk;
}

int runStamp(CommandContext &ctx)
{
    const QString tgt = target(ctx, QString(), QStringLiteral("a version number, head, or base"));
    MigrationRunOptions options = migrationRunOptions(ctx, tgt);
    ctx.migrator().stamp(options);
    ctx.out << "stamped: the database is recorded at " << MigrationFile::formatVersion(ctx.migrator().status().current)
            << " (no migration ran)\n";
    return ExitOk;
}

} // namespace

QList<Command> migrateWriteCommands()
{
    return {
        {QStringLiteral("revision"), QStringLiteral("Write the next numbered migration file: revision -m \"message\"."),
         [](QCommandLineParser &parser) {
             parser.addOption({{QStringLiteral("m"), QStringLiteral("message")}, QStringLiteral("What the migration does."),
                               QStringLiteral("message")});
             parser.addOption({QStringLiteral("autogenerate"), QStringLiteral("Write up and down from the migrations' schema to the declared one (SCHEMA_DIR), verified.")});
             parser.addOption({QStringLiteral("sql"), QStringLiteral("With --autogenerate: print the verified migration instead of writing it.")});
         },
         runRevision},
        {QStringLiteral("upgrade"), QStringLiteral("Apply pending migrations: upgrade [head|VERSION|+N]."),
         [](QCommandLineParser &parser) {
             addRunOptions(parser, true);
             parser.addOption({QStringLiteral("preflight"),
                               QStringLiteral("Check the pending migrations against the live rows (violations, conversions, copies); change nothing. Exit 7 when rows would fail.")});
             addFormatOption(parser);
         },
         [](CommandContext &ctx) { return runMigration(ctx, true); }},
        {QStringLiteral("downgrade"), QStringLiteral("Revert migrations: downgrade VERSION|-N|base."),
         [](QCommandLineParser &parser) {
             addRunOptions(parser, true);
             parser.addOption({QStringLiteral("allow-protected"),
                               QStringLiteral("Downgrade a protected database (PROTECTED_ENVS) after a verified backup; needs --confirm.")});
             parser.addOption({QStringLiteral("confirm"), QStringLiteral("The database's name, typed to confirm a protected downgrade."),
                               QStringLiteral("name")});
         },
         [](CommandContext &ctx) { return runMigration(ctx, false); }},
        {QStringLiteral("stamp"), QStringLiteral("Record the database at VERSION|head|base without running anything."),
         [](QCommandLineParser &parser) { addRunOptions(parser, false); }, runStamp},
        baselineCommand(),
    };
}

} // namespace dbdeck::cli

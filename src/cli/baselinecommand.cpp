#include "baselinecommand.h"

#include "exitcodes.h"
#include "migrate/baseliner.h"
#include "migrate/migrator.h"
#include "runoptions.h"

namespace dbdeck::cli {

namespace {

int runBaseline(CommandContext &ctx)
{
    const QStringList args = ctx.parser.positionalArguments().mid(1);
    if (args.size() != 1)
        throw UsageError(QStringLiteral("baseline needs one VERSION: the migration the database's schema already matches (e.g. "
                                        "0002, or head), got %1")
                             .arg(args.isEmpty() ? QStringLiteral("none") : args.join(QLatin1Char(' '))));
    const MigrationRunOptions options = migrationRunOptions(ctx, args.first(), false);
    Baseliner baseliner(ctx.database(), ctx.migrator().set());
    const BaselineResult result = baseliner.baseline(args.first(), options.lockTimeoutMs,
                                                     ctx.parser.isSet(QStringLiteral("accept-differences")));
    const QString expected = QStringLiteral("migrations up to %1").arg(MigrationFile::formatVersion(result.version));
    for (const SchemaDifference &d : result.differences)
        ctx.out << "accepted difference: " << d.toString(expected, QStringLiteral("the database")) << '\n';
    ctx.out << "baseline: adopted a database " << result.previousOwner << "; recorded " << result.recorded.join(QStringLiteral(", "))
            << " as applied (none ran): the database is at " << MigrationFile::formatVersion(result.version)
            << "; `dbdeck-cli upgrade` applies the rest\n";
    return ExitOk;
}

} // namespace

Command baselineCommand()
{
    return {QStringLiteral("baseline"),
            QStringLiteral("Adopt a database dbdeck does not manage (e.g. Alembic's): baseline VERSION records migrations up to "
                           "VERSION as applied without running them."),
            [](QCommandLineParser &parser) {
                addLockTimeoutOption(parser);
                parser.addOption({QStringLiteral("accept-differences"),
                                  QStringLiteral("Record it even though its schema differs from what the migrations up to VERSION produce (journaled).")});
            },
            runBaseline};
}

} // namespace dbdeck::cli

#include "schemacommands.h"

#include "db/database.h"
#include "exitcodes.h"
#include "migrate/autogenerator.h"
#include "migrate/driftcheck.h"
#include "migrate/migratedschema.h"
#include "migrate/migrator.h"
#include "migrate/schemachangewriter.h"
#include "schema/declaredschema.h"
#include "schema/schemaddl.h"
#include "schema/schemajson.h"
#include "schema/schemareader.h"

#include <QJsonArray>

namespace dbdeck::cli {

namespace {

const QStringList kSources{QStringLiteral("live"), QStringLiteral("migrations"), QStringLiteral("declared")};

QString sourceLabel(const QString &source)
{
    if (source == QLatin1String("migrations"))
        return QStringLiteral("migrations");
    return source;
}

Schema loadSource(CommandContext &ctx, const QString &source)
{
    if (source == QLatin1String("live"))
        return SchemaReader::create(ctx.database())->read();
    if (source == QLatin1String("migrations"))
        return MigratedSchema::build(ctx.migrator().set(), ctx.config());
    return DeclaredSchema::load(ctx.config().schemaDir(), ctx.config());
}

QString checkedSource(const QString &value)
{
    const QString v = value.toLower();
    if (!kSources.contains(v))
        throw UsageError(QStringLiteral("unknown schema source \"%1\"; allowed: %2").arg(value, kSources.join(QStringLiteral(", "))));
    return v;
}

int runSchema(CommandContext &ctx)
{
    const QString format = ctx.format({QStringLiteral("sql"), QStringLiteral("json")});
    const Schema schema = loadSource(ctx, checkedSource(ctx.parser.value(QStringLiteral("source"))));
    if (format == QLatin1String("json"))
        printJson(ctx.out, SchemaJson::toJson(schema));
    else
        ctx.out << SchemaDdl::create(schema.backend)->script(schema);
    return ExitOk;
}

void printDifferences(CommandContext &ctx, const QList<SchemaDifference> &differences, const QString &a, const QString &b)
{
    for (const SchemaDifference &d : differences)
        ctx.out << d.toString(a, b) << '\n';
}

int runDiff(CommandContext &ctx)
{
    const QStringList args = ctx.parser.positionalArguments().mid(1);
    if (args.size() != 0 && args.size() != 2)
        throw UsageError(QStringLiteral("diff takes two sources (live, migrations, declared) or none (migrations declared)"));
    const QString a = checkedSource(args.value(0, QStringLiteral("migrations")));
    const QString b = checkedSource(args.value(1, QStringLiteral("declared")));
    const QString format = ctx.format({QStringLiteral("text"), QStringLiteral("sql"), QStringLiteral("json")});
    const Schema from = loadSource(ctx, a);
    const Schema to = loadSource(ctx, b);
    const QList<SchemaDifference> differences = SchemaDiff::compare(from, to);
    if (format == QLatin1String("json")) {
        printJson(ctx.out, QJsonObject{{QStringLiteral("from"), a}, {QStringLiteral("to"), b},
                                       {QStringLiteral("differs"), !differences.isEmpty()},
                                       {QStringLiteral("differences"), SchemaDiff::toJson(differences)}});
    } else if (format == QLatin1String("sql")) {
        const MigrationScript script = SchemaChangeWriter::create(to.backend)->write(from, to);
        if (script.foreignKeysOff)
            ctx.out << "-- rebuilds tables: run with foreign keys off (as a migration: -- migrate:up foreign_keys:off)\n";
        ctx.out << script.sql;
    } else if (differences.isEmpty()) {
        ctx.out << "no differences: " << sourceLabel(a) << " and " << sourceLabel(b) << " are the same schema\n";
    } else {
        printDifferences(ctx, differences, sourceLabel(a), sourceLabel(b));
        ctx.out << differences.size() << " difference(s) between " << a << " and " << b << '\n';
    }
    return differences.isEmpty() ? ExitOk : ExitCheckFailed;
}

} // namespace

int runAutogenerate(CommandContext &ctx, const QString &message)
{
    const Autogenerator generator(ctx.config(), ctx.migrator().set(), ctx.config().schemaDir());
    const AutogenerateResult result = generator.generate(message, Autogenerator::tablesWithRows(ctx.database()));
    if (result.drafts.isEmpty()) {
        ctx.out << "no changes: the declared schema equals what the migrations produce; nothing written\n";
        return ExitOk;
    }
    for (const SchemaDifference &d : result.differences)
        ctx.out << "  " << d.toString(QStringLiteral("migrations"), QStringLiteral("declared")) << '\n';
    if (ctx.parser.isSet(QStringLiteral("sql"))) {
        generator.verify(result);
        for (const MigrationDraft &d : result.drafts)
            ctx.out << d.text() << '\n';
        return ExitOk;
    }
    for (const QString &path : generator.write(result, message))
        ctx.out << "created " << path << " (verified: up reaches the declared schema, down returns)\n";
    for (const MigrationDraft &d : result.drafts) {
        for (const QString &note : d.notes)
            ctx.out << "note: " << note << '\n';
    }
    return ExitOk;
}

bool runDriftCheck(CommandContext &ctx, QJsonObject *json)
{
    const DriftReport report = DriftCheck::check(ctx.database(), ctx.migrator().set());
    const QString expected = QStringLiteral("migrations up to %1").arg(MigrationFile::formatVersion(report.version));
    if (json) {
        json->insert(QStringLiteral("drifted"), report.drifted());
        json->insert(QStringLiteral("drift"), SchemaDiff::toJson(report.differences));
        json->insert(QStringLiteral("drift_notes"), QJsonArray::fromStringList(report.notes));
        return report.drifted();
    }
    for (const QString &note : report.notes)
        ctx.out << "note: " << note << '\n';
    if (!report.drifted()) {
        ctx.out << "no drift: the database's schema is what its applied migrations (up to "
                << MigrationFile::formatVersion(report.version) << ") produce\n";
        return false;
    }
    ctx.out << "drift: the database differs from what its applied migrations produce:\n";
    for (const SchemaDifference &d : report.differences)
        ctx.out << "  " << d.toString(expected, QStringLiteral("the database")) << '\n';
    return true;
}

QList<Command> schemaCommands()
{
    return {
        {QStringLiteral("schema"), QStringLiteral("The schema as canonical DDL or JSON: schema [--source live|migrations|declared]."),
         [](QCommandLineParser &parser) {
             parser.addOption({QStringLiteral("format"), QStringLiteral("sql (default) or json."), QStringLiteral("format")});
             parser.addOption({QStringLiteral("source"), QStringLiteral("live (default), migrations or declared."), QStringLiteral("source"),
                               QStringLiteral("live")});
         },
         runSchema},
        {QStringLiteral("diff"), QStringLiteral("Differences between two schemas: diff [FROM TO] (live, migrations, declared); exit 7 if they differ."),
         [](QCommandLineParser &parser) {
             parser.addOption({QStringLiteral("format"), QStringLiteral("text (default), sql or json."), QStringLiteral("format")});
         },
         runDiff},
    };
}

} // namespace dbdeck::cli

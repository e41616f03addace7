#include "admincommands.h"

#include "admin/countsexport.h"
#include "admin/healthcheck.h"
#include "admin/resetter.h"
#include "db/database.h"
#include "db/errors.h"
#include "exitcodes.h"
#include "migrate/migrator.h"
#include "store/jsonvalue.h"
#include "progressline.h"
#include "texttable.h"

#include <QFileInfo>

namespace dbdeck::cli {

namespace {

int runCounts(CommandContext &ctx)
{
    const QString format = ctx.format(CountsExport::formats());
    TableCounter counter(ctx.database());
    ProgressLine line(ctx.err);
    const QList<TableCount> counts = counter.count([&line](int done, int total, const QString &table) {
        if (!table.isEmpty())
            line.show(QStringLiteral("counting %1 (%2 of %3)…").arg(table).arg(done + 1).arg(total), true);
    });
    line.finish();
    const QString output = ctx.parser.value(QStringLiteral("output"));
    if (output.isEmpty()) {
        ctx.out << QString::fromUtf8(CountsExport::render(counts, format));
        return ExitOk;
    }
    CountsExport::write(output, counts, format);
    ctx.out << "wrote " << counts.size() << " table counts to " << QFileInfo(output).absoluteFilePath() << '\n';
    return ExitOk;
}

int runHealth(CommandContext &ctx)
{
    const QString format = ctx.format();
    Database &db = ctx.database();
    HealthCheck health(db);
    db.connection();
    ProgressLine line(ctx.err);
    line.show(QStringLiteral("integrity check…"), true);
    const QStringList integrity = health.integrityCheck(); // a damaged page is a finding, not an error
    line.show(QStringLiteral("foreign key check…"), true);
    const QStringList foreignKeys = health.foreignKeyCheck();
    line.show(QStringLiteral("critical indexes…"), true);
    QList<CriticalIndex> indexes;
    QString indexesFailed;
    try {
        indexes = health.criticalIndexes();
    } catch (const DbError &error) {
        if (!health.isCorruption(error))
            throw;
        indexesFailed = QStringLiteral("not checked: %1").arg(error.message());
    }
    line.finish();
    QStringList mismatches;
    for (const ConnectionInfo &info : db.connections()) {
        for (const PragmaReading &p : info.pragmas) {
            if (!p.matches())
                mismatches << QStringLiteral("%1 is %2, configured %3").arg(p.name, p.effective, p.configured);
        }
    }
    mismatches.removeDuplicates();
    int missing = 0;
    for (const CriticalIndex &i : indexes)
        missing += i.missing() ? 1 : 0;
    // Tables that are not there (a database not migrated yet) are said so, not failed as missing indexes.
    const QStringList absent = HealthCheck::missingTables(indexes);
    const QString integrityNotRun = health.integrityNotChecked();
    const QString foreignKeysNotRun = health.foreignKeysNotChecked();
    const bool healthy = integrity.isEmpty() && foreignKeys.isEmpty() && missing == 0 && indexesFailed.isEmpty();
    const auto result = [](const QStringList &findings, const QString &notRun) {
        if (!notRun.isEmpty())
            return notRun;
        return findings.isEmpty() ? QStringLiteral("ok") : findings.join(QStringLiteral("\n  "));
    };
    if (format == QLatin1String("json")) {
        JsonValue idx = JsonValue::array();
        for (const CriticalIndex &i : indexes)
            idx.append(JsonValue::object({{QStringLiteral("table"), JsonValue::string(i.table)},
                                          {QStringLiteral("columns"), JsonValue::fromVariant(i.columns)},
                                          {QStringLiteral("purpose"), JsonValue::string(i.purpose)},
                                          {QStringLiteral("table_exists"), JsonValue::boolean(i.tableExists)},
                                          {QStringLiteral("index"), i.present() ? JsonValue::string(i.foundName) : JsonValue()}}));
        QStringList notChecked;
        if (!integrityNotRun.isEmpty())
            notChecked << QStringLiteral("integrity check: ") + integrityNotRun;
        if (!foreignKeysNotRun.isEmpty())
            notChecked << QStringLiteral("foreign key check: ") + foreignKeysNotRun;
        if (!indexesFailed.isEmpty())
            notChecked << QStringLiteral("critical indexes: ") + indexesFailed;
        const JsonValue report = JsonValue::object({{QStringLiteral("healthy"), JsonValue::boolean(healthy)},
                                                    {QStringLiteral("integrity"), JsonValue::fromVariant(integrity)},
                                                    {QStringLiteral("integrity_checked"), JsonValue::boolean(integrityNotRun.isEmpty())},
                                                    {QStringLiteral("foreign_keys"), JsonValue::fromVariant(foreignKeys)},
                                                    {QStringLiteral("foreign_keys_checked"), JsonValue::boolean(foreignKeysNotRun.isEmpty())},
                                                    {QStringLiteral("not_checked"), JsonValue::fromVariant(notChecked)},
                                                    {QStringLiteral("missing_tables"), JsonValue::fromVariant(absent)},
                                                    {QStringLiteral("pragma_mismatches"), JsonValue::fromVariant(mismatches)},
                                                    {QStringLiteral("critical_indexes"), idx}});
        ctx.out << QString::fromUtf8(report.canonical()) << '\n';
    } else {
        ctx.out << "integrity check:   " << result(integrity, integrityNotRun) << '\n';
        ctx.out << "foreign key check: " << result(foreignKeys, foreignKeysNotRun) << '\n';
        ctx.out << "PRAGMAs:           " << (mismatches.isEmpty() ? QStringLiteral("as configured") : mismatches.join(QStringLiteral("; "))) << '\n';
        if (!absent.isEmpty())
            ctx.out << "application tables: " << absent.join(QStringLiteral(", "))
                    << " not there (not migrated yet? `dbdeck-cli upgrade` creates them); their indexes are not checked\n";
        if (!indexesFailed.isEmpty())
            ctx.out << "critical indexes:  " << indexesFailed << '\n';
        ctx.out << '\n';
        TextTable table({QStringLiteral("CRITICAL INDEX FOR"), QStringLiteral("TABLE (COLUMNS)"), QStringLiteral("FOUND")});
        for (const CriticalIndex &i : indexes)
            table.addRow({i.purpose, QStringLiteral("%1 (%2)").arg(i.table, i.columns.join(QStringLiteral(", "))),
                          i.present() ? i.foundName : i.tableExists ? QStringLiteral("MISSING") : QStringLiteral("no table")});
        ctx.out << table.render();
    }
    return healthy ? ExitOk : ExitCheckFailed;
}

int runReset(CommandContext &ctx)
{
    Database &db = ctx.database();
    Resetter resetter(db);
    const QString refused = resetter.refusal();
    if (!refused.isEmpty())
        throw DbError(refused);
    const QString confirm = ctx.parser.value(QStringLiteral("confirm"));
    if (confirm.isEmpty())
        throw UsageError(QStringLiteral("reset needs --confirm %1 (the database's name), to be sure which database goes")
                             .arg(resetter.databaseName()));
    std::optional<MigrationSet> migrations;
    if (!ctx.parser.isSet(QStringLiteral("no-migrate"))) {
        migrations = MigrationSet::load(ctx.config().migrationsDir());
        migrations->requireValid();
    }
    const Resetter::Result r = resetter.reset(confirm, migrations ? &*migrations : nullptr, 10000,
                                              ctx.parser.isSet(QStringLiteral("no-backup")));
    ctx.out << "backup: " << (r.backupPath.isEmpty() ? QStringLiteral("none (--no-backup)") : r.backupPath) << '\n'
            << "dropped " << r.droppedTables << " tables (" << r.droppedObjects << " objects in all; dbdeck's journal kept)"
            << (migrations ? QStringLiteral(", applied %1 migration(s)").arg(r.migrationsApplied) : QStringLiteral(" (migrations not re-applied)"))
            << '\n';
    return ExitOk;
}

} // namespace

QList<Command> adminCommands()
{
    return {
        {QStringLiteral("counts"), QStringLiteral("Row and index counts of every table: --format table|csv|json [--output FILE]."),
         [](QCommandLineParser &parser) {
             parser.addOption({QStringLiteral("format"), QStringLiteral("table, csv or json."), QStringLiteral("format"), QStringLiteral("table")});
             parser.addOption({QStringLiteral("output"), QStringLiteral("Write to this file (atomically) instead of the terminal."), QStringLiteral("file")});
         },
         runCounts},
        {QStringLiteral("health"), QStringLiteral("Integrity and foreign key checks, PRAGMAs, critical indexes (exit 7 if unhealthy)."),
         [](QCommandLineParser &parser) {
             parser.addOption({QStringLiteral("format"), QStringLiteral("table or json."), QStringLiteral("format"), QStringLiteral("table")});
         },
         runHealth},
        {QStringLiteral("reset"), QStringLiteral("Development only: verified backup, drop every object, re-apply migrations (needs DBDECK_ALLOW_RESET=1)."),
         [](QCommandLineParser &parser) {
             parser.addOption({QStringLiteral("confirm"), QStringLiteral("The database's name, typed to confirm."), QStringLiteral("name")});
             parser.addOption({QStringLiteral("no-migrate"), QStringLiteral("Leave the database empty afterwards.")});
             parser.addOption({QStringLiteral("no-backup"), QStringLiteral("PostgreSQL without pg_dump: reset without a backup.")});
         },
         runReset},
    };
}

} // namespace dbdeck::cli

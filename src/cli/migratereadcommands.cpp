#include "migratereadcommands.h"

#include "db/database.h"
#include "exitcodes.h"
#include "lintcommands.h"
#include "migrate/migrationlinter.h"
#include "migrate/migrator.h"
#include "schemacommands.h"
#include "texttable.h"

#include <QJsonArray>
#include <QJsonObject>

namespace dbdeck::cli {

namespace {

QString v(qint64 version)
{
    return MigrationFile::formatVersion(version);
}

QJsonValue optionalJson(const std::optional<qint64> &value)
{
    return value ? QJsonValue(qint64(*value)) : QJsonValue();
}

QJsonValue lockJson(const std::optional<LockHolder> &lock)
{
    if (!lock)
        return QJsonValue();
    return QJsonObject{{QStringLiteral("host"), lock->host}, {QStringLiteral("pid"), qint64(lock->pid)},
            {QStringLiteral("since"), lock->since}, {QStringLiteral("heartbeat"), lock->heartbeat}};
}

QJsonObject migrationJson(const MigrationStatus &m)
{
    return {{QStringLiteral("version"), qint64(m.version)},
            {QStringLiteral("name"), m.name},
            {QStringLiteral("state"), stateName(m.state)},
            {QStringLiteral("path"), m.path},
            {QStringLiteral("has_down"), m.hasDown},
            {QStringLiteral("transactional"), m.transactional},
            {QStringLiteral("checksum_file"), m.fileChecksum},
            {QStringLiteral("checksum_db"), m.dbChecksum},
            {QStringLiteral("applied_at"), m.appliedAt},
            {QStringLiteral("execution_ms"), qint64(m.executionMs)},
            {QStringLiteral("applied_by"), m.appliedBy},
            {QStringLiteral("statements_done"), m.statementsDone},
            {QStringLiteral("statements_total"), m.statementsTotal},
            {QStringLiteral("interrupted_at_statement"), m.state == MigrationState::Interrupted ? QJsonValue(m.statementsDone + 1) : QJsonValue()},
            {QStringLiteral("attempt"), m.attemptStartedAt.isEmpty() ? QJsonValue()
                                        : QJsonValue(QJsonObject{{QStringLiteral("direction"), m.attemptDown ? QStringLiteral("down") : QStringLiteral("up")},
                                                                 {QStringLiteral("started_at"), m.attemptStartedAt},
                                                                 {QStringLiteral("run_by"), m.attemptBy},
                                                                 {QStringLiteral("journal_id"), qint64(m.attemptId)},
                                                                 {QStringLiteral("cancelled"), m.cancelled}})}};
}

QString versionLabel(qint64 version, qint64 head)
{
    if (version == 0)
        return QStringLiteral("base");
    return version == head ? v(version) + QStringLiteral(" (head)") : v(version);
}

QString managedBy(const SchemaOwnership &o)
{
    if (o.managedByDbdeck())
        return QStringLiteral("dbdeck");
    if (o.isNew())
        return QStringLiteral("new");
    return o.hasAlembic() ? QStringLiteral("alembic") : QStringLiteral("none");
}

int runStatus(CommandContext &ctx)
{
    const QString format = ctx.format();
    const StatusReport st = ctx.migrator().status();
    const SchemaOwnership &o = st.ownership;
    const int pending = st.count(MigrationState::Pending);
    if (format == QLatin1String("json")) {
        QJsonArray migrations;
        for (const MigrationStatus &m : st.migrations)
            migrations.append(migrationJson(m));
        printJson(ctx.out, QJsonObject{{QStringLiteral("database"), ctx.database().displayName()},
                                       {QStringLiteral("database_exists"), st.databaseExists},
                                       {QStringLiteral("managed_by"), managedBy(o)},
                                       {QStringLiteral("ownership"), o.describe()},
                                       {QStringLiteral("alembic_revision"), o.hasAlembic() ? QJsonValue(o.alembicRevision()) : QJsonValue()},
                                       {QStringLiteral("advice"), o.unmanaged() ? QJsonValue(o.advice()) : QJsonValue()},
                                       {QStringLiteral("current"), o.unmanaged() ? QJsonValue() : QJsonValue(qint64(st.current))},
                                       {QStringLiteral("head"), qint64(st.head)},
                                       {QStringLiteral("pending"), o.unmanaged() ? QJsonValue() : QJsonValue(pending)},
                                       {QStringLiteral("lock"), lockJson(st.lock)},
                                       {QStringLiteral("migrations"), migrations},
                                       {QStringLiteral("problems"), QJsonArray::fromStringList(st.problems)}});
        return ExitOk;
    }
    if (o.unmanaged()) {
        // No dbdeck history: "base, N pending" would invite an upgrade that fails on existing tables.
        ctx.out << "database: " << ctx.database().displayName() << '\n';
        ctx.out << "schema:   " << o.describe() << '\n';
        ctx.out << "current:  none recorded (dbdeck has no history here)\n";
        ctx.out << "head:     " << (st.head ? v(st.head) : QStringLiteral("none (no migration files)")) << '\n';
        ctx.out << "pending:  unknown until the database is adopted (`dbdeck-cli baseline VERSION`)\n";
        ctx.out << "tables:   " << o.applicationTables().join(QStringLiteral(", ")) << "\n\n";
        ctx.out << "what to do: " << o.advice() << '\n';
        return ExitOk;
    }
    ctx.out << "database: " << ctx.database().displayName() << (st.databaseExists ? "" : " (new: not created yet)") << '\n';
    ctx.out << "current:  " << versionLabel(st.current, st.head) << '\n';
    ctx.out << "head:     " << (st.head ? v(st.head) : QStringLiteral("none (no migration files)")) << '\n';
    ctx.out << "pending:  " << pending << '\n';
    ctx.out << "lock:     " << (st.lock ? QStringLiteral("held by ") + st.lock->toString() : QStringLiteral("free")) << "\n\n";
    TextTable table({QStringLiteral("VERSION"), QStringLiteral("NAME"), QStringLiteral("STATE"), QStringLiteral("APPLIED AT (UTC)"),
                     QStringLiteral("MS")});
    for (const MigrationStatus &m : st.migrations) {
        QString state = stateName(m.state);
        if (m.state == MigrationState::FailedPartial)
            state += QStringLiteral(" (%1/%2)").arg(m.statementsDone).arg(m.statementsTotal);
        else if (m.state == MigrationState::Interrupted)
            state += QStringLiteral(" at statement %1 of %2%3").arg(m.statementsDone + 1).arg(m.statementsTotal)
                         .arg(m.attemptDown ? QStringLiteral(" (down)") : QString());
        else if (m.state == MigrationState::Running)
            state += QStringLiteral(" (%1/%2 done)").arg(m.statementsDone).arg(m.statementsTotal);
        table.addRow({v(m.version), m.name, state, m.appliedAt,
                      m.appliedAt.isEmpty() ? QString() : QString::number(m.executionMs)});
    }
    ctx.out << table.render();
    if (!st.problems.isEmpty()) {
        ctx.out << "\nproblems:\n";
        for (const QString &p : st.problems)
            ctx.out << "  " << p << '\n';
    }
    return ExitOk;
}

int runCurrent(CommandContext &ctx)
{
    const QString format = ctx.format();
    const StatusReport st = ctx.migrator().status();
    if (st.ownership.unmanaged()) {
        if (format == QLatin1String("json"))
            printJson(ctx.out, QJsonObject{{QStringLiteral("current"), QJsonValue()}, {QStringLiteral("head"), qint64(st.head)},
                                           {QStringLiteral("at_head"), false}, {QStringLiteral("managed_by"), managedBy(st.ownership)},
                                           {QStringLiteral("ownership"), st.ownership.describe()}});
        else
            ctx.out << "none recorded: " << st.ownership.describe() << '\n';
        return ExitOk;
    }
    if (format == QLatin1String("json"))
        printJson(ctx.out, QJsonObject{{QStringLiteral("current"), qint64(st.current)}, {QStringLiteral("head"), qint64(st.head)},
                                       {QStringLiteral("at_head"), st.current == st.head}});
    else
        ctx.out << versionLabel(st.current, st.head) << '\n';
    return ExitOk;
}

int runHeads(CommandContext &ctx)
{
    const QString format = ctx.format();
    const MigrationSet &set = ctx.migrator().set();
    set.requireValid();
    const MigrationFile *head = set.files().isEmpty() ? nullptr : &set.files().last();
    if (format == QLatin1String("json"))
        printJson(ctx.out, QJsonObject{{QStringLiteral("head"), head ? qint64(head->version()) : qint64(0)},
                                       {QStringLiteral("name"), head ? head->name() : QString()}});
    else
        ctx.out << (head ? head->name() + QStringLiteral(" (head)") : QStringLiteral("no migration files")) << '\n';
    return ExitOk;
}

int runHistory(CommandContext &ctx)
{
    const QString format = ctx.format();
    const StatusReport st = ctx.migrator().status();
    QJsonArray items;
    TextTable table({QStringLiteral("VERSION"), QStringLiteral("NAME"), QStringLiteral("STATE"), QStringLiteral("DOWN"),
                     QStringLiteral("TRANSACTION"), QStringLiteral("APPLIED AT (UTC)"), QStringLiteral("BY")});
    for (auto it = st.migrations.crbegin(); it != st.migrations.crend(); ++it) {
        items.append(migrationJson(*it));
        table.addRow({v(it->version), it->name, stateName(it->state), it->hasDown ? QStringLiteral("yes") : QStringLiteral("no"),
                      it->transactional ? QStringLiteral("yes") : QStringLiteral("no"), it->appliedAt, it->appliedBy});
    }
    if (format == QLatin1String("json"))
        printJson(ctx.out, items);
    else
        ctx.out << table.render();
    return ExitOk;
}

int runCheck(CommandContext &ctx)
{
    const QString format = ctx.format();
    const StatusReport st = ctx.migrator().status();
    // The pending migrations are linted too: errors fail the check, warnings are listed.
    const LintReport lint = lintPendingForCheck(ctx, st);
    const bool drift = ctx.parser.isSet(QStringLiteral("drift"));
    if (format == QLatin1String("json")) {
        QJsonObject report{{QStringLiteral("problems"), QJsonArray::fromStringList(st.problems)},
                           {QStringLiteral("lint"), lintReportJson(lint)}};
        const bool drifted = drift && runDriftCheck(ctx, &report);
        const bool ok = st.problems.isEmpty() && lint.errors() == 0 && !drifted;
        report.insert(QStringLiteral("ok"), ok);
        printJson(ctx.out, report);
        return ok ? ExitOk : ExitCheckFailed;
    }
    const bool drifted = drift && runDriftCheck(ctx, nullptr);
    const bool ok = st.problems.isEmpty() && lint.errors() == 0 && !drifted;
    if (st.problems.isEmpty() && lint.errors() == 0)
        ctx.out << (drifted ? "migration files ok: " : "ok: ") << st.migrations.size() << " migration(s), current " << versionLabel(st.current, st.head)
                << ", " << st.count(MigrationState::Pending) << " pending"
                << (lint.warnings() ? QStringLiteral(", %1 lint warning(s)").arg(lint.warnings()) : QString()) << '\n';
    for (const QString &p : st.problems)
        ctx.err << "problem: " << p << '\n';
    printFindings(ctx.out, lint);
    if (lint.errors())
        ctx.err << "problem: lint found " << lint.errors() << " error(s) in the pending migrations (listed above)\n";
    if (drifted)
        ctx.err << "problem: the database's schema has drifted from what its applied migrations produce (listed above)\n";
    return ok ? ExitOk : ExitCheckFailed;
}

int runJournal(CommandContext &ctx)
{
    const QString format = ctx.format();
    bool ok = false;
    const int limit = ctx.parser.value(QStringLiteral("limit")).toInt(&ok);
    if (!ok || limit < 1)
        throw UsageError(QStringLiteral("--limit must be a whole number of at least 1"));
    const QList<JournalEntry> entries = ctx.migrator().journal(limit);
    if (format == QLatin1String("json")) {
        QJsonArray items;
        for (const JournalEntry &e : entries)
            items.append(QJsonObject{{QStringLiteral("id"), qint64(e.id)}, {QStringLiteral("operation"), e.operation},
                                     {QStringLiteral("from_version"), optionalJson(e.fromVersion)},
                                     {QStringLiteral("to_version"), optionalJson(e.toVersion)},
                                     {QStringLiteral("outcome"), e.outcome}, {QStringLiteral("error"), e.error},
                                     {QStringLiteral("detail"), e.detail}, {QStringLiteral("forced"), e.forced},
                                     {QStringLiteral("started_at"), e.startedAt}, {QStringLiteral("finished_at"), e.finishedAt},
                                     {QStringLiteral("run_by"), e.runBy}});
        printJson(ctx.out, items);
        return ExitOk;
    }
    TextTable table({QStringLiteral("ID"), QStringLiteral("STARTED (UTC)"), QStringLiteral("OPERATION"), QStringLiteral("FROM"),
                     QStringLiteral("TO"), QStringLiteral("OUTCOME"), QStringLiteral("BY"), QStringLiteral("DETAIL / ERROR")});
    for (const JournalEntry &e : entries) {
        QString text = e.error.isEmpty() ? e.detail : e.error.section(QLatin1Char('\n'), 0, 0);
        table.addRow({QString::number(e.id), e.startedAt.left(19), e.operation + (e.forced ? QStringLiteral(" (forced)") : QString()),
                      e.fromVersion ? v(*e.fromVersion) : QString(), e.toVersion ? v(*e.toVersion) : QString(), e.outcome,
                      e.runBy, text});
    }
    ctx.out << table.render();
    return ExitOk;
}

} // namespace

QList<Command> migrateReadCommands()
{
    return {
        {QStringLiteral("status"), QStringLiteral("Every migration and its state; current vs head; the lock."), addFormatOption, runStatus},
        {QStringLiteral("current"), QStringLiteral("The database's current version."), addFormatOption, runCurrent},
        {QStringLiteral("heads"), QStringLiteral("The newest migration file."), addFormatOption, runHeads},
        {QStringLiteral("history"), QStringLiteral("All migrations, newest first, with what they support."), addFormatOption, runHistory},
        {QStringLiteral("check"), QStringLiteral("CI gate: exit 7 on modified, missing, out-of-order, interrupted, broken or lint-failing migrations."),
         [](QCommandLineParser &parser) {
             addFormatOption(parser);
             parser.addOption({QStringLiteral("drift"), QStringLiteral("Also compare the database's schema with what its applied migrations produce.")});
         },
         runCheck},
        {QStringLiteral("journal"), QStringLiteral("Recent upgrade/downgrade/stamp attempts, failures included."),
         [](QCommandLineParser &parser) {
             addFormatOption(parser);
             parser.addOption({QStringLiteral("limit"), QStringLiteral("How many entries."), QStringLiteral("n"), QStringLiteral("50")});
         },
         runJournal},
    };
}

} // namespace dbdeck::cli

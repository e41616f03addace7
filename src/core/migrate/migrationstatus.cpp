#include "migrate/migrationstatus.h"

#include "db/database.h"
#include "migrate/migrationplanner.h"
#include "migrate/migrationset.h"
#include "migrate/migrationtables.h"
#include "migrate/sqlsplitter.h"

#include <QMap>

namespace dbdeck {

QString stateName(MigrationState state)
{
    switch (state) {
    case MigrationState::Applied: return QStringLiteral("applied");
    case MigrationState::Pending: return QStringLiteral("pending");
    case MigrationState::Modified: return QStringLiteral("modified");
    case MigrationState::Missing: return QStringLiteral("missing");
    case MigrationState::FailedPartial: return QStringLiteral("failed-partial");
    case MigrationState::Interrupted: return QStringLiteral("interrupted");
    case MigrationState::Running: return QStringLiteral("running");
    }
    return {};
}

int StatusReport::count(MigrationState state) const
{
    return int(std::count_if(migrations.cbegin(), migrations.cend(),
                             [state](const MigrationStatus &m) { return m.state == state; }));
}

const MigrationStatus *StatusReport::find(qint64 version) const
{
    for (const MigrationStatus &m : migrations) {
        if (m.version == version)
            return &m;
    }
    return nullptr;
}

QString MigrationStatus::recoveryHint() const
{
    const QString v = MigrationFile::formatVersion(version);
    const int k = statementsDone + 1;
    QString resume = cancelled || k > statementsTotal
        ? QStringLiteral("`dbdeck-cli resume %1 --from %2` to run the rest").arg(v).arg(std::min(k, statementsTotal))
        : QStringLiteral("`dbdeck-cli resume %1 --from %2` (statement %2 again) or `--from %3` (if it did run) to run the rest")
              .arg(v).arg(k).arg(k + 1);
    return QStringLiteral("look at the database, then %1, `dbdeck-cli mark-applied %2` if it is %3 in full, or "
                          "`dbdeck-cli mark-not-applied %2` if you undid it")
        .arg(resume, v, attemptDown ? QStringLiteral("still applied") : QStringLiteral("applied"));
}

QString MigrationStatus::interruptionText() const
{
    const MigrationStatus &m = *this;
    const int k = m.statementsDone + 1;
    const QString where = m.interruptedLine ? QStringLiteral(" (line %1: %2)").arg(m.interruptedLine).arg(m.interruptedText) : QString();
    const QString what = m.cancelled
        ? QStringLiteral("%1 was cancelled before statement %2 of %3%4 while being %5 by %6 at %7 UTC: statements 1 to %8 ran, "
                         "statement %2 did not (transaction:false)")
        : QStringLiteral("%1 was interrupted at statement %2 of %3%4 while being %5 by %6 at %7 UTC: statements 1 to %8 ran, "
                         "statement %2 may or may not have (transaction:false)");
    return what.arg(m.name, QString::number(k), QString::number(m.statementsTotal), where,
                    m.attemptDown ? QStringLiteral("reverted") : QStringLiteral("applied"), m.attemptBy,
                    m.attemptStartedAt.left(19), QString::number(m.statementsDone))
        + QStringLiteral("; ") + m.recoveryHint();
}

namespace {

// Fills in the attempt of a transaction:false migration from its dbdeck_migration_progress row.
void readProgress(Database &db, const MigrationSet &set, bool lockHeld, QMap<qint64, MigrationStatus> *byVersion)
{
    QSqlQuery q = db.exec(QStringLiteral("SELECT version, name, checksum, direction, state, statements_done, statements_total,"
                                         " started_at, run_by, attempt_id FROM dbdeck_migration_progress"));
    while (q.next()) {
        const qint64 version = q.value(0).toLongLong();
        MigrationStatus &s = (*byVersion)[version];
        s.version = version;
        if (s.name.isEmpty())
            s.name = q.value(1).toString();
        s.attemptChecksum = q.value(2).toString();
        s.attemptDown = q.value(3).toString() == QLatin1String("down");
        const QString state = q.value(4).toString();
        s.statementsDone = q.value(5).toInt();
        s.statementsTotal = q.value(6).toInt();
        s.attemptStartedAt = q.value(7).toString();
        s.attemptBy = q.value(8).toString();
        s.attemptId = q.value(9).toLongLong();
        if (state == QLatin1String("failed"))
            s.state = MigrationState::FailedPartial;
        else if (state == QLatin1String("running") && lockHeld)
            s.state = MigrationState::Running;
        else
            s.state = MigrationState::Interrupted;
        s.cancelled = state == QLatin1String("cancelled");
        if (const MigrationFile *file = set.find(version)) {
            const QString sql = s.attemptDown ? file->downSql().value_or(QString()) : file->upSql();
            const QList<SqlStatement> statements = SqlSplitter::split(sql, MigrationPlanner::dialectFor(db.backend()));
            if (s.statementsDone < statements.size()) {
                s.interruptedLine = statements.at(s.statementsDone).line;
                s.interruptedText = statements.at(s.statementsDone).sql.section(QLatin1Char('\n'), 0, 0).trimmed().left(100);
            }
        }
    }
}

} // namespace

StatusReport readMigrationStatus(Database &db, const MigrationSet &set)
{
    StatusReport report;
    report.head = set.head();
    report.databaseExists = db.exists();

    QMap<qint64, MigrationStatus> byVersion;
    for (const MigrationFile &file : set.files()) {
        MigrationStatus s;
        s.version = file.version();
        s.name = file.name();
        s.path = file.path();
        s.hasDown = file.downSql().has_value();
        s.transactional = file.transactional();
        s.fileChecksum = file.checksum();
        byVersion.insert(s.version, s);
    }
    if (report.databaseExists && MigrationTables::exist(db)) {
        QSqlQuery q = db.exec(QStringLiteral("SELECT version, name, checksum, state, statements_done, statements_total,"
                                             " applied_at, execution_ms, applied_by FROM dbdeck_schema_migrations"));
        while (q.next()) {
            const qint64 version = q.value(0).toLongLong();
            MigrationStatus &s = byVersion[version];
            const bool hasFile = !s.path.isEmpty();
            s.version = version;
            if (!hasFile)
                s.name = q.value(1).toString();
            s.dbChecksum = q.value(2).toString();
            s.appliedAt = q.value(6).toString();
            s.executionMs = q.value(7).toLongLong();
            s.appliedBy = q.value(8).toString();
            if (q.value(3).toString() == QLatin1String("failed-partial")) {
                s.state = MigrationState::FailedPartial;
                s.statementsDone = q.value(4).toInt();
                s.statementsTotal = q.value(5).toInt();
            } else if (!hasFile) {
                s.state = MigrationState::Missing;
            } else {
                s.state = s.dbChecksum == s.fileChecksum ? MigrationState::Applied : MigrationState::Modified;
            }
            if (s.state != MigrationState::FailedPartial)
                report.current = std::max(report.current, version);
        }
        report.lock = MigrationLock::holder(db);
        if (db.hasTable(MigrationTables::progress()))
            readProgress(db, set, report.lock.has_value(), &byVersion);
    }
    report.migrations = byVersion.values();
    if (report.databaseExists) {
        report.ownership = SchemaOwnership::read(db);
        if (report.ownership.unmanaged())
            report.problems << QStringLiteral("this database is %1; %2").arg(report.ownership.describe(), report.ownership.advice());
    }

    for (const MigrationProblem &p : set.problems())
        report.problems << p.toString();
    for (const MigrationStatus &m : std::as_const(report.migrations)) {
        const QString v = MigrationFile::formatVersion(m.version);
        switch (m.state) {
        case MigrationState::Modified:
            report.problems << QStringLiteral("%1 was modified after it was applied (checksum %2 in the database, %3 in "
                                              "%4); never edit an applied migration, add a new one")
                                   .arg(m.name, m.dbChecksum.left(12), m.fileChecksum.left(12), m.path);
            break;
        case MigrationState::Missing:
            if (m.version > report.head)
                report.problems << QStringLiteral("the database has version %1 (%2), newer than the newest migration "
                                                  "file (%3): it was migrated by a newer build")
                                       .arg(v, m.name, MigrationFile::formatVersion(report.head));
            else
                report.problems << QStringLiteral("%1 is applied but its file is missing from %2").arg(m.name, set.folder());
            break;
        case MigrationState::Pending:
            if (m.version < report.current)
                report.problems << QStringLiteral("%1 is pending but the database is already at %2 (out of order); "
                                                  "renumber it above the current version")
                                       .arg(m.name, MigrationFile::formatVersion(report.current));
            break;
        case MigrationState::FailedPartial:
            report.problems << QStringLiteral("%1 failed part-way (%2 of %3 statements ran; transaction:false)")
                                   .arg(m.name).arg(m.statementsDone).arg(m.statementsTotal);
            break;
        case MigrationState::Interrupted:
            report.problems << m.interruptionText();
            break;
        case MigrationState::Running:
        case MigrationState::Applied:
            break;
        }
    }
    return report;
}

} // namespace dbdeck

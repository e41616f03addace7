#include "migrate/migrationstatus.h"

#include "db/database.h"
#include "migrate/migrationset.h"
#include "migrate/migrationtables.h"

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
    }
    report.migrations = byVersion.values();

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
        case MigrationState::Applied:
            break;
        }
    }
    return report;
}

} // namespace dbdeck

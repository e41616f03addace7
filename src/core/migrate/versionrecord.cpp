#include "migrate/versionrecord.h"

#include "db/database.h"
#include "db/utctime.h"
#include "migrate/migrationerror.h"
#include "migrate/migrationplanner.h"
#include "migrate/migrationtables.h"

namespace dbdeck {

void VersionRecord::lockTable(Database &db)
{
    if (db.backend() == Backend::Postgres)
        db.exec(QStringLiteral("LOCK TABLE dbdeck_schema_migrations IN SHARE ROW EXCLUSIVE MODE"));
}

bool VersionRecord::alreadyDone(Database &db, const MigrationStep &step)
{
    const qint64 version = step.file.version();
    const QVariant state = db.scalar(QStringLiteral("SELECT state FROM dbdeck_schema_migrations WHERE version = ?"), {version});
    const bool done = step.up ? state.toString() == QLatin1String("applied") : state.isNull();
    if (done)
        return true;
    if (db.hasTable(MigrationTables::progress())
        && db.scalar(QStringLiteral("SELECT count(*) FROM dbdeck_migration_progress WHERE version = ?"), {version}).toInt() > 0)
        throw MigrationError(QStringLiteral("%1 was interrupted part-way by another runner meanwhile; run `dbdeck-cli status` "
                                            "and recover it before migrating further").arg(step.file.name()));
    return false;
}

void VersionRecord::recordApplied(Database &db, const MigrationFile &file, qint64 executionMs)
{
    db.exec(QStringLiteral("DELETE FROM dbdeck_schema_migrations WHERE version = ? AND state = 'failed-partial'"), {file.version()});
    db.exec(QStringLiteral("INSERT INTO dbdeck_schema_migrations (version, name, checksum, state, statements_done,"
                           " statements_total, applied_at, execution_ms, applied_by)"
                           " VALUES (?, ?, ?, 'applied', NULL, NULL, ?, ?, ?)"),
            {file.version(), file.name(), file.checksum(), utcNowForDb(), executionMs, currentActor()});
}

void VersionRecord::recordReverted(Database &db, qint64 version)
{
    db.exec(QStringLiteral("DELETE FROM dbdeck_schema_migrations WHERE version = ?"), {version});
}

void VersionRecord::recordFailedPartial(Database &db, const MigrationFile &file, int done, int total, qint64 executionMs)
{
    db.exec(QStringLiteral("DELETE FROM dbdeck_schema_migrations WHERE version = ?"), {file.version()});
    db.exec(QStringLiteral("INSERT INTO dbdeck_schema_migrations (version, name, checksum, state, statements_done,"
                           " statements_total, applied_at, execution_ms, applied_by)"
                           " VALUES (?, ?, ?, 'failed-partial', ?, ?, ?, ?, ?)"),
            {file.version(), file.name(), file.checksum(), done, total, utcNowForDb(), executionMs, currentActor()});
}

} // namespace dbdeck

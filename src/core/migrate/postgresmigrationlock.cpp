#include "migrate/postgresmigrationlock.h"

#include "db/database.h"
#include "db/errors.h"
#include "migrate/migrationerror.h"
#include "migrate/migrationtables.h"

namespace dbdeck {

std::optional<LockHolder> PostgresMigrationLock::holder(Database &db)
{
    QSqlQuery q = db.exec(QStringLiteral(
        "SELECT COALESCE(host(a.client_addr), 'local socket'), a.pid,"
        " to_char(a.backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US'),"
        " to_char(COALESCE(a.state_change, a.backend_start) AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')"
        " FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
        " WHERE l.locktype = 'advisory' AND l.granted AND l.classid = ? AND l.objid = ? AND l.objsubid = 1"
        " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"),
        {qint64(MigrationLock::advisoryKey >> 32), qint64(MigrationLock::advisoryKey & 0xffffffff)});
    if (!q.next())
        return std::nullopt;
    return LockHolder{q.value(0).toString(), q.value(1).toLongLong(), q.value(2).toString(), q.value(3).toString(), QString()};
}

bool PostgresMigrationLock::tryAcquire(LockWait *wait)
{
    if (!m_db.scalar(QStringLiteral("SELECT pg_try_advisory_lock(?)"), {MigrationLock::advisoryKey}).toBool()) {
        wait->holder = holder(m_db);
        return false;
    }
    m_backendPid = m_db.scalar(QStringLiteral("SELECT pg_backend_pid()")).toLongLong();
    m_lost = false;
    try {
        // Under the lock, so that two first runs never race to create them (CREATE TABLE IF NOT
        // EXISTS is not safe against a concurrent CREATE: pg_type_typname_nsp_index).
        MigrationTables::ensure(m_db);
    } catch (...) {
        release();
        throw;
    }
    return true;
}

void PostgresMigrationLock::verifyHeld()
{
    if (m_lost)
        throw LockLostError(QStringLiteral("the migration lock was lost earlier"));
    qint64 pid = 0;
    QString cause;
    try {
        pid = m_db.scalar(QStringLiteral("SELECT pg_backend_pid()")).toLongLong();
    } catch (const DbError &error) {
        cause = error.message();
    }
    if (pid == m_backendPid)
        return;
    m_lost = true;
    throw LockLostError(QStringLiteral("the connection that held the migration lock (server backend pid %1) was lost%2: "
                                       "dbdeck stopped so that nothing runs without the lock")
                            .arg(m_backendPid)
                            .arg(cause.isEmpty() ? QStringLiteral(" (the server ended that session; this connection is a new one)")
                                                 : QStringLiteral(" (%1)").arg(cause)));
}

void PostgresMigrationLock::release()
{
    if (m_lost)
        return; // the server released it with the session
    try {
        if (m_db.scalar(QStringLiteral("SELECT pg_backend_pid()")).toLongLong() == m_backendPid)
            m_db.exec(QStringLiteral("SELECT pg_advisory_unlock(?)"), {MigrationLock::advisoryKey});
    } catch (const DbError &) {
        // The session is gone, and the lock with it.
    }
}

} // namespace dbdeck

#include "migrate/migrationlock.h"

#include "db/database.h"
#include "db/errors.h"
#include "db/transaction.h"
#include "db/utctime.h"
#include "migrate/migrationerror.h"
#include "migrate/migrationlogging.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QMutex>
#include <QSet>
#include <QSysInfo>
#include <QThread>

#include <cerrno>
#include <csignal>

#include <unistd.h>

namespace dbdeck {

namespace {

// SQLite lock rows this process holds right now, by database file: a row with our own pid is a
// leftover only if no MigrationLock of this process holds it (another thread's may).
QMutex g_heldMutex;
QSet<QString> &heldHere()
{
    static QSet<QString> held;
    return held;
}

} // namespace

QString LockHolder::toString() const
{
    return QStringLiteral("host %1, pid %2, since %3 UTC").arg(host).arg(pid).arg(since.left(19));
}

MigrationLock::MigrationLock(Database &db)
    : m_db(db), m_host(QSysInfo::machineHostName()), m_pid(qint64(getpid()))
{
}

MigrationLock::~MigrationLock()
{
    try {
        release();
    } catch (const DbError &error) {
        qCWarning(lcMigrate).noquote() << "could not release the migration lock:" << error.message();
    }
}

std::optional<LockHolder> MigrationLock::holder(Database &db)
{
    if (db.backend() == Backend::Postgres) {
        QSqlQuery q = db.exec(QStringLiteral(
            "SELECT COALESCE(host(a.client_addr), 'local socket'), a.pid,"
            " to_char(a.backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US'),"
            " to_char(COALESCE(a.state_change, a.backend_start) AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')"
            " FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
            " WHERE l.locktype = 'advisory' AND l.granted AND l.classid = ? AND l.objid = ? AND l.objsubid = 1"
            " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"),
            {qint64(advisoryKey >> 32), qint64(advisoryKey & 0xffffffff)});
        if (!q.next())
            return std::nullopt;
        return LockHolder{q.value(0).toString(), q.value(1).toLongLong(), q.value(2).toString(), q.value(3).toString()};
    }
    QSqlQuery q = db.exec(QStringLiteral("SELECT host, pid, acquired_at, heartbeat_at FROM dbdeck_migration_lock WHERE id = 1"));
    if (!q.next())
        return std::nullopt;
    return LockHolder{q.value(0).toString(), q.value(1).toLongLong(), q.value(2).toString(), q.value(3).toString()};
}

bool MigrationLock::isStale(const LockHolder &h) const
{
    if (h.host == m_host) {
        if (h.pid == m_pid) {
            QMutexLocker lock(&g_heldMutex);
            return !heldHere().contains(m_db.config().url().sqliteFilePath()); // ours, and nobody here holds it
        }
        return kill(pid_t(h.pid), 0) == -1 && errno == ESRCH;
    }
    QDateTime beat = QDateTime::fromString(h.heartbeat.left(19), QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    beat.setTimeSpec(Qt::UTC); // QTimeZone::UTC is Qt 6.5+
    return !beat.isValid() || beat.secsTo(QDateTime::currentDateTimeUtc()) > staleAfterSeconds;
}

bool MigrationLock::tryAcquireAdvisory()
{
    return m_db.scalar(QStringLiteral("SELECT pg_try_advisory_lock(?)"), {advisoryKey}).toBool();
}

void MigrationLock::acquire(int timeoutMs, const std::function<void(const LockHolder &)> &waiting)
{
    if (m_held)
        return;
    const bool postgres = m_db.backend() == Backend::Postgres;
    QElapsedTimer timer;
    timer.start();
    int pauseMs = 25;
    bool announced = false;
    if (!postgres) {
        // Wait in this loop, which re-reads and reports the holder, not inside SQLite's busy
        // handler behind a running migration: a short busy timeout while acquiring.
        m_db.exec(QStringLiteral("PRAGMA busy_timeout = 50"));
    }
    const auto restore = qScopeGuard([&] {
        if (!postgres)
            m_db.exec(QStringLiteral("PRAGMA busy_timeout = %1").arg(m_db.config().busyTimeoutMs()));
    });
    std::optional<LockHolder> last;
    while (true) {
        if (postgres) {
            if (tryAcquireAdvisory()) {
                m_held = true;
                return;
            }
            last = holder(m_db);
        } else try {
            // A plain read first: while a live process holds the lock there is no point in
            // queueing for SQLite's write lock (its migration transaction may hold it for long).
            last = holder(m_db);
            if (!last || isStale(*last)) {
                const bool taken = withTransaction(m_db, Transaction::Mode::Write, [&] {
                    const auto current = holder(m_db);
                    if (current && !isStale(*current)) {
                        last = current;
                        return false;
                    }
                    if (current && !(current->host == m_host && current->pid == m_pid)) {
                        m_takeover = QStringLiteral("took over a stale migration lock (%1)").arg(current->toString());
                        qCWarning(lcMigrate).noquote() << m_takeover;
                    }
                    const QString now = utcNowForDb();
                    m_db.exec(QStringLiteral("DELETE FROM dbdeck_migration_lock WHERE id = 1"));
                    m_db.exec(QStringLiteral("INSERT INTO dbdeck_migration_lock (id, host, pid, acquired_at, heartbeat_at) "
                                             "VALUES (1, ?, ?, ?, ?)"),
                              {m_host, m_pid, now, now});
                    return true;
                });
                if (taken) {
                    m_held = true;
                    m_sinceBeat.start();
                    QMutexLocker lock(&g_heldMutex);
                    heldHere().insert(m_db.config().url().sqliteFilePath());
                    return;
                }
            }
        } catch (const BusyError &) {
            // Another process is writing; keep waiting within our own deadline.
        }
        if (timer.elapsed() >= timeoutMs) {
            const QString who = last ? last->toString() : QStringLiteral("a process that keeps the database busy");
            throw LockTimeoutError(QStringLiteral("another dbdeck is migrating this database (%1); gave up after "
                                                  "waiting %2 s (--lock-timeout). If that process is gone, its lock "
                                                  "is taken over automatically once it is found dead or stale.")
                                       .arg(who).arg(timeoutMs / 1000.0, 0, 'f', 1));
        }
        if (!announced && last && waiting) {
            waiting(*last);
            announced = true;
        }
        QThread::msleep(std::min<qint64>(pauseMs, std::max<qint64>(1, timeoutMs - timer.elapsed())));
        pauseMs = std::min(pauseMs * 2, 500);
    }
}

void MigrationLock::touch()
{
    if (m_db.backend() == Backend::Postgres)
        return; // the server knows its sessions are alive
    // A heartbeat only matters to another host deciding after staleAfterSeconds whether we are
    // gone; once every few seconds is plenty, and keeps quick migrations quick.
    if (m_held && (!m_sinceBeat.isValid() || m_sinceBeat.elapsed() > 5000)) {
        m_sinceBeat.start();
        m_db.exec(QStringLiteral("UPDATE dbdeck_migration_lock SET heartbeat_at = ? WHERE id = 1 AND host = ? AND pid = ?"),
                  {utcNowForDb(), m_host, m_pid});
    }
}

void MigrationLock::release()
{
    if (!m_held)
        return;
    m_held = false;
    if (m_db.backend() == Backend::Postgres) {
        m_db.exec(QStringLiteral("SELECT pg_advisory_unlock(?)"), {advisoryKey});
        return;
    }
    const auto forget = qScopeGuard([this] {
        QMutexLocker lock(&g_heldMutex);
        heldHere().remove(m_db.config().url().sqliteFilePath());
    });
    withTransaction(m_db, Transaction::Mode::Write, [&] {
        m_db.exec(QStringLiteral("DELETE FROM dbdeck_migration_lock WHERE id = 1 AND host = ? AND pid = ?"), {m_host, m_pid});
    });
}

} // namespace dbdeck

#pragma once

#include <QElapsedTimer>
#include <QString>

#include <functional>
#include <optional>

namespace dbdeck {

class Database;

// Who holds the migration lock.
struct LockHolder
{
    QString host;
    qint64 pid = 0;
    QString since;     // acquired_at, UTC
    QString heartbeat; // last sign of life, UTC
    QString toString() const; // "host h, pid 123, since 2026-…"
};

// The migration lock, so that two dbdeck processes never migrate at once. Held from acquire()
// until release() or destruction.
// SQLite has no advisory locks: the lock is one row in dbdeck_migration_lock. A row left by a
// process that died is taken over: on the same host when that pid no longer exists, from
// another host when its heartbeat is older than staleAfterSeconds.
// PostgreSQL: a session advisory lock, polled with pg_try_advisory_lock (a blocking
// pg_advisory_lock can deadlock with CREATE INDEX CONCURRENTLY, which waits for every other
// transaction); the server releases it when the session ends, so it cannot go stale. The holder
// is read from pg_locks and pg_stat_activity (pid is then the server backend's).
class MigrationLock
{
public:
    explicit MigrationLock(Database &db);
    ~MigrationLock();
    MigrationLock(const MigrationLock &) = delete;
    MigrationLock &operator=(const MigrationLock &) = delete;

    // Waits up to timeoutMs, calling waiting(holder) once when it has to wait.
    // Throws LockTimeoutError naming the holder when the time runs out.
    void acquire(int timeoutMs, const std::function<void(const LockHolder &)> &waiting = {});
    void release();
    // Refreshes the heartbeat (at most every few seconds); call inside a write transaction.
    void touch();
    bool isHeld() const { return m_held; }
    // A note when acquire() took over a stale lock, empty otherwise.
    QString takeoverNote() const { return m_takeover; }

    // The current holder, if any (a plain read; tables must exist).
    static std::optional<LockHolder> holder(Database &db);
    static constexpr int staleAfterSeconds = 600;
    static constexpr qint64 advisoryKey = 0x64626465636bLL; // "dbdeck"

private:
    bool isStale(const LockHolder &holder) const;
    bool tryAcquireAdvisory();

    Database &m_db;
    QString m_host;
    qint64 m_pid;
    bool m_held = false;
    QString m_takeover;
    QElapsedTimer m_sinceBeat;
};

} // namespace dbdeck

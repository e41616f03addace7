#pragma once

#include <QString>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>

namespace dbdeck {

class Database;

// Who holds the migration lock.
struct LockHolder
{
    QString host;
    qint64 pid = 0;    // in the holder's own PID namespace (SQLite), or the server backend's (PostgreSQL)
    QString since;     // acquired_at, UTC
    QString heartbeat; // last sign of life, UTC
    QString description; // instead of host/pid when they are not known yet
    QString toString() const; // "host h, pid 123, since 2026-… UTC"
};

// What a waiting acquire() found in its way.
struct LockWait
{
    std::optional<LockHolder> holder; // a dbdeck migration (or reset) holds the lock
    bool otherConnection = false;     // a connection that is not a dbdeck migration keeps the database locked
};

// One backend's way of holding the lock (SqliteMigrationLock, PostgresMigrationLock).
class MigrationLockBackend
{
public:
    virtual ~MigrationLockBackend() = default;
    // Takes the lock without waiting (creating and upgrading dbdeck's tables once it has it), or
    // fills *wait and returns false. May throw BusyError: the database itself is locked.
    virtual bool tryAcquire(LockWait *wait) = 0;
    virtual void release() = 0;
    // Throws LockLostError when the lock is no longer certainly ours.
    virtual void verifyHeld() = 0;
    virtual void touch() {}
    QString takeoverNote;
};

// The migration lock, so that two dbdeck processes (or threads) never migrate one database at once.
// Held from acquire() until release() or destruction.
// SQLite: an operating-system lock on a file beside the database (LockFile), which the kernel
// releases when its holder dies, so a live holder is never taken for dead and a dead one's lock is
// free at once; a row in dbdeck_migration_lock says who holds it. Where the file system cannot
// lock, a heartbeat (refreshed by a thread, also during long statements) tells instead.
// PostgreSQL: a session advisory lock, polled with pg_try_advisory_lock (a blocking
// pg_advisory_lock can deadlock with CREATE INDEX CONCURRENTLY); the server releases it when the
// session ends. Should that session be lost (a dropped connection that pre-ping would silently
// replace), verifyHeld() says so and the migration stops.
class MigrationLock
{
public:
    explicit MigrationLock(Database &db);
    ~MigrationLock();
    MigrationLock(const MigrationLock &) = delete;
    MigrationLock &operator=(const MigrationLock &) = delete;

    // Waits up to timeoutMs, calling waiting(message) when it starts to wait and every
    // reportEverySeconds after that, each time saying who it waits for. Throws LockTimeoutError
    // naming the holder when the time runs out, CancelledError when *cancel becomes true while it
    // waits (nothing changed). Creates or upgrades dbdeck's tables once held.
    void acquire(int timeoutMs, const std::function<void(const QString &)> &waiting = {},
                 const std::atomic_bool *cancel = nullptr);
    void release();
    // Refreshes the row's heartbeat (at most every few seconds); call inside a write transaction.
    void touch();
    // Throws LockLostError if the lock is no longer held (PostgreSQL: its session was lost).
    void verifyHeld();
    bool isHeld() const { return m_held; }
    // A note when acquire() took over a lock left by a process that died, empty otherwise.
    QString takeoverNote() const;
    // Tests only: acquire() takes no lock (it only prepares dbdeck's tables), so that a test can
    // prove the in-transaction re-check that guards against a second runner.
    void bypassForTesting() { m_bypass = true; }

    // The current holder, if any: a plain read that creates nothing.
    static std::optional<LockHolder> holder(Database &db);
    static constexpr int staleAfterSeconds = 600; // heartbeat-only holders (and older dbdeck builds)
    static constexpr int reportEverySeconds = 5;
    static constexpr qint64 advisoryKey = 0x64626465636bLL; // "dbdeck"

private:
    Database &m_db;
    std::unique_ptr<MigrationLockBackend> m_backend;
    bool m_held = false;
    bool m_bypass = false;
};

} // namespace dbdeck

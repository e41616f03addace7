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

// The migration lock: one row in dbdeck_migration_lock, so that two dbdeck processes never
// migrate at once (SQLite has no advisory locks). Held from acquire() until release() or
// destruction. A row left by a process that died is taken over: on the same host when that pid
// no longer exists, from another host when its heartbeat is older than staleAfterSeconds.
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

private:
    bool isStale(const LockHolder &holder) const;

    Database &m_db;
    QString m_host;
    qint64 m_pid;
    bool m_held = false;
    QString m_takeover;
    QElapsedTimer m_sinceBeat;
};

} // namespace dbdeck

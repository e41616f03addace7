#pragma once

#include <QString>

#include <atomic>
#include <memory>
#include <optional>
#include <thread>

namespace dbdeck {

// An operating-system lock on a file beside a SQLite database ("app.db-dbdeck-lock"), so that the
// kernel itself says whether a migration is running: it releases the lock when its holder ends,
// however it ends (kill -9, power loss of a container, a crash), in whatever PID namespace or
// container it ran, and two spellings of one path (a symlink and the real path) name one file.
// flock(2) locks belong to an open file description, so two locks of one process conflict too.
// Hand-written: QLockFile decides liveness from a PID and host name, which is exactly what fails
// across PID namespaces.
class LockFile
{
public:
    enum class Attempt { Locked, HeldElsewhere, Unsupported };
    enum class Probe { NoFile, Free, Held, Unknown };

    // The lock file's path for a database file (symlinks resolved, so every spelling agrees).
    static QString pathFor(const QString &databasePath);
    // Whether someone holds the lock, without creating the file or taking the lock.
    static Probe probe(const QString &databasePath);
    // When the holder last refreshed its heartbeat (the file's modification time), if it exists.
    static std::optional<qint64> heartbeatMsecsSinceEpoch(const QString &databasePath);

    explicit LockFile(QString databasePath);
    ~LockFile();
    LockFile(const LockFile &) = delete;
    LockFile &operator=(const LockFile &) = delete;

    // Creates the file if needed and tries to lock it without waiting. Throws DbError when the
    // file cannot be created. Unsupported: this file system cannot lock (the caller falls back to
    // a heartbeat); errorText() says why.
    Attempt tryLock();
    void unlock();
    bool isLocked() const { return m_locked; }
    QString errorText() const { return m_error; }

    // A thread that touches the file every heartbeatMs while it is held, so that even during a
    // long statement (which blocks every write to the database) others see a sign of life.
    void startHeartbeat();
    static constexpr int heartbeatMs = 2000;

private:
    void stopHeartbeat();

    QString m_path;
    int m_fd = -1;
    bool m_locked = false;
    QString m_error;
    std::atomic_bool m_stop{false};
    std::unique_ptr<std::thread> m_heartbeat;
};

} // namespace dbdeck

#pragma once

#include "migrate/lockfile.h"
#include "migrate/migrationlock.h"

#include <QElapsedTimer>

#include <memory>

namespace dbdeck {

class Database;

// The SQLite migration lock: the kernel's lock on LockFile decides; the row in
// dbdeck_migration_lock says who holds it (os_lock 1). Rows of dbdeck builds that knew no lock
// file (os_lock 0) and of holders on a file system that cannot lock (os_lock 2) are trusted while
// their heartbeat is younger than MigrationLock::staleAfterSeconds — never by PID or host name,
// which do not tell across PID namespaces and containers.
class SqliteMigrationLock : public MigrationLockBackend
{
public:
    explicit SqliteMigrationLock(Database &db);
    ~SqliteMigrationLock() override;

    bool tryAcquire(LockWait *wait) override;
    void release() override;
    void verifyHeld() override {} // the kernel keeps it for as long as this process lives
    void touch() override;

    static std::optional<LockHolder> holder(Database &db);

private:
    Database &m_db;
    std::unique_ptr<LockFile> m_file;
    QString m_host;
    qint64 m_pid;
    bool m_rowWritten = false;
    bool m_warnedUnsupported = false;
    QElapsedTimer m_sinceBeat;
};

} // namespace dbdeck

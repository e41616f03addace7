#pragma once

#include "migrate/migrationlock.h"

namespace dbdeck {

class Database;

// The PostgreSQL migration lock: a session advisory lock. It lives exactly as long as the server
// session that took it, so the lock is only as good as that session: verifyHeld() checks that this
// thread's connection is still that session (a pre-ping reconnect would otherwise carry on
// migrating without the lock).
class PostgresMigrationLock : public MigrationLockBackend
{
public:
    explicit PostgresMigrationLock(Database &db) : m_db(db) {}

    bool tryAcquire(LockWait *wait) override;
    void release() override;
    void verifyHeld() override;

    static std::optional<LockHolder> holder(Database &db);

private:
    Database &m_db;
    qint64 m_backendPid = 0;
    bool m_lost = false;
};

} // namespace dbdeck

#pragma once

#include "migrate/migrationjournal.h"
#include "migrate/migrationplanner.h"
#include "migrate/migrationset.h"
#include "migrate/migrationstatus.h"

#include <atomic>
#include <functional>

namespace dbdeck {

class Database;
class MigrationLock;

// Applies SQL-file migrations: each in its own write transaction together with its version row,
// under the migration lock, with every attempt written to the journal.
class Migrator
{
public:
    Migrator(Database &db, MigrationSet set);

    const MigrationSet &set() const { return m_set; }

    // Reads only: a database that does not exist yet is reported as new, and is not created.
    StatusReport status();
    QList<JournalEntry> journal(int limit = 50);

    // Throw MigrationError when the request is refused (nothing changed) or a migration failed
    // (rolled back, or recorded as failed-partial); LockTimeoutError when the lock stays taken.
    MigrationRunResult upgrade(const MigrationRunOptions &options);
    MigrationRunResult downgrade(const MigrationRunOptions &options);
    void stamp(const MigrationRunOptions &options);

    // What upgrade/downgrade would run, as a script; touches nothing.
    MigrationPlan planUpgrade(const MigrationRunOptions &options);
    MigrationPlan planDowngrade(const MigrationRunOptions &options);
    QString renderSql(const MigrationPlan &plan) const;

private:
    void prepare(int lockTimeoutMs);
    MigrationRunResult run(const QString &operation, const MigrationRunOptions &options,
                           const std::function<MigrationPlan(const StatusReport &)> &planner);
    void runStep(const MigrationStep &step, MigrationLock &lock, const MigrationRunOptions &options, int index,
                 int total);
    void recordEnvironment();
    // After a transaction:false migration: no transaction or session setting of the script may
    // leak into the migrations and bookkeeping that follow.
    void resetConnectionState();

    Database &m_db;
    MigrationSet m_set;
};

} // namespace dbdeck

#pragma once

#include "migrate/migrationjournal.h"
#include "migrate/migrationplanner.h"
#include "migrate/migrationset.h"
#include "migrate/migrationstatus.h"

#include <atomic>
#include <functional>

namespace dbdeck {

class Database;
class MigrationAttempt;

// Applies SQL-file migrations: each in its own write transaction together with its version row
// (transaction:false ones statement by statement, their progress recorded after each), under the
// migration lock, with every attempt written to the journal when it starts and when it ends.
class Migrator
{
public:
    // Checks the files' statements for what must not run in a transaction, in the dialect of
    // this database's backend (problems then show in status() and make changes refused).
    Migrator(Database &db, MigrationSet set);
    ~Migrator();

    const MigrationSet &set() const { return m_set; }

    // Reads only: a database that does not exist yet is reported as new, and is not created.
    StatusReport status();
    // Newest first; an attempt whose process died reads as interrupted.
    QList<JournalEntry> journal(int limit = 50);

    // Throw MigrationError when the request is refused (nothing changed) or a migration failed
    // (rolled back, or recorded as failed-partial); LockTimeoutError when the lock stays taken;
    // LockLostError when the lock was lost on the way (PostgreSQL), before the next step.
    MigrationRunResult upgrade(const MigrationRunOptions &options);
    MigrationRunResult downgrade(const MigrationRunOptions &options);
    void stamp(const MigrationRunOptions &options);

    // Recovering a transaction:false migration that status() shows as interrupted (or
    // failed-partial), after the user has looked at the database. Each takes the lock and is
    // journaled; each refuses (MigrationError, nothing changed) a migration in any other state.
    // Runs statements fromStatement..n of the attempt's section (the down section for an
    // interrupted downgrade), then records the migration as applied (or reverted).
    MigrationRunResult resume(qint64 version, int fromStatement, const MigrationRunOptions &options);
    // Records it as applied (an interrupted downgrade: as still applied), running nothing.
    void markApplied(qint64 version, const MigrationRunOptions &options);
    // Records it as not applied (an interrupted downgrade: as reverted), running nothing.
    void markNotApplied(qint64 version, const MigrationRunOptions &options);

    // What upgrade/downgrade would run, as a script; touches nothing.
    MigrationPlan planUpgrade(const MigrationRunOptions &options);
    MigrationPlan planDowngrade(const MigrationRunOptions &options);
    QString renderSql(const MigrationPlan &plan) const;

private:
    enum class StepOutcome { Ran, AlreadyDone, Cancelled };

    MigrationRunResult run(const QString &operation, const MigrationRunOptions &options,
                           const std::function<MigrationPlan(const StatusReport &)> &planner);
    StepOutcome runStep(const MigrationStep &step, MigrationAttempt &attempt, const MigrationRunOptions &options, int index,
                        int total, qint64 stayAt, QString *cancelledAt);
    void runTransactional(const MigrationStep &step, MigrationAttempt &attempt, qint64 stayAt, bool *skipped);
    // A downgrade of a protected database: refused (MigrationError) unless the options allow
    // it and name the database; then the verified backup's path. Empty when not protected.
    QString backUpIfProtected(const MigrationRunOptions &options);
    void markRecovered(qint64 version, bool applied, const MigrationRunOptions &options);
    // Before the lock is taken (which creates dbdeck's tables): an unmanaged database (application
    // tables, no dbdeck history) is refused with how to adopt it, and nothing is created.
    void refuseUnmanaged(const QString &operation);

    Database &m_db;
    MigrationSet m_set;
};

} // namespace dbdeck

#pragma once

#include "migrate/migrationjournal.h"
#include "migrate/migrationset.h"
#include "migrate/migrationstatus.h"

#include <atomic>
#include <functional>

namespace dbdeck {

class Database;
class MigrationLock;

struct MigrationProgress
{
    enum class Phase { WaitingForLock, Started, Finished };
    Phase phase = Phase::Started;
    int index = 0; // 1-based position in the plan
    int total = 0;
    qint64 version = 0;
    QString name;
    qint64 elapsedMs = 0; // Finished: how long the migration took
    QString message;      // WaitingForLock: who holds it
};

struct MigrationRunOptions
{
    QString target;             // upgrade: head|VERSION|+N; downgrade: VERSION|-N|base; stamp: VERSION|head|base
    bool allowModified = false; // proceed past modified/missing migrations (recorded in the journal)
    bool retryPartial = false;  // run a failed-partial migration again
    int lockTimeoutMs = 60000;
    std::function<void(const MigrationProgress &)> progress;
    const std::atomic_bool *cancel = nullptr; // checked between migrations
};

struct MigrationStep
{
    MigrationFile file;
    bool up = true;
    QString sql() const { return up ? file.upSql() : file.downSql().value_or(QString()); }
};

struct MigrationPlan
{
    QString operation; // upgrade, downgrade
    qint64 from = 0;
    qint64 to = 0;
    QList<MigrationStep> steps;
    QStringList forcedPast; // what --allow-modified let through
};

struct MigrationRunResult
{
    qint64 from = 0;
    qint64 to = 0;
    QStringList done; // names, in the order they ran
    bool cancelled = false;
};

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
    MigrationPlan planUpgrade(const StatusReport &status, const MigrationRunOptions &options) const;
    MigrationPlan planDowngrade(const StatusReport &status, const MigrationRunOptions &options) const;
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

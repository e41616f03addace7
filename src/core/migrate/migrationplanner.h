#pragma once

#include "config/dburl.h"
#include "migrate/migrationset.h"
#include "migrate/migrationstatus.h"
#include "migrate/sqlsplitter.h"

#include <atomic>
#include <functional>
#include <optional>

namespace dbdeck {

struct MigrationProgress
{
    enum class Phase { WaitingForLock, Started, Finished };
    Phase phase = Phase::Started;
    int index = 0; // 1-based position in the plan
    int total = 0;
    qint64 version = 0;
    QString name;
    qint64 elapsedMs = 0; // Finished: how long the migration took
    QString message;      // WaitingForLock: who holds it (again every few seconds while waiting)
    bool alreadyApplied = false; // Finished: another runner had applied (or reverted) it; this one ran nothing
};

struct MigrationRunOptions
{
    QString target;             // upgrade: head|VERSION|+N; downgrade: VERSION|-N|base; stamp: VERSION|head|base
    bool allowModified = false; // proceed past modified/missing migrations (recorded in the journal)
    bool retryPartial = false;  // run a failed-partial migration again
    int lockTimeoutMs = 60000;
    std::function<void(const MigrationProgress &)> progress;
    // Checked between migrations and between the statements of a transaction:false one (the CLI
    // sets it on SIGINT, SIGTERM and SIGHUP).
    const std::atomic_bool *cancel = nullptr;
    // Tests only: run without the migration lock, to prove the in-transaction re-check.
    bool bypassLockForTesting = false;
    // Downgrading a protected database (EnvironmentGuard) needs both: the explicit permission
    // and the database's name typed by the user. dbdeck then writes a verified backup first.
    bool allowProtected = false;
    QString confirmName;
};

struct MigrationStep
{
    MigrationFile file;
    bool up = true;
    QString sql() const { return up ? file.upSql() : file.downSql().value_or(QString()); }
    bool foreignKeysOff() const { return file.foreignKeysOff(up); }
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
    QStringList done;           // names this runner applied (or reverted), in the order they ran
    QStringList alreadyApplied; // names another runner had applied (or reverted) meanwhile: not run here
    bool cancelled = false;
    QString cancelledAt;        // "between migrations, before 0003_x" or "in 0003_x before statement 2 of 5"
    QString backupPath; // downgrade of a protected database: the verified backup written first
};

// Decides what an upgrade or downgrade would run, from the files and the database's status, and
// refuses (MigrationError, nothing changed) what must not run: modified or missing migrations
// unless allowed, a database newer than the files, out-of-order or failed-partial ones, down
// steps without a down section, bad targets.
class MigrationPlanner
{
public:
    explicit MigrationPlanner(const MigrationSet &set);

    MigrationPlan planUpgrade(const StatusReport &status, const MigrationRunOptions &options) const;
    MigrationPlan planDowngrade(const StatusReport &status, const MigrationRunOptions &options) const;
    // The plan as the script that would run (upgrade/downgrade --sql).
    static QString renderSql(const MigrationPlan &plan, Backend backend, const QString &databaseName);

    static std::optional<qint64> parseVersion(const QString &target); // "12" -> 12
    // The refusal when the database has versions newer than the newest file (a newer build
    // migrated it), or empty. upgrade and stamp refuse then.
    static QString newerThanFiles(const StatusReport &status);
    static SqlSplitter::Dialect dialectFor(Backend backend);

private:
    const MigrationSet &m_set;
};

} // namespace dbdeck

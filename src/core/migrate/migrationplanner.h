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
    static SqlSplitter::Dialect dialectFor(Backend backend);

private:
    const MigrationSet &m_set;
};

} // namespace dbdeck

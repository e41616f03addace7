#pragma once

#include "migrate/migrationfile.h"
#include "migrate/migrationlock.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace dbdeck {

enum class MigrationState {
    Applied,       // recorded, and the file's checksum matches
    Pending,       // a file not applied yet
    Modified,      // applied, but the file changed since (checksum differs)
    Missing,       // applied, but its file is gone
    FailedPartial, // a transaction:false migration that failed part-way; never counted as applied
};

QString stateName(MigrationState state); // "applied", "pending", "modified", "missing", "failed-partial"

struct MigrationStatus
{
    qint64 version = 0;
    QString name;          // "0001_create_runs"
    MigrationState state = MigrationState::Pending;
    QString path;          // empty when missing
    bool hasDown = false;
    bool transactional = true;
    QString fileChecksum;
    QString dbChecksum;
    QString appliedAt;     // UTC, empty when not applied
    qint64 executionMs = 0;
    QString appliedBy;
    int statementsDone = 0;  // failed-partial: how far it got
    int statementsTotal = 0;
};

struct StatusReport
{
    QList<MigrationStatus> migrations; // by version, files and applied rows together
    qint64 current = 0;                // highest applied version, 0 = base
    qint64 head = 0;                   // newest file, 0 = none
    bool databaseExists = false;       // false: a SQLite file not created yet
    std::optional<LockHolder> lock;    // who is migrating right now, if anyone
    QStringList problems;              // what `check` fails on; empty when all is well

    int count(MigrationState state) const;
    const MigrationStatus *find(qint64 version) const;
};

} // namespace dbdeck

namespace dbdeck {

class Database;
class MigrationSet;

// Compares the files with the version table; reads only, and does not create a missing database.
StatusReport readMigrationStatus(Database &db, const MigrationSet &set);

} // namespace dbdeck

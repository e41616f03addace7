#pragma once

#include "migrate/migrationfile.h"
#include "migrate/migrationlock.h"
#include "migrate/schemaownership.h"

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
    Interrupted,   // a transaction:false migration whose runner stopped part-way (killed, crashed, power
                   // loss, lost connection, or cancelled at a safe point); never counted as applied
    Running,       // a transaction:false migration being applied (or reverted) right now by a live runner
};

// "applied", "pending", "modified", "missing", "failed-partial", "interrupted", "running"
QString stateName(MigrationState state);

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
    // FailedPartial, Interrupted, Running: the transaction:false attempt's statements. Those up
    // to statementsDone are durably done; when interrupted, statement statementsDone + 1 may or
    // may not have run (unless cancelled: then it did not).
    int statementsDone = 0;
    int statementsTotal = 0;
    bool attemptDown = false;  // the attempt was reverting the migration (a downgrade)
    bool cancelled = false;    // Interrupted: stopped on request at a safe point
    qint64 attemptId = 0;      // the journal entry of the attempt, 0 if unknown
    QString attemptStartedAt;  // UTC
    QString attemptBy;         // user@host
    QString attemptChecksum;   // the up section's checksum when the attempt started
    int interruptedLine = 0;   // the file line of statement statementsDone + 1, 0 if unknown
    QString interruptedText;   // its first line

    // What the user can do about an interrupted or failed-partial migration, as CLI commands.
    QString recoveryHint() const;
    // "0003_x was interrupted at statement 2 of 3 (line 5: …) while being applied by … at …", with the hint.
    QString interruptionText() const;
};

struct StatusReport
{
    QList<MigrationStatus> migrations; // by version, files and applied rows together
    qint64 current = 0;                // highest applied version, 0 = base
    qint64 head = 0;                   // newest file, 0 = none
    bool databaseExists = false;       // false: a SQLite file not created yet
    std::optional<LockHolder> lock;    // who is migrating right now, if anyone
    QStringList problems;              // what `check` fails on; empty when all is well
    // Who manages the schema: an unmanaged database (application tables, no dbdeck history) has
    // no meaningful current version or pending count, and a problem that says how to adopt it.
    SchemaOwnership ownership;

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

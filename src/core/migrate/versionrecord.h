#pragma once

#include "migrate/migrationfile.h"

namespace dbdeck {

class Database;
struct MigrationStep;

// The writes to dbdeck_schema_migrations that apply, revert or give up on one migration, and the
// re-check before them. Call inside the step's write transaction, holding the migration lock.
class VersionRecord
{
public:
    // PostgreSQL: serializes migration transactions on the version table, so that the re-check
    // below holds under concurrency even without the migration lock (a second runner waits for
    // the first to commit, then sees its row). SQLite's BEGIN IMMEDIATE already does this.
    static void lockTable(Database &db);
    // The last line of defence against applying twice: under the write transaction the database
    // has the last word on whether another runner already applied (or reverted) the step.
    static bool alreadyDone(Database &db, const MigrationStep &step);
    // A plain INSERT: a duplicate is an error, never silently merged with another runner's row.
    static void recordApplied(Database &db, const MigrationFile &file, qint64 executionMs);
    static void recordReverted(Database &db, qint64 version);
    static void recordFailedPartial(Database &db, const MigrationFile &file, int done, int total, qint64 executionMs);
};

} // namespace dbdeck

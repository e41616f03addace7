#pragma once

#include "db/databasebackup.h"

namespace dbdeck {

// DatabaseBackup on PostgreSQL: the current schema's tables locked against writers (EXCLUSIVE
// lets pg_dump read) in the caller's transaction, pg_dump in plain format, then the dump read
// back: it must say it is complete, and each table's COPY must hold the table's row count.
class PostgresBackup
{
public:
    // Writes and verifies the dump at path (which must not exist yet). Throws DbError when
    // pg_dump is not installed or fails.
    static BackupResult write(Database &db, const QString &path);
    static bool available(); // pg_dump is on PATH
};

} // namespace dbdeck

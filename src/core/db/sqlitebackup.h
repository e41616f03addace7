#pragma once

#include "db/databasebackup.h"

namespace dbdeck {

// DatabaseBackup on SQLite: VACUUM INTO from a second, read-only connection (the caller's
// connection holds the write lock, readers are not blocked), then the copy opened and checked.
class SqliteBackup
{
public:
    // Writes and verifies the copy at path (which must not exist yet).
    static BackupResult write(Database &db, const QString &path);
};

} // namespace dbdeck

#pragma once

#include <QString>

namespace dbdeck {

class Database;
class MigrationSet;

// The guarded reset, for development databases only: back up, drop every table, and (unless told
// not to) apply all migrations again. Allowed only when DBDECK_ALLOW_RESET=1, never on a database
// tagged production, and only when the caller repeats the database's name.
// Backups: SQLite VACUUM INTO <db folder>/backups/<name>-<UTC>.db; PostgreSQL pg_dump into
// ./data/backups/<name>-<UTC>.sql when pg_dump is installed — without it, reset is refused
// unless the caller explicitly does without a backup.
class Resetter
{
public:
    explicit Resetter(Database &db);

    // The name to type to confirm: the file's name without extension ("app"), or PostgreSQL's
    // database name.
    QString databaseName() const;
    // Why a reset is not allowed here, or empty when it is. Reads the environment tag.
    QString refusal();

    struct Result
    {
        QString backupPath;
        int droppedTables = 0;
        int migrationsApplied = 0;
    };
    // Throws DbError (nothing changed) when refused or when the name does not match.
    Result reset(const QString &confirmName, const MigrationSet *migrations, int lockTimeoutMs = 10000, bool withoutBackup = false);

private:
    QString backupPostgres();
    QStringList objectsToDrop();

    Database &m_db;
};

} // namespace dbdeck

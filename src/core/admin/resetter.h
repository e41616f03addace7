#pragma once

#include <QString>

namespace dbdeck {

class Database;
class MigrationSet;

// The guarded reset, for development databases only: back up, drop every table, and (unless told
// not to) apply all migrations again. Allowed only when DBDECK_ALLOW_RESET=1, on a SQLite file,
// never on a database tagged production, and only when the caller repeats the database's name.
class Resetter
{
public:
    explicit Resetter(Database &db);

    // The name to type to confirm: the database file's name without extension ("app").
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
    Result reset(const QString &confirmName, const MigrationSet *migrations, int lockTimeoutMs = 10000);

private:
    Database &m_db;
};

} // namespace dbdeck

#pragma once

#include <QString>
#include <QStringList>

namespace dbdeck {

class Database;
class MigrationSet;

// The guarded reset, for development databases only: back up, drop every schema object, and
// (unless told not to) apply all migrations again. Allowed only when DBDECK_ALLOW_RESET=1, never
// on a protected database (EnvironmentGuard: the configured APP_ENV or the recorded tag is one of
// PROTECTED_ENVS), and only when the caller repeats the database's name.
// In one write transaction: the verified backup (DatabaseBackup; PostgreSQL without pg_dump only
// with withoutBackup), then every object dropped — SQLite: triggers, views, indexes, tables;
// PostgreSQL: views, materialized views, tables, sequences, functions, procedures, aggregates,
// types and domains of the current schema (extensions' objects are left alone). dbdeck's own
// tables stay, so the journal keeps its history; only the applied versions are cleared.
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
        int droppedTables = 0;  // the application's tables
        int droppedObjects = 0; // everything dropped, tables included
        int migrationsApplied = 0;
    };
    // Throws DbError (nothing changed) when refused, when the name does not match or when the
    // backup fails or cannot be verified.
    Result reset(const QString &confirmName, const MigrationSet *migrations, int lockTimeoutMs = 10000, bool withoutBackup = false);

private:
    // DROP statements for every object, in an order that drops dependents first; "TABLE" ones
    // are counted as tables.
    QStringList objectsToDrop();

    Database &m_db;
};

} // namespace dbdeck

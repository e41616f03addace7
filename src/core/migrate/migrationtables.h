#pragma once

#include <QString>
#include <QStringList>

namespace dbdeck {

class Database;

// dbdeck's own tables, created on the first write operation (never by a read), under the
// migration lock:
//   dbdeck_schema_migrations  one row per applied (or failed-partial) migration
//   dbdeck_migration_journal  every attempt at changing the schema, from its start to its outcome
//   dbdeck_migration_lock     the single row saying which process is migrating
//   dbdeck_metadata           key/value facts about the database (e.g. its environment tag)
//   dbdeck_migration_progress a transaction:false migration under way or interrupted: how many of
//                             its statements are durably done (created with the first such run)
// Their shape has a number of its own (1: the first release, 2: this one, told apart by the lock
// table's os_lock column; later shapes write 'bookkeeping_version' to dbdeck_metadata); a database
// whose tables an older dbdeck created is upgraded in place.
class MigrationTables
{
public:
    static QString versions() { return QStringLiteral("dbdeck_schema_migrations"); }
    static QString journal() { return QStringLiteral("dbdeck_migration_journal"); }
    static QString lock() { return QStringLiteral("dbdeck_migration_lock"); }
    static QString metadata() { return QStringLiteral("dbdeck_metadata"); }
    static QString progress() { return QStringLiteral("dbdeck_migration_progress"); }
    static QStringList all() { return {versions(), journal(), lock(), metadata(), progress()}; }

    // 1: the first release (no progress table, journal outcomes without running/interrupted).
    static constexpr int currentShape = 2;

    // Creates whichever are missing and upgrades older shapes, in one write transaction. Call it
    // holding the migration lock (MigrationLock::acquire does), so that two runners never race
    // to create them. Throws MigrationError if a newer dbdeck has changed their shape.
    static void ensure(Database &db);
    // Whether the version table exists (a database dbdeck never migrated has none).
    static bool exist(Database &db);
    // The shape of the existing tables: 0 none, 1 the first release, 2 this one.
    static int shape(Database &db);
    // Creates dbdeck_migration_progress if missing; call holding the migration lock.
    static void ensureProgress(Database &db);
    static bool hasColumn(Database &db, const QString &table, const QString &column);
};

} // namespace dbdeck

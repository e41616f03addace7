#pragma once

#include <QString>
#include <QStringList>

namespace dbdeck {

class Database;

// dbdeck's own tables, created on the first write operation (never by a read):
//   dbdeck_schema_migrations  one row per applied (or failed-partial) migration
//   dbdeck_migration_journal  every upgrade/downgrade/stamp/reset attempt and its outcome
//   dbdeck_migration_lock     the single row saying which process is migrating
//   dbdeck_metadata           key/value facts about the database (e.g. its environment tag)
class MigrationTables
{
public:
    static QString versions() { return QStringLiteral("dbdeck_schema_migrations"); }
    static QString journal() { return QStringLiteral("dbdeck_migration_journal"); }
    static QString lock() { return QStringLiteral("dbdeck_migration_lock"); }
    static QString metadata() { return QStringLiteral("dbdeck_metadata"); }
    static QStringList all() { return {versions(), journal(), lock(), metadata()}; }

    // Creates whichever are missing, in one write transaction.
    static void ensure(Database &db);
    // Whether the version table exists (a database dbdeck never migrated has none).
    static bool exist(Database &db);
};

} // namespace dbdeck

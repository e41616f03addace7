#pragma once

#include <QString>

namespace dbdeck {

class Database;

// Runs a DDL script statement by statement on a database's connection, the way a migration
// section runs. For scratch databases and the checks built on them; the Migrator remains the
// one way migrations reach a live database. Throws SchemaError naming origin, the statement
// and the database's error; a failed script leaves nothing of itself behind (Autocommit aside).
class DdlApplier
{
public:
    enum class Mode {
        Transaction,          // one write transaction
        ForeignKeysOff,       // SQLite rebuild mode: foreign keys off around one transaction,
                              // PRAGMA foreign_key_check before commit (on PostgreSQL: Transaction)
        Autocommit,           // statement by statement (transaction:false)
        InCurrentTransaction, // inside a transaction the caller holds (PostgreSQL scratch)
    };

    static void apply(Database &db, const QString &script, const QString &origin, Mode mode);
};

} // namespace dbdeck

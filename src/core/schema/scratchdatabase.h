#pragma once

#include "config/dbconfig.h"
#include "schema/schemamodel.h"

#include <memory>

class QTemporaryDir;

namespace dbdeck {

class Database;
class Transaction;

// A throwaway database of the same backend as a configuration, to apply DDL to and introspect:
// a SQLite database in a private temporary file (in memory in all but name: see the .cpp), or on PostgreSQL a fresh schema (dbdeck_scratch_<random>) on the
// configured server, created inside a transaction that is always rolled back, so nothing of it
// is ever left behind. Lives on the thread that created it.
class ScratchDatabase
{
public:
    explicit ScratchDatabase(const DbConfig &like);
    ~ScratchDatabase();
    ScratchDatabase(const ScratchDatabase &) = delete;
    ScratchDatabase &operator=(const ScratchDatabase &) = delete;

    // Runs a script statement by statement. foreignKeysOff: SQLite's rebuild mode (foreign keys
    // off around one transaction, PRAGMA foreign_key_check before it commits). Throws
    // SchemaError naming origin, the statement and the database's error.
    void apply(const QString &script, const QString &origin, bool foreignKeysOff = false);
    Schema read();
    Database &database() { return *m_db; }

private:
    std::unique_ptr<QTemporaryDir> m_dir;     // SQLite: declared first, removed last
    std::unique_ptr<Database> m_db;
    std::unique_ptr<Transaction> m_transaction; // PostgreSQL: the one that is rolled back
    QStringList m_schemasBefore;                // PostgreSQL: user schemas before any script
    QStringList m_schemasCreated;               // named by CREATE SCHEMA in applied scripts
};

} // namespace dbdeck

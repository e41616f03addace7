#pragma once

#include "config/dbconfig.h"
#include "schema/schemamodel.h"

#include <QHash>

#include <memory>

class QTemporaryDir;

namespace dbdeck {

class Database;
class Transaction;

// A throwaway database of the same backend as a configuration, to apply DDL to and introspect:
// a SQLite database in a private temporary file (in memory in all but name: see the .cpp), or on PostgreSQL a fresh schema (dbdeck_scratch_<random>) on the
// configured server, created inside a transaction that is always rolled back, so nothing of it
// is ever left behind. A schema the scripts create that the server has already (the live
// database's own, once its migrations ran) is created as dbdeck_scratch_<random>_<name> instead,
// every name qualified with it following, so the scratch never collides with the live one; it is
// still reported by its own name. Lives on the thread that created it.
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
    QString m_name;                             // PostgreSQL: the scratch schema
    QHash<QString, QString> m_shadows;          // a created schema the server has already -> its stand-in

    QString withShadowSchemas(const QString &statement);
};

} // namespace dbdeck

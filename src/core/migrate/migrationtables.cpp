#include "migrate/migrationtables.h"

#include "db/database.h"
#include "db/transaction.h"

namespace dbdeck {

void MigrationTables::ensure(Database &db)
{
    withTransaction(db, Transaction::Mode::Write, [&] {
        db.exec(QStringLiteral(
            "CREATE TABLE IF NOT EXISTS dbdeck_schema_migrations ("
            " version INTEGER NOT NULL,"
            " name TEXT NOT NULL,"
            " checksum TEXT NOT NULL,"
            " state TEXT NOT NULL DEFAULT 'applied',"
            " statements_done INTEGER,"
            " statements_total INTEGER,"
            " applied_at TEXT NOT NULL,"
            " execution_ms INTEGER NOT NULL,"
            " applied_by TEXT NOT NULL,"
            " CONSTRAINT pk_dbdeck_schema_migrations PRIMARY KEY (version),"
            " CONSTRAINT ck_dbdeck_schema_migrations_state CHECK (state IN ('applied', 'failed-partial')))"));
        db.exec(QStringLiteral(
            "CREATE TABLE IF NOT EXISTS dbdeck_migration_journal ("
            " id INTEGER NOT NULL,"
            " operation TEXT NOT NULL,"
            " from_version INTEGER,"
            " to_version INTEGER,"
            " outcome TEXT NOT NULL,"
            " error TEXT,"
            " detail TEXT,"
            " forced INTEGER NOT NULL DEFAULT 0,"
            " started_at TEXT NOT NULL,"
            " finished_at TEXT NOT NULL,"
            " run_by TEXT NOT NULL,"
            " CONSTRAINT pk_dbdeck_migration_journal PRIMARY KEY (id),"
            " CONSTRAINT ck_dbdeck_migration_journal_outcome"
            "  CHECK (outcome IN ('succeeded', 'failed', 'refused', 'cancelled')))"));
        db.exec(QStringLiteral(
            "CREATE TABLE IF NOT EXISTS dbdeck_migration_lock ("
            " id INTEGER NOT NULL,"
            " host TEXT NOT NULL,"
            " pid INTEGER NOT NULL,"
            " acquired_at TEXT NOT NULL,"
            " heartbeat_at TEXT NOT NULL,"
            " CONSTRAINT pk_dbdeck_migration_lock PRIMARY KEY (id),"
            " CONSTRAINT ck_dbdeck_migration_lock_single CHECK (id = 1))"));
        db.exec(QStringLiteral(
            "CREATE TABLE IF NOT EXISTS dbdeck_metadata ("
            " key TEXT NOT NULL,"
            " value TEXT NOT NULL,"
            " updated_at TEXT NOT NULL,"
            " CONSTRAINT pk_dbdeck_metadata PRIMARY KEY (key))"));
    });
}

bool MigrationTables::exist(Database &db)
{
    return db.hasTable(versions());
}

} // namespace dbdeck

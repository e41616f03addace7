#include "migrate/migrationtables.h"

#include "db/database.h"
#include "db/transaction.h"
#include "migrate/migrationerror.h"

namespace dbdeck {

namespace {

QString journalDefinition(const QString &name)
{
    // finished_at stays NULL while an attempt runs, and for one that was interrupted.
    return QStringLiteral(
               "CREATE TABLE %1 ("
               " id INTEGER NOT NULL,"
               " operation TEXT NOT NULL,"
               " from_version INTEGER,"
               " to_version INTEGER,"
               " outcome TEXT NOT NULL,"
               " error TEXT,"
               " detail TEXT,"
               " forced INTEGER NOT NULL DEFAULT 0,"
               " started_at TEXT NOT NULL,"
               " finished_at TEXT,"
               " run_by TEXT NOT NULL,"
               " CONSTRAINT pk_dbdeck_migration_journal PRIMARY KEY (id),"
               " CONSTRAINT ck_dbdeck_migration_journal_outcome"
               "  CHECK (outcome IN ('running', 'succeeded', 'failed', 'refused', 'cancelled', 'interrupted')))")
        .arg(name);
}

const char *kJournalColumns = "id, operation, from_version, to_version, outcome, error, detail, forced, started_at, finished_at, run_by";

// Shape 1 -> 2: the journal accepts 'running' and 'interrupted' and an open finished_at; the lock
// row says whether its holder also holds the lock file. SQLite cannot alter a CHECK constraint:
// the journal is rebuilt (nothing references it, so a plain copy-and-rename is safe).
void upgradeFromShape1(Database &db)
{
    if (db.backend() == Backend::Sqlite) {
        db.exec(journalDefinition(QStringLiteral("dbdeck_migration_journal_new")));
        db.exec(QStringLiteral("INSERT INTO dbdeck_migration_journal_new (%1) SELECT %1 FROM dbdeck_migration_journal")
                    .arg(QLatin1String(kJournalColumns)));
        db.exec(QStringLiteral("DROP TABLE dbdeck_migration_journal"));
        db.exec(QStringLiteral("ALTER TABLE dbdeck_migration_journal_new RENAME TO dbdeck_migration_journal"));
    } else {
        db.exec(QStringLiteral("ALTER TABLE dbdeck_migration_journal DROP CONSTRAINT ck_dbdeck_migration_journal_outcome"));
        db.exec(QStringLiteral("ALTER TABLE dbdeck_migration_journal ADD CONSTRAINT ck_dbdeck_migration_journal_outcome"
                               " CHECK (outcome IN ('running', 'succeeded', 'failed', 'refused', 'cancelled', 'interrupted'))"));
        db.exec(QStringLiteral("ALTER TABLE dbdeck_migration_journal ALTER COLUMN finished_at DROP NOT NULL"));
    }
    if (db.hasTable(MigrationTables::lock()))
        db.exec(QStringLiteral("ALTER TABLE dbdeck_migration_lock ADD COLUMN os_lock INTEGER NOT NULL DEFAULT 0"));
}

} // namespace

bool MigrationTables::hasColumn(Database &db, const QString &table, const QString &column)
{
    if (db.backend() == Backend::Sqlite)
        return db.scalar(QStringLiteral("SELECT count(*) FROM pragma_table_info(?) WHERE name = ?"), {table, column}).toInt() > 0;
    return db.scalar(QStringLiteral("SELECT count(*) FROM information_schema.columns WHERE table_schema = current_schema()"
                                    " AND table_name = ? AND column_name = ?"), {table, column}).toInt() > 0;
}

int MigrationTables::shape(Database &db)
{
    if (!db.exists() || !db.hasTable(journal()))
        return 0;
    // A later shape says so in dbdeck_metadata; shapes 1 and 2 tell by their columns (so that
    // this one adds no row and no table that a database which never needed them would show).
    if (db.hasTable(metadata())) {
        const QVariant value = db.scalar(QStringLiteral("SELECT value FROM dbdeck_metadata WHERE key = 'bookkeeping_version'"));
        if (value.isValid())
            return value.toInt();
    }
    return db.hasTable(lock()) && hasColumn(db, lock(), QStringLiteral("os_lock")) ? 2 : 1;
}

void MigrationTables::ensure(Database &db)
{
    // Most runs find everything in place: a plain read then, no write lock.
    const auto upToDate = [&] {
        for (const QString &table : {versions(), journal(), lock(), metadata()}) {
            if (!db.hasTable(table))
                return false;
        }
        return shape(db) == currentShape;
    };
    if (db.exists() && upToDate())
        return;
    withTransaction(db, Transaction::Mode::Write, [&] {
        const int found = shape(db);
        if (found > currentShape)
            throw MigrationError(QStringLiteral("dbdeck's own tables in this database have shape %1, made by a newer dbdeck "
                                                "(this one knows %2): update dbdeck before migrating this database")
                                     .arg(found).arg(currentShape));
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
        if (found == 1)
            upgradeFromShape1(db);
        else if (!db.hasTable(journal()))
            db.exec(journalDefinition(journal()));
        if (!db.hasTable(lock()))
            db.exec(QStringLiteral(
                "CREATE TABLE dbdeck_migration_lock ("
                " id INTEGER NOT NULL,"
                " host TEXT NOT NULL,"
                " pid INTEGER NOT NULL,"
                " acquired_at TEXT NOT NULL,"
                " heartbeat_at TEXT NOT NULL,"
                " os_lock INTEGER NOT NULL DEFAULT 0,"
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

void MigrationTables::ensureProgress(Database &db)
{
    if (db.hasTable(progress()))
        return;
    withTransaction(db, Transaction::Mode::Write, [&] {
        db.exec(QStringLiteral(
            "CREATE TABLE IF NOT EXISTS dbdeck_migration_progress ("
            " version INTEGER NOT NULL,"
            " name TEXT NOT NULL,"
            " checksum TEXT NOT NULL,"
            " direction TEXT NOT NULL,"
            " state TEXT NOT NULL,"
            " statements_done INTEGER NOT NULL,"
            " statements_total INTEGER NOT NULL,"
            " started_at TEXT NOT NULL,"
            " updated_at TEXT NOT NULL,"
            " run_by TEXT NOT NULL,"
            " attempt_id INTEGER,"
            " CONSTRAINT pk_dbdeck_migration_progress PRIMARY KEY (version),"
            " CONSTRAINT ck_dbdeck_migration_progress_direction CHECK (direction IN ('up', 'down')),"
            " CONSTRAINT ck_dbdeck_migration_progress_state CHECK (state IN ('running', 'interrupted', 'cancelled', 'failed')))"));
    });
}

bool MigrationTables::exist(Database &db)
{
    return db.hasTable(versions());
}

} // namespace dbdeck

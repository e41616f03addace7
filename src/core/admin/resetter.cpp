#include "admin/resetter.h"

#include "db/database.h"
#include "db/databasebackup.h"
#include "db/errors.h"
#include "db/postgresbackup.h"
#include "db/transaction.h"
#include "db/utctime.h"
#include "migrate/environmentguard.h"
#include "migrate/migrationjournal.h"
#include "migrate/migrationlock.h"
#include "migrate/migrationtables.h"
#include "migrate/migrator.h"

namespace dbdeck {

namespace {

// Every object of the current schema that is no extension's and not dbdeck's, dependents first.
const char *kPostgresObjects = R"(
SELECT 1, CASE c.relkind WHEN 'v' THEN 'VIEW' ELSE 'MATERIALIZED VIEW' END, quote_ident(n.nspname) || '.' || quote_ident(c.relname)
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = current_schema() AND c.relkind IN ('v', 'm')
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
UNION ALL
SELECT 2, CASE c.relkind WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END, quote_ident(n.nspname) || '.' || quote_ident(c.relname)
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'f') AND c.relname NOT LIKE 'dbdeck\_%' AND NOT c.relispartition
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
UNION ALL
SELECT 3, 'SEQUENCE', quote_ident(n.nspname) || '.' || quote_ident(c.relname)
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = current_schema() AND c.relkind = 'S' AND c.relname NOT LIKE 'dbdeck\_%'
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('e', 'a', 'i'))
UNION ALL
SELECT 4, CASE p.prokind WHEN 'p' THEN 'PROCEDURE' WHEN 'a' THEN 'AGGREGATE' ELSE 'FUNCTION' END, p.oid::regprocedure::text
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE n.nspname = current_schema()
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
UNION ALL
SELECT 5, CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END, quote_ident(n.nspname) || '.' || quote_ident(t.typname)
  FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
 WHERE n.nspname = current_schema() AND t.typtype IN ('e', 'd', 'r', 'c')
   AND (t.typtype <> 'c' OR (SELECT c.relkind FROM pg_class c WHERE c.oid = t.typrelid) = 'c')
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')
ORDER BY 1, 3)";

// Triggers and views first (they depend on tables), virtual tables before the ordinary tables
// that hold their data; dbdeck's tables and what belongs to them stay.
const char *kSqliteObjects = R"(
SELECT type, name FROM sqlite_schema
 WHERE name NOT LIKE 'sqlite\_%' ESCAPE '\' AND tbl_name NOT LIKE 'dbdeck\_%' ESCAPE '\'
 ORDER BY CASE type WHEN 'trigger' THEN 1 WHEN 'view' THEN 2 WHEN 'index' THEN 3 ELSE 4 END,
          CASE WHEN sql LIKE 'CREATE VIRTUAL%' THEN 0 ELSE 1 END, name)";

} // namespace

Resetter::Resetter(Database &db) : m_db(db) {}

QString Resetter::databaseName() const
{
    return EnvironmentGuard(m_db).databaseName();
}

QStringList Resetter::objectsToDrop()
{
    QStringList statements;
    const bool postgres = m_db.backend() == Backend::Postgres;
    QSqlQuery q = m_db.exec(QString::fromLatin1(postgres ? kPostgresObjects : kSqliteObjects));
    while (q.next()) {
        if (postgres)
            statements << QStringLiteral("DROP %1 IF EXISTS %2 CASCADE").arg(q.value(1).toString(), q.value(2).toString());
        else
            statements << QStringLiteral("DROP %1 IF EXISTS %2").arg(q.value(0).toString().toUpper(),
                                                                  DatabaseBackup::quoted(q.value(1).toString()));
    }
    return statements;
}

QString Resetter::refusal()
{
    if (qEnvironmentVariable("DBDECK_ALLOW_RESET") != QLatin1String("1"))
        return QStringLiteral("reset is disabled: set DBDECK_ALLOW_RESET=1 to allow it (development databases only)");
    if (m_db.config().url().isMemory())
        return QStringLiteral("an in-memory database has nothing to reset");
    const WriteAccess access = m_db.writeAccess();
    if (!access.possible)
        return QStringLiteral("the database cannot be written: %1").arg(access.reason);
    const QString protection = EnvironmentGuard(m_db).protection();
    if (!protection.isEmpty())
        return QStringLiteral("%1: it is never reset").arg(protection);
    return {};
}

Resetter::Result Resetter::reset(const QString &confirmName, const MigrationSet *migrations, int lockTimeoutMs, bool withoutBackup)
{
    const QString refused = refusal();
    if (!refused.isEmpty())
        throw DbError(refused);
    if (confirmName != databaseName())
        throw DbError(QStringLiteral("the name typed (\"%1\") is not the database's name (\"%2\"); nothing was reset")
                          .arg(confirmName, databaseName()));
    const bool postgres = m_db.backend() == Backend::Postgres;
    if (postgres && !withoutBackup && !PostgresBackup::available())
        throw DbError(QStringLiteral("pg_dump is not installed, so no backup can be taken; install it (package "
                                     "postgresql-client) or reset with --no-backup; nothing was reset"));
    m_db.ensureWritable();
    const QString started = utcNowForDb();
    MigrationTables::ensure(m_db);
    Result result;
    {
        MigrationLock lock(m_db);
        lock.acquire(lockTimeoutMs);
        // SQLite: foreign keys off (outside the transaction, where it takes effect) so that drop
        // order does not matter; the connection is reopened afterwards with the configured PRAGMAs.
        if (!postgres)
            m_db.exec(QStringLiteral("PRAGMA foreign_keys = OFF"));
        try {
            withTransaction(m_db, Transaction::Mode::Write, [&] {
                // The backup inside the write transaction: nobody writes between the copy and the drop.
                if (!postgres || !withoutBackup) {
                    try {
                        result.backupPath = DatabaseBackup::write(m_db, databaseName()).path;
                    } catch (const DbError &error) {
                        throw DbError(QStringLiteral("%1; nothing was reset").arg(error.message()), error.nativeCode());
                    }
                }
                for (const QString &statement : objectsToDrop()) {
                    m_db.exec(statement);
                    ++result.droppedObjects;
                    if (statement.startsWith(QLatin1String("DROP TABLE")) || statement.startsWith(QLatin1String("DROP FOREIGN TABLE")))
                        ++result.droppedTables;
                }
                m_db.exec(QStringLiteral("DELETE FROM dbdeck_schema_migrations"));
            });
        } catch (...) {
            if (!postgres)
                m_db.closeConnection();
            throw;
        }
        if (!postgres)
            m_db.closeConnection();
    }
    JournalEntry entry;
    entry.operation = QStringLiteral("reset");
    entry.outcome = QStringLiteral("succeeded");
    entry.startedAt = started;
    entry.toVersion = 0;
    entry.detail = QStringLiteral("dropped %1 tables (%2 objects); %3").arg(result.droppedTables).arg(result.droppedObjects)
                       .arg(result.backupPath.isEmpty() ? QStringLiteral("no backup (--no-backup)") : QStringLiteral("backup ") + result.backupPath);
    MigrationJournal::record(m_db, entry);
    if (migrations) {
        Migrator migrator(m_db, *migrations);
        result.migrationsApplied = int(migrator.upgrade({}).done.size());
    }
    return result;
}

} // namespace dbdeck

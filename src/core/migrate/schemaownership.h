#pragma once

#include <QString>
#include <QStringList>

namespace dbdeck {

class Database;

// Who manages a database's schema, as far as its tables tell: dbdeck (its history tables), Alembic
// (alembic_version), or nobody dbdeck knows (application tables and no history). Reads only: it
// never creates dbdeck's tables, and a SQLite file that does not exist yet is simply new.
class SchemaOwnership
{
public:
    static SchemaOwnership read(Database &db);

    // The table's owner as `counts` and the Tables tab label it: "dbdeck", "Alembic",
    // "SQLite" (sqlite_* internals) or "application".
    static QString ownerOf(const QString &table);

    bool databaseExists() const { return m_exists; }
    // dbdeck has a history here: its version table, with a row, progress of a transaction:false
    // migration, or a journaled attempt that succeeded or is running (a version table left empty
    // by a refused or failed first attempt is no history).
    bool managedByDbdeck() const { return m_history; }
    // Application tables but no dbdeck history: migrating would fail on tables that already exist.
    bool unmanaged() const { return !m_history && !m_applicationTables.isEmpty(); }
    // No dbdeck history and no application tables: upgrade creates everything.
    bool isNew() const { return !m_history && m_applicationTables.isEmpty(); }
    bool hasDbdeckTables() const { return m_dbdeckTables; }
    bool hasAlembic() const { return m_alembic; }
    QString alembicRevision() const { return m_alembicRevision; } // empty when none (or no row)
    QStringList applicationTables() const { return m_applicationTables; }

    // "managed by dbdeck", "new (no tables yet)", "not managed by dbdeck", "not managed by
    // dbdeck: managed by Alembic, revision X".
    QString describe() const;
    // For an unmanaged database: how to adopt it (baseline), and the Alembic path. Empty otherwise.
    QString advice() const;
    // What a writing command says when it refuses an unmanaged database (describe + advice).
    QString refusal(const QString &operation) const;

private:
    bool m_exists = false;
    bool m_history = false;
    bool m_dbdeckTables = false;
    bool m_alembic = false;
    QString m_alembicRevision;
    QStringList m_applicationTables;
};

} // namespace dbdeck

#pragma once

#include "migrate/migrationdraft.h"
#include "schema/schemaddl.h"
#include "schema/schemamodel.h"

#include <QSet>

#include <memory>

namespace dbdeck {

// Writes the SQL that turns one schema into another, one writer per backend. Autogenerate calls
// it twice: from→to for up, to→from for down. Renames are never guessed: a dropped and an added
// column of like type get a "possible rename" comment; destructive steps are marked.
class SchemaChangeWriter
{
public:
    virtual ~SchemaChangeWriter() = default;
    static std::unique_ptr<SchemaChangeWriter> create(Backend backend);

    // skipIndexes: indexes (by name) that another migration creates and drops (PostgreSQL's
    // CREATE INDEX CONCURRENTLY), left out here in both directions.
    virtual MigrationScript write(const Schema &from, const Schema &to, const QSet<QString> &skipIndexes = {}) const = 0;

protected:
    struct TableChange
    {
        const SchemaTable *from = nullptr;
        const SchemaTable *to = nullptr;
        QList<SchemaColumn> added;   // in to's order
        QList<SchemaColumn> dropped;
        QStringList changedColumns;  // in both, with a different definition
        bool constraintsDiffer = false;
        bool optionsDiffer = false;
    };
    static QList<TableChange> changedTables(const Schema &from, const Schema &to);
    static bool sameColumn(const SchemaColumn &a, const SchemaColumn &b);
    static bool sameIndex(const SchemaIndex &a, const SchemaIndex &b);
    static bool sameTrigger(const SchemaTrigger &a, const SchemaTrigger &b);
    // "-- possible rename of t.a to t.b: ..." lines, also appended to notes.
    static QString renameHints(const TableChange &change, QStringList &notes);
    static QString destructive(const QString &what, QStringList &notes);
    // The views of `from` to drop before the change, dependents first: those that go or change,
    // those reading a touched table, and those reading a view dropped here (PostgreSQL refuses to
    // drop a view another one reads; SQLite's RENAME of a rebuilt table fails on such a view).
    static QList<SchemaView> viewsToDrop(const Schema &from, const Schema &to, const QSet<QString> &touchedTables);
    // Triggers of views: a view created (again) gets all of its own after it; of a view kept, the
    // changed and removed ones, and those mentioning a touched table, are dropped (and created).
    struct ViewTriggers
    {
        QList<SchemaTrigger> drop;
        QList<SchemaTrigger> create;
    };
    static ViewTriggers viewTriggers(const Schema &from, const Schema &to, const QSet<QString> &viewsDropped,
                                     const QSet<QString> &touchedTables);
    static QString quote(const QString &name) { return SchemaDdl::quote(name); }
};

class SqliteChangeWriter : public SchemaChangeWriter
{
public:
    MigrationScript write(const Schema &from, const Schema &to, const QSet<QString> &skipIndexes = {}) const override;

    // Whether SQLite can make this change with ALTER TABLE instead of a rebuild.
    static bool canAddColumn(const SchemaColumn &column);
    static bool canDropColumn(const SchemaTable &table, const QString &column);

private:
    QString rebuild(const SchemaTable &from, const SchemaTable &to) const;
};

class PostgresChangeWriter : public SchemaChangeWriter
{
public:
    MigrationScript write(const Schema &from, const Schema &to, const QSet<QString> &skipIndexes = {}) const override;

private:
    QString alterColumn(const QString &table, const SchemaColumn &from, const SchemaColumn &to) const;
    QString changeEnum(const Schema &from, const SchemaEnum &old, const SchemaEnum &now, QStringList &notes) const;
    QString tableDrops(const Schema &from, const Schema &to, QStringList &notes) const;
    QString alterColumns(const TableChange &change, QStringList &notes) const;
};

} // namespace dbdeck

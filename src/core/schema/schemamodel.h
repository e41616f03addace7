#pragma once

#include "config/dburl.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace dbdeck {

// The schema model: what introspection (SchemaReader) produces for either backend, what the
// declared schema normalises to, what SchemaDiff compares and SchemaDdl prints. Every list is
// kept in a stable order (by name, columns in table order) so that two models of the same schema
// are equal field by field and their dumps are byte-identical.
//
// Expressions (defaults, CHECKs, generated columns, index expressions, partial WHERE, view and
// trigger definitions) are SQL text: on SQLite as written, normalised by SqlLexer::normalize();
// on PostgreSQL as the server prints them (pg_get_expr, pg_get_constraintdef, ...). Compare them
// with SqlLexer::sameExpression(), not ==.

struct SchemaColumn
{
    QString name;
    QString type;         // declared type, normalised: "TEXT", "VARCHAR(20)"; "" when none (SQLite)
    bool notNull = false;
    QString defaultValue; // the DEFAULT expression; empty: none
    QString collation;    // COLLATE name; empty: the default
    QString generated;    // GENERATED ALWAYS AS (expression); empty: an ordinary column
    bool generatedStored = false;
    QString identity;     // PostgreSQL identity: "ALWAYS", "BY DEFAULT"; empty: none
    int primaryKeyPosition = 0; // 1-based position in the primary key; 0: not part of it
};

enum class ConstraintKind { PrimaryKey, Unique, Check, ForeignKey };

// PRIMARY KEY, UNIQUE, CHECK or FOREIGN KEY of a table. Unnamed SQLite constraints have an
// empty name and are matched by what they say.
struct SchemaConstraint
{
    ConstraintKind kind = ConstraintKind::Check;
    QString name;
    QStringList columns;    // PK, UNIQUE, FK (local columns)
    QString expression;     // CHECK
    QString refTable;       // FK
    QStringList refColumns; // FK; empty: the referenced table's primary key
    QString onDelete;       // FK: "NO ACTION", "CASCADE", "SET NULL", "SET DEFAULT", "RESTRICT"
    QString onUpdate;
    QString deferrable;     // FK: "", "DEFERRABLE INITIALLY DEFERRED", "DEFERRABLE INITIALLY IMMEDIATE"
    QString definition;     // PostgreSQL: pg_get_constraintdef, the text ADD CONSTRAINT takes

    // "CHECK (level IN ('debug'))", "FOREIGN KEY (run_id) REFERENCES runs (id) ON DELETE CASCADE".
    QString describe() const;
    // The name, or for an unnamed constraint what identifies it: "CHECK (x > 0)".
    QString label() const;
};

struct SchemaIndexKey
{
    QString column;     // a column name, or empty for an expression
    QString expression; // the expression when column is empty
    QString collation;
    bool descending = false;
    QString text() const; // "created_at DESC", "lower(name)"
};

struct SchemaIndex
{
    QString name;
    QString table;
    bool unique = false;
    QList<SchemaIndexKey> keys;
    QString where;      // partial index predicate; empty: none
    QString method;     // PostgreSQL access method when not btree ("gin"); empty otherwise
    QString definition; // PostgreSQL: pg_get_indexdef
};

struct SchemaTrigger
{
    QString name;
    QString table;
    QString definition; // the whole CREATE TRIGGER statement, normalised
};

struct SchemaTable
{
    QString name;
    QList<SchemaColumn> columns; // in table order
    QList<SchemaConstraint> constraints; // PK first, then by kind and name
    QList<SchemaIndex> indexes;  // explicit indexes (not those behind PK/UNIQUE), by name
    QList<SchemaTrigger> triggers; // by name
    bool withoutRowid = false;   // SQLite
    bool strict = false;         // SQLite
    bool autoincrement = false;  // SQLite INTEGER PRIMARY KEY AUTOINCREMENT

    const SchemaColumn *column(const QString &name) const;
    const SchemaConstraint *primaryKey() const;
    QList<SchemaConstraint> constraintsOf(ConstraintKind kind) const;
};

struct SchemaView
{
    QString name;
    QString definition; // SQLite: the whole CREATE VIEW normalised; PostgreSQL: pg_get_viewdef
    QList<SchemaTrigger> triggers; // INSTEAD OF triggers on the view, by name
};

// PostgreSQL only.
struct SchemaSequence
{
    QString name;
    QString type = QStringLiteral("bigint");
    qint64 start = 1;
    qint64 increment = 1;
    qint64 minValue = 1;
    qint64 maxValue = 0;
    qint64 cache = 1;
    bool cycle = false;
};

struct SchemaEnum
{
    QString name;
    QStringList labels; // in sort order
};

struct SchemaFunction
{
    QString name;       // with its argument types: "touch_updated_at()"
    QString definition; // pg_get_functiondef
};

struct Schema
{
    Backend backend = Backend::Sqlite;
    QString name;                // PostgreSQL: the schema read ("public"); SQLite: "main"
    QStringList otherSchemas;    // PostgreSQL: further user schemas in the database, by name
    QList<SchemaTable> tables;   // by name; dbdeck's own (dbdeck_*) and alembic_version left out
    QList<SchemaView> views;     // by name
    QList<SchemaSequence> sequences; // standalone ones (not owned by a serial/identity column)
    QList<SchemaEnum> enums;
    QList<SchemaFunction> functions;

    const SchemaTable *table(const QString &name) const;
    SchemaTable *table(const QString &name);
    const SchemaView *view(const QString &name) const;
    bool isEmpty() const;
    // Puts every list in the canonical order described above.
    void sort();

    // Tables of dbdeck's own bookkeeping, Alembic's and SQLite's internals: never part of a model.
    static bool isBookkeepingTable(const QString &name);
};

QString constraintKindName(ConstraintKind kind); // "PRIMARY KEY", "UNIQUE", "CHECK", "FOREIGN KEY"

} // namespace dbdeck

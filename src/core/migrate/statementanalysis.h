#pragma once

#include "migrate/sqltoken.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace dbdeck {

// A parsed view of one migration statement: what kind it is, what it targets and what it adds,
// with positions. It is not a full SQL parser: it understands the DDL and DML forms migrations
// use (both dialects) and leaves the rest as Kind::Other. The linter's rules and the preflight
// (which counts the live rows a new constraint would refuse) both read it.

// PRIMARY KEY, UNIQUE, CHECK, FOREIGN KEY or EXCLUDE; on a column or on the table.
struct ConstraintDefinition
{
    enum class Kind { PrimaryKey, Unique, Check, ForeignKey, Exclude };
    Kind kind = Kind::Check;
    QString name;             // after CONSTRAINT; empty when unnamed
    SqlPosition position;     // of CONSTRAINT, or of the constraint's keyword when unnamed
    bool columnLevel = false; // written on a column definition
    QStringList columns;      // the constrained columns (lower case); a column constraint's own column
    QString expression;       // CHECK: the text between the parentheses
    QString referencedTable;  // FOREIGN KEY
    QStringList referencedColumns;
    QString usingIndex;       // PostgreSQL: UNIQUE/PRIMARY KEY USING INDEX name
    bool notValid = false;    // PostgreSQL: NOT VALID
};

struct ColumnDefinition
{
    QString name;             // lower case (quotes removed)
    SqlPosition position;
    QString type;             // as written, spaces normalized: "varchar(255)"; empty when none
    QString typeName;         // upper case, without arguments: "VARCHAR", "TIMESTAMP WITH TIME ZONE", "TEXT[]"
    QStringList typeArguments; // "255"; "10", "2"
    SqlPosition typePosition;
    bool notNull = false;
    bool primaryKey = false;
    bool autoincrement = false;
    bool hasDefault = false;
    QList<SqlToken> defaultTokens; // the DEFAULT expression
    SqlPosition defaultPosition;
    bool generated = false;   // GENERATED ... AS (expr) / AS (expr): computed, not stored by inserts
    bool stored = false;      // ... STORED
    bool identity = false;    // GENERATED ... AS IDENTITY
    QList<ConstraintDefinition> constraints; // PRIMARY KEY, UNIQUE, CHECK, REFERENCES written on it
};

struct AlterAction
{
    enum class Kind {
        AddColumn, DropColumn, AlterColumnType, SetNotNull, DropNotNull, SetDefault, DropDefault,
        AddConstraint, DropConstraint, ValidateConstraint, RenameTable, RenameColumn, RenameConstraint, Other
    };
    Kind kind = Kind::Other;
    SqlPosition position;     // of the action's first word
    QString column;           // the column acted on (lower case)
    QString newName;          // RENAME ... TO newName
    QString objectName;       // DROP/VALIDATE/RENAME CONSTRAINT name
    ColumnDefinition columnDefinition; // AddColumn
    ConstraintDefinition constraint;   // AddConstraint
    QString newType;          // AlterColumnType: as written
    QString newTypeName;      // AlterColumnType: upper case, without arguments
    QStringList newTypeArguments;
    QString usingExpression;  // AlterColumnType: USING ...
    QList<SqlToken> defaultTokens; // SetDefault
};

struct StatementAnalysis
{
    enum class Kind {
        Other, Select, Insert, Update, Delete, Truncate,
        CreateTable, CreateIndex, CreateView, CreateTrigger, CreateType, CreateOther,
        AlterTable, AlterOther, DropTable, DropIndex, DropOther,
        Pragma, Set, TransactionControl, Vacuum, Reindex, Attach,
    };

    Kind kind = Kind::Other;
    int index = 0;            // 1-based number of the statement in its section
    SqlPosition position;     // of its first word
    QString sql;              // as the runner executes it
    QList<SqlToken> tokens;   // the statement's tokens, comments left out

    QString table;            // the table it creates, alters, indexes, drops or writes (lower case,
                              // without a schema); empty when none
    QStringList tables;       // DROP TABLE a, b / TRUNCATE a, b: all of them (table is the first)
    QString objectName;       // index, view, trigger or type name; PRAGMA name; SET parameter
    bool temporary = false;   // CREATE TEMP ...
    bool unique = false;      // CREATE UNIQUE INDEX
    bool concurrently = false; // CREATE/DROP INDEX CONCURRENTLY, REINDEX CONCURRENTLY
    bool ifExists = false;
    bool ifNotExists = false;
    bool hasWhere = false;    // UPDATE/DELETE with a WHERE at the top level
    bool asSelect = false;    // CREATE TABLE ... AS SELECT
    bool withoutRowid = false; // SQLite: ) WITHOUT ROWID
    bool strict = false;      // SQLite: ) STRICT
    bool setLocal = false;    // SET LOCAL
    QString conflictClause;   // SQLite: INSERT OR REPLACE -> "REPLACE"; REPLACE INTO -> "REPLACE"
    QString value;            // PRAGMA / SET value, as written
    QStringList enumValues;   // CREATE TYPE ... AS ENUM (...)
    QStringList indexColumns; // CREATE INDEX: plain column names (lower case)
    bool indexOnExpression = false;
    bool partialIndex = false; // CREATE INDEX ... WHERE
    QStringList updatedColumns; // UPDATE ... SET a = ..., b = ...
    QString selectsFrom;      // INSERT ... SELECT ... FROM t: the first table read (lower case)

    QList<ColumnDefinition> columns;         // CREATE TABLE
    QList<ConstraintDefinition> constraints; // CREATE TABLE: table constraints
    QList<AlterAction> actions;              // ALTER TABLE

    // Every constraint the statement adds: column and table constraints of CREATE TABLE, and of
    // ALTER TABLE ADD COLUMN / ADD CONSTRAINT.
    QList<ConstraintDefinition> addedConstraints() const;
    // Every column definition it adds: CREATE TABLE's and ALTER TABLE ADD COLUMN's.
    QList<ColumnDefinition> addedColumns() const;
    bool takesTransactionControl() const { return kind == Kind::TransactionControl; }
};

} // namespace dbdeck

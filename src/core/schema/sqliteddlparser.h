#pragma once

#include "schema/schemamodel.h"
#include "schema/sqllexer.h"

#include <QHash>

namespace dbdeck {

// What a SQLite CREATE TABLE says that its PRAGMAs do not: constraint names, CHECK and generated
// expressions, per-column collation, AUTOINCREMENT, WITHOUT ROWID and STRICT.
struct ParsedSqliteTable
{
    struct Column
    {
        QString name;
        QString type;
        QString collation;
        QString generated;
        bool autoincrement = false;
    };
    QList<Column> columns;
    // PK, UNIQUE, CHECK and FK constraints, column-level ones included (with one column). FKs
    // carry only name, columns and deferrable: PRAGMA foreign_key_list tells the rest.
    QList<SchemaConstraint> constraints;
    bool withoutRowid = false;
    bool strict = false;
};

struct ParsedSqliteIndex
{
    QList<SchemaIndexKey> keys; // expression keys filled; plain columns have column set
    QString where;
};

// Reads SQLite's stored CREATE statements (sqlite_schema.sql) with SqlLexer's tokens. SQLite only
// stores statements it accepted, so the parser follows its grammar without error recovery.
class SqliteDdlParser
{
public:
    static ParsedSqliteTable parseTable(const QString &createSql);
    static ParsedSqliteIndex parseIndex(const QString &createSql);
};

} // namespace dbdeck

#pragma once

#include "migrate/sqltokencursor.h"
#include "migrate/statementanalysis.h"

namespace dbdeck {

// Column definitions and table constraints, as written in CREATE TABLE (...) and in ALTER TABLE
// ADD COLUMN / ADD CONSTRAINT, in both dialects.
class TableDefinitionParser
{
public:
    // The items of a CREATE TABLE's parenthesized list.
    static void parseDefinitions(const SqlTokenCursor &cursor, TokenRange inside, QList<ColumnDefinition> *columns,
                                 QList<ConstraintDefinition> *constraints);
    // "name type constraints..." up to the range's end.
    static ColumnDefinition parseColumn(const SqlTokenCursor &cursor, TokenRange item);
    // "[CONSTRAINT name] PRIMARY KEY (...) | UNIQUE (...) | CHECK (...) | FOREIGN KEY ... [NOT VALID]".
    static ConstraintDefinition parseTableConstraint(const SqlTokenCursor &cursor, TokenRange item);
    static bool startsTableConstraint(const SqlToken &token);
    // A type from the cursor's position: words, (arguments) and [] up to a constraint keyword.
    static void readType(SqlTokenCursor &c, QString *type, QString *typeName, QStringList *arguments,
                         SqlPosition *position, std::initializer_list<const char *> stopWords);
};

} // namespace dbdeck

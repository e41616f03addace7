#pragma once

#include "migrate/sqltokencursor.h"
#include "migrate/statementanalysis.h"

namespace dbdeck {

// The actions of ALTER TABLE name <action>[, <action>...]: ADD [COLUMN], ADD [CONSTRAINT], DROP
// [COLUMN|CONSTRAINT], ALTER [COLUMN] ... TYPE / SET|DROP NOT NULL / SET|DROP DEFAULT, VALIDATE
// CONSTRAINT, RENAME [TO|COLUMN|CONSTRAINT] (SQLite's forms are a subset of PostgreSQL's).
class AlterTableParser
{
public:
    static QList<AlterAction> parseActions(const SqlTokenCursor &cursor, TokenRange actions);

private:
    static AlterAction parseAction(SqlTokenCursor &c);
    static void parseAlterColumn(SqlTokenCursor &c, AlterAction *action);
};

} // namespace dbdeck

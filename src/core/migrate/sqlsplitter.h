#pragma once

#include <QList>
#include <QString>

namespace dbdeck {

struct SqlStatement
{
    QString sql; // without the terminating ';', leading comments and surrounding blanks
    int line = 0; // 1-based line of the statement's first character in the script
};

// Splits a SQL script into the statements QSqlQuery can run one by one (it runs one per exec).
// Understands -- and /* */ comments, 'strings' with '', "identifiers" with "", [brackets] and
// `backticks`, CREATE TRIGGER ... BEGIN ... END bodies (with CASE ... END inside), a last
// statement without ';' and empty statements; PostgreSQL dollar quoting ($$ ... $$,
// $tag$ ... $tag$) in the Postgres dialect.
// Hand-written: neither Qt nor SQLite offers a splitter (sqlite3_complete only says whether a
// script ends a statement, not where each one does).
class SqlSplitter
{
public:
    enum class Dialect { Sqlite, Postgres };

    static QList<SqlStatement> split(const QString &script, Dialect dialect = Dialect::Sqlite);
};

} // namespace dbdeck

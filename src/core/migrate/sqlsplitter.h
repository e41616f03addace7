#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace dbdeck {

struct SqlStatement
{
    QString sql; // without the terminating ';', leading comments and surrounding blanks
    int line = 0; // 1-based line of the statement's first character in the script
    // The statement's first (up to four) bare words, upper-cased, in order; quoted identifiers,
    // strings, punctuation and comments between them are skipped ("PRAGMA main.foreign_keys=OFF"
    // gives PRAGMA, MAIN, FOREIGN_KEYS, OFF).
    QStringList leadingWords;
    // A top-level statement that begins, ends or marks a transaction: BEGIN, COMMIT, END,
    // ROLLBACK, SAVEPOINT, RELEASE; on PostgreSQL also START TRANSACTION, ABORT and
    // PREPARE TRANSACTION. A trigger's or function's body is part of its CREATE statement and
    // never counts.
    bool transactionControl = false;
};

// Splits a SQL script into the statements QSqlQuery can run one by one (it runs one per exec),
// where the dialect's own shell would (the sqlite3 shell, psql):
// - SQLite: -- and /* */ comments (not nested), 'strings' with '', "identifiers" with "",
//   [brackets] and `backticks`; a CREATE [TEMP] TRIGGER statement ends only at "; END ;" as in
//   sqlite3_complete(), so END inside the body (CASE ... END, a column called end) does not end it.
// - PostgreSQL: nested /* /* */ */ comments, E'...' strings with backslash escapes, dollar quoting
//   ($$ ... $$, $tag1$ ... $tag1$), a ';' inside parentheses (CREATE RULE ... DO (...; ...)), and
//   CREATE [OR REPLACE] FUNCTION|PROCEDURE ... BEGIN ATOMIC ... END bodies, as psql does.
// Both: a last statement without ';', empty statements. One pass over the text: linear time.
// Hand-written: neither Qt nor SQLite offers a splitter (sqlite3_complete only says whether a
// script ends a statement, not where each one does).
class SqlSplitter
{
public:
    enum class Dialect { Sqlite, Postgres };

    static QList<SqlStatement> split(const QString &script, Dialect dialect = Dialect::Sqlite);
};

} // namespace dbdeck

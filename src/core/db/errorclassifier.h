#pragma once

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QString>

namespace dbdeck {

// Turns a driver error into the matching DbError subclass with a message a developer can act on.
// Classification is by the driver's native code (SQLite extended result code, PostgreSQL
// SQLSTATE); the message text is only mined for details such as table and column names.
class ErrorClassifier
{
public:
    // Busy: another connection holds the lock (SQLITE_BUSY, waited for busy_timeout); Locked: a
    // conflict inside this connection or its shared cache (SQLITE_LOCKED), which no wait resolves.
    enum class Kind { Conflict, Constraint, Busy, Locked, NotADatabase, ReadOnly, CannotOpen, Interrupted, Other };

    struct Context
    {
        QString statement;       // the SQL that failed
        const QSqlQuery *query = nullptr; // for bound values named like the columns
        int busyTimeoutMs = 0;
    };

    static Kind classifySqlite(int extendedCode);
    static Kind classifyPostgres(const QString &sqlState);

    // A PostgreSQL error as the server said it, and the statement: "cannot execute INSERT in a
    // read-only transaction (while running: INSERT INTO t ...)".
    static QString postgresRefusal(const QSqlError &error, const QString &statement);

    // Throws; never returns. db is used to look up constraint names after the failure.
    [[noreturn]] static void raise(const QSqlError &error, const QSqlDatabase &db, const Context &context);
};

} // namespace dbdeck

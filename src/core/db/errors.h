#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <exception>

namespace dbdeck {

// The error family every core layer throws. It depends on nothing but QString, so config/ may
// include it even though it sits in db/: it is the one header every layer shares.
class DbError : public std::exception
{
public:
    explicit DbError(QString message, QString nativeCode = {})
        : m_message(std::move(message)), m_nativeCode(std::move(nativeCode)),
          m_utf8(m_message.toUtf8())
    {}

    const QString &message() const noexcept { return m_message; }
    // The driver's own code: a SQLite extended result code or a PostgreSQL SQLSTATE.
    const QString &nativeCode() const noexcept { return m_nativeCode; }
    const char *what() const noexcept override { return m_utf8.constData(); }

private:
    QString m_message;
    QString m_nativeCode;
    QByteArray m_utf8;
};

// A row or object the caller asked for does not exist.
class NotFoundError : public DbError
{
public:
    using DbError::DbError;
};

// A UNIQUE or PRIMARY KEY constraint refused a row.
class ConflictError : public DbError
{
public:
    ConflictError(QString message, QString nativeCode, QString table, QStringList columns,
                  QString constraint)
        : DbError(std::move(message), std::move(nativeCode)), m_table(std::move(table)),
          m_columns(std::move(columns)), m_constraint(std::move(constraint))
    {}
    using DbError::DbError;

    const QString &table() const noexcept { return m_table; }
    const QStringList &columns() const noexcept { return m_columns; }
    const QString &constraint() const noexcept { return m_constraint; }

private:
    QString m_table;
    QStringList m_columns;
    QString m_constraint;
};

// NOT NULL, CHECK or FOREIGN KEY refused a change.
class ConstraintError : public DbError
{
public:
    using DbError::DbError;
};

// The database stayed locked by another connection for longer than the busy timeout.
class BusyError : public DbError
{
public:
    using DbError::DbError;
};

// The operation was cancelled (e.g. a long statement interrupted on request); nothing was changed.
class CancelledError : public DbError
{
public:
    using DbError::DbError;
};

// The transaction a Transaction scope had begun ended under it: SQLite rolls back by itself after
// INSERT OR ROLLBACK, RAISE(ROLLBACK), SQLITE_FULL or an I/O error, PostgreSQL rolls back at COMMIT
// a transaction in which a statement failed. Nothing more runs in the scope, and it cannot commit.
class RolledBackError : public DbError
{
public:
    using DbError::DbError;
};

// A setting has a value dbdeck cannot use; nothing was opened.
class ConfigError : public DbError
{
public:
    using DbError::DbError;
};

} // namespace dbdeck

#pragma once

#include "config/sqliteuri.h"

#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>

#include <optional>

namespace dbdeck {

enum class Backend { Sqlite, Postgres };

// A database URL read exactly as SQLAlchemy 2.0's make_url() reads it, and handed on as its
// dialects hand it to the driver (tests/data/sqlalchemy_urls.jsonl is the reference):
//   sqlite:///relative.db   sqlite:////absolute.db   sqlite:///:memory:   sqlite://
//   sqlite:///file:data/app.db?mode=ro&uri=true     (a SQLite URI, opened with SQLITE_OPEN_URI)
//   postgresql+psycopg://user:pass@host:5432/db?sslmode=require&options=-csearch_path%3Dfoo
// Only the user name, the password and the query are %-decoded; host and database are kept as
// written. Scheme names are case-sensitive.
class DbUrl
{
public:
    // Parses text; on failure returns nullopt and says why in *error (never echoing a password).
    static std::optional<DbUrl> parse(const QString &text, QString *error);
    // The schemes accepted, for error messages and docs.
    static QStringList supportedSchemes();
    // Replaces passwords in any URL-looking text with ***, even text that does not parse.
    static QString redactText(const QString &text);

    Backend backend() const { return m_backend; }
    QString scheme() const { return m_scheme; }       // SQLAlchemy's drivername, e.g. "sqlite+aiosqlite"
    QString driverSuffix() const { return m_driver; } // e.g. "aiosqlite", may be empty

    // make_url()'s parts; nullopt where SQLAlchemy has None.
    std::optional<QString> userNamePart() const { return m_user; }
    std::optional<QString> passwordPart() const { return m_password; }
    std::optional<QString> hostPart() const { return m_host; }
    std::optional<qlonglong> portPart() const { return m_port; }
    std::optional<QString> databasePart() const { return m_database; }
    // The query as parse_qsl gives it (decoded, in order, repeated keys repeated).
    QList<QPair<QString, QString>> queryItems() const;
    QString queryValue(const QString &key) const; // the first value, or empty

    QString userName() const { return m_user.value_or(QString()); }
    QString password() const { return m_password.value_or(QString()); }
    bool hasPassword() const { return m_password.has_value(); }
    QString host() const { return m_host.value_or(QString()); }
    std::optional<int> port() const { return m_port ? std::optional<int>(int(*m_port)) : std::nullopt; }
    QString database() const { return m_database.value_or(QString()); }

    // SQLite. What pysqlite is handed: the file name (absolute, as os.path.abspath makes it) or,
    // with ?uri=true, the URI SQLAlchemy builds (database + the other query parameters).
    QString sqliteOpenName() const { return m_sqliteOpenName; }
    bool sqliteUri() const { return m_sqliteUri; }
    // mode=ro or immutable=1 in a URI-mode URL: SQLite opens the file read-only.
    bool sqliteReadOnlyByUrl() const { return m_sqliteUri && m_uriReading.readOnly(); }
    bool isMemory() const { return m_backend == Backend::Sqlite && m_memory; }
    // The database file, absolute (":memory:" for an in-memory database).
    QString sqliteFilePath() const { return m_sqliteFilePath; }

    // PostgreSQL: the libpq connection key words psycopg2/psycopg get from SQLAlchemy 2.0, in
    // order (host may be a list "h1,h2" and port "5432,5433"; a missing dbname is libpq's default).
    QList<QPair<QString, QString>> libpqParameters() const { return m_libpq; }

    // The URL as written, with the password (and any password query value) shown as ***.
    QString redacted() const;
    // The parsed parts for people and scripts (`config --format json`), passwords as ***.
    QJsonObject describe() const;
    // The text as given. It holds the password: compare it, never show it.
    QString original() const { return m_text; }

private:
    bool finishSqlite(QString *error);
    bool finishPostgres(QString *error);

    QString m_text;
    Backend m_backend = Backend::Sqlite;
    QString m_scheme;
    QString m_driver;
    std::optional<QString> m_user;
    std::optional<QString> m_password;
    qsizetype m_passwordStart = -1;
    qsizetype m_passwordLength = 0;
    std::optional<QString> m_host;
    std::optional<qlonglong> m_port;
    std::optional<QString> m_database;
    qsizetype m_queryStart = -1;
    struct Item
    {
        QString key;
        QString value;
        qsizetype valueStart;
        qsizetype valueLength;
    };
    QList<Item> m_query;

    QString m_sqliteOpenName;
    bool m_sqliteUri = false;
    SqliteUri m_uriReading;
    bool m_memory = false;
    QString m_sqliteFilePath;
    QList<QPair<QString, QString>> m_libpq;
};

} // namespace dbdeck

#pragma once

#include <QList>
#include <QPair>
#include <QString>

#include <optional>

namespace dbdeck {

enum class Backend { Sqlite, Postgres };

// A database URL in SQLAlchemy's syntax, the one the application's DB_URL uses:
//   sqlite:///relative.db   sqlite:////absolute.db   sqlite:///:memory:   sqlite://
//   postgresql+psycopg://user:pass@host:5432/db?sslmode=require
class DbUrl
{
public:
    // Parses text; on failure returns nullopt and says why in *error (never echoing a password).
    static std::optional<DbUrl> parse(const QString &text, QString *error);
    // The schemes accepted, for error messages and docs.
    static QStringList supportedSchemes();
    // Replaces the password in any URL-looking text with ***, even text that does not parse.
    static QString redactText(const QString &text);

    Backend backend() const { return m_backend; }
    QString scheme() const { return m_scheme; }   // e.g. "sqlite+aiosqlite"
    QString driverSuffix() const { return m_driver; } // e.g. "aiosqlite", may be empty

    // SQLite
    bool isMemory() const { return m_backend == Backend::Sqlite && (m_database.isEmpty() || m_database == QLatin1String(":memory:")); }
    // The database file, made absolute against the working directory (as the application does).
    QString sqliteFilePath() const;

    // PostgreSQL (and the raw parts of any URL)
    QString userName() const { return m_user; }
    QString password() const { return m_password; }
    bool hasPassword() const { return m_hasPassword; }
    QString host() const { return m_host; }
    std::optional<int> port() const { return m_port; }
    QString database() const { return m_database; }
    QList<QPair<QString, QString>> queryItems() const { return m_query; }
    QString queryValue(const QString &key) const;

    // The URL as written, with the password shown as ***.
    QString redacted() const;

private:
    Backend m_backend = Backend::Sqlite;
    QString m_scheme;
    QString m_driver;
    QString m_user;
    QString m_password;
    bool m_hasPassword = false;
    QString m_host;
    std::optional<int> m_port;
    QString m_database;
    QList<QPair<QString, QString>> m_query;
};

} // namespace dbdeck

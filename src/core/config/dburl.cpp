#include "config/dburl.h"

#include <QDir>
#include <QRegularExpression>
#include <QUrl>

namespace dbdeck {

namespace {

QString decode(const QString &part)
{
    return QUrl::fromPercentEncoding(part.toUtf8());
}

const QStringList &sqliteSchemes()
{
    static const QStringList schemes{QStringLiteral("sqlite"), QStringLiteral("sqlite+pysqlite"),
                                     QStringLiteral("sqlite+aiosqlite")};
    return schemes;
}

const QStringList &postgresSchemes()
{
    static const QStringList schemes{QStringLiteral("postgresql"), QStringLiteral("postgresql+psycopg"),
                                     QStringLiteral("postgresql+psycopg2"),
                                     QStringLiteral("postgresql+asyncpg")};
    return schemes;
}

bool isSecretKey(const QString &key)
{
    const QString k = key.toLower();
    return k == QLatin1String("password") || k == QLatin1String("sslpassword");
}

} // namespace

QStringList DbUrl::supportedSchemes()
{
    return sqliteSchemes() + postgresSchemes();
}

QString DbUrl::redactText(const QString &text)
{
    // user:password@ right after "//"; the password may hold ':' or '/', never an unencoded '@'.
    static const QRegularExpression userinfo(QStringLiteral("(//[^:/@?]*:)[^@]*@"));
    static const QRegularExpression queryPassword(QStringLiteral("([?&](?:ssl)?password=)[^&]*"),
                                                  QRegularExpression::CaseInsensitiveOption);
    QString out = text;
    out.replace(userinfo, QStringLiteral("\\1***@"));
    out.replace(queryPassword, QStringLiteral("\\1***"));
    return out;
}

std::optional<DbUrl> DbUrl::parse(const QString &text, QString *error)
{
    auto fail = [&](const QString &why) -> std::optional<DbUrl> {
        if (error)
            *error = why;
        return std::nullopt;
    };

    // The same grammar as SQLAlchemy's URL regex, so that what the application accepts, dbdeck does.
    static const QRegularExpression pattern(QStringLiteral(
        "^(?<scheme>[\\w+]+)://"
        "(?:(?<user>[^:/]*)(?::(?<password>[^@]*))?@)?"
        "(?:(?:\\[(?<ipv6>[^/?]+)\\]|(?<host>[^/:?]+))?(?::(?<port>[^/?]*))?)?"
        "(?:/(?<database>[^?]*))?"
        "(?:\\?(?<query>.*))?$"),
        QRegularExpression::DotMatchesEverythingOption);

    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return fail(QStringLiteral("the URL is empty; expected e.g. sqlite:///./data/app.db"));
    const auto m = pattern.match(trimmed);
    if (!m.hasMatch()) {
        if (!trimmed.contains(QLatin1String("://")))
            return fail(QStringLiteral("malformed URL (no \"://\"); expected e.g. sqlite:///./data/app.db "
                                       "or postgresql://user:pass@host:5432/db"));
        return fail(QStringLiteral("malformed URL; expected e.g. sqlite:///./data/app.db "
                                   "or postgresql://user:pass@host:5432/db"));
    }

    DbUrl url;
    url.m_scheme = m.captured(QStringLiteral("scheme")).toLower();
    const qsizetype plus = url.m_scheme.indexOf(QLatin1Char('+'));
    url.m_driver = plus < 0 ? QString() : url.m_scheme.mid(plus + 1);
    if (sqliteSchemes().contains(url.m_scheme)) {
        url.m_backend = Backend::Sqlite;
    } else if (postgresSchemes().contains(url.m_scheme)) {
        url.m_backend = Backend::Postgres;
    } else {
        QString hint;
        if (url.m_scheme == QLatin1String("postgres"))
            hint = QStringLiteral(" (write postgresql://, as SQLAlchemy requires)");
        return fail(QStringLiteral("unsupported URL scheme \"%1\"%2; allowed: %3")
                        .arg(url.m_scheme, hint, supportedSchemes().join(QStringLiteral(", "))));
    }

    url.m_user = decode(m.captured(QStringLiteral("user")));
    url.m_hasPassword = m.capturedStart(QStringLiteral("password")) >= 0;
    url.m_password = decode(m.captured(QStringLiteral("password")));
    url.m_host = m.captured(QStringLiteral("ipv6"));
    if (url.m_host.isEmpty())
        url.m_host = decode(m.captured(QStringLiteral("host")));
    const QString port = m.captured(QStringLiteral("port"));
    if (!port.isEmpty()) {
        bool ok = false;
        const int value = port.toInt(&ok);
        if (!ok || value < 1 || value > 65535)
            return fail(QStringLiteral("malformed URL: port \"%1\" is not a number from 1 to 65535").arg(port));
        url.m_port = value;
    }
    url.m_database = decode(m.captured(QStringLiteral("database")));
    const QString query = m.captured(QStringLiteral("query"));
    if (!query.isEmpty()) {
        for (const QString &item : query.split(QLatin1Char('&'), Qt::SkipEmptyParts)) {
            const qsizetype eq = item.indexOf(QLatin1Char('='));
            const QString key = decode(eq < 0 ? item : item.left(eq));
            const QString value = eq < 0 ? QString() : decode(item.mid(eq + 1));
            url.m_query.append({key, value});
        }
    }

    if (url.m_backend == Backend::Sqlite) {
        if (!url.m_host.isEmpty() || !url.m_user.isEmpty() || url.m_port)
            return fail(QStringLiteral("malformed SQLite URL: it has a host or user; a SQLite URL is "
                                       "sqlite:///relative/path.db, sqlite:////absolute/path.db or "
                                       "sqlite:///:memory:"));
    } else if (url.m_database.isEmpty()) {
        return fail(QStringLiteral("malformed PostgreSQL URL: no database name; expected "
                                   "postgresql://user:pass@host:5432/dbname"));
    }
    return url;
}

QString DbUrl::queryValue(const QString &key) const
{
    for (const auto &item : m_query) {
        if (item.first == key)
            return item.second;
    }
    return {};
}

QString DbUrl::sqliteFilePath() const
{
    if (isMemory())
        return QStringLiteral(":memory:");
    return QDir::cleanPath(QDir::current().absoluteFilePath(m_database));
}

QString DbUrl::redacted() const
{
    QString out = m_scheme + QStringLiteral("://");
    if (!m_user.isEmpty() || m_hasPassword) {
        out += QString::fromUtf8(QUrl::toPercentEncoding(m_user));
        if (m_hasPassword)
            out += QStringLiteral(":***");
        out += QLatin1Char('@');
    }
    out += m_host.contains(QLatin1Char(':')) ? QLatin1Char('[') + m_host + QLatin1Char(']') : m_host;
    if (m_port)
        out += QLatin1Char(':') + QString::number(*m_port);
    if (m_backend == Backend::Postgres || !m_database.isEmpty())
        out += QLatin1Char('/') + m_database;
    QStringList items;
    for (const auto &item : m_query)
        items << item.first + QLatin1Char('=') + (isSecretKey(item.first) ? QStringLiteral("***") : item.second);
    if (!items.isEmpty())
        out += QLatin1Char('?') + items.join(QLatin1Char('&'));
    return out;
}

} // namespace dbdeck

#include "config/dburl.h"

#include "config/libpqparameters.h"
#include "config/pythontext.h"
#include "config/redactor.h"

#include <QJsonArray>
#include <QRegularExpression>

namespace dbdeck {

namespace {

const QStringList &sqliteSchemes()
{
    static const QStringList schemes{QStringLiteral("sqlite"), QStringLiteral("sqlite+pysqlite"),
                                     QStringLiteral("sqlite+aiosqlite")};
    return schemes;
}

const QStringList &postgresSchemes()
{
    static const QStringList schemes{QStringLiteral("postgresql"), QStringLiteral("postgresql+psycopg"),
                                     QStringLiteral("postgresql+psycopg2"), QStringLiteral("postgresql+asyncpg")};
    return schemes;
}

const QString &examples()
{
    static const QString text = QStringLiteral("expected e.g. sqlite:///./data/app.db or postgresql://user:pass@host:5432/db");
    return text;
}

// pysqlite's own connect() arguments that SQLAlchemy takes out of the query (the rest of a
// URI-mode query goes into the SQLite URI), with the Python type SQLAlchemy coerces them to.
enum class PyType { Bool, Float, Str, Int };
const QList<QPair<QString, PyType>> &pysqliteArguments()
{
    static const QList<QPair<QString, PyType>> args{
        {QStringLiteral("uri"), PyType::Bool},           {QStringLiteral("timeout"), PyType::Float},
        {QStringLiteral("isolation_level"), PyType::Str}, {QStringLiteral("detect_types"), PyType::Int},
        {QStringLiteral("check_same_thread"), PyType::Bool}, {QStringLiteral("cached_statements"), PyType::Int}};
    return args;
}

} // namespace

QStringList DbUrl::supportedSchemes()
{
    return sqliteSchemes() + postgresSchemes();
}

QString DbUrl::redactText(const QString &text)
{
    return Redactor::redactUrls(text);
}

std::optional<DbUrl> DbUrl::parse(const QString &text, QString *error)
{
    auto fail = [&](const QString &why) -> std::optional<DbUrl> {
        if (error)
            *error = Redactor::scrub(why); // a message may name a query key that holds a password
        return std::nullopt;
    };

    // SQLAlchemy's regular expression, applied with re.match: anchored at the start only, and
    // '.' in the query stops at a newline (what follows it is ignored, as SQLAlchemy ignores it).
    static const QRegularExpression pattern(QStringLiteral(
        "\\A(?<name>[\\w+]+)://"
        "(?:(?<username>[^:/]*)(?::(?<password>[^@]*))?@)?"
        "(?:(?:\\[(?<ipv6host>[^/?]+)\\]|(?<ipv4host>[^/:?]+))?(?::(?<port>[^/?]*))?)?"
        "(?:/(?<database>[^?]*))?"
        "(?:\\?(?<query>[^\\n]*))?"),
        QRegularExpression::UseUnicodePropertiesOption);

    if (text.isEmpty())
        return fail(QStringLiteral("the URL is empty; ") + examples());
    Redactor::rememberSecretsIn(text);
    const auto m = pattern.match(text);
    if (!m.hasMatch()) {
        if (!text.contains(QLatin1String("://")))
            return fail(QStringLiteral("malformed URL (no \"://\"); ") + examples());
        if (PythonText::isSpace(text.at(0)))
            return fail(QStringLiteral("malformed URL: it starts with white space, which SQLAlchemy does not accept"));
        return fail(QStringLiteral("malformed URL (SQLAlchemy cannot parse it); ") + examples());
    }
    const auto group = [&](const QString &name) -> std::optional<QString> {
        if (m.capturedStart(name) < 0)
            return std::nullopt;
        return m.captured(name);
    };

    DbUrl url;
    url.m_text = text;
    url.m_scheme = m.captured(QStringLiteral("name"));
    const qsizetype plus = url.m_scheme.indexOf(QLatin1Char('+'));
    url.m_driver = plus < 0 ? QString() : url.m_scheme.mid(plus + 1);

    if (const auto port = group(QStringLiteral("port"))) {
        const auto value = PythonText::toInt(*port);
        // The text is quoted only when it looks like a number: "user:secret/db" (no '@') puts the
        // password where SQLAlchemy looks for the port.
        static const QRegularExpression numberish(QStringLiteral("\\A[\\s+0-9_-]*\\z"));
        const QString shown = numberish.match(*port).hasMatch() ? QStringLiteral(" \"%1\"").arg(*port) : QString();
        if (!value)
            return fail(QStringLiteral("malformed URL: the port%1 is not a number (as written, the part after the "
                                       "host's ':' is the port; a password needs user:password@host)").arg(shown));
        url.m_port = *value;
    }
    bool malformed = false;
    if (const auto user = group(QStringLiteral("username"))) {
        url.m_user = PythonText::unquote(*user, &malformed);
        if (malformed)
            return fail(QStringLiteral("malformed URL: the user name has a '%' that is not followed by two hex digits "
                                       "(write a literal % as %25)"));
    }
    if (const auto password = group(QStringLiteral("password"))) {
        url.m_password = PythonText::unquote(*password, &malformed);
        url.m_passwordStart = m.capturedStart(QStringLiteral("password"));
        url.m_passwordLength = m.capturedLength(QStringLiteral("password"));
        if (malformed)
            return fail(QStringLiteral("malformed URL: the password has a '%' that is not followed by two hex digits "
                                       "(write a literal % as %25)"));
        Redactor::addSecret(*password);
        Redactor::addSecret(*url.m_password);
    }
    url.m_host = group(QStringLiteral("ipv4host"));
    if (!url.m_host)
        url.m_host = group(QStringLiteral("ipv6host"));
    url.m_database = group(QStringLiteral("database"));
    if (const auto query = group(QStringLiteral("query"))) {
        url.m_queryStart = m.capturedStart(QStringLiteral("query"));
        for (const auto &item : PythonText::parseQsl(*query)) {
            url.m_query.append({item.key, item.value, url.m_queryStart + item.valueStart, item.valueLength});
            // A query item that redaction masks (a "user:password" with no '@' reads as host and
            // query to SQLAlchemy): its key and value are secrets wherever they are shown.
            const qsizetype from = url.m_queryStart + item.keyStart, to = url.m_queryStart + item.valueStart + item.valueLength;
            for (const auto &[start, length] : Redactor::maskedSpans(text)) {
                if (!LibpqParameters::isSecret(item.key) && start < to && from < start + length) {
                    Redactor::addSecret(item.key);
                    Redactor::addSecret(item.value);
                }
            }
            if (item.malformed)
                return fail(QStringLiteral("malformed URL: the query parameter \"%1\" has a '%' that is not followed "
                                           "by two hex digits (write a literal % as %25)").arg(item.key));
            if (LibpqParameters::isSecret(item.key)) {
                Redactor::addSecret(item.value);
                Redactor::addSecret(query->mid(item.valueStart, item.valueLength));
            }
        }
    }

    if (sqliteSchemes().contains(url.m_scheme)) {
        url.m_backend = Backend::Sqlite;
    } else if (postgresSchemes().contains(url.m_scheme)) {
        url.m_backend = Backend::Postgres;
    } else {
        QString hint;
        const QString lower = url.m_scheme.toLower();
        if (supportedSchemes().contains(lower))
            hint = QStringLiteral(" (SQLAlchemy matches scheme names exactly: write %1://)").arg(lower);
        else if (lower == QLatin1String("postgres"))
            hint = QStringLiteral(" (write postgresql://, as SQLAlchemy requires)");
        else if (lower.startsWith(QLatin1String("postgresql+")) || lower.startsWith(QLatin1String("sqlite+")))
            hint = QStringLiteral(" (dbdeck connects through libpq and SQLite, which these drivers do not use)");
        return fail(QStringLiteral("unsupported URL scheme \"%1\"%2; allowed: %3")
                        .arg(Redactor::redactUrls(url.m_scheme), hint, supportedSchemes().join(QStringLiteral(", "))));
    }
    const bool ok = url.m_backend == Backend::Sqlite ? url.finishSqlite(error) : url.finishPostgres(error);
    if (!ok) {
        if (error)
            *error = Redactor::scrub(*error);
        return std::nullopt;
    }
    return url;
}

bool DbUrl::finishSqlite(QString *error)
{
    auto fail = [&](const QString &why) {
        if (error)
            *error = why;
        return false;
    };
    // pysqlite refuses a user name, password, host or port that Python deems true.
    if (!userName().isEmpty() || !password().isEmpty() || !host().isEmpty() || m_port.value_or(0) != 0)
        return fail(QStringLiteral("malformed SQLite URL: it has a host, user, password or port; a SQLite URL is "
                                   "sqlite:///relative/path.db, sqlite:////absolute/path.db or sqlite:///:memory:"));
    QStringList seen;
    for (const Item &item : std::as_const(m_query)) {
        if (seen.contains(item.key))
            return fail(QStringLiteral("the URL repeats the query parameter \"%1\"; give it once").arg(item.key));
        seen << item.key;
    }
    QList<QPair<QString, QString>> uriParameters;
    for (const Item &item : std::as_const(m_query)) {
        PyType type = PyType::Str;
        bool pysqlite = false;
        for (const auto &[name, t] : pysqliteArguments()) {
            if (name == item.key) {
                pysqlite = true;
                type = t;
            }
        }
        if (!pysqlite) {
            uriParameters.append({item.key, item.value});
            continue;
        }
        const bool valid = type == PyType::Str || (type == PyType::Bool && PythonText::asBool(item.value))
                           || (type == PyType::Float && PythonText::toFloat(item.value))
                           || (type == PyType::Int && PythonText::toInt(item.value));
        if (!valid)
            return fail(QStringLiteral("the URL's %1=%2 is not a %3, as SQLAlchemy requires")
                            .arg(item.key, item.value,
                                 type == PyType::Bool ? QStringLiteral("boolean (true/false, yes/no, on/off, 1/0)")
                                 : type == PyType::Float ? QStringLiteral("number") : QStringLiteral("whole number")));
        if (item.key == QLatin1String("uri"))
            m_sqliteUri = *PythonText::asBool(item.value);
    }
    if (m_sqliteUri) {
        if (!m_database)
            return fail(QStringLiteral("a SQLite URL with uri=true needs a file name: sqlite:///file:path.db?uri=true"));
        std::sort(uriParameters.begin(), uriParameters.end());
        QStringList items;
        for (const auto &[key, value] : uriParameters)
            items << key + QLatin1Char('=') + value; // decoded, as SQLAlchemy joins them
        m_sqliteOpenName = *m_database + (items.isEmpty() ? QString() : QLatin1Char('?') + items.join(QLatin1Char('&')));
        QString why;
        const auto reading = SqliteUri::parse(m_sqliteOpenName, &why);
        if (!reading)
            return fail(why);
        m_uriReading = *reading;
        m_memory = m_uriReading.isMemory();
        m_sqliteFilePath = m_memory ? QStringLiteral(":memory:") : PythonText::absPath(m_uriReading.path());
    } else {
        const QString name = m_database.value_or(QString());
        m_memory = name.isEmpty() || name == QLatin1String(":memory:");
        m_sqliteOpenName = m_memory ? QStringLiteral(":memory:") : PythonText::absPath(name);
        m_sqliteFilePath = m_sqliteOpenName;
    }
    if (m_sqliteOpenName.contains(QChar(0)))
        return fail(QStringLiteral("the SQLite file name contains a NUL character, which no file name can hold"));
    return true;
}

bool DbUrl::finishPostgres(QString *error)
{
    if (m_port && (*m_port < 1 || *m_port > 65535)) {
        if (error)
            *error = QStringLiteral("malformed URL: the port %1 is not a number from 1 to 65535").arg(*m_port);
        return false;
    }
    const auto parameters = LibpqParameters::fromUrl(*this, error);
    if (!parameters)
        return false;
    m_libpq = *parameters;
    return true;
}

QList<QPair<QString, QString>> DbUrl::queryItems() const
{
    QList<QPair<QString, QString>> items;
    for (const Item &item : m_query)
        items.append({item.key, item.value});
    return items;
}

QString DbUrl::queryValue(const QString &key) const
{
    for (const Item &item : m_query) {
        if (item.key == key)
            return item.value;
    }
    return {};
}

QString DbUrl::redacted() const
{
    // Replace from the end so that earlier positions stay valid.
    QList<QPair<qsizetype, qsizetype>> spans;
    if (m_passwordStart >= 0 && m_passwordLength > 0)
        spans.append({m_passwordStart, m_passwordLength});
    for (const Item &item : m_query) {
        if (LibpqParameters::isSecret(item.key))
            spans.append({item.valueStart, item.valueLength});
    }
    std::sort(spans.begin(), spans.end());
    QString out = m_text;
    for (auto it = spans.crbegin(); it != spans.crend(); ++it)
        out.replace(it->first, it->second, QStringLiteral("***"));
    return Redactor::redactUrls(out);
}

QJsonObject DbUrl::describe() const
{
    const auto optional = [](const std::optional<QString> &v) { return v ? QJsonValue(Redactor::scrub(*v)) : QJsonValue(); };
    QJsonArray query;
    for (const Item &item : m_query)
        query.append(QJsonArray{Redactor::scrub(item.key), LibpqParameters::isSecret(item.key) ? QStringLiteral("***")
                                                                                              : Redactor::scrub(item.value)});
    QJsonObject parts{{QStringLiteral("drivername"), Redactor::scrub(m_scheme)},
                      {QStringLiteral("username"), optional(m_user)},
                      {QStringLiteral("password"), m_password ? QJsonValue(QStringLiteral("***")) : QJsonValue()},
                      {QStringLiteral("host"), optional(m_host)},
                      {QStringLiteral("port"), m_port ? QJsonValue(double(*m_port)) : QJsonValue()},
                      {QStringLiteral("database"), optional(m_database)},
                      {QStringLiteral("query"), query}};
    if (m_backend == Backend::Sqlite) {
        parts.insert(QStringLiteral("sqlite"), QJsonObject{{QStringLiteral("open_name"), Redactor::scrub(m_sqliteOpenName)},
                                                            {QStringLiteral("uri"), m_sqliteUri},
                                                            {QStringLiteral("file"), m_sqliteFilePath},
                                                            {QStringLiteral("memory"), m_memory},
                                                            {QStringLiteral("read_only_by_url"), sqliteReadOnlyByUrl()}});
    } else {
        QJsonObject libpq;
        for (const auto &[key, value] : m_libpq)
            libpq.insert(Redactor::scrub(key), LibpqParameters::isSecret(key) ? QStringLiteral("***") : Redactor::scrub(value));
        parts.insert(QStringLiteral("libpq"), libpq);
    }
    return parts;
}

} // namespace dbdeck

#include "config/sqliteuri.h"

#include <QByteArray>
#include <QList>

namespace dbdeck {

namespace {

int hexDigit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// SQLite decodes %HH in the path and in parameters (no '+' rule); a '%' without two hex
// digits stays as it is.
QString sqliteDecode(const QByteArray &raw)
{
    QByteArray out;
    for (qsizetype i = 0; i < raw.size(); ++i) {
        if (raw.at(i) == '%' && i + 2 < raw.size() && hexDigit(raw.at(i + 1)) >= 0 && hexDigit(raw.at(i + 2)) >= 0) {
            out.append(char(hexDigit(raw.at(i + 1)) * 16 + hexDigit(raw.at(i + 2))));
            i += 2;
        } else {
            out.append(raw.at(i));
        }
    }
    return QString::fromUtf8(out);
}

// sqlite3_uri_boolean(): yes/true/on or a non-zero number.
bool uriBoolean(const QString &value)
{
    const QString v = value.toLower();
    if (v == QLatin1String("yes") || v == QLatin1String("true") || v == QLatin1String("on"))
        return true;
    qsizetype digits = 0;
    while (digits < v.size() && v.at(digits).isDigit())
        ++digits;
    return digits > 0 && v.left(digits).toLongLong() != 0;
}

} // namespace

bool SqliteUri::isUri(const QString &name)
{
    return name.startsWith(QLatin1String("file:"), Qt::CaseInsensitive);
}

std::optional<SqliteUri> SqliteUri::parse(const QString &name, QString *error)
{
    auto fail = [&](const QString &why) -> std::optional<SqliteUri> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    SqliteUri uri;
    if (!isUri(name)) {
        uri.m_path = name;
        return uri;
    }
    QByteArray rest = name.mid(5).toUtf8();
    if (rest.startsWith("//")) {
        const qsizetype slash = rest.indexOf('/', 2);
        const QByteArray authority = rest.mid(2, slash < 0 ? -1 : slash - 2);
        if (!authority.isEmpty() && authority != "localhost")
            return fail(QStringLiteral("SQLite refuses the URI authority \"%1\" (only an empty one or "
                                       "\"localhost\" is allowed)").arg(QString::fromUtf8(authority)));
        rest = slash < 0 ? QByteArray() : rest.mid(slash);
    }
    const qsizetype hash = rest.indexOf('#');
    if (hash >= 0)
        rest.truncate(hash);
    const qsizetype question = rest.indexOf('?');
    uri.m_path = sqliteDecode(question < 0 ? rest : rest.left(question));
    if (question >= 0) {
        for (const QByteArray &item : rest.mid(question + 1).split('&')) {
            const qsizetype eq = item.indexOf('=');
            const QString key = sqliteDecode(eq < 0 ? item : item.left(eq));
            const QString value = eq < 0 ? QString() : sqliteDecode(item.mid(eq + 1));
            if (key == QLatin1String("mode")) {
                if (value != QLatin1String("ro") && value != QLatin1String("rw") && value != QLatin1String("rwc")
                    && value != QLatin1String("memory"))
                    return fail(QStringLiteral("SQLite has no access mode \"%1\" (mode is ro, rw, rwc or memory)").arg(value));
                uri.m_mode = value;
            } else if (key == QLatin1String("immutable")) {
                uri.m_immutable = uriBoolean(value);
            }
        }
    }
    return uri;
}

} // namespace dbdeck

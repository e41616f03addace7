#include "config/libpqparameters.h"

#include "config/dburl.h"
#include "config/pythontext.h"

#include <QRegularExpression>

namespace dbdeck {

namespace {

using Parameters = QList<QPair<QString, QString>>;

void setParameter(Parameters &list, const QString &key, const QString &value)
{
    // A Python dict update: an existing key keeps its place and takes the new value.
    for (auto &item : list) {
        if (item.first == key) {
            item.second = value;
            return;
        }
    }
    list.append({key, value});
}

QString valueOf(const Parameters &list, const QString &key)
{
    for (const auto &item : list) {
        if (item.first == key)
            return item.second;
    }
    return {};
}

} // namespace

bool LibpqParameters::isSecret(const QString &key)
{
    return key == QLatin1String("password") || key == QLatin1String("sslpassword");
}

std::optional<Parameters> LibpqParameters::fromUrl(const DbUrl &url, QString *error)
{
    auto fail = [&](const QString &why) -> std::optional<Parameters> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    const auto query = url.queryItems();
    QStringList hostValues, portValues;
    QStringList seen;
    for (const auto &[key, value] : query) {
        if (key == QLatin1String("host"))
            hostValues << value;
        else if (key == QLatin1String("port"))
            portValues << value;
        else if (seen.contains(key))
            return fail(QStringLiteral("the URL repeats the query parameter \"%1\"; give it once").arg(key));
        seen << key;
    }

    // Several hosts: host=h1,h2&port=p1,p2, or host=h1:p1&host=h2:p2 (SQLAlchemy 2.0's rules).
    std::optional<QStringList> hosts;
    std::optional<QList<std::optional<QString>>> portTexts;
    bool integrated = false;
    if (hostValues.size() > 1) {
        integrated = true;
        QStringList h;
        QList<std::optional<QString>> p;
        for (const QString &token : std::as_const(hostValues)) {
            const QStringList pieces = token.split(QLatin1Char(':'));
            if (pieces.size() > 2)
                return fail(QStringLiteral("the URL's host=%1 has more than one ':'; give host:port").arg(token));
            h << pieces.first();
            p << (pieces.size() == 2 ? std::optional<QString>(pieces.at(1)) : std::nullopt);
        }
        hosts = h;
        portTexts = p;
    } else if (hostValues.size() == 1) {
        hosts = hostValues.first().split(QLatin1Char(','));
        static const QRegularExpression hostPort(QStringLiteral("\\A([a-zA-Z0-9\\-.]*)(?::([0-9]*))?\\z"));
        if (portValues.isEmpty() && hosts->size() == 1 && hosts->first().contains(QLatin1Char(':'))) {
            const auto m = hostPort.match(hosts->first());
            if (m.hasMatch()) {
                integrated = true;
                hosts = QStringList{m.captured(1)};
                const QString p = m.captured(2);
                portTexts = QList<std::optional<QString>>{p.isEmpty() ? std::nullopt : std::optional<QString>(p)};
            }
        }
    }
    if (!portValues.isEmpty()) {
        if (integrated)
            return fail(QStringLiteral("the URL mixes the two ways of giving several hosts; use "
                                       "host=h1,h2,h3&port=p1,p2,p3 or host=h1:p1&host=h2:p2&host=h3:p3"));
        QList<std::optional<QString>> p;
        for (const QString &text : portValues.size() > 1 ? portValues : portValues.first().split(QLatin1Char(',')))
            p << std::optional<QString>(text);
        portTexts = p;
    }
    std::optional<QList<std::optional<qlonglong>>> ports;
    if (portTexts && !portTexts->isEmpty()) {
        QList<std::optional<qlonglong>> p;
        for (const auto &text : std::as_const(*portTexts)) {
            if (!text || text->isEmpty()) {
                p << std::nullopt;
                continue;
            }
            const auto number = PythonText::toInt(*text);
            if (!number)
                return fail(QStringLiteral("the URL's port \"%1\" is not a number").arg(*text));
            p << number;
        }
        ports = p;
    }
    if (ports && ((!hosts && ports->size() > 1)
                  || (hosts && hosts->size() != ports->size() && (hosts->size() > 1 || ports->size() > 1))))
        return fail(QStringLiteral("the URL gives %1 hosts but %2 ports; give one port per host or none")
                        .arg(hosts ? hosts->size() : 0).arg(ports->size()));
    if (hosts && !ports)
        ports = QList<std::optional<qlonglong>>(hosts->size());

    // translate_connect_args(username="user", database="dbname"): only parts Python deems true.
    Parameters out;
    if (!url.host().isEmpty())
        out.append({QStringLiteral("host"), url.host()});
    if (!url.database().isEmpty())
        out.append({QStringLiteral("dbname"), url.database()});
    if (!url.userName().isEmpty())
        out.append({QStringLiteral("user"), url.userName()});
    if (!url.password().isEmpty())
        out.append({QStringLiteral("password"), url.password()});
    if (url.portPart().value_or(0) != 0)
        out.append({QStringLiteral("port"), QString::number(*url.portPart())});
    for (const auto &[key, value] : query) {
        if (key == QLatin1String("database")) { // psycopg2 reads database= as dbname=
            if (!valueOf(out, QStringLiteral("dbname")).isEmpty())
                return fail(QStringLiteral("the URL gives the database name twice (in the path and as database=); "
                                           "psycopg2 refuses that"));
            setParameter(out, QStringLiteral("dbname"), value);
        } else {
            setParameter(out, key, value);
        }
    }
    if (hosts && !hosts->isEmpty()) {
        setParameter(out, QStringLiteral("host"), hosts->join(QLatin1Char(',')));
        QStringList commaPorts;
        for (const auto &p : std::as_const(*ports))
            commaPorts << (p && *p ? QString::number(*p) : QString());
        const QString joined = commaPorts.join(QLatin1Char(','));
        if (!joined.isEmpty())
            setParameter(out, QStringLiteral("port"), joined);
    }
    for (const auto &[key, value] : std::as_const(out)) {
        if (value.contains(QLatin1Char(';')))
            return fail(QStringLiteral("the URL's %1 contains a ';', which Qt's PostgreSQL driver cannot pass to "
                                       "libpq (it turns every ';' of the connection options into a space)")
                            .arg(key));
    }
    return out;
}

QString LibpqParameters::connectOptions(const Parameters &parameters)
{
    QStringList items;
    for (const auto &[key, value] : parameters) {
        QString quoted = value;
        quoted.replace(QLatin1Char('\\'), QStringLiteral("\\\\")).replace(QLatin1Char('\''), QStringLiteral("\\'"));
        items << key + QStringLiteral("='") + quoted + QLatin1Char('\'');
    }
    return items.join(QLatin1Char(' '));
}

QString LibpqParameters::describeTarget(const Parameters &parameters)
{
    // host:port/dbname with libpq's defaults filled in, as people write it.
    const QString host = valueOf(parameters, QStringLiteral("host"));
    const QString port = valueOf(parameters, QStringLiteral("port"));
    const QString db = valueOf(parameters, QStringLiteral("dbname"));
    return QStringLiteral("%1:%2/%3")
        .arg(host.isEmpty() ? QStringLiteral("localhost") : host, port.isEmpty() ? QStringLiteral("5432") : port,
             db.isEmpty() ? QStringLiteral("(the user name)") : db);
}

} // namespace dbdeck

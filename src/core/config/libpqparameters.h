#pragma once

#include <QList>
#include <QPair>
#include <QString>

#include <optional>

namespace dbdeck {

class DbUrl;

// The libpq connection key words of a PostgreSQL URL, as SQLAlchemy 2.0's psycopg dialects build
// them (URL parts first, then every query parameter, which wins; host=h1,h2&port=p1,p2 or
// host=h1:p1&host=h2:p2 for several hosts) and psycopg2 hands them to libpq. libpq itself checks
// the key words when connecting, as it does for the application.
class LibpqParameters
{
public:
    static std::optional<QList<QPair<QString, QString>>> fromUrl(const DbUrl &url, QString *error);
    // The key words whose values are secrets (libpq shows them with dispchar '*').
    static bool isSecret(const QString &key);
    // key='value' pairs for QSqlDatabase::setConnectOptions (QPSQL appends them to the conninfo
    // as they are, after turning every ';' into a space: values are quoted here, and a value with
    // ';' cannot be passed at all, which fromUrl refuses).
    static QString connectOptions(const QList<QPair<QString, QString>> &parameters);
    // "host:port/dbname" for messages, libpq's defaults filled in ("h1,h2:5432,5433/app").
    static QString describeTarget(const QList<QPair<QString, QString>> &parameters);
};

} // namespace dbdeck

#include "db/sqlitebackup.h"

#include "db/database.h"
#include "db/errors.h"

#include <QSqlQuery>
#include <QStringList>

#include <sqlite3.h>

namespace dbdeck {

namespace {

// A connection of the C API of its own, closed however the backup ends.
class Connection
{
public:
    Connection(const QString &name, bool uri, int busyTimeoutMs)
    {
        m_rc = sqlite3_open_v2(name.toUtf8().constData(), &m_db, SQLITE_OPEN_READONLY | (uri ? SQLITE_OPEN_URI : 0), nullptr);
        if (m_rc == SQLITE_OK)
            sqlite3_busy_timeout(m_db, busyTimeoutMs);
    }
    ~Connection() { sqlite3_close_v2(m_db); }
    Connection(const Connection &) = delete;
    Connection &operator=(const Connection &) = delete;

    bool opened() const { return m_rc == SQLITE_OK; }
    QString error() const { return m_db ? QString::fromUtf8(sqlite3_errmsg(m_db)) : QStringLiteral("out of memory"); }

    // Runs sql (binding text, if given); the first column of every row, as text.
    QStringList run(const QString &sql, const QString &text = {}, int *rc = nullptr)
    {
        QStringList rows;
        sqlite3_stmt *statement = nullptr;
        int result = sqlite3_prepare_v2(m_db, sql.toUtf8().constData(), -1, &statement, nullptr);
        const QByteArray bound = text.toUtf8();
        if (result == SQLITE_OK && !text.isNull())
            sqlite3_bind_text(statement, 1, bound.constData(), int(bound.size()), SQLITE_STATIC);
        if (result == SQLITE_OK) {
            while ((result = sqlite3_step(statement)) == SQLITE_ROW)
                rows << QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(statement, 0)));
        }
        if (result == SQLITE_DONE)
            result = SQLITE_OK;
        sqlite3_finalize(statement);
        if (rc)
            *rc = result;
        return rows;
    }

private:
    sqlite3 *m_db = nullptr;
    int m_rc = SQLITE_OK;
};

// Ordinary tables only: a virtual table's module may not be loaded in the connection that counts.
const char *kTables = "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
                      " AND sql NOT LIKE 'CREATE VIRTUAL%'";

} // namespace

BackupResult SqliteBackup::write(Database &db, const QString &path)
{
    const DbUrl &url = db.config().url();
    const auto failed = [&](const QString &what, const QString &why) {
        return DbError(QStringLiteral("the backup %1 %2: %3; nothing was changed and no backup was kept").arg(path, what, why));
    };

    // The counts inside the caller's write transaction: exactly what the copy must hold.
    QHash<QString, qint64> counts;
    QSqlQuery tables = db.exec(QString::fromLatin1(kTables));
    QStringList names;
    while (tables.next())
        names << tables.value(0).toString();
    tables.finish();
    for (const QString &name : std::as_const(names))
        counts.insert(name, db.scalar(QStringLiteral("SELECT count(*) FROM %1").arg(DatabaseBackup::quoted(name))).toLongLong());

    {
        // Opened as the application opens it (a URI-mode URL as a URI), read-only.
        Connection source(url.sqliteOpenName(), url.sqliteUri(), db.config().busyTimeoutMs());
        if (!source.opened())
            throw failed(QStringLiteral("could not be written"), source.error());
        int rc = SQLITE_OK;
        source.run(QStringLiteral("VACUUM INTO ?1"), path, &rc);
        if (rc != SQLITE_OK)
            throw failed(QStringLiteral("could not be written"), source.error());
    }

    Connection copy(path, false, db.config().busyTimeoutMs());
    if (!copy.opened())
        throw failed(QStringLiteral("could not be opened to verify it"), copy.error());
    int rc = SQLITE_OK;
    const QStringList integrity = copy.run(QStringLiteral("PRAGMA integrity_check"), {}, &rc);
    if (rc != SQLITE_OK)
        throw failed(QStringLiteral("could not be verified"), copy.error());
    if (integrity != QStringList{QStringLiteral("ok")})
        throw failed(QStringLiteral("failed its integrity check"), integrity.join(QStringLiteral("; ")));
    QHash<QString, qint64> copied;
    for (const QString &name : copy.run(QString::fromLatin1(kTables))) {
        const QStringList count = copy.run(QStringLiteral("SELECT count(*) FROM %1").arg(DatabaseBackup::quoted(name)), {}, &rc);
        if (rc != SQLITE_OK || count.size() != 1)
            throw failed(QStringLiteral("could not be verified"), copy.error());
        copied.insert(name, count.first().toLongLong());
    }
    return DatabaseBackup::requireSameCounts(counts, copied, path);
}

} // namespace dbdeck

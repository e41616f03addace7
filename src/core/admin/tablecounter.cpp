#include "admin/tablecounter.h"

#include "db/database.h"
#include "db/errors.h"
#include "db/statementinterrupter.h"
#include "migrate/schemaownership.h"

namespace dbdeck {

TableCounter::TableCounter(Database &db) : m_db(db) {}

TableCounter::~TableCounter() = default;

QString TableCounter::quoteIdentifier(const QString &name)
{
    return QLatin1Char('"') + QString(name).replace(QLatin1Char('"'), QStringLiteral("\"\"")) + QLatin1Char('"');
}

QStringList TableCounter::tables()
{
    QStringList names;
    QSqlQuery q = m_db.backend() == Backend::Sqlite
        ? m_db.exec(QStringLiteral("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"))
        : m_db.exec(QStringLiteral("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
                                   " AND table_type = 'BASE TABLE' ORDER BY table_name"));
    while (q.next())
        names << q.value(0).toString();
    return names;
}

QList<TableCount> TableCounter::count(const std::function<void(int, int, const QString &)> &progress)
{
    m_cancelled = false;
    m_counted.clear();
    const QStringList names = tables();
    {
        QMutexLocker lock(&m_mutex);
        m_interrupter = std::make_unique<StatementInterrupter>(m_db);
    }
    const auto clear = qScopeGuard([this] {
        QMutexLocker lock(&m_mutex);
        m_interrupter.reset();
    });
    for (int i = 0; i < names.size(); ++i) {
        if (m_cancelled)
            throw CancelledError(QStringLiteral("cancelled: counted %1 of %2 tables").arg(i).arg(names.size()));
        if (progress)
            progress(i, int(names.size()), names.at(i));
        TableCount c;
        c.table = names.at(i);
        c.owner = SchemaOwnership::ownerOf(c.table);
        c.dbdeckOwned = c.owner == QLatin1String("dbdeck");
        if (m_db.backend() == Backend::Postgres) {
            // Cheap and available at once, even when the exact count of a huge table takes long.
            const QVariant estimate = m_db.scalar(QStringLiteral("SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(?)"),
                                                  {quoteIdentifier(c.table)});
            if (!estimate.isNull() && estimate.toLongLong() >= 0)
                c.estimate = estimate.toLongLong();
        }
        c.rows = m_db.scalar(QStringLiteral("SELECT count(*) FROM ") + quoteIdentifier(c.table)).toLongLong();
        c.indexes = m_db.backend() == Backend::Sqlite
            ? m_db.scalar(QStringLiteral("SELECT count(*) FROM pragma_index_list(?)"), {c.table}).toInt()
            : m_db.scalar(QStringLiteral("SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema() AND tablename = ?"), {c.table}).toInt();
        m_counted.append(c);
    }
    if (progress)
        progress(int(names.size()), int(names.size()), QString());
    return m_counted;
}

void TableCounter::cancel()
{
    m_cancelled = true;
    QMutexLocker lock(&m_mutex);
    if (m_interrupter)
        m_interrupter->interrupt();
}

} // namespace dbdeck

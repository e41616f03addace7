#include "admin/healthcheck.h"

#include "db/database.h"
#include "db/errors.h"
#include "db/statementinterrupter.h"

namespace dbdeck {

HealthCheck::HealthCheck(Database &db) : m_db(db) {}

HealthCheck::~HealthCheck() = default;

QStringList HealthCheck::run(const QString &sql, int columns)
{
    {
        QMutexLocker lock(&m_mutex);
        m_interrupter = std::make_unique<StatementInterrupter>(m_db);
    }
    const auto clear = qScopeGuard([this] {
        QMutexLocker lock(&m_mutex);
        m_interrupter.reset();
    });
    QStringList lines;
    QSqlQuery q = m_db.exec(sql);
    while (q.next()) {
        QStringList parts;
        for (int i = 0; i < columns; ++i)
            parts << q.value(i).toString();
        lines << parts.join(QStringLiteral(" | "));
    }
    return lines;
}

QStringList HealthCheck::integrityCheck()
{
    if (m_db.backend() != Backend::Sqlite)
        return {};
    try {
        QStringList lines = run(QStringLiteral("PRAGMA integrity_check"), 1);
        if (lines == QStringList{QStringLiteral("ok")})
            lines.clear();
        return lines;
    } catch (const DbError &error) {
        if (!isCorruption(error))
            throw;
        return {QStringLiteral("the integrity check could not finish: %1").arg(error.message())};
    }
}

QStringList HealthCheck::foreignKeyCheck()
{
    if (m_db.backend() != Backend::Sqlite)
        return {};
    QStringList lines;
    try {
        for (const QString &line : run(QStringLiteral("SELECT \"table\", rowid, parent, fkid FROM pragma_foreign_key_check"), 4)) {
            const QStringList p = line.split(QStringLiteral(" | "));
            lines << QStringLiteral("%1 row %2 refers to a missing row in %3").arg(p.value(0), p.value(1), p.value(2));
        }
    } catch (const DbError &error) {
        // A damaged page the check runs into is its finding, not a failure of the check.
        if (!isCorruption(error))
            throw;
        lines << QStringLiteral("the foreign key check could not finish: %1").arg(error.message());
    }
    return lines;
}

QList<CriticalIndex> HealthCheck::criticalIndexes()
{
    QList<CriticalIndex> wanted{
        {QStringLiteral("runs"), {QStringLiteral("created_at")}, QStringLiteral("recent runs"), {}},
        {QStringLiteral("runs"), {QStringLiteral("status"), QStringLiteral("created_at")}, QStringLiteral("runs by status"), {}},
        {QStringLiteral("events"), {QStringLiteral("created_at")}, QStringLiteral("recent events"), {}},
        {QStringLiteral("events"), {QStringLiteral("run_id"), QStringLiteral("seq")}, QStringLiteral("a run's events in order"), {}},
    };
    for (CriticalIndex &index : wanted) {
        index.tableExists = m_db.hasTable(index.table);
        if (!index.tableExists)
            continue;
        // Every index of the table with its columns in order, "name" -> "col1,col2".
        QList<QPair<QString, QStringList>> indexes;
        if (m_db.backend() == Backend::Sqlite) {
            QSqlQuery list = m_db.exec(QStringLiteral("SELECT name FROM pragma_index_list(?)"), {index.table});
            QStringList names;
            while (list.next())
                names << list.value(0).toString();
            for (const QString &name : std::as_const(names)) {
                QSqlQuery info = m_db.exec(QStringLiteral("SELECT name FROM pragma_index_info(?) ORDER BY seqno"), {name});
                QStringList columns;
                while (info.next())
                    columns << info.value(0).toString();
                indexes.append({name, columns});
            }
        } else {
            QSqlQuery q = m_db.exec(QStringLiteral(
                "SELECT i.relname, (SELECT string_agg(a.attname, ',' ORDER BY k.ord) FROM unnest(x.indkey) WITH ORDINALITY k(attnum, ord)"
                " JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum)"
                " FROM pg_index x JOIN pg_class t ON t.oid = x.indrelid JOIN pg_class i ON i.oid = x.indexrelid"
                " JOIN pg_namespace n ON n.oid = t.relnamespace WHERE t.relname = ? AND n.nspname = current_schema()"),
                {index.table});
            while (q.next())
                indexes.append({q.value(0).toString(), q.value(1).toString().split(QLatin1Char(','))});
        }
        for (const auto &[name, columns] : std::as_const(indexes)) {
            if (columns.mid(0, index.columns.size()) == index.columns) {
                index.foundName = name;
                break;
            }
        }
    }
    return wanted;
}

QString HealthCheck::integrityNotChecked() const
{
    if (m_db.backend() == Backend::Sqlite)
        return {};
    return QStringLiteral("not checked on PostgreSQL (dbdeck runs SQLite's PRAGMA integrity_check; the server has no "
                          "equivalent: use pg_amcheck for its indexes and tables)");
}

QString HealthCheck::foreignKeysNotChecked() const
{
    if (m_db.backend() == Backend::Sqlite)
        return {};
    return QStringLiteral("not checked on PostgreSQL (the server enforces foreign keys as rows are written)");
}

QStringList HealthCheck::missingTables(const QList<CriticalIndex> &indexes)
{
    QStringList tables;
    for (const CriticalIndex &i : indexes) {
        if (!i.tableExists && !tables.contains(i.table))
            tables << i.table;
    }
    return tables;
}

bool HealthCheck::isCorruption(const DbError &error) const
{
    if (m_db.backend() != Backend::Sqlite)
        return false;
    bool ok = false;
    const int code = error.nativeCode().toInt(&ok);
    return ok && ((code & 0xff) == 11 || (code & 0xff) == 26); // SQLITE_CORRUPT, SQLITE_NOTADB
}

void HealthCheck::cancel()
{
    QMutexLocker lock(&m_mutex);
    if (m_interrupter)
        m_interrupter->interrupt();
}

} // namespace dbdeck

#pragma once

#include <QList>
#include <QMutex>
#include <QString>

#include <memory>

#include <atomic>
#include <functional>

namespace dbdeck {

class Database;
class StatementInterrupter;

struct TableCount
{
    QString table;
    qint64 rows = 0;
    int indexes = 0;
    bool dbdeckOwned = false; // one of dbdeck's own tables (dbdeck_*)
    QString owner = {};       // "dbdeck", "Alembic" (alembic_version) or "application" (SchemaOwnership::ownerOf; empty: from the name)
    qint64 estimate = -1;     // PostgreSQL: the planner's estimate (pg_class.reltuples), -1 if none
};

// Counts the rows and indexes of every table. Exact counts scan the table, which takes a while on
// big ones, so count() reports progress per table and can be cancelled from another thread:
// cancel() interrupts the running statement and count() throws CancelledError.
class TableCounter
{
public:
    explicit TableCounter(Database &db);
    ~TableCounter();

    QStringList tables(); // user tables, by name (sqlite_* internals excluded)
    QList<TableCount> count(const std::function<void(int done, int total, const QString &table)> &progress = {});
    // Thread-safe; safe to call when nothing is running.
    void cancel();
    // The tables count() finished, also after it was cancelled or failed part-way.
    QList<TableCount> counted() const { return m_counted; }

    static QString quoteIdentifier(const QString &name);

private:
    Database &m_db;
    std::atomic_bool m_cancelled{false};
    QMutex m_mutex;
    std::unique_ptr<StatementInterrupter> m_interrupter; // while count() runs
    QList<TableCount> m_counted;
};

} // namespace dbdeck

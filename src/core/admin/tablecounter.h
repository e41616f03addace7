#pragma once

#include <QList>
#include <QMutex>
#include <QString>

#include <atomic>
#include <functional>

struct sqlite3;

namespace dbdeck {

class Database;

struct TableCount
{
    QString table;
    qint64 rows = 0;
    int indexes = 0;
    bool dbdeckOwned = false; // one of dbdeck's own tables (dbdeck_*)
    qint64 estimate = -1;     // PostgreSQL: the planner's estimate (pg_class.reltuples), -1 if none
};

// Counts the rows and indexes of every table. Exact counts scan the table, which takes a while on
// big ones, so count() reports progress per table and can be cancelled from another thread:
// cancel() interrupts the running statement (sqlite3_interrupt) and count() throws CancelledError.
class TableCounter
{
public:
    explicit TableCounter(Database &db);

    QStringList tables(); // user tables, by name (sqlite_* internals excluded)
    QList<TableCount> count(const std::function<void(int done, int total, const QString &table)> &progress = {});
    // Thread-safe; safe to call when nothing is running.
    void cancel();

    static QString quoteIdentifier(const QString &name);

private:
    Database &m_db;
    std::atomic_bool m_cancelled{false};
    QMutex m_handleMutex;
    sqlite3 *m_running = nullptr;
};

} // namespace dbdeck

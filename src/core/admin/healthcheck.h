#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include <QMutex>

#include <memory>

namespace dbdeck {

class Database;
class StatementInterrupter;

// An index the application's queries need, and whether the database has it.
struct CriticalIndex
{
    QString table;
    QStringList columns; // leading columns an index must start with
    QString purpose;     // "recent runs", ...
    QString foundName;   // the index that serves it; empty when missing
    bool present() const { return !foundName.isEmpty(); }
};

// Integrity and foreign-key checks on demand (cancellable from another thread: cancel()
// interrupts the running statement), and the presence of the indexes the inspector's queries use.
class HealthCheck
{
public:
    explicit HealthCheck(Database &db);
    ~HealthCheck();

    // PRAGMA integrity_check: empty when the database is sound, else SQLite's findings.
    QStringList integrityCheck();
    // PRAGMA foreign_key_check: one line per dangling reference.
    QStringList foreignKeyCheck();
    QList<CriticalIndex> criticalIndexes();
    void cancel();

private:
    QStringList run(const QString &sql, int columns);

    Database &m_db;
    QMutex m_mutex;
    std::unique_ptr<StatementInterrupter> m_interrupter; // while a check runs
};

} // namespace dbdeck

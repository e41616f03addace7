#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include <QMutex>

#include <memory>

namespace dbdeck {

class Database;
class DbError;
class StatementInterrupter;

// An index the application's queries need, and whether the database has it.
struct CriticalIndex
{
    QString table;
    QStringList columns; // leading columns an index must start with
    QString purpose;     // "recent runs", ...
    QString foundName;   // the index that serves it; empty when missing
    bool tableExists = true; // false: the application's table is not there (not migrated yet)
    bool present() const { return !foundName.isEmpty(); }
    // A failure of this database: its table is there without the index.
    bool missing() const { return tableExists && foundName.isEmpty(); }
};

// Integrity and foreign-key checks on demand (cancellable from another thread: cancel()
// interrupts the running statement), and the presence of the indexes the inspector's queries use.
class HealthCheck
{
public:
    explicit HealthCheck(Database &db);
    ~HealthCheck();

    // PRAGMA integrity_check: empty when the database is sound, else SQLite's findings. A
    // damaged file that makes a check fail (SQLITE_CORRUPT) is reported as a finding too.
    QStringList integrityCheck();
    // PRAGMA foreign_key_check: one line per dangling reference.
    QStringList foreignKeyCheck();
    QList<CriticalIndex> criticalIndexes();
    void cancel();

    // Why integrityCheck() / foreignKeyCheck() check nothing on this backend (PostgreSQL), or
    // empty when they run: a check that was not run is never reported as "ok".
    QString integrityNotChecked() const;
    QString foreignKeysNotChecked() const;
    // The tables of criticalIndexes() that are not there, e.g. a database not migrated yet.
    static QStringList missingTables(const QList<CriticalIndex> &indexes);
    // SQLITE_CORRUPT or SQLITE_NOTADB: the file is damaged (a check then reports it as a finding).
    bool isCorruption(const DbError &error) const;

private:
    QStringList run(const QString &sql, int columns);

    Database &m_db;
    QMutex m_mutex;
    std::unique_ptr<StatementInterrupter> m_interrupter; // while a check runs
};

} // namespace dbdeck

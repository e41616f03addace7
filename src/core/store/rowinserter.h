#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>
#include <QVariant>

struct sqlite3_stmt;

namespace dbdeck {

class Database;

// Inserts many rows into one table fast: rows are buffered and written as multi-row
// INSERT ... VALUES (...), (...) statements, prepared once and reused, through SQLite's C API on
// the connection's native handle (QSqlQuery would prepare, convert and copy per row). Rows that
// clash with an existing id are skipped (ON CONFLICT (id) DO NOTHING), which makes re-running an
// ingestion idempotent. flush() must run inside the caller's write transaction. On PostgreSQL
// the same statements go through QSqlQuery.
class RowInserter
{
public:
    RowInserter(Database &db, QString table, QStringList columns);
    ~RowInserter();
    RowInserter(const RowInserter &) = delete;
    RowInserter &operator=(const RowInserter &) = delete;

    // One value per column, in order. Text given as a UTF-8 QByteArray is bound without copying.
    void add(QVariantList row);

    // The events table's columns and one event as a row of them.
    static const QStringList &eventColumns();
    static QVariantList eventRow(const struct Event &event);
    qsizetype pending() const { return m_rows.size(); }
    // Writes the buffered rows; returns how many were new. Throws a classified DbError.
    qint64 flush();
    void discard() { m_rows.clear(); }

private:
    QString statementFor(qsizetype rows) const;
    sqlite3_stmt *prepare(qsizetype rows);
    qint64 flushSqlite();
    qint64 flushGeneric();

    Database &m_db;
    QString m_table;
    QStringList m_columns;
    QList<QVariantList> m_rows;
    qsizetype m_chunk;              // rows per full statement
    sqlite3_stmt *m_full = nullptr; // prepared for m_chunk rows
    void *m_fullHandle = nullptr;   // the connection it was prepared on
};

} // namespace dbdeck

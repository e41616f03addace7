#pragma once

#include "store/ingestbatch.h"

#include <QByteArray>
#include <QList>

struct sqlite3;
struct sqlite3_stmt;

namespace dbdeck {

class Database;
class Store;

struct IngestCounts
{
    qint64 runsAdded = 0;
    qint64 eventsAdded = 0;
    qint64 alreadyPresent = 0; // same id already stored
};

// Writes Ingestor's batches: each in one write transaction (retried when busy), runs before
// events, missing seq numbers continued after the run's highest, rows whose id is already stored
// skipped (ON CONFLICT (id) DO NOTHING). On SQLite the rows are bound straight from the batch's
// UTF-8 into multi-row INSERTs prepared once per connection; on PostgreSQL they go through
// QSqlQuery. When the database refuses something, the batch is written again row by row, each in
// a savepoint, to name the lines: with stop nothing of the batch stays, with skip its good lines
// do. Errors that are no line's fault (no such table, disk full, read-only) are thrown.
class IngestWriter
{
public:
    IngestWriter(Database &db, Store &store, bool skipBadLines);
    ~IngestWriter();
    IngestWriter(const IngestWriter &) = delete;
    IngestWriter &operator=(const IngestWriter &) = delete;

    // Returns the lines the database refused (empty when all of the batch was written).
    QList<IngestProblem> write(IngestBatch &batch, IngestCounts &counts);

private:
    struct Statement;
    void assignSeqs(IngestBatch &batch);
    qint64 nextSeqOf(QByteArrayView runId);
    void insertAll(const IngestBatch &batch, IngestCounts &counts);
    void insertOneByOne(IngestBatch &batch, IngestCounts &counts, QList<IngestProblem> &problems);
    // Inserts rows[from..to) of one table; returns how many were new.
    qint64 insert(const IngestBatch &batch, const std::vector<const IngestRow *> &rows, bool runs);
    qint64 insertSqlite(const IngestBatch &batch, const std::vector<const IngestRow *> &rows, bool runs);
    qint64 insertGeneric(const IngestBatch &batch, const std::vector<const IngestRow *> &rows, bool runs);
    sqlite3_stmt *statementFor(bool runs, qsizetype rows, bool *temporary);
    QString problemFor(const IngestBatch &batch, const IngestRow &row, const class DbError &error);

    Database &m_db;
    Store &m_store;
    bool m_skip;
    sqlite3 *m_handle = nullptr;          // the connection the cached statements belong to
    sqlite3_stmt *m_full[2] = {};         // events, runs: chunk rows each
    sqlite3_stmt *m_single[2] = {};       // one row each
};

} // namespace dbdeck

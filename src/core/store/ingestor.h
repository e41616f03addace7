#pragma once

#include "store/ingestbatch.h"
#include "store/records.h"

#include <QIODevice>
#include <QList>
#include <QString>

#include <functional>

namespace dbdeck {

class Database;
class Store;

struct IngestProgress
{
    qint64 lines = 0;
    qint64 bytesRead = 0;
    qint64 totalBytes = -1; // -1: unknown (standard input)
    qint64 added = 0;
};

struct IngestOptions
{
    int batchSize = 1000;      // lines per write transaction (fewer when they reach maxBatchBytes)
    qsizetype maxBatchBytes = 4 << 20; // keeps memory flat whatever the lines hold
    qsizetype maxLineBytes = 4 << 20;  // longer lines are refused
    bool skipBadLines = false; // --on-error=skip: report and go on; otherwise stop at the first
    std::function<void(const IngestProgress &)> progress;
};

struct IngestResult
{
    qint64 lines = 0;
    qint64 runsAdded = 0;
    qint64 eventsAdded = 0;
    qint64 alreadyPresent = 0; // same id already stored: re-running a file adds nothing twice
    QList<IngestProblem> problems;
    bool stopped = false;      // stopped at a bad line (--on-error=stop)
};

// Loads JSON Lines of runs and events, read exactly as Python's json and datetime read them:
//   {"type": "run", "id": "...", "kind": "ingest", "status": "running", "params": {...}, "created_at": "..."}
//   {"type": "event", "id": "...", "run_id": "...", "seq": 1, "level": "info", "kind": "log",
//    "message": "...", "payload": {...}, "created_at": "..."}
// in batched write transactions. Every line needs an id, so that loading a file again adds
// nothing twice (ON CONFLICT (id) DO NOTHING). A batch with a bad line is never half-written:
// with stop, nothing of it is committed; with skip, only its good lines are. Lines are parsed on
// a thread of their own while this one writes the batch before (IngestPipeline); a batch is
// batchSize lines or maxBatchBytes of rows, whichever comes first. A database without the runs
// and events tables is refused before anything is read.
class Ingestor
{
public:
    Ingestor(Database &db, Store &store, IngestOptions options = {});
    IngestResult run(QIODevice &input, qint64 totalBytes = -1);

    static QStringList runFields();
    static QStringList eventFields();

private:
    void requireSchema();

    Database &m_db;
    Store &m_store;
    IngestOptions m_options;
};

} // namespace dbdeck

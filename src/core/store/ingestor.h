#pragma once

#include "store/records.h"

#include <QIODevice>
#include <QList>
#include <QString>

#include <functional>

namespace dbdeck {

class Database;
class Store;

struct IngestProblem
{
    qint64 line = 0;
    QString reason;
    QString toString() const { return QStringLiteral("line %1: %2").arg(line).arg(reason); }
};

struct IngestProgress
{
    qint64 lines = 0;
    qint64 bytesRead = 0;
    qint64 totalBytes = -1; // -1: unknown (standard input)
    qint64 added = 0;
};

struct IngestOptions
{
    int batchSize = 1000;      // lines per write transaction
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

// Loads JSON Lines of runs and events:
//   {"type": "run", "id": "...", "kind": "ingest", "status": "running", "params": {...}, "created_at": "..."}
//   {"type": "event", "id": "...", "run_id": "...", "seq": 1, "level": "info", "kind": "log",
//    "message": "...", "payload": {...}, "created_at": "..."}
// in batched write transactions. Every line needs an id, so that loading a file again adds
// nothing twice (ON CONFLICT (id) DO NOTHING). A batch with a bad line is never half-written:
// with stop, nothing of it is committed; with skip, only its good lines are.
class Ingestor
{
public:
    Ingestor(Database &db, Store &store, IngestOptions options = {});
    IngestResult run(QIODevice &input, qint64 totalBytes = -1);

    static QStringList runFields();
    static QStringList eventFields();

private:
    struct Line
    {
        qint64 number = 0;
        bool isRun = false;
        Run run;
        Event event;
        bool seqGiven = false;
    };
    Line parse(const QByteArray &text, qint64 number) const;
    // Writes a batch; returns the problems found (empty when all of it was written).
    QList<IngestProblem> writeBatch(QList<Line> &batch, IngestResult &result);
    void insertRows(QList<Line> &rows, IngestResult &result, bool oneByOne, QList<IngestProblem> *problems);

    Database &m_db;
    Store &m_store;
    IngestOptions m_options;
};

} // namespace dbdeck

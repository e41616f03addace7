#pragma once

#include <QByteArrayView>
#include <QList>
#include <QString>

#include <string>
#include <vector>

namespace dbdeck {

struct IngestProblem
{
    qint64 line = 0;
    QString reason;
    QString toString() const { return QStringLiteral("line %1: %2").arg(line).arg(reason); }
};

// One good line as the row it becomes: text columns as UTF-8 in its batch's arena, ready to bind.
struct IngestRow
{
    // A column's bytes in the arena; length -1 is NULL.
    struct Text
    {
        qint32 offset = 0;
        qint32 length = -1;
        bool isNull() const { return length < 0; }
    };
    enum RunColumn { RunId, RunKind, RunStatus, RunParams, RunError, RunStartedAt, RunFinishedAt, RunCreatedAt, RunUpdatedAt, RunColumns };
    enum EventColumn { EventId, EventRunId, EventLevel, EventKind, EventMessage, EventPayload, EventPayloadUri, EventCreatedAt, EventTexts };

    qint64 line = 0;
    bool isRun = false;
    Text text[int(RunColumns) > int(EventTexts) ? int(RunColumns) : int(EventTexts)];
    qint64 seq = 0;                       // events: 0 until assigned when not given
    bool seqGiven = false;
    qint64 messageOriginalLength = -1;    // events: -1 when the message was not cut
};

// Lines turned into rows, handed from the parsing thread to the writer. Text lives in one arena
// that is reused from batch to batch (its capacity stays), so a steady ingest allocates nothing.
struct IngestBatch
{
    std::string arena;
    std::vector<IngestRow> rows;
    QList<IngestProblem> problems; // lines refused while parsing, in order
    qint64 lines = 0;              // non-blank lines in this batch, good or bad
    qint64 bytesRead = 0;          // of the input, up to the end of this batch
    bool stop = false;             // a line was refused with --on-error=stop: not written, the end
    bool end = false;              // the input ends with this batch
    QString readError;             // the input could not be read: the ingest fails with this

    void clear()
    {
        arena.clear();
        rows.clear();
        problems.clear();
        lines = 0;
        stop = end = false;
        readError.clear();
    }
    IngestRow::Text add(const char *data, qsizetype size)
    {
        IngestRow::Text t{qint32(arena.size()), qint32(size)};
        arena.append(data, size_t(size));
        return t;
    }
    IngestRow::Text add(QByteArrayView bytes) { return add(bytes.data(), bytes.size()); }
    QByteArrayView view(IngestRow::Text t) const
    {
        return t.isNull() ? QByteArrayView() : QByteArrayView(arena.data() + t.offset, t.length);
    }
};

} // namespace dbdeck

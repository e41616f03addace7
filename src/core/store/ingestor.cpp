#include "store/ingestor.h"

#include "db/database.h"
#include "db/errors.h"
#include "store/ingestlineparser.h"
#include "store/ingestpipeline.h"
#include "store/ingestwriter.h"
#include "store/store.h"

namespace dbdeck {

QStringList Ingestor::runFields()
{
    return IngestLineParser::runFields();
}

QStringList Ingestor::eventFields()
{
    return IngestLineParser::eventFields();
}

Ingestor::Ingestor(Database &db, Store &store, IngestOptions options) : m_db(db), m_store(store), m_options(std::move(options)) {}

void Ingestor::requireSchema()
{
    // Without this every line would be reported as refused ("no such table: runs"); and a
    // SQLite file that does not exist is not created by looking.
    if (m_db.hasTable(QStringLiteral("runs")) && m_db.hasTable(QStringLiteral("events")))
        return;
    throw DbError(QStringLiteral("%1 has no runs and events tables: the database has not been migrated. "
                                 "Run `dbdeck-cli upgrade` first.").arg(m_db.displayName()));
}

IngestResult Ingestor::run(QIODevice &input, qint64 totalBytes)
{
    requireSchema();
    IngestResult result;
    IngestProgress progress;
    progress.totalBytes = totalBytes;
    IngestWriter writer(m_db, m_store, m_options.skipBadLines);
    IngestCounts counts;
    IngestPipeline::Options options;
    options.batchSize = std::max(1, m_options.batchSize);
    options.skipBadLines = m_options.skipBadLines;
    options.maxBatchBytes = m_options.maxBatchBytes;
    options.maxLineBytes = m_options.maxLineBytes;
    options.limits = m_store.limits();
    IngestPipeline pipeline(input, options);
    while (IngestBatch *batch = pipeline.next()) {
        result.lines += batch->lines;
        result.problems += batch->problems;
        if (!batch->readError.isEmpty())
            throw DbError(batch->readError);
        if (batch->stop) { // a line was refused: that batch is not written at all
            result.stopped = true;
            break;
        }
        const QList<IngestProblem> problems = writer.write(*batch, counts);
        result.runsAdded = counts.runsAdded;
        result.eventsAdded = counts.eventsAdded;
        result.alreadyPresent = counts.alreadyPresent;
        result.problems += problems;
        progress.lines = result.lines;
        progress.bytesRead = batch->bytesRead;
        progress.added = result.runsAdded + result.eventsAdded;
        if (m_options.progress)
            m_options.progress(progress);
        if (!problems.isEmpty() && !m_options.skipBadLines) {
            result.stopped = true;
            break;
        }
        const bool end = batch->end;
        pipeline.recycle(batch);
        if (end)
            break;
    }
    return result;
}

} // namespace dbdeck

#pragma once

#include "store/ingestbatch.h"
#include "store/store.h"

#include <QMutex>
#include <QWaitCondition>

#include <deque>
#include <memory>
#include <vector>

class QIODevice;
class QThread;

namespace dbdeck {

// The parsing half of Ingestor: a thread of its own reads the input, splits it into lines and
// turns them into batches of rows while the caller's thread writes the batch before. A fixed
// pool of batches (one being filled, one ready, one being written) is the bounded queue between
// them, so memory stays flat for any input: a batch ends at batchSize good lines or when its
// rows reach maxBatchBytes, and a line longer than maxLineBytes is refused without being held.
// The input device is read only on that thread; it must not need the caller's event loop
// (files, standard input and buffers are fine).
class IngestPipeline
{
public:
    struct Options
    {
        int batchSize = 1000;
        bool skipBadLines = false;
        qsizetype maxBatchBytes = 4 << 20;
        qsizetype maxLineBytes = 4 << 20;
        StoreLimits limits;
    };
    static constexpr int poolSize = 3;

    IngestPipeline(QIODevice &input, Options options);
    // Stops the thread (at its next line, or when a blocked read returns) and waits for it.
    ~IngestPipeline();
    IngestPipeline(const IngestPipeline &) = delete;
    IngestPipeline &operator=(const IngestPipeline &) = delete;

    // The next batch in input order (blocks until it is ready); nullptr after the one marked
    // end or stop. Hand each back with recycle() once it is written.
    IngestBatch *next();
    void recycle(IngestBatch *batch);

private:
    class LineReader;
    void run();
    IngestBatch *takeFree(); // nullptr when cancelled
    void publish(IngestBatch *batch);

    QIODevice &m_input;
    Options m_options;
    QMutex m_mutex;
    QWaitCondition m_changed;
    std::vector<std::unique_ptr<IngestBatch>> m_pool;
    std::deque<IngestBatch *> m_free;
    std::deque<IngestBatch *> m_ready;
    bool m_cancelled = false;
    bool m_done = false; // the last batch was published
    std::unique_ptr<QThread> m_thread;
};

} // namespace dbdeck

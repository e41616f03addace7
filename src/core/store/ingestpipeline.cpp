#include "store/ingestpipeline.h"

#include "store/ingestlineparser.h"

#include <QIODevice>
#include <QThread>

#include <cstring>

namespace dbdeck {

// Splits the input into lines with one reusable buffer; QIODevice::readLine would allocate a
// QByteArray per line. A line longer than the limit is passed by, counted but not kept.
class IngestPipeline::LineReader
{
public:
    LineReader(QIODevice &input, qsizetype maxLine) : m_input(input), m_maxLine(maxLine) { m_buffer.resize(kChunk * 2); }

    enum class Status { Line, TooLong, End };
    struct Line
    {
        Status status = Status::End;
        const char *data = nullptr;
        qsizetype size = 0;  // without the newline (TooLong: the whole length)
        qsizetype bytes = 0; // of the input, newline included
    };

    Line next()
    {
        qsizetype scanned = m_begin;
        while (true) {
            if (const void *nl = std::memchr(m_buffer.data() + scanned, '\n', size_t(m_end - scanned))) {
                const qsizetype at = static_cast<const char *>(nl) - m_buffer.data();
                Line line{Status::Line, m_buffer.data() + m_begin, at - m_begin, at + 1 - m_begin};
                m_begin = at + 1;
                return line;
            }
            scanned = m_end;
            if (m_end - m_begin > m_maxLine)
                return skipLongLine();
            if (m_eof) {
                Line line{m_begin < m_end ? Status::Line : Status::End, m_buffer.data() + m_begin, m_end - m_begin, m_end - m_begin};
                m_begin = m_end;
                return line;
            }
            scanned -= m_begin;
            fill();
            scanned += m_begin; // fill() moved the unread part to the front
        }
    }

    QString error() const { return m_error; }

private:
    static constexpr qsizetype kChunk = 256 * 1024;

    // Reads more after the unread part (moved to the front first).
    void fill()
    {
        if (m_begin > 0) {
            std::memmove(m_buffer.data(), m_buffer.data() + m_begin, size_t(m_end - m_begin));
            m_end -= m_begin;
            m_begin = 0;
        }
        if (qsizetype(m_buffer.size()) - m_end < kChunk)
            m_buffer.resize(size_t(m_end + kChunk));
        while (true) {
            const qint64 n = m_input.read(m_buffer.data() + m_end, kChunk);
            if (n > 0) {
                m_end += qsizetype(n);
                return;
            }
            if (n < 0) {
                m_error = QStringLiteral("cannot read the input: %1").arg(m_input.errorString());
                m_eof = true;
                return;
            }
            // Nothing now: the end, or a device that has to wait for more.
            if (m_input.atEnd() && !m_input.isSequential()) {
                m_eof = true;
                return;
            }
            if (!m_input.waitForReadyRead(-1) && m_input.bytesAvailable() <= 0) {
                m_eof = true;
                return;
            }
        }
    }

    Line skipLongLine()
    {
        Line line{Status::TooLong, nullptr, 0, 0};
        while (true) {
            const void *nl = std::memchr(m_buffer.data() + m_begin, '\n', size_t(m_end - m_begin));
            const qsizetype upTo = nl ? static_cast<const char *>(nl) - m_buffer.data() : m_end;
            line.size += upTo - m_begin;
            line.bytes += upTo - m_begin + (nl ? 1 : 0);
            m_begin = nl ? upTo + 1 : m_end;
            if (nl || m_eof)
                return line;
            fill();
        }
    }

    QIODevice &m_input;
    qsizetype m_maxLine;
    std::vector<char> m_buffer;
    qsizetype m_begin = 0;
    qsizetype m_end = 0;
    bool m_eof = false;
    QString m_error;
};

IngestPipeline::IngestPipeline(QIODevice &input, Options options) : m_input(input), m_options(std::move(options))
{
    for (int i = 0; i < poolSize; ++i) {
        m_pool.push_back(std::make_unique<IngestBatch>());
        m_free.push_back(m_pool.back().get());
    }
    m_thread.reset(QThread::create([this] { run(); }));
    m_thread->setObjectName(QStringLiteral("ingest-parser"));
    m_thread->setStackSize(16 << 20); // canonical JSON of deeply nested values recurses
    m_thread->start();
}

IngestPipeline::~IngestPipeline()
{
    {
        QMutexLocker lock(&m_mutex);
        m_cancelled = true;
        m_changed.wakeAll();
    }
    m_thread->wait();
}

IngestBatch *IngestPipeline::takeFree()
{
    QMutexLocker lock(&m_mutex);
    while (m_free.empty() && !m_cancelled)
        m_changed.wait(&m_mutex);
    if (m_cancelled)
        return nullptr;
    IngestBatch *batch = m_free.front();
    m_free.pop_front();
    batch->clear();
    return batch;
}

void IngestPipeline::publish(IngestBatch *batch)
{
    QMutexLocker lock(&m_mutex);
    m_ready.push_back(batch);
    m_changed.wakeAll();
}

IngestBatch *IngestPipeline::next()
{
    QMutexLocker lock(&m_mutex);
    while (m_ready.empty() && !m_done)
        m_changed.wait(&m_mutex);
    if (m_ready.empty())
        return nullptr;
    IngestBatch *batch = m_ready.front();
    m_ready.pop_front();
    if (batch->end || batch->stop || !batch->readError.isEmpty())
        m_done = true;
    return batch;
}

void IngestPipeline::recycle(IngestBatch *batch)
{
    QMutexLocker lock(&m_mutex);
    m_free.push_back(batch);
    m_changed.wakeAll();
}

void IngestPipeline::run()
{
    IngestLineParser parser(m_options.limits);
    LineReader reader(m_input, m_options.maxLineBytes);
    IngestBatch *batch = takeFree();
    if (!batch)
        return;
    qint64 number = 0;
    qint64 bytesRead = 0;
    QString reason;
    const auto finish = [&](IngestBatch *last) {
        last->bytesRead = bytesRead;
        publish(last);
    };
    try {
        while (true) {
            const LineReader::Line line = reader.next();
            if (line.status == LineReader::Status::End)
                break;
            ++number;
            bytesRead += line.bytes;
            const char *data = line.data;
            qsizetype size = line.size;
            if (line.status == LineReader::Status::Line) {
                if (number == 1 && size >= 3 && std::memcmp(data, "\xEF\xBB\xBF", 3) == 0) { // a UTF-8 byte order mark
                    data += 3;
                    size -= 3;
                }
                // JSON's own whitespace around the value (a "\r\n" line end, for one).
                while (size > 0 && (data[size - 1] == ' ' || data[size - 1] == '\t' || data[size - 1] == '\r'))
                    --size;
                while (size > 0 && (data[0] == ' ' || data[0] == '\t' || data[0] == '\r')) {
                    ++data;
                    --size;
                }
            }
            if (line.status == LineReader::Status::Line && size == 0)
                continue;
            ++batch->lines;
            bool good = false;
            if (line.status == LineReader::Status::TooLong)
                reason = QStringLiteral("the line is %1 bytes long; lines may have at most %2 (store large payloads elsewhere and "
                                        "give their location as payload_uri)").arg(line.size).arg(m_options.maxLineBytes);
            else
                good = parser.parse(data, size, number, *batch, &reason);
            if (!good) {
                batch->problems.append({number, reason});
                if (!m_options.skipBadLines) {
                    batch->stop = true;
                    finish(batch);
                    return;
                }
            }
            const qsizetype bytes = qsizetype(batch->arena.size() + batch->rows.size() * sizeof(IngestRow));
            if (qsizetype(batch->rows.size()) >= m_options.batchSize || bytes >= m_options.maxBatchBytes) {
                batch->bytesRead = bytesRead;
                publish(batch);
                batch = takeFree();
                if (!batch)
                    return;
            }
        }
        batch->readError = reader.error();
    } catch (const std::exception &error) { // out of memory, say: the ingest fails with it
        batch->readError = QStringLiteral("reading the input failed: %1").arg(QString::fromLocal8Bit(error.what()));
    }
    batch->end = true;
    finish(batch);
}

} // namespace dbdeck

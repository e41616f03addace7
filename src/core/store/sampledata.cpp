#include "store/sampledata.h"

#include "db/utctime.h"
#include "store/canonicaljson.h"

#include <cstdio>
#include <cstring>

namespace dbdeck {

namespace {

const char *const kKinds[] = {"ingest", "export", "report", "cleanup", "sync"};
const char *const kSources[] = {"s3://acme-raw/orders", "postgres://crm/contacts", "sftp://partner/feeds", "https://api.example.com/v2/items"};
const char *const kErrors[] = {"timeout after 30 s talking to upstream", "permission denied: s3://acme-raw/orders",
                               "schema mismatch: column \"amount\" is text", "disk full on /var/lib/app"};
const char *const kStatuses[] = {"running", "succeeded", "failed", "cancelled"};
enum { Running, Succeeded, Failed, Cancelled };

// A UUIDv7 laid out from the sample's own clock, so ids sort with created_at.
void idFor(QRandomGenerator &rng, qint64 ms, char out[36])
{
    const quint64 random = rng.generate64();
    const quint32 a = rng.generate() & 0x0fff;
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%08llx-%04llx-7%03x-%04llx-%012llx", (unsigned long long)(quint64(ms) >> 16),
                  (unsigned long long)(quint64(ms) & 0xffff), a, (unsigned long long)(0x8000 | (random >> 50 & 0x3fff)),
                  (unsigned long long)(random & 0xffffffffffffULL));
    std::memcpy(out, buffer, 36);
}

void key(QByteArray &out, const char *name)
{
    out.append('"');
    out.append(name);
    out.append("\":", 2);
}

void text(QByteArray &out, const char *name, QByteArrayView value, bool comma = true)
{
    key(out, name);
    CanonicalJson::appendString(out, value.data(), value.size());
    if (comma)
        out.append(',');
}

void time(QByteArray &out, const char *name, qint64 ms)
{
    text(out, name, UtcTime::fromMicros(ms * 1000).toIso().toLatin1());
}

void integer(QByteArray &out, const char *name, qint64 n, bool comma = true)
{
    key(out, name);
    out.append(QByteArray::number(n));
    if (comma)
        out.append(',');
}

} // namespace

SampleData::SampleData(int runs, qint64 events, quint32 seed, qint64 nowMs)
    : m_rng(seed), m_runs(std::max(1, runs)), m_events(std::max<qint64>(0, events)),
      m_nowMs(nowMs >= 0 ? nowMs : UtcTime::now().micros() / 1000)
{
}

bool SampleData::next(QByteArray &out)
{
    out.resize(0);
    if (m_run >= 0 && m_event < m_count) {
        event(out);
        return true;
    }
    if (m_run + 1 >= m_runs)
        return false;
    ++m_run;
    startRun(out);
    return true;
}

void SampleData::startRun(QByteArray &out)
{
    // The random draws come in the order they always have, so a seed keeps giving the same data.
    constexpr qint64 week = 7LL * 24 * 3600 * 1000;
    const int r = m_run;
    m_startMs = m_nowMs - week + week * r / m_runs + qint64(m_rng.bounded(60000));
    m_count = m_events / m_runs + (r < m_events % m_runs ? 1 : 0);
    m_event = 0;
    const int roll = int(m_rng.bounded(100));
    const bool last = r == m_runs - 1;
    m_status = last && roll < 50 ? Running : roll < 78 ? Succeeded : roll < 93 ? Failed : Cancelled;
    m_kind = int(m_rng.bounded(5));
    m_source = int(m_rng.bounded(4));
    idFor(m_rng, m_startMs, m_runId);
    const qint64 endMs = m_startMs + 2000 + m_count * 150 + qint64(m_rng.bounded(5000));
    const qint64 batchSize = 250 * (1 + qint64(m_rng.bounded(8)));
    const bool dryRun = m_rng.bounded(10) == 0;
    m_error = m_status == Failed ? int(m_rng.bounded(4)) : -1;
    // Keys in canonical (sorted) order.
    out.append('{');
    time(out, "created_at", m_startMs);
    if (m_error >= 0)
        text(out, "error", kErrors[m_error]);
    if (m_status != Running)
        time(out, "finished_at", endMs);
    text(out, "id", QByteArrayView(m_runId, 36));
    text(out, "kind", kKinds[m_kind]);
    key(out, "params");
    out.append('{');
    integer(out, "batch_size", batchSize);
    key(out, "dry_run");
    out.append(dryRun ? "true," : "false,");
    text(out, "source", kSources[m_source], false);
    out.append("},");
    time(out, "started_at", m_startMs);
    text(out, "status", kStatuses[m_status]);
    text(out, "type", "run", false);
    out.append('}');
}

void SampleData::event(QByteArray &out)
{
    const qint64 e = m_event++;
    const qint64 at = m_startMs + 1000 + e * 150 + qint64(m_rng.bounded(100));
    const int dice = int(m_rng.bounded(100));
    const char *level = dice < 15 ? "debug" : dice < 88 ? "info" : dice < 97 ? "warning" : "error";
    const char *kind = "progress";
    QByteArray message;
    const qint64 rows = 100 + qint64(m_rng.bounded(5000));
    if (e == 0) {
        kind = "started";
        level = "info";
        message = QByteArray(kKinds[m_kind]) + " started from " + kSources[m_source];
    } else if (e == m_count - 1 && m_status == Failed) {
        kind = "failed";
        level = "error";
        message = kErrors[m_error];
    } else if (std::strcmp(level, "warning") == 0) {
        kind = "retry";
        message = "slow response (" + QByteArray::number(800 + m_rng.bounded(4000)) + " ms); retrying page " + QByteArray::number(e);
    } else if (std::strcmp(level, "error") == 0) {
        kind = "row_rejected";
        message = "rejected " + QByteArray::number(1 + m_rng.bounded(20)) + " rows: invalid \"amount\"";
    } else {
        message = "processed " + QByteArray::number(rows) + " rows (page " + QByteArray::number(e) + ")";
    }
    const double durationMs = double(m_rng.bounded(200000)) / 100.0;
    char id[36];
    idFor(m_rng, at, id);
    out.append('{');
    time(out, "created_at", at);
    text(out, "id", QByteArrayView(id, 36));
    text(out, "kind", kind);
    text(out, "level", level);
    text(out, "message", message);
    key(out, "payload");
    out.append('{');
    key(out, "duration_ms");
    CanonicalJson::appendFloat(out, durationMs);
    out.append(',');
    integer(out, "page", e);
    integer(out, "rows", rows, false);
    out.append("},");
    text(out, "run_id", QByteArrayView(m_runId, 36));
    integer(out, "seq", e + 1);
    text(out, "type", "event", false);
    out.append('}');
}

QList<QByteArray> SampleData::generate(int runs, int events, quint32 seed)
{
    SampleData data(runs, events, seed);
    QList<QByteArray> lines;
    lines.reserve(data.total());
    QByteArray line;
    while (data.next(line))
        lines << line;
    return lines;
}

qint64 SampleDataDevice::readData(char *data, qint64 maxSize)
{
    qint64 written = 0;
    while (written < maxSize) {
        if (m_at >= m_pending.size()) {
            m_pending.resize(0);
            m_at = 0;
            // A few lines at a time: fewer calls, still a small buffer.
            while (m_pending.size() < 64 * 1024 && !m_done) {
                if (m_data.next(m_line)) {
                    m_pending.append(m_line);
                    m_pending.append('\n');
                } else {
                    m_done = true;
                }
            }
            if (m_pending.isEmpty())
                break;
        }
        const qint64 n = std::min<qint64>(maxSize - written, m_pending.size() - m_at);
        std::memcpy(data + written, m_pending.constData() + m_at, size_t(n));
        m_at += n;
        written += n;
    }
    return written;
}

} // namespace dbdeck

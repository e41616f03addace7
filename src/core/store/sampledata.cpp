#include "store/sampledata.h"

#include "db/utctime.h"
#include "store/jsonvalue.h"

#include <QRandomGenerator>
#include <QStringList>

namespace dbdeck {

namespace {

QString idFor(QRandomGenerator &rng, qint64 ms)
{
    // A UUIDv7 laid out from the sample's own clock, so ids sort with created_at.
    const quint64 random = rng.generate64();
    const quint16 a = quint16(rng.generate() & 0x0fff);
    return QStringLiteral("%1-%2-7%3-%4-%5")
        .arg(quint64(ms) >> 16, 8, 16, QLatin1Char('0'))
        .arg(quint64(ms) & 0xffff, 4, 16, QLatin1Char('0'))
        .arg(a, 3, 16, QLatin1Char('0'))
        .arg(0x8000 | (random >> 50 & 0x3fff), 4, 16, QLatin1Char('0'))
        .arg(random & 0xffffffffffffULL, 12, 16, QLatin1Char('0'));
}

} // namespace

QList<QByteArray> SampleData::generate(int runs, int events, quint32 seed)
{
    QRandomGenerator rng(seed);
    const QStringList kinds{QStringLiteral("ingest"), QStringLiteral("export"), QStringLiteral("report"),
                            QStringLiteral("cleanup"), QStringLiteral("sync")};
    const QStringList sources{QStringLiteral("s3://acme-raw/orders"), QStringLiteral("postgres://crm/contacts"),
                              QStringLiteral("sftp://partner/feeds"), QStringLiteral("https://api.example.com/v2/items")};
    const QStringList errors{QStringLiteral("timeout after 30 s talking to upstream"), QStringLiteral("permission denied: s3://acme-raw/orders"),
                             QStringLiteral("schema mismatch: column \"amount\" is text"), QStringLiteral("disk full on /var/lib/app")};
    const qint64 now = UtcTime::now().micros() / 1000;
    const qint64 week = 7LL * 24 * 3600 * 1000;
    QList<QByteArray> lines;
    lines.reserve(runs + events);
    runs = std::max(1, runs);
    for (int r = 0; r < runs; ++r) {
        const qint64 startMs = now - week + week * r / runs + qint64(rng.bounded(60000));
        const int count = events / runs + (r < events % runs ? 1 : 0);
        const int roll = int(rng.bounded(100));
        const bool last = r == runs - 1;
        const QString status = last && roll < 50 ? QStringLiteral("running")
                             : roll < 78         ? QStringLiteral("succeeded")
                             : roll < 93         ? QStringLiteral("failed")
                                                 : QStringLiteral("cancelled");
        const QString kind = kinds.at(int(rng.bounded(int(kinds.size()))));
        const QString source = sources.at(int(rng.bounded(int(sources.size()))));
        const QString runId = idFor(rng, startMs);
        const qint64 endMs = startMs + 2000 + qint64(count) * 150 + qint64(rng.bounded(5000));
        JsonValue run = JsonValue::object({{QStringLiteral("type"), JsonValue::string(QStringLiteral("run"))},
                                           {QStringLiteral("id"), JsonValue::string(runId)},
                                           {QStringLiteral("kind"), JsonValue::string(kind)},
                                           {QStringLiteral("status"), JsonValue::string(status)},
                                           {QStringLiteral("created_at"), JsonValue::string(UtcTime::fromMicros(startMs * 1000).toIso())},
                                           {QStringLiteral("started_at"), JsonValue::string(UtcTime::fromMicros(startMs * 1000).toIso())}});
        run.insert(QStringLiteral("params"), JsonValue::object({{QStringLiteral("source"), JsonValue::string(source)},
                                                               {QStringLiteral("batch_size"), JsonValue::integer(250 * (1 + qint64(rng.bounded(8))))},
                                                               {QStringLiteral("dry_run"), JsonValue::boolean(rng.bounded(10) == 0)}}));
        if (status != QLatin1String("running"))
            run.insert(QStringLiteral("finished_at"), JsonValue::string(UtcTime::fromMicros(endMs * 1000).toIso()));
        if (status == QLatin1String("failed"))
            run.insert(QStringLiteral("error"), JsonValue::string(errors.at(int(rng.bounded(int(errors.size()))))));
        lines << run.canonical();
        for (int e = 0; e < count; ++e) {
            const qint64 at = startMs + 1000 + qint64(e) * 150 + qint64(rng.bounded(100));
            const int dice = int(rng.bounded(100));
            QString level = dice < 15 ? QStringLiteral("debug") : dice < 88 ? QStringLiteral("info") : dice < 97 ? QStringLiteral("warning") : QStringLiteral("error");
            QString eventKind = QStringLiteral("progress");
            QString message;
            const qint64 rows = 100 + qint64(rng.bounded(5000));
            if (e == 0) {
                eventKind = QStringLiteral("started");
                level = QStringLiteral("info");
                message = QStringLiteral("%1 started from %2").arg(kind, source);
            } else if (e == count - 1 && status == QLatin1String("failed")) {
                eventKind = QStringLiteral("failed");
                level = QStringLiteral("error");
                message = run.value(QStringLiteral("error")).toString();
            } else if (level == QLatin1String("warning")) {
                eventKind = QStringLiteral("retry");
                message = QStringLiteral("slow response (%1 ms); retrying page %2").arg(800 + rng.bounded(4000)).arg(e);
            } else if (level == QLatin1String("error")) {
                eventKind = QStringLiteral("row_rejected");
                message = QStringLiteral("rejected %1 rows: invalid \"amount\"").arg(1 + rng.bounded(20));
            } else {
                message = QStringLiteral("processed %1 rows (page %2)").arg(rows).arg(e);
            }
            JsonValue payload = JsonValue::object({{QStringLiteral("rows"), JsonValue::integer(rows)},
                                                   {QStringLiteral("duration_ms"), JsonValue::floating(double(rng.bounded(200000)) / 100.0)},
                                                   {QStringLiteral("page"), JsonValue::integer(e)}});
            JsonValue event = JsonValue::object({{QStringLiteral("type"), JsonValue::string(QStringLiteral("event"))},
                                                 {QStringLiteral("id"), JsonValue::string(idFor(rng, at))},
                                                 {QStringLiteral("run_id"), JsonValue::string(runId)},
                                                 {QStringLiteral("seq"), JsonValue::integer(e + 1)},
                                                 {QStringLiteral("level"), JsonValue::string(level)},
                                                 {QStringLiteral("kind"), JsonValue::string(eventKind)},
                                                 {QStringLiteral("message"), JsonValue::string(message)},
                                                 {QStringLiteral("payload"), payload},
                                                 {QStringLiteral("created_at"), JsonValue::string(UtcTime::fromMicros(at * 1000).toIso())}});
            lines << event.canonical();
        }
    }
    return lines;
}

} // namespace dbdeck

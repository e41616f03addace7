#include "ingestbench.h"

#include "benchsupport.h"
#include "config/dbconfig.h"
#include "db/database.h"
#include "db/errors.h"
#include "migrate/migrator.h"
#include "store/store.h"
#include "store/uuid7.h"

#include <QDir>
#include <QElapsedTimer>
#include <QMutex>
#include <QTemporaryDir>
#include <QTextStream>
#include <QThread>

#include <atomic>

#include <sqlite3.h>

namespace dbdeck::bench {

namespace {

QString g_migrations;

std::unique_ptr<Database> freshDatabase(const QString &path)
{
    auto db = std::make_unique<Database>(DbConfig::forUrl(QStringLiteral("sqlite:///") + path));
    Migrator(*db, MigrationSet::load(g_migrations)).upgrade({});
    return db;
}

struct Row
{
    NewEvent event;
    QByteArray id, seqText, level, kind, message, payload, createdAt; // pre-encoded for the C API
    qint64 seq;
};

QList<Row> makeRows(int count)
{
    QList<Row> rows;
    rows.reserve(count);
    const UtcTime base = UtcTime::now();
    for (int i = 0; i < count; ++i) {
        Row r;
        r.event.id = Uuid7::generate();
        r.event.seq = i + 1;
        r.event.level = i % 20 == 0 ? QStringLiteral("warning") : QStringLiteral("info");
        r.event.kind = QStringLiteral("progress");
        r.event.message = QStringLiteral("processed %1 rows (page %2)").arg(100 + i % 900).arg(i);
        r.event.payload = JsonValue::object({{QStringLiteral("rows"), JsonValue::integer(100 + i % 900)},
                                             {QStringLiteral("page"), JsonValue::integer(i)},
                                             {QStringLiteral("duration_ms"), JsonValue::floating(12.5 + i % 7)}});
        r.event.createdAt = UtcTime::fromMicros(base.micros() + i);
        r.id = r.event.id.toUtf8();
        r.seq = i + 1;
        r.level = r.event.level.toUtf8();
        r.kind = r.event.kind.toUtf8();
        r.message = r.event.message.toUtf8();
        r.payload = r.event.payload->canonical();
        r.createdAt = r.event.createdAt->toDb().toUtf8();
        rows << r;
    }
    return rows;
}

void check(int rc, sqlite3 *db, int expected = SQLITE_OK)
{
    if (rc != expected) {
        std::fprintf(stderr, "sqlite: %s\n", sqlite3_errmsg(db));
        std::exit(2);
    }
}

} // namespace

int runIngestBench(int events, int batchSize, int runs)
{
    g_migrations = QStringLiteral(DBDECK_SOURCE_DIR "/migrations");
    QTextStream out(stdout);
    QTemporaryDir dir;
    const QList<Row> rows = makeRows(events);
    int counter = 0;
    QString path;
    std::unique_ptr<Database> db;
    QString runId;
    const auto fresh = [&] {
        db.reset();
        path = dir.filePath(QStringLiteral("ingest-%1.db").arg(++counter));
        db = freshDatabase(path);
        runId = Store(*db).startRun({QString(), QStringLiteral("bench"), QStringLiteral("running"), JsonValue::object(), std::nullopt}).id;
    };

    const QList<double> dbdeckMs = measure(runs, fresh, [&] {
        Store store(*db);
        QList<NewEvent> batch;
        batch.reserve(batchSize);
        for (const Row &r : rows) {
            batch << r.event;
            if (batch.size() == batchSize) {
                store.appendEvents(runId, batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty())
            store.appendEvents(runId, batch);
    });

    const QList<double> rawMs = measure(runs, fresh, [&] {
        // The same connection settings dbdeck uses (WAL, synchronous NORMAL, foreign keys on).
        sqlite3 *handle = db->sqliteHandle();
        sqlite3_stmt *insert = nullptr;
        const char *sql = "INSERT INTO events (id, run_id, seq, level, kind, message, message_original_length, payload_json,"
                          " payload_uri, created_at) VALUES (?, ?, ?, ?, ?, ?, NULL, ?, NULL, ?)";
        check(sqlite3_prepare_v2(handle, sql, -1, &insert, nullptr), handle);
        const QByteArray run = runId.toUtf8();
        for (qsizetype start = 0; start < rows.size(); start += batchSize) {
            check(sqlite3_exec(handle, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), handle);
            for (qsizetype i = start; i < std::min<qsizetype>(start + batchSize, rows.size()); ++i) {
                const Row &r = rows.at(i);
                sqlite3_bind_text(insert, 1, r.id.constData(), int(r.id.size()), SQLITE_STATIC);
                sqlite3_bind_text(insert, 2, run.constData(), int(run.size()), SQLITE_STATIC);
                sqlite3_bind_int64(insert, 3, r.seq);
                sqlite3_bind_text(insert, 4, r.level.constData(), int(r.level.size()), SQLITE_STATIC);
                sqlite3_bind_text(insert, 5, r.kind.constData(), int(r.kind.size()), SQLITE_STATIC);
                sqlite3_bind_text(insert, 6, r.message.constData(), int(r.message.size()), SQLITE_STATIC);
                sqlite3_bind_text(insert, 7, r.payload.constData(), int(r.payload.size()), SQLITE_STATIC);
                sqlite3_bind_text(insert, 8, r.createdAt.constData(), int(r.createdAt.size()), SQLITE_STATIC);
                check(sqlite3_step(insert), handle, SQLITE_DONE);
                sqlite3_reset(insert);
            }
            check(sqlite3_exec(handle, "COMMIT", nullptr, nullptr, nullptr), handle);
        }
        sqlite3_finalize(insert);
    });
    db.reset();

    const double dbdeckRate = events / (median(dbdeckMs) / 1000.0);
    const double rawRate = events / (median(rawMs) / 1000.0);
    const double ratio = dbdeckRate / rawRate;
    out << "dbdeck-bench ingest: " << events << " events, batches of " << batchSize << ", one writer, " << runs << " runs each\n";
    out << QStringLiteral("  dbdeck Store::appendEvents (validate, canonical JSON, seq, multi-row VALUES): %1 rows/s  (%2)\n")
               .arg(dbdeckRate, 0, 'f', 0).arg(describe(dbdeckMs));
    out << QStringLiteral("  raw SQLite C API, one prepared single-row INSERT reused (baseline):            %1 rows/s  (%2)\n")
               .arg(rawRate, 0, 'f', 0).arg(describe(rawMs));
    out << QStringLiteral("  ratio dbdeck / baseline: %1x (goal >= 1.00x) %2\n").arg(ratio, 0, 'f', 2)
               .arg(ratio >= 1.0 ? QStringLiteral("MET") : QStringLiteral("NOT MET"));
    return 0;
}

int runConcurrentBench(int seconds, int writers)
{
    g_migrations = QStringLiteral(DBDECK_SOURCE_DIR "/migrations");
    QTextStream out(stdout);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("concurrent.db"));
    freshDatabase(path);
    static std::atomic_int retries{0};
    qInstallMessageHandler([](QtMsgType type, const QMessageLogContext &context, const QString &message) {
        if (type == QtWarningMsg && QLatin1String(context.category) == QLatin1String("dbdeck.db") && message.startsWith(QLatin1String("write retry")))
            ++retries;
    });
    std::atomic_bool stop{false};
    std::atomic_int errors{0};
    std::atomic<qint64> rowsWritten{0};
    QMutex mutex;
    QList<double> latencies;
    QStringList firstErrors;
    QList<QThread *> threads;
    for (int w = 0; w < writers; ++w) {
        threads << QThread::create([&, w] {
            Database db(DbConfig::forUrl(QStringLiteral("sqlite:///") + path));
            Store store(db);
            QList<double> mine;
            try {
                const Run run = store.startRun({QString(), QStringLiteral("writer-%1").arg(w), QStringLiteral("running"), JsonValue::object(), std::nullopt});
                NewEvent e;
                e.kind = QStringLiteral("tick");
                e.message = QStringLiteral("a small event");
                e.payload = JsonValue::object({{QStringLiteral("writer"), JsonValue::integer(w)}});
                const QList<NewEvent> batch(10, e);
                while (!stop) {
                    QElapsedTimer t;
                    t.start();
                    try {
                        store.appendEvents(run.id, batch);
                        rowsWritten += 10;
                    } catch (const DbError &error) {
                        ++errors;
                        QMutexLocker lock(&mutex);
                        if (firstErrors.size() < 3)
                            firstErrors << error.message();
                    }
                    mine << t.nsecsElapsed() / 1e6;
                }
            } catch (const DbError &error) {
                ++errors;
                QMutexLocker lock(&mutex);
                firstErrors << error.message();
            }
            QMutexLocker lock(&mutex);
            latencies += mine;
        });
    }
    std::atomic<qint64> polls{0};
    threads << QThread::create([&] {
        Database db(DbConfig::forUrl(QStringLiteral("sqlite:///") + path));
        while (!stop) {
            try {
                db.scalar(QStringLiteral("SELECT count(*) FROM events"));
                ++polls;
            } catch (const DbError &) {
                ++errors;
            }
            QThread::msleep(10);
        }
    });
    QElapsedTimer timer;
    timer.start();
    for (QThread *t : std::as_const(threads))
        t->start();
    QThread::sleep(unsigned(seconds));
    stop = true;
    for (QThread *t : std::as_const(threads)) {
        t->wait();
        delete t;
    }
    const double elapsed = timer.nsecsElapsed() / 1e9;
    qInstallMessageHandler(nullptr);
    std::sort(latencies.begin(), latencies.end());
    const auto pct = [&](double p) { return latencies.isEmpty() ? 0.0 : latencies.at(qsizetype(p * double(latencies.size() - 1))); };
    out << "dbdeck-bench concurrent: " << writers << " writers committing 10 events per transaction + 1 reader polling counts, "
        << seconds << " s\n";
    out << QStringLiteral("  %1 rows/s, %2 commits, p50 %3 ms, p99 %4 ms, max %5 ms, busy retries %6, reader polls %7, errors %8\n")
               .arg(rowsWritten / elapsed, 0, 'f', 0).arg(latencies.size()).arg(pct(0.5), 0, 'f', 2).arg(pct(0.99), 0, 'f', 2)
               .arg(latencies.isEmpty() ? 0.0 : latencies.last(), 0, 'f', 2).arg(retries.load()).arg(polls.load()).arg(errors.load());
    for (const QString &e : std::as_const(firstErrors))
        out << "  error: " << e << '\n';
    const bool met = errors == 0 && pct(0.99) < 50.0;
    out << QStringLiteral("  goal: zero errors and p99 under 50 ms: %1\n").arg(met ? QStringLiteral("MET") : QStringLiteral("NOT MET"));
    return 0;
}

} // namespace dbdeck::bench

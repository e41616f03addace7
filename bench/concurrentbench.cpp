#include "concurrentbench.h"

#include "config/dbconfig.h"
#include "db/database.h"
#include "db/errors.h"
#include "migrate/migrator.h"
#include "store/store.h"

#include <QElapsedTimer>
#include <QMutex>
#include <QTemporaryDir>
#include <QTextStream>
#include <QThread>

#include <atomic>

namespace dbdeck::bench {

int runConcurrentBench(int seconds, int writers)
{
    QTextStream out(stdout);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("concurrent.db"));
    {
        Database db(DbConfig::forUrl(QStringLiteral("sqlite:///") + path));
        Migrator(db, MigrationSet::load(QStringLiteral(DBDECK_SOURCE_DIR "/migrations"))).upgrade({});
    }
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

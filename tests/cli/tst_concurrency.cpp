#include "clirunner.h"
#include "pgtestdatabase.h"
#include "db/database.h"
#include "db/errors.h"
#include "migrate/migrator.h"
#include "store/sampledata.h"
#include "store/store.h"

#include <QAtomicInt>
#include <QElapsedTimer>
#include <QFile>
#include <QMutex>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace dbdeck;

// The smoke test of issue 4: 4 threads and 2 processes ingest at once while a reader polls the
// counts, with the default busy timeout. No caller may see a lock error; every event lands once.
class tst_Concurrency : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void writersAndReaderNeverSeeLockErrors_data();
    void writersAndReaderNeverSeeLockErrors();
};

void tst_Concurrency::writersAndReaderNeverSeeLockErrors_data()
{
    QTest::addColumn<bool>("postgres");
    QTest::newRow("sqlite") << false;
    QTest::newRow("postgres") << true;
}

void tst_Concurrency::writersAndReaderNeverSeeLockErrors()
{
    QFETCH(bool, postgres);
    if (postgres && dbdeck::test::PgTestDatabase::serverUrl().isEmpty())
        QSKIP("DBDECK_TEST_PG_URL is not set: the PostgreSQL run did not happen (scripts/test.sh starts a server)");
    QTemporaryDir dir;
    std::unique_ptr<dbdeck::test::PgTestDatabase> pg;
    if (postgres)
        pg = std::make_unique<dbdeck::test::PgTestDatabase>(QStringLiteral("dbdeck_concurrency"));
    const QString url = postgres ? pg->url() : QStringLiteral("sqlite:///%1/app.db").arg(dir.path());
    Database db(DbConfig::forUrl(url));
    Migrator(db, MigrationSet::load(QStringLiteral(DBDECK_SOURCE_DIR "/migrations"))).upgrade({});

    // Two processes, each loading its own file in small batches (many short transactions).
    QList<QProcess *> processes;
    qint64 processEvents = 0;
    for (int p = 0; p < 2; ++p) {
        const QString path = dir.filePath(QStringLiteral("feed-%1.jsonl").arg(p));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        const QList<QByteArray> lines = SampleData::generate(60, 3000, 100 + p);
        for (const QByteArray &line : lines)
            file.write(line + '\n');
        file.close();
        processEvents += 3000;
        auto *process = new QProcess(this);
        QProcessEnvironment env;
        env.insert(QStringLiteral("PATH"), qEnvironmentVariable("PATH"));
        process->setProcessEnvironment(env);
        process->start(QStringLiteral(DBDECK_CLI), {QStringLiteral("ingest"), path, QStringLiteral("--batch-size"), QStringLiteral("20"),
                                                     QStringLiteral("--db-url"), url});
        processes << process;
    }

    // Four threads appending batches of 10 events to runs of their own, until the processes end.
    QAtomicInt errors = 0;
    QAtomicInt threadEvents = 0;
    QStringList messages;
    QMutex messagesMutex;
    std::atomic_bool stop{false};
    QList<QThread *> threads;
    for (int t = 0; t < 4; ++t) {
        threads << QThread::create([&, t] {
            Database own(DbConfig::forUrl(url));
            Store store(own);
            try {
                const Run run = store.startRun({QString(), QStringLiteral("thread-%1").arg(t), QStringLiteral("running"), JsonValue::object(), std::nullopt});
                NewEvent e;
                e.kind = QStringLiteral("tick");
                e.payload = JsonValue::object({{QStringLiteral("thread"), JsonValue::integer(t)}});
                QElapsedTimer timer;
                timer.start();
                while ((!stop || timer.elapsed() < 1500) && timer.elapsed() < 60000) {
                    store.appendEvents(run.id, QList<NewEvent>(10, e));
                    threadEvents.fetchAndAddRelaxed(10);
                }
            } catch (const DbError &error) {
                errors.ref();
                QMutexLocker lock(&messagesMutex);
                messages << error.message();
            }
        });
        threads.last()->start();
    }
    // A reader polling the counts, as the inspector does.
    int polls = 0;
    QThread *reader = QThread::create([&] {
        Database own(DbConfig::forUrl(url));
        while (!stop) {
            try {
                own.scalar(QStringLiteral("SELECT count(*) FROM events"));
                own.scalar(QStringLiteral("SELECT count(*) FROM runs"));
                ++polls;
            } catch (const DbError &error) {
                errors.ref();
                QMutexLocker lock(&messagesMutex);
                messages << QStringLiteral("reader: ") + error.message();
            }
            QThread::msleep(5);
        }
    });
    reader->start();

    QString processErrors;
    for (QProcess *p : std::as_const(processes)) {
        QVERIFY(p->waitForFinished(120000));
        const QString err = QString::fromUtf8(p->readAllStandardError());
        const QString out = QString::fromUtf8(p->readAllStandardOutput());
        QVERIFY2(p->exitCode() == 0, qPrintable(err + out));
        QVERIFY2(out.contains(QStringLiteral("60 runs and 3,000 events added")), qPrintable(out));
        processErrors += err;
    }
    stop = true;
    for (QThread *t : std::as_const(threads)) {
        QVERIFY(t->wait(120000));
        delete t;
    }
    QVERIFY(reader->wait(10000));
    delete reader;

    QVERIFY2(errors.loadRelaxed() == 0, qPrintable(messages.join(QLatin1Char('\n'))));
    QVERIFY2(!processErrors.contains(QStringLiteral("error")), qPrintable(processErrors));
    QVERIFY(polls > 10);
    const qint64 expected = processEvents + threadEvents.loadRelaxed();
    QCOMPARE(db.scalar(QStringLiteral("SELECT count(*) FROM events")).toLongLong(), expected);
    QCOMPARE(db.scalar(QStringLiteral("SELECT count(DISTINCT id) FROM events")).toLongLong(), expected);
    QCOMPARE(db.scalar(QStringLiteral("SELECT count(*) FROM runs")).toInt(), 124);
    qInfo("%lld events (%d from threads), %d reader polls", expected, threadEvents.loadRelaxed(), polls);
}

QTEST_GUILESS_MAIN(tst_Concurrency)
#include "tst_concurrency.moc"

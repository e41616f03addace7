#include "db/errors.h"
#include "migrateddb.h"
#include "store/ingestor.h"
#include "store/sampledata.h"
#include "store/store.h"

#include <QBuffer>
#include <QTemporaryDir>
#include <QTest>

using namespace dbdeck;
using dbdeck::test::migratedDatabase;

namespace {

QByteArray lines(std::initializer_list<const char *> items)
{
    QByteArray out;
    for (const char *line : items)
        out += QByteArray(line) + '\n';
    return out;
}

} // namespace

class tst_Ingestor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void loadsRunsAndEventsAndIsIdempotent();
    void assignsMissingSeqAfterStoredOnes();
    void badLines_data();
    void badLines();
    void stopLeavesTheFailedBatchUnwritten();
    void skipWritesTheGoodLinesOfABatch();
    void databaseRefusalsAreReportedPerLine();
    void sampleDataIngestsCleanly();

private:
    IngestResult ingest(const QByteArray &text, IngestOptions options = {});
    int count(const QString &table) { return m_db->scalar(QStringLiteral("SELECT count(*) FROM ") + table).toInt(); }

    QTemporaryDir m_dir;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<Store> m_store;
};

void tst_Ingestor::initTestCase()
{
    DBDECK_SKIP_POSTGRES_RUN_WITHOUT_SERVER();
}

void tst_Ingestor::init()
{
    m_db = migratedDatabase(m_dir.filePath(QLatin1String(QTest::currentTestFunction()) + QStringLiteral(".db")));
    m_store = std::make_unique<Store>(*m_db);
}

void tst_Ingestor::cleanup()
{
    m_store.reset();
    m_db.reset();
}

IngestResult tst_Ingestor::ingest(const QByteArray &text, IngestOptions options)
{
    QByteArray copy = text;
    QBuffer buffer(&copy);
    buffer.open(QIODevice::ReadOnly);
    return Ingestor(*m_db, *m_store, std::move(options)).run(buffer, copy.size());
}

void tst_Ingestor::loadsRunsAndEventsAndIsIdempotent()
{
    const QByteArray text = lines({
        R"({"type":"event","id":"e1","run_id":"r1","seq":1,"kind":"log","message":"before its run, same batch","payload":{"b":1,"a":2.50}})",
        R"({"type":"run","id":"r1","kind":"ingest","status":"running","params":{"source":"s3://x"},"created_at":"2026-11-22T12:00:00+02:00"})",
        "",
        R"({"type":"event","id":"e2","run_id":"r1","seq":2,"level":"warning","kind":"retry","created_at":"2026-11-22T10:00:01Z"})",
    });
    IngestResult r = ingest(text);
    QVERIFY(r.problems.isEmpty());
    QCOMPARE(r.lines, 3);
    QCOMPARE(r.runsAdded, 1);
    QCOMPARE(r.eventsAdded, 2);
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT created_at FROM runs")).toString(), QStringLiteral("2026-11-22 10:00:00.000000"));
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT payload_json FROM events WHERE id = 'e1'")).toString(), QStringLiteral("{\"a\":2.5,\"b\":1}"));
    r = ingest(text);
    QCOMPARE(r.runsAdded + r.eventsAdded, 0);
    QCOMPARE(r.alreadyPresent, 3);
    QCOMPARE(count(QStringLiteral("events")), 2);
}

void tst_Ingestor::assignsMissingSeqAfterStoredOnes()
{
    ingest(lines({R"({"type":"run","id":"r1","kind":"job"})", R"({"type":"event","id":"e1","run_id":"r1","seq":5,"kind":"log"})"}));
    ingest(lines({R"({"type":"event","id":"e2","run_id":"r1","kind":"log"})", R"({"type":"event","id":"e3","run_id":"r1","kind":"log"})"}));
    QSqlQuery q = m_db->exec(QStringLiteral("SELECT seq FROM events ORDER BY seq"));
    QStringList seqs;
    while (q.next())
        seqs << q.value(0).toString();
    QCOMPARE(seqs, (QStringList{QStringLiteral("5"), QStringLiteral("6"), QStringLiteral("7")}));
}

void tst_Ingestor::badLines_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QString>("reason");
    QTest::newRow("not json") << QByteArray("{oops") << "invalid JSON at character 2: expected a \"key\" in an object";
    QTest::newRow("not an object") << QByteArray("[1]") << "expected a JSON object with \"type\": \"run\" or \"event\"";
    QTest::newRow("bad type") << QByteArray(R"({"type":"job","id":"x"})") << "\"type\" must be \"run\" or \"event\", not \"job\"";
    QTest::newRow("no id") << QByteArray(R"({"type":"run","kind":"k"})") << "a run (so that loading the file again adds it once) needs \"id\"";
    QTest::newRow("unknown field") << QByteArray(R"({"type":"run","id":"x","kind":"k","colour":"red"})")
                                   << "unknown field \"colour\" for a run; known: type, id, kind, status, params, error, started_at, finished_at, created_at, updated_at";
    QTest::newRow("bad status") << QByteArray(R"({"type":"run","id":"x","kind":"k","status":"done"})")
                                << "run status \"done\" is not allowed; allowed: queued, running, succeeded, failed, cancelled";
    QTest::newRow("bad time") << QByteArray(R"({"type":"run","id":"x","kind":"k","created_at":"tuesday"})")
                              << "\"created_at\" is not a time: \"tuesday\" (use ISO 8601, e.g. 2026-11-22T10:11:12.5+00:00)";
    QTest::newRow("seq not integer") << QByteArray(R"({"type":"event","id":"e","run_id":"r","kind":"k","seq":1.5})") << "\"seq\" must be a whole number";
    QTest::newRow("kind not string") << QByteArray(R"({"type":"event","id":"e","run_id":"r","kind":7})") << "\"kind\" must be a string";
    QTest::newRow("NaN payload") << QByteArray(R"({"type":"event","id":"e","run_id":"r","kind":"k","payload":{"x":NaN}})")
                                 << "NaN is not allowed in JSON (only finite numbers are)";
}

void tst_Ingestor::badLines()
{
    QFETCH(QByteArray, line);
    QFETCH(QString, reason);
    const IngestResult r = ingest(lines({R"({"type":"run","id":"r","kind":"job"})"}) + line + '\n');
    QCOMPARE(r.problems.size(), 1);
    QCOMPARE(r.problems.first().line, 2);
    QCOMPARE(r.problems.first().reason, reason);
    QVERIFY(r.stopped);
    QCOMPARE(count(QStringLiteral("runs")), 0); // same batch: nothing written
}

void tst_Ingestor::stopLeavesTheFailedBatchUnwritten()
{
    QByteArray text;
    for (int i = 1; i <= 7; ++i)
        text += QStringLiteral(R"({"type":"run","id":"r%1","kind":"job"})").arg(i).toUtf8() + '\n';
    text += "garbage\n";
    IngestOptions options;
    options.batchSize = 3;
    const IngestResult r = ingest(text, options);
    QVERIFY(r.stopped);
    QCOMPARE(r.problems.first().line, 8);
    QCOMPARE(count(QStringLiteral("runs")), 6); // two full batches; the third (r7 + garbage) is not written
}

void tst_Ingestor::skipWritesTheGoodLinesOfABatch()
{
    IngestOptions options;
    options.skipBadLines = true;
    const IngestResult r = ingest(lines({R"({"type":"run","id":"r1","kind":"job"})", "garbage", R"({"type":"run","id":"r2","kind":"job"})"}), options);
    QVERIFY(!r.stopped);
    QCOMPARE(r.problems.size(), 1);
    QCOMPARE(r.problems.first().line, 2);
    QCOMPARE(count(QStringLiteral("runs")), 2);
}

void tst_Ingestor::databaseRefusalsAreReportedPerLine()
{
    const QByteArray text = lines({R"({"type":"run","id":"r1","kind":"job"})",
                                   R"({"type":"event","id":"e1","run_id":"r1","seq":1,"kind":"log"})",
                                   R"({"type":"event","id":"e2","run_id":"nope","seq":1,"kind":"log"})",
                                   R"({"type":"event","id":"e3","run_id":"r1","seq":1,"kind":"log"})"});
    IngestResult stop = ingest(text);
    QCOMPARE(stop.problems.size(), 2);
    QCOMPARE(stop.problems.at(0).line, 3);
    QVERIFY2(stop.problems.at(0).reason.contains(QStringLiteral("foreign key"), Qt::CaseInsensitive), qPrintable(stop.problems.at(0).reason));
    QCOMPARE(stop.problems.at(1).line, 4);
    QVERIFY2(stop.problems.at(1).reason.contains(QStringLiteral("uq_events_run_id_seq")), qPrintable(stop.problems.at(1).reason));
    QCOMPARE(count(QStringLiteral("runs")) + count(QStringLiteral("events")), 0);

    IngestOptions skip;
    skip.skipBadLines = true;
    const IngestResult r = ingest(text, skip);
    QCOMPARE(r.problems.size(), 2);
    QCOMPARE(r.runsAdded, 1);
    QCOMPARE(r.eventsAdded, 1);
    QCOMPARE(count(QStringLiteral("events")), 1);
}

void tst_Ingestor::sampleDataIngestsCleanly()
{
    QByteArray text;
    for (const QByteArray &line : SampleData::generate(7, 300, 42))
        text += line + '\n';
    IngestOptions options;
    options.batchSize = 50;
    qint64 lastLines = 0;
    int calls = 0;
    options.progress = [&](const IngestProgress &p) {
        QVERIFY(p.lines >= lastLines);
        lastLines = p.lines;
        ++calls;
    };
    const IngestResult r = ingest(text, options);
    QVERIFY2(r.problems.isEmpty(), r.problems.isEmpty() ? "" : qPrintable(r.problems.first().toString()));
    QCOMPARE(r.runsAdded, 7);
    QCOMPARE(r.eventsAdded, 300);
    QVERIFY(calls >= 6);
    QVERIFY(count(QStringLiteral("runs WHERE status = 'failed'")) + count(QStringLiteral("runs WHERE status = 'succeeded'")) > 0);
}

QTEST_GUILESS_MAIN(tst_Ingestor)
#include "tst_ingestor.moc"

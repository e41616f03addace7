#include "db/errors.h"
#include "migrateddb.h"
#include "store/ingestor.h"
#include "store/sampledata.h"
#include "store/store.h"

#include <QBuffer>
#include <QFile>
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
    void readsLinesAsPythonDoes_data();
    void readsLinesAsPythonDoes();
    void byteOrderMarkOnlyAtTheStart();
    void messagesAreCutInCodePoints();
    void neverMigratedDatabaseIsOneError();
    void foreignKeyFailureNamesTheRun();
    void stopAndSkipAtEveryBatchBoundary_data();
    void stopAndSkipAtEveryBatchBoundary();
    void refusedRowInTheMiddleOfABatch_data();
    void refusedRowInTheMiddleOfABatch();
    void exactlyOnceWhenLoadedAgain();
    void batchesEndAtTheirByteLimit();
    void overlongLinesAreRefusedAndPassedBy();
    void stopsWithoutReadingToTheEnd();

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
    // A database of its own for every data row too.
    m_db = migratedDatabase(m_dir.filePath(QStringLiteral("%1-%2.db").arg(QLatin1String(QTest::currentTestFunction()))
                                               .arg(qHash(QByteArray(QTest::currentDataTag())))));
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

void tst_Ingestor::readsLinesAsPythonDoes_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QString>("reason");
    QTest::newRow("invalid UTF-8") << QByteArray("{\"type\":\"run\",\"id\":\"x\",\"kind\":\"k\xff\"}")
                                   << "invalid UTF-8 at byte 33: 0xff cannot start a character";
    QTest::newRow("lone surrogate in kind") << QByteArray(R"({"type":"run","id":"x","kind":"\ud800"})")
                                            << "invalid JSON at character 32: \\ud800 is a lone surrogate (half of a UTF-16 pair without its other half), which cannot be stored as UTF-8";
    QTest::newRow("lone surrogate in an event's message") << QByteArray(R"({"type":"event","id":"e","run_id":"r","kind":"k","message":"a\udfffb"})")
                                                          << "invalid JSON at character 62: \\udfff is a lone surrogate (half of a UTF-16 pair without its other half), which cannot be stored as UTF-8";
    QTest::newRow("\\u with 0x") << QByteArray(R"({"type":"run","id":"x","kind":"\u0x41"})")
                                 << "invalid JSON at character 33: \\u must be followed by four hex digits";
    QTest::newRow("empty run id") << QByteArray(R"({"type":"run","id":"","kind":"k"})")
                                  << "\"id\" must not be empty (it is what makes loading the file again add the run once)";
    QTest::newRow("empty event id") << QByteArray(R"({"type":"event","id":"","run_id":"r","kind":"k"})")
                                    << "\"id\" must not be empty (it is what makes loading the file again add the event once)";
    QTest::newRow("year 10000 in UTC") << QByteArray(R"({"type":"run","id":"x","kind":"k","created_at":"9999-12-31T23:59:59-01:00"})")
                                       << "\"created_at\" is not a time: \"9999-12-31T23:59:59-01:00\" (in UTC it falls in the year 10000; "
                                          "times must fall within the years 1 to 9999 in UTC)";
    QTest::newRow("month 13") << QByteArray(R"({"type":"event","id":"e","run_id":"r","kind":"k","created_at":"2026-13-01"})")
                              << "\"created_at\" is not a time: \"2026-13-01\" (month must be in 1..12)";
    QTest::newRow("4301-digit seq") << QByteArray(R"({"type":"event","id":"e","run_id":"r","kind":"k","seq":)") + QByteArray(4301, '1') + "}"
                                    << "invalid JSON at character 56: an integer with 4301 digits; at most 4300 are allowed (Python's limit for reading integers)";
    QTest::newRow("big seq") << QByteArray(R"({"type":"event","id":"e","run_id":"r","kind":"k","seq":99999999999999999999})")
                             << "\"seq\" must be a whole number";
    QTest::newRow("form feed is not JSON whitespace") << QByteArray("\f{}") << "invalid JSON at character 1: expected a value";
}

void tst_Ingestor::readsLinesAsPythonDoes()
{
    QFETCH(QByteArray, line);
    QFETCH(QString, reason);
    IngestOptions options;
    options.skipBadLines = true;
    const IngestResult r = ingest(lines({R"({"type":"run","id":"r","kind":"job"})"}) + line + "\n" + lines({R"({"type":"run","id":"r2","kind":"job"})"}), options);
    QCOMPARE(r.problems.size(), 1);
    QCOMPARE(r.problems.first().line, 2);
    QCOMPARE(r.problems.first().reason, reason);
    QCOMPARE(count(QStringLiteral("runs")), 2);
    QCOMPARE(count(QStringLiteral("runs WHERE id NOT IN ('r', 'r2')")), 0); // nothing stored as "?" or U+FFFD
}

void tst_Ingestor::byteOrderMarkOnlyAtTheStart()
{
    IngestOptions options;
    options.skipBadLines = true;
    const IngestResult r = ingest("\xef\xbb\xbf" + lines({R"({"type":"run","id":"r1","kind":"job"})"}) + "\xef\xbb\xbf"
                                      + lines({R"({"type":"run","id":"r2","kind":"job"})"}),
                                  options);
    QCOMPARE(r.runsAdded, 1);
    QCOMPARE(r.problems.size(), 1);
    QCOMPARE(r.problems.first().line, 2);
    QCOMPARE(r.problems.first().reason, QStringLiteral("invalid JSON at character 1: expected a value"));
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT id FROM runs")).toString(), QStringLiteral("r1"));
}

void tst_Ingestor::messagesAreCutInCodePoints()
{
    // 3998 'a' and then U+1F600 (a surrogate pair in UTF-16): 4001 code points, as Python's len().
    const QString emoji = QString::fromUcs4(U"\U0001F600");
    const QString message = QString(3990, QLatin1Char('a')) + QString(11, QChar()).replace(QChar(), emoji);
    QCOMPARE(message.toUcs4().size(), 4001);
    const QByteArray line = R"({"type":"event","id":"e1","run_id":"r","kind":"k","message":")" + message.toUtf8() + "\"}";
    const IngestResult r = ingest(lines({R"({"type":"run","id":"r","kind":"job"})"}) + line + '\n');
    QVERIFY2(r.problems.isEmpty(), r.problems.isEmpty() ? "" : qPrintable(r.problems.first().toString()));
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT message_original_length FROM events")).toInt(), 4001);
    const QString stored = m_db->scalar(QStringLiteral("SELECT message FROM events")).toString();
    const QString marker = QStringLiteral(" … [truncated from 4001 characters]");
    QVERIFY2(stored.endsWith(marker), qPrintable(stored.right(60)));
    QCOMPARE(stored.toUcs4().size(), 4000);
    QVERIFY(!stored.contains(QLatin1Char('?')) && !stored.contains(QChar(0xFFFD)));
    const QString kept = stored.chopped(marker.size());
    QCOMPARE(kept, message.left(kept.size()));
    QVERIFY(!kept.back().isHighSurrogate());
}

void tst_Ingestor::neverMigratedDatabaseIsOneError()
{
    if (dbdeck::test::testingPostgres())
        QSKIP("SQLite: a file that is not created; the PostgreSQL side is in tst_cliingest");
    const QString path = m_dir.filePath(QStringLiteral("never-migrated.db"));
    Database db(dbdeck::test::configFor(dbdeck::test::sqliteUrl(path)));
    Store store(db);
    QByteArray text = lines({R"({"type":"run","id":"r1","kind":"job"})", R"({"type":"run","id":"r2","kind":"job"})"});
    QBuffer buffer(&text);
    buffer.open(QIODevice::ReadOnly);
    try {
        Ingestor(db, store).run(buffer);
        QFAIL("no DbError");
    } catch (const ConflictError &) {
        QFAIL("a line's error, not the database's");
    } catch (const DbError &error) {
        QCOMPARE(error.message(), QStringLiteral("sqlite:///%1 has no runs and events tables: the database has not been migrated. "
                                                 "Run `dbdeck-cli upgrade` first.").arg(path));
    }
    QVERIFY(!QFile::exists(path));
}

void tst_Ingestor::foreignKeyFailureNamesTheRun()
{
    IngestOptions options;
    options.skipBadLines = true;
    const IngestResult r = ingest(lines({R"({"type":"run","id":"r1","kind":"job"})", R"({"type":"event","id":"e1","run_id":"r-404","kind":"log"})"}), options);
    QCOMPARE(r.problems.size(), 1);
    QCOMPARE(r.problems.first().line, 2);
    QCOMPARE(r.problems.first().reason, QStringLiteral("no run has the id \"r-404\" that \"run_id\" names: load the run first, earlier "
                                                       "in this file or in the same batch (foreign key fk_events_run_id_runs)"));
}

namespace {

// n run lines r1..rn, line `bad` replaced by one the parser refuses.
QByteArray runLines(int n, int bad)
{
    QByteArray text;
    for (int i = 1; i <= n; ++i)
        text += i == bad ? QByteArray("{\"type\":\"run\"}\n") : QStringLiteral(R"({"type":"run","id":"r%1","kind":"job"})").arg(i).toUtf8() + '\n';
    return text;
}

} // namespace

void tst_Ingestor::stopAndSkipAtEveryBatchBoundary_data()
{
    QTest::addColumn<int>("batchSize");
    QTest::addColumn<int>("bad");
    // Every row is a database of its own, which PostgreSQL makes slowly: fewer rows there (the
    // batching is the same code on both).
    const bool few = dbdeck::test::testingPostgres();
    for (int batchSize : {1, 2, 3, 5, 7, 1000}) {
        for (int bad : {1, 2, 3, 5, 6, 7, 8, 14, 15, 20}) {
            if (batchSize == 1000 && bad > 3 && bad < 20)
                continue;
            if (few && ((batchSize != 3 && batchSize != 1000) || (bad != 1 && bad != 3 && bad != 7 && bad != 20)))
                continue;
            QTest::addRow("batch %d, bad line %d", batchSize, bad) << batchSize << bad;
        }
    }
}

void tst_Ingestor::stopAndSkipAtEveryBatchBoundary()
{
    QFETCH(int, batchSize);
    QFETCH(int, bad);
    const int n = 20;
    IngestOptions options;
    options.batchSize = batchSize;
    QList<qint64> progressLines;
    options.progress = [&](const IngestProgress &p) { progressLines << p.lines; };
    IngestResult r = ingest(runLines(n, bad), options);
    // Stop: the batches before the bad line's are written, its own is not, nothing after it is read.
    const int written = (bad - 1) / batchSize * batchSize;
    QVERIFY(r.stopped);
    QCOMPARE(r.lines, bad);
    QCOMPARE(r.runsAdded, written);
    QCOMPARE(r.problems.size(), 1);
    QCOMPARE(r.problems.first().line, bad);
    QCOMPARE(r.problems.first().reason, QStringLiteral("a run (so that loading the file again adds it once) needs \"id\""));
    QCOMPARE(count(QStringLiteral("runs")), written);
    QCOMPARE(progressLines.size(), written / batchSize);
    for (int i = 0; i < progressLines.size(); ++i)
        QCOMPARE(progressLines.at(i), qint64(i + 1) * batchSize);

    // Skip: every good line, once, whatever was loaded before.
    options.skipBadLines = true;
    progressLines.clear();
    r = ingest(runLines(n, bad), options);
    QVERIFY(!r.stopped);
    QCOMPARE(r.lines, n);
    QCOMPARE(r.runsAdded, n - 1 - written);
    QCOMPARE(r.alreadyPresent, written);
    QCOMPARE(r.problems.size(), 1);
    QCOMPARE(r.problems.first().line, bad);
    QCOMPARE(count(QStringLiteral("runs")), n - 1);
    QCOMPARE(progressLines.last(), n);
}

void tst_Ingestor::refusedRowInTheMiddleOfABatch_data()
{
    QTest::addColumn<bool>("skip");
    QTest::newRow("stop") << false;
    QTest::newRow("skip") << true;
}

void tst_Ingestor::refusedRowInTheMiddleOfABatch()
{
    QFETCH(bool, skip);
    // Batches of 4: lines 1-4, 5-8 (line 6 clashes with line 5 on (run_id, seq)), 9-10.
    QByteArray text = lines({R"({"type":"run","id":"r","kind":"job"})"});
    for (int i = 2; i <= 10; ++i)
        text += QStringLiteral(R"({"type":"event","id":"e%1","run_id":"r","seq":%2,"kind":"log"})").arg(i).arg(i == 6 ? 5 : i).toUtf8() + '\n';
    IngestOptions options;
    options.batchSize = 4;
    options.skipBadLines = skip;
    const IngestResult r = ingest(text, options);
    QCOMPARE(r.problems.size(), 1);
    QCOMPARE(r.problems.first().line, 6);
    QVERIFY2(r.problems.first().reason.contains(QStringLiteral("uq_events_run_id_seq")), qPrintable(r.problems.first().reason));
    if (skip) {
        QVERIFY(!r.stopped);
        QCOMPARE(r.lines, 10);
        QCOMPARE(count(QStringLiteral("events")), 8);
        QCOMPARE(count(QStringLiteral("events WHERE id = 'e6'")), 0);
    } else {
        QVERIFY(r.stopped);
        QCOMPARE(r.lines, 8); // to the end of the refused line's batch
        QCOMPARE(count(QStringLiteral("events")), 3); // the first batch only
        QCOMPARE(count(QStringLiteral("events WHERE id = 'e5'")), 0);
    }
}

void tst_Ingestor::exactlyOnceWhenLoadedAgain()
{
    QByteArray text;
    for (const QByteArray &line : SampleData::generate(3, 500, 7))
        text += line + '\n';
    text.insert(text.indexOf('\n', text.size() / 2) + 1, "not json\n");
    IngestOptions options;
    options.batchSize = 64;
    options.skipBadLines = true;
    const IngestResult first = ingest(text, options);
    QCOMPARE(first.problems.size(), 1);
    QCOMPARE(first.runsAdded + first.eventsAdded, 503);
    for (int again = 0; again < 2; ++again) {
        const IngestResult r = ingest(text, options);
        QCOMPARE(r.runsAdded + r.eventsAdded, 0);
        QCOMPARE(r.alreadyPresent, 503);
        QCOMPARE(r.problems.size(), 1);
        QCOMPARE(r.problems.first().line, first.problems.first().line);
    }
    QCOMPARE(count(QStringLiteral("events")), 500);
    QCOMPARE(count(QStringLiteral("(SELECT run_id, seq FROM events GROUP BY run_id, seq HAVING count(*) > 1) AS twice")), 0);
}

void tst_Ingestor::batchesEndAtTheirByteLimit()
{
    // Ten events of ~3 KB each; batches of at most 8 KB of rows hold two or three of them, so the
    // refused line 9 takes only its own batch with it (stop), not all of them.
    QByteArray text = lines({R"({"type":"run","id":"r","kind":"job"})"});
    for (int i = 2; i <= 11; ++i) {
        const QByteArray seq = QByteArray::number(i == 9 ? 2 : i);
        text += R"({"type":"event","id":"e)" + QByteArray::number(i) + R"(","run_id":"r","seq":)" + seq + R"(,"kind":"log","message":")"
                + QByteArray(3000, 'm') + "\"}\n";
    }
    IngestOptions options;
    options.maxBatchBytes = 8 * 1024;
    QList<qint64> progressLines;
    options.progress = [&](const IngestProgress &p) { progressLines << p.lines; };
    const IngestResult r = ingest(text, options);
    QVERIFY(r.stopped);
    QCOMPARE(r.problems.size(), 1);
    QCOMPARE(r.problems.first().line, 9);
    QVERIFY(progressLines.size() >= 2);
    const int written = count(QStringLiteral("events"));
    QVERIFY2(written >= 4 && written <= 7, qPrintable(QString::number(written)));
    QCOMPARE(count(QStringLiteral("events WHERE id IN ('e9', 'e10', 'e11')")), 0);
}

void tst_Ingestor::overlongLinesAreRefusedAndPassedBy()
{
    IngestOptions options;
    options.skipBadLines = true;
    options.maxLineBytes = 64 * 1024;
    const QByteArray longLine = R"({"type":"run","id":"long","kind":"job","params":{"x":")" + QByteArray(300 * 1024, 'x') + "\"}}";
    const IngestResult r = ingest(lines({R"({"type":"run","id":"r1","kind":"job"})"}) + longLine + "\n\n"
                                      + lines({R"({"type":"run","id":"r2","kind":"job"})", "oops"}),
                                  options);
    QCOMPARE(r.problems.size(), 2);
    QCOMPARE(r.problems.at(0).line, 2);
    QCOMPARE(r.problems.at(0).reason, QStringLiteral("the line is %1 bytes long; lines may have at most 65536 (store large payloads "
                                                     "elsewhere and give their location as payload_uri)").arg(longLine.size()));
    QCOMPARE(r.problems.at(1).line, 5);
    QCOMPARE(r.runsAdded, 2);
}

void tst_Ingestor::stopsWithoutReadingToTheEnd()
{
    // The parsing thread reads ahead, but a stop at line 2 reports nothing from further on.
    QByteArray text = lines({R"({"type":"run","id":"r1","kind":"job"})", "bad"});
    for (int i = 0; i < 20000; ++i)
        text += "also bad " + QByteArray::number(i) + '\n';
    const IngestResult r = ingest(text);
    QVERIFY(r.stopped);
    QCOMPARE(r.lines, 2);
    QCOMPARE(r.problems.size(), 1);
    QCOMPARE(count(QStringLiteral("runs")), 0);
}

QTEST_GUILESS_MAIN(tst_Ingestor)
#include "tst_ingestor.moc"

#include "db/errors.h"
#include "migrateddb.h"
#include "store/store.h"
#include "store/uuid7.h"

#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace dbdeck;
using dbdeck::test::migratedDatabase;

class tst_Store : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void startAndReadARun();
    void appendAssignsSeqPerRunAndContinues();
    void duplicateSeqIsAConflictAndWritesNothing();
    void unknownRunIsNotFound();
    void finishRun();
    void invalidValuesAreRefusedBeforeWriting_data();
    void invalidValuesAreRefusedBeforeWriting();
    void longMessagesAreTruncatedVisibly();
    void messagesAreCutInCodePoints();
    void oversizedPayloadIsRefused();
    void recentRunsFilterAndOrder();
    void recentEventsByLevelAndRun();
    void rowsFromThePythonApplicationSortTogether();
    void concurrentAppendsNeverRaceOnSeq();

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<Store> m_store;
};

void tst_Store::initTestCase()
{
    DBDECK_SKIP_POSTGRES_RUN_WITHOUT_SERVER();
}

void tst_Store::init()
{
    m_db = migratedDatabase(m_dir.filePath(QLatin1String(QTest::currentTestFunction()) + QStringLiteral(".db")));
    m_store = std::make_unique<Store>(*m_db);
}

void tst_Store::cleanup()
{
    m_store.reset();
    m_db.reset();
}

void tst_Store::startAndReadARun()
{
    JsonValue params = JsonValue::parse("{\"z\":1,\"a\":[1.0,\"é\"]}");
    const Run started = m_store->startRun({QString(), QStringLiteral("ingest"), QStringLiteral("running"), params, std::nullopt});
    QVERIFY(Uuid7::isValid(started.id));
    const Run read = m_store->run(started.id);
    QCOMPARE(read.kind, QStringLiteral("ingest"));
    QCOMPARE(read.status, QStringLiteral("running"));
    QVERIFY(read.startedAt);
    QVERIFY(!read.finishedAt);
    QCOMPARE(read.createdAt, started.createdAt);
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT params_json FROM runs WHERE id = ?"), {started.id}).toString(),
             QStringLiteral("{\"a\":[1.0,\"é\"],\"z\":1}"));
    QVERIFY(QRegularExpression(QStringLiteral("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6}$"))
                .match(m_db->scalar(QStringLiteral("SELECT created_at FROM runs")).toString()).hasMatch());
}

void tst_Store::appendAssignsSeqPerRunAndContinues()
{
    const Run a = m_store->startRun({QString(), QStringLiteral("job"), QStringLiteral("running"), JsonValue::object(), std::nullopt});
    const Run b = m_store->startRun({QString(), QStringLiteral("job"), QStringLiteral("running"), JsonValue::object(), std::nullopt});
    NewEvent e;
    e.kind = QStringLiteral("log");
    e.message = QStringLiteral("hello");
    e.payload = JsonValue::parse("{\"n\":1}");
    QList<Event> first = m_store->appendEvents(a.id, {e, e, e});
    QCOMPARE(first.at(2).seq, 3);
    m_store->appendEvents(b.id, {e});
    const QList<Event> second = m_store->appendEvents(a.id, {e, e});
    QCOMPARE(second.at(0).seq, 4);
    QCOMPARE(second.at(1).seq, 5);
    const QList<Event> events = m_store->recentEvents({100, a.id, QString(), true}); // oldest first
    QCOMPARE(events.size(), 5);
    for (int i = 0; i < 5; ++i)
        QCOMPARE(events.at(i).seq, i + 1);
    QCOMPARE(events.first().payload->canonical(), QByteArray("{\"n\":1}"));
    QCOMPARE(m_store->recentEvents({100, b.id, QString()}).first().seq, 1);
    QCOMPARE(m_store->recentEvents({100, a.id, QString()}).first().seq, 5); // by default the newest first
}

void tst_Store::duplicateSeqIsAConflictAndWritesNothing()
{
    const Run r = m_store->startRun({QStringLiteral("run-1"), QStringLiteral("job"), QStringLiteral("running"), JsonValue::object(), std::nullopt});
    NewEvent e;
    e.kind = QStringLiteral("log");
    e.seq = 1;
    m_store->appendEvents(r.id, {e});
    NewEvent fresh = e;
    fresh.seq = 2;
    try {
        m_store->appendEvents(r.id, {fresh, e});
        QFAIL("no ConflictError");
    } catch (const ConflictError &error) {
        // SQLite cannot say the values of a multi-row insert; PostgreSQL's detail does.
        QVERIFY2(error.message() == QStringLiteral("events (run_id, seq) already has those values (uq_events_run_id_seq)")
                     || error.message() == QStringLiteral("events (run_id, seq) already has the values (\"run-1\", \"1\") (uq_events_run_id_seq)"),
                 qPrintable(error.message()));
    }
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT count(*) FROM events")).toInt(), 1);
    // Re-sending an event with the same id is a conflict too, never a silent duplicate.
    const Event existing = m_store->recentEvents({1, r.id, QString()}).first();
    NewEvent again;
    again.id = existing.id;
    again.kind = QStringLiteral("log");
    QVERIFY_THROWS_EXCEPTION(ConflictError, m_store->appendEvents(r.id, {again}));
}

void tst_Store::unknownRunIsNotFound()
{
    NewEvent e;
    e.kind = QStringLiteral("log");
    try {
        m_store->appendEvents(QStringLiteral("missing-run"), {e});
        QFAIL("no NotFoundError");
    } catch (const NotFoundError &error) {
        QCOMPARE(error.message(), QStringLiteral("no run with id missing-run"));
    }
    QVERIFY_THROWS_EXCEPTION(NotFoundError, m_store->run(QStringLiteral("missing-run")));
    QVERIFY_THROWS_EXCEPTION(NotFoundError, m_store->finishRun(QStringLiteral("missing-run"), QStringLiteral("failed")));
}

void tst_Store::finishRun()
{
    const Run r = m_store->startRun({QString(), QStringLiteral("job"), QStringLiteral("queued"), JsonValue::object(), std::nullopt});
    QVERIFY(!r.startedAt);
    const Run done = m_store->finishRun(r.id, QStringLiteral("failed"), QStringLiteral("disk full"));
    QCOMPARE(done.status, QStringLiteral("failed"));
    QCOMPARE(done.error, QStringLiteral("disk full"));
    QVERIFY(done.finishedAt && done.startedAt);
    try {
        m_store->finishRun(r.id, QStringLiteral("running"));
        QFAIL("no ConstraintError");
    } catch (const ConstraintError &error) {
        QCOMPARE(error.message(), QStringLiteral("final run status \"running\" is not allowed; allowed: succeeded, failed, cancelled"));
    }
}

void tst_Store::invalidValuesAreRefusedBeforeWriting_data()
{
    QTest::addColumn<QString>("level");
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("message");
    QTest::newRow("level") << "fatal" << "log" << "event level \"fatal\" is not allowed; allowed: debug, info, warning, error";
    QTest::newRow("no kind") << "info" << " " << "an event needs a kind (e.g. \"log\")";
}

void tst_Store::invalidValuesAreRefusedBeforeWriting()
{
    QFETCH(QString, level);
    QFETCH(QString, kind);
    QFETCH(QString, message);
    const Run r = m_store->startRun({QString(), QStringLiteral("job"), QStringLiteral("running"), JsonValue::object(), std::nullopt});
    NewEvent good;
    good.kind = QStringLiteral("log");
    NewEvent bad;
    bad.level = level;
    bad.kind = kind;
    try {
        m_store->appendEvents(r.id, {good, bad});
        QFAIL("no ConstraintError");
    } catch (const ConstraintError &error) {
        QCOMPARE(error.message(), message);
    }
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT count(*) FROM events")).toInt(), 0);
    try {
        m_store->startRun({QString(), QStringLiteral("job"), QStringLiteral("paused"), JsonValue::object(), std::nullopt});
        QFAIL("no ConstraintError");
    } catch (const ConstraintError &error) {
        QCOMPARE(error.message(), QStringLiteral("run status \"paused\" is not allowed; allowed: queued, running, succeeded, failed, cancelled"));
    }
}

void tst_Store::longMessagesAreTruncatedVisibly()
{
    Store small(*m_db, StoreLimits{60, 1024});
    const Run r = small.startRun({QString(), QStringLiteral("job"), QStringLiteral("running"), JsonValue::object(), std::nullopt});
    NewEvent e;
    e.kind = QStringLiteral("log");
    e.message = QString(200, QLatin1Char('x'));
    small.appendEvents(r.id, {e});
    const Event stored = small.recentEvents({1, r.id, QString()}).first();
    QCOMPARE(stored.message.size(), 60);
    QVERIFY(stored.message.endsWith(QStringLiteral(" … [truncated from 200 characters]")));
    QCOMPARE(*stored.messageOriginalLength, 200);
    e.message = QString(60, QLatin1Char('y'));
    small.appendEvents(r.id, {e});
    QVERIFY(!small.recentEvents({10, r.id, QString()}).first().messageOriginalLength); // the newest
}

void tst_Store::messagesAreCutInCodePoints()
{
    // Lengths as Python's len() counts them: U+1F600 is one character, though two UTF-16 units.
    Store small(*m_db, StoreLimits{60, 1024});
    const Run r = small.startRun({QStringLiteral("r"), QStringLiteral("job"), QStringLiteral("running"), JsonValue::object(), std::nullopt});
    const QString emoji = QString::fromUcs4(U"\U0001F600");
    NewEvent e;
    e.kind = QStringLiteral("log");
    for (int i = 0; i < 61; ++i)
        e.message += emoji;
    small.appendEvents(r.id, {e});
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT message_original_length FROM events")).toInt(), 61);
    const QString stored = m_db->scalar(QStringLiteral("SELECT message FROM events")).toString();
    const QString marker = QStringLiteral(" … [truncated from 61 characters]");
    QVERIFY(stored.endsWith(marker));
    QCOMPARE(stored.toUcs4().size(), 60);
    QCOMPARE(stored.chopped(marker.size()), QString(e.message.left((60 - 33) * 2)));
    // 60 such characters are not cut at all.
    e.message = e.message.left(120);
    small.appendEvents(r.id, {e});
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT count(*) FROM events WHERE message_original_length IS NULL")).toInt(), 1);
}

void tst_Store::oversizedPayloadIsRefused()
{
    Store small(*m_db, StoreLimits{4000, 100});
    const Run r = small.startRun({QString(), QStringLiteral("job"), QStringLiteral("running"), JsonValue::object(), std::nullopt});
    NewEvent e;
    e.kind = QStringLiteral("blob");
    e.payload = JsonValue::object({{QStringLiteral("data"), JsonValue::string(QString(200, QLatin1Char('z')))}});
    try {
        small.appendEvents(r.id, {e});
        QFAIL("no ConstraintError");
    } catch (const ConstraintError &error) {
        QCOMPARE(error.message(), QStringLiteral("event payload is 211 bytes, over the limit of 100: store it elsewhere and pass its location as payload_uri"));
    }
    e.payload.reset();
    e.payloadUri = QStringLiteral("s3://bucket/blob-1");
    small.appendEvents(r.id, {e});
    QCOMPARE(small.recentEvents({1, r.id, QString()}).first().payloadUri, QStringLiteral("s3://bucket/blob-1"));
}

void tst_Store::recentRunsFilterAndOrder()
{
    const QStringList kinds{QStringLiteral("ingest"), QStringLiteral("report"), QStringLiteral("ingest")};
    QStringList ids;
    for (int i = 0; i < 3; ++i) {
        NewRun n{QString(), kinds.at(i), QStringLiteral("running"), JsonValue::object(),
                 UtcTime::parse(QStringLiteral("2026-11-22T10:00:0%1Z").arg(i))};
        ids << m_store->startRun(n).id;
    }
    m_store->finishRun(ids.at(0), QStringLiteral("failed"), QStringLiteral("timeout talking to upstream"));
    QList<Run> all = m_store->recentRuns({});
    QCOMPARE(all.size(), 3);
    QCOMPARE(all.first().id, ids.at(2)); // newest first
    QCOMPARE(m_store->recentRuns({10, QStringLiteral("failed"), QString(), QString()}).size(), 1);
    QCOMPARE(m_store->recentRuns({10, QString(), QStringLiteral("ingest"), QString()}).size(), 2);
    QCOMPARE(m_store->recentRuns({10, QString(), QString(), QStringLiteral("upstream")}).first().id, ids.at(0));
    QCOMPARE(m_store->recentRuns({1, QString(), QString(), QString()}).size(), 1);
}

void tst_Store::recentEventsByLevelAndRun()
{
    const Run r = m_store->startRun({QString(), QStringLiteral("job"), QStringLiteral("running"), JsonValue::object(), std::nullopt});
    QList<NewEvent> batch;
    for (const QString &level : Event::levels()) {
        NewEvent e;
        e.kind = QStringLiteral("log");
        e.level = level;
        batch << e;
    }
    m_store->appendEvents(r.id, batch);
    QCOMPARE(m_store->recentEvents({100, QString(), QStringLiteral("warning")}).size(), 2);
    QCOMPARE(m_store->recentEvents({100, r.id, QStringLiteral("debug")}).size(), 4);
    QCOMPARE(m_store->recentEvents({100, r.id, QStringLiteral("error")}).first().level, QStringLiteral("error"));
    QVERIFY_THROWS_EXCEPTION(ConstraintError, m_store->recentEvents({100, QString(), QStringLiteral("loud")}));
}

void tst_Store::rowsFromThePythonApplicationSortTogether()
{
    // SQLAlchemy writes DateTime on SQLite as "YYYY-MM-DD HH:MM:SS.ffffff"; dbdeck writes the same.
    m_db->exec(QStringLiteral("INSERT INTO runs (id, kind, status, params_json, created_at, updated_at) VALUES "
                              "('py-run', 'legacy', 'succeeded', '{}', '2026-11-22 10:00:01.000000', '2026-11-22 10:00:01.000000')"));
    m_store->startRun({QStringLiteral("early"), QStringLiteral("job"), QStringLiteral("running"), JsonValue::object(),
                       UtcTime::parse(QStringLiteral("2026-11-22T12:00:00.5+02:00"))}); // 10:00:00.5 UTC
    m_store->startRun({QStringLiteral("late"), QStringLiteral("job"), QStringLiteral("running"), JsonValue::object(),
                       UtcTime::parse(QStringLiteral("2026-11-22T10:00:02Z"))});
    QStringList order;
    for (const Run &r : m_store->recentRuns({}))
        order << r.id;
    QCOMPARE(order, (QStringList{QStringLiteral("late"), QStringLiteral("py-run"), QStringLiteral("early")}));
    QCOMPARE(m_store->run(QStringLiteral("py-run")).createdAt.toIso(), QStringLiteral("2026-11-22T10:00:01+00:00"));
}

void tst_Store::concurrentAppendsNeverRaceOnSeq()
{
    const Run r = m_store->startRun({QString(), QStringLiteral("job"), QStringLiteral("running"), JsonValue::object(), std::nullopt});
    QList<QThread *> threads;
    QAtomicInt failures = 0;
    for (int t = 0; t < 4; ++t) {
        threads << QThread::create([&] {
            Store store(*m_db);
            NewEvent e;
            e.kind = QStringLiteral("tick");
            try {
                for (int i = 0; i < 40; ++i)
                    store.appendEvents(r.id, QList<NewEvent>(10, e));
            } catch (const DbError &error) {
                qWarning("%s", qPrintable(error.message()));
                failures.ref();
            }
        });
        threads.last()->start();
    }
    for (QThread *t : threads) {
        QVERIFY(t->wait(60000));
        delete t;
    }
    QCOMPARE(failures.loadRelaxed(), 0);
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT count(*) FROM events")).toInt(), 1600);
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT count(DISTINCT seq) FROM events")).toInt(), 1600);
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT max(seq) FROM events")).toInt(), 1600);
}

QTEST_GUILESS_MAIN(tst_Store)
#include "tst_store.moc"

#include "db/errors.h"
#include "db/transaction.h"
#include "migrateddb.h"
#include "store/recentquery.h"
#include "store/store.h"

#include <QTemporaryDir>
#include <QTest>

using namespace dbdeck;
using dbdeck::test::migratedDatabase;
using dbdeck::test::testingPostgres;

namespace {

// Fills the database in one statement per table, on either backend: `runs` runs, the first of
// which ("big") has `events` events (seq 1..events, every 50th an error).
void fill(Database &db, int runs, int events)
{
    const auto series = [](int n) {
        return testingPostgres() ? QStringLiteral("SELECT generate_series(1, ") + QString::number(n) + QStringLiteral(") AS i")
                                 : QStringLiteral("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ") + QString::number(n)
                + QStringLiteral(") SELECT i FROM n");
    };
    // Six digits, zero-padded (no QString::arg here: printf's % would be taken for a marker).
    const auto pad = [](const QString &expression) {
        return testingPostgres() ? QStringLiteral("lpad(CAST(") + expression + QStringLiteral(" AS TEXT), 6, '0')")
                                 : QStringLiteral("substr('000000' || (") + expression + QStringLiteral("), -6)");
    };
    Transaction tx(db, Transaction::Mode::Write);
    db.exec(QStringLiteral("INSERT INTO runs (id, kind, status, created_at, updated_at) SELECT 'run-' || ") + pad(QStringLiteral("i"))
            + QStringLiteral(", CASE WHEN i % 3 = 0 THEN 'report' ELSE 'ingest' END, CASE WHEN i % 10 = 0 THEN 'failed' ELSE 'succeeded' END, "
                             "'2026-01-01 00:00:00.' || ") + pad(QStringLiteral("i / 7")) + QStringLiteral(", 't' FROM (") + series(runs) + QStringLiteral(") s"));
    db.exec(QStringLiteral("UPDATE runs SET id = 'big' WHERE id = 'run-000001'"));
    db.exec(QStringLiteral("INSERT INTO events (id, run_id, seq, level, kind, created_at) SELECT 'e-' || i, 'big', i, "
                           "CASE WHEN i % 50 = 0 THEN 'error' ELSE 'info' END, 'log', '2026-01-02 00:00:00.' || ") + pad(QStringLiteral("i % 1000"))
            + QStringLiteral(" FROM (") + series(events) + QStringLiteral(") s"));
    tx.commit();
    if (testingPostgres())
        db.exec(QStringLiteral("ANALYZE"));
}

// The plan of a statement as one text, on the test's backend.
QString planOf(Database &db, const SqlQueryText &q)
{
    if (testingPostgres()) {
        // PostgreSQL cannot PREPARE an EXPLAIN (how QPSQL binds values), so the values go in as
        // literals; the statements contain no '?' of their own.
        QString sql = q.sql;
        for (const QVariant &value : q.params) {
            const qsizetype at = sql.indexOf(QLatin1Char('?'));
            if (at < 0)
                qFatal("more values than placeholders in %s", qPrintable(q.sql));
            const QString literal = value.typeId() == QMetaType::QString
                ? QLatin1Char('\'') + value.toString().replace(QLatin1Char('\''), QStringLiteral("''")) + QLatin1Char('\'')
                : value.toString();
            sql.replace(at, 1, literal);
        }
        QSqlQuery plan = db.exec(QStringLiteral("EXPLAIN ") + sql);
        QStringList lines;
        while (plan.next())
            lines << plan.value(0).toString();
        return lines.join(QLatin1Char('\n'));
    }
    QSqlQuery plan = db.exec(QStringLiteral("EXPLAIN QUERY PLAN ") + q.sql, q.params);
    QStringList lines;
    while (plan.next())
        lines << plan.value(3).toString();
    return lines.join(QLatin1Char('\n'));
}

} // namespace

// The statements behind recent runs and events: keyset pages that neither skip nor repeat rows,
// and plans that are index range scans, also on a run of 100,000 events, on both backends.
class tst_RecentQuery : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void cleanup();
    void aRunsEventsPageByPageNewestFirst();
    void aRunsEventsOldestFirstAndTheTail();
    void runsPageByPageThroughTies();
    void aRefreshCoversWhatIsShownAndWhatIsNew();
    void countsFollowTheFilters();
    void badFiltersAreRefused();
    void pagesAreIndexRangeScans_data();
    void pagesAreIndexRangeScans();

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<Store> m_store;
    std::unique_ptr<Database> m_big;
};

void tst_RecentQuery::initTestCase()
{
    DBDECK_SKIP_POSTGRES_RUN_WITHOUT_SERVER();
}

void tst_RecentQuery::cleanupTestCase()
{
    m_big.reset();
}

void tst_RecentQuery::init()
{
    m_db = migratedDatabase(m_dir.filePath(QLatin1String(QTest::currentTestFunction()) + QLatin1String(QTest::currentDataTag()) + QStringLiteral(".db")));
    m_store = std::make_unique<Store>(*m_db);
}

void tst_RecentQuery::cleanup()
{
    m_store.reset();
    m_db.reset();
}

void tst_RecentQuery::aRunsEventsPageByPageNewestFirst()
{
    fill(*m_db, 5, 1000);
    QList<qint64> seen;
    EventQuery query{300, QStringLiteral("big"), QString()};
    for (;;) {
        const QList<Event> page = m_store->recentEvents(query);
        if (page.isEmpty())
            break;
        for (const Event &e : page)
            seen << e.seq;
        query.beforeSeq = page.last().seq;
    }
    QCOMPARE(seen.size(), 1000);
    for (int i = 0; i < seen.size(); ++i)
        QCOMPARE(seen.at(i), qint64(1000 - i));
    query = EventQuery{300, QStringLiteral("big"), QStringLiteral("error")};
    const QList<Event> errors = m_store->recentEvents(query);
    QCOMPARE(errors.size(), 20);
    QCOMPARE(errors.first().seq, 1000);
}

void tst_RecentQuery::aRunsEventsOldestFirstAndTheTail()
{
    fill(*m_db, 5, 1000);
    EventQuery query{10, QStringLiteral("big"), QString(), true};
    QCOMPARE(m_store->recentEvents(query).first().seq, 1);
    QCOMPARE(m_store->recentEvents(query).last().seq, 10);
    query.afterSeq = 995; // the tail after the newest shown, in order
    const QList<Event> tail = m_store->recentEvents(query);
    QCOMPARE(tail.size(), 5);
    QCOMPARE(tail.first().seq, 996);
    QCOMPARE(tail.last().seq, 1000);
}

void tst_RecentQuery::runsPageByPageThroughTies()
{
    // Seven runs share each created_at: pages cut through the ties by id.
    fill(*m_db, 50, 1);
    QStringList seen;
    RunQuery query{7, QString(), QString(), QString()};
    for (;;) {
        const QList<Run> page = m_store->recentRuns(query);
        if (page.isEmpty())
            break;
        for (const Run &r : page)
            seen << r.id;
        query.olderThan = page.last().id;
    }
    QStringList all;
    for (const Run &r : m_store->recentRuns({1000, QString(), QString(), QString()}))
        all << r.id;
    QCOMPARE(all.size(), 50);
    QCOMPARE(seen, all);
    QStringList failed;
    query = RunQuery{3, QStringLiteral("failed"), QString(), QString()};
    for (;;) {
        const QList<Run> page = m_store->recentRuns(query);
        if (page.isEmpty())
            break;
        for (const Run &r : page)
            failed << r.id;
        query.olderThan = page.last().id;
    }
    QCOMPARE(failed.size(), 5);
}

void tst_RecentQuery::aRefreshCoversWhatIsShownAndWhatIsNew()
{
    fill(*m_db, 20, 1);
    const QList<Run> shown = m_store->recentRuns({5, QString(), QString(), QString()});
    m_db->exec(QStringLiteral("INSERT INTO runs (id, kind, created_at, updated_at) VALUES ('newest', 'k', '2027-01-01 00:00:00.000000', 't')"));
    RunQuery refresh{100, QString(), QString(), QString()};
    refresh.downTo = shown.last().id;
    const QList<Run> fresh = m_store->recentRuns(refresh);
    QCOMPARE(fresh.size(), 6);
    QCOMPARE(fresh.first().id, QStringLiteral("newest"));
    QCOMPARE(fresh.last().id, shown.last().id);
}

void tst_RecentQuery::countsFollowTheFilters()
{
    fill(*m_db, 30, 1000);
    QCOMPARE(m_store->countEvents({1, QStringLiteral("big"), QString()}), 1000);
    QCOMPARE(m_store->countEvents({1, QStringLiteral("big"), QStringLiteral("error")}), 20);
    QCOMPARE(m_store->countRuns({}), 30);
    QCOMPARE(m_store->countRuns({1, QStringLiteral("failed"), QString(), QString()}), 3);
    QCOMPARE(m_store->countRuns({1, QString(), QStringLiteral("report"), QString()}), 10);
}

void tst_RecentQuery::badFiltersAreRefused()
{
    QVERIFY_THROWS_EXCEPTION(ConstraintError, RecentQuery::runs({1, QStringLiteral("borked"), QString(), QString()}));
    QVERIFY_THROWS_EXCEPTION(ConstraintError, RecentQuery::eventCount({1, QString(), QStringLiteral("loud")}));
}

void tst_RecentQuery::pagesAreIndexRangeScans_data()
{
    QTest::addColumn<int>("which");
    QTest::newRow("a run's newest events") << 0;
    QTest::newRow("a run's next page") << 1;
    QTest::newRow("a run's errors, next page") << 2;
    QTest::newRow("a run's oldest events") << 3;
    QTest::newRow("a run's tail") << 4;
    QTest::newRow("a run's event count") << 5;
    QTest::newRow("the newest events of all runs, next page") << 6;
    QTest::newRow("the newest runs, next page") << 7;
    QTest::newRow("failed runs, next page") << 8;
}

void tst_RecentQuery::pagesAreIndexRangeScans()
{
    QFETCH(int, which);
    if (!m_big) { // one database of 20,000 runs and a run of 100,000 events for every row
        m_big = migratedDatabase(m_dir.filePath(QStringLiteral("big.db")));
        fill(*m_big, 20000, 100000);
    }
    EventQuery events{200, QStringLiteral("big"), QString()};
    RunQuery runs{200, QString(), QString(), QString()};
    SqlQueryText q;
    switch (which) {
    case 0: q = RecentQuery::events(events); break;
    case 1: events.beforeSeq = 50000; q = RecentQuery::events(events); break;
    case 2: events.beforeSeq = 50000; events.minLevel = QStringLiteral("error"); q = RecentQuery::events(events); break;
    case 3: events.oldestFirst = true; q = RecentQuery::events(events); break;
    case 4: events.oldestFirst = true; events.afterSeq = 99990; q = RecentQuery::events(events); break;
    case 5: // a run among many: counting all 100,000 of "big" (every event) is rightly a table scan on PostgreSQL
        events.runId = QStringLiteral("run-000001");
        q = RecentQuery::eventCount(events);
        break;
    case 6: events.runId.clear(); events.olderThan = QStringLiteral("e-500"); q = RecentQuery::events(events); break;
    case 7: runs.olderThan = QStringLiteral("run-010000"); q = RecentQuery::runs(runs); break;
    case 8: runs.status = QStringLiteral("failed"); runs.olderThan = QStringLiteral("run-010000"); q = RecentQuery::runs(runs); break;
    }
    const QString plan = planOf(*m_big, q);
    if (testingPostgres()) {
        QVERIFY2(plan.contains(QStringLiteral("Index")), qPrintable(plan));
        QVERIFY2(!plan.contains(QStringLiteral("Seq Scan on events")) && !plan.contains(QStringLiteral("Seq Scan on runs")), qPrintable(plan));
        if (which <= 4)
            QVERIFY2(!plan.contains(QStringLiteral("Sort")), qPrintable(plan)); // read in order from the index
    } else {
        QVERIFY2(plan.contains(QStringLiteral("SEARCH events USING")) || plan.contains(QStringLiteral("SEARCH runs USING")), qPrintable(plan));
        QVERIFY2(!plan.contains(QStringLiteral("SCAN events")) && !plan.contains(QStringLiteral("SCAN runs")), qPrintable(plan));
        // A sort of the rows that tie on created_at (RIGHT PART) is bounded; a sort of all is not.
        QVERIFY2(!plan.contains(QStringLiteral("USE TEMP B-TREE FOR ORDER BY")), qPrintable(plan));
    }
}

QTEST_GUILESS_MAIN(tst_RecentQuery)
#include "tst_recentquery.moc"

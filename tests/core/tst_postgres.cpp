#include "admin/countsexport.h"
#include "admin/healthcheck.h"
#include "admin/resetter.h"
#include "admin/tablecounter.h"
#include "db/database.h"
#include "db/errors.h"
#include "db/statementinterrupter.h"
#include "db/transaction.h"
#include "migrate/migrationerror.h"
#include "migrate/migrator.h"
#include "pgtestdatabase.h"
#include "store/ingestor.h"
#include "store/store.h"
#include "testsupport.h"
#include "untilfinished.h"

#include <QBuffer>
#include <QDir>
#include <QStandardPaths>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace dbdeck;
using dbdeck::test::PgTestDatabase;
using dbdeck::test::configFor;

// The core on a real PostgreSQL server: connections, errors by SQLSTATE, transactions,
// migrations with the advisory lock, the store, ingestion, counts. (tst_store, tst_ingestor and
// tst_migrator also run whole on PostgreSQL: registered a second time with DBDECK_TEST_BACKEND.)
class tst_Postgres : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void connectsAndReportsNoPragmas();
    void connectionFailureNamesWhereButNotThePassword();
    void urlQueryParametersReachLibpq();
    void errorsAreClassifiedBySqlState();
    void transactionsCommitRollBackAndNest();
    void shippedMigrationsRunUnchanged();
    void dollarQuotingAndCreateIndexConcurrently();
    void advisoryLockShowsItsHolderAndTimesOut();
    void storeAndIngestion();
    void prePingReconnectsAfterTheServerDroppedTheConnection();
    void countsIncludeAnEstimateForLargeTables();
    void aRunningStatementCanBeCancelledFromAnotherThread();
    void healthFindsTheCriticalIndexes();
    void resetBacksUpWithPgDumpAndReapplies();

private:
    DbConfig config() { return configFor(m_pg->url()); }
    void migrate(Database &db) { Migrator(db, MigrationSet::load(QStringLiteral(DBDECK_SOURCE_DIR "/migrations"))).upgrade({}); }

    std::unique_ptr<PgTestDatabase> m_pg;
    std::unique_ptr<Database> m_db;
};

void tst_Postgres::initTestCase()
{
    if (PgTestDatabase::serverUrl().isEmpty())
        QSKIP("DBDECK_TEST_PG_URL is not set: the PostgreSQL suite did not run (scripts/test.sh starts a server)");
}

void tst_Postgres::init()
{
    m_pg = std::make_unique<PgTestDatabase>(QStringLiteral("dbdeck_core"));
    m_db = std::make_unique<Database>(config());
}

void tst_Postgres::cleanup()
{
    m_db.reset();
    m_pg.reset();
}

void tst_Postgres::connectsAndReportsNoPragmas()
{
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT 1")).toInt(), 1);
    QCOMPARE(m_db->backend(), Backend::Postgres);
    const auto settings = m_db->connections().first().pragmas;
    QVERIFY(std::any_of(settings.cbegin(), settings.cend(), [](const PragmaReading &p) {
        return p.name == QLatin1String("server_version") && p.effective.startsWith(QLatin1String("15")) && p.matches();
    }));
    QCOMPARE(m_db->scalar(QStringLiteral("SHOW application_name")).toString(), QStringLiteral("dbdeck"));
}

void tst_Postgres::connectionFailureNamesWhereButNotThePassword()
{
    Database bad(configFor(QStringLiteral("postgresql://postgres:S3cretPw@127.0.0.1:1/nowhere?connect_timeout=2")));
    try {
        bad.connection();
        QFAIL("connected");
    } catch (const DbError &error) {
        QVERIFY2(error.message().startsWith(QStringLiteral("cannot connect to PostgreSQL at 127.0.0.1:1/nowhere as postgres")), qPrintable(error.message()));
        QVERIFY(!error.message().contains(QStringLiteral("S3cretPw")));
    }
}

void tst_Postgres::urlQueryParametersReachLibpq()
{
    // options=-csearch_path=foo: the application's tables live in schema foo, so must dbdeck's.
    m_db->exec(QStringLiteral("CREATE SCHEMA foo"));
    const QString url = m_pg->url();
    {
        Database db(configFor(url + QStringLiteral("?options=-csearch_path%3Dfoo&application_name=my+app")));
        migrate(db);
        QCOMPARE(db.scalar(QStringLiteral("SHOW application_name")).toString(), QStringLiteral("my app"));
        QCOMPARE(db.scalar(QStringLiteral("SELECT current_schema()")).toString(), QStringLiteral("foo"));
    }
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'foo' "
                                         "AND table_name IN ('runs', 'events')")).toInt(), 2);
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' "
                                         "AND table_name IN ('runs', 'events')")).toInt(), 0);
    // Several hosts, as libpq tries them: a dead one first, then the server.
    const QUrl server(url);
    Database fallback(configFor(QStringLiteral("postgresql://%1@/%2?host=127.0.0.1,%3&port=1,%4&connect_timeout=5")
                                    .arg(server.userName(), m_pg->name(), server.host())
                                    .arg(server.port(5432))));
    QCOMPARE(fallback.scalar(QStringLiteral("SELECT current_database()")).toString(), m_pg->name());
}

void tst_Postgres::errorsAreClassifiedBySqlState()
{
    migrate(*m_db);
    m_db->exec(QStringLiteral("INSERT INTO runs (id, kind, created_at, updated_at) VALUES ('r1', 'k', 't', 't')"));
    try {
        m_db->exec(QStringLiteral("INSERT INTO runs (id, kind, created_at, updated_at) VALUES (:id, 'k', 't', 't')"),
                   QVariantMap{{QStringLiteral("id"), QStringLiteral("r1")}});
        QFAIL("no ConflictError");
    } catch (const ConflictError &error) {
        QCOMPARE(error.nativeCode(), QStringLiteral("23505"));
        QCOMPARE(error.message(), QStringLiteral("runs.id already has the value \"r1\" (pk_runs)"));
        QCOMPARE(error.constraint(), QStringLiteral("pk_runs"));
    }
    const QList<QPair<QString, QString>> cases{
        {QStringLiteral("INSERT INTO runs (id, kind, created_at, updated_at) VALUES ('r2', NULL, 't', 't')"), QStringLiteral("23502")},
        {QStringLiteral("INSERT INTO runs (id, kind, status, created_at, updated_at) VALUES ('r3', 'k', 'exploded', 't', 't')"), QStringLiteral("23514")},
        {QStringLiteral("INSERT INTO events (id, run_id, seq, kind, created_at) VALUES ('e', 'ghost', 1, 'k', 't')"), QStringLiteral("23503")},
    };
    for (const auto &[sql, state] : cases) {
        try {
            m_db->exec(sql);
            QFAIL("no ConstraintError");
        } catch (const ConstraintError &error) {
            QCOMPARE(error.nativeCode(), state);
            QVERIFY2(!error.message().isEmpty(), qPrintable(sql));
        }
    }
}

void tst_Postgres::transactionsCommitRollBackAndNest()
{
    m_db->exec(QStringLiteral("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL)"));
    Database other(config());
    {
        Transaction outer(*m_db, Transaction::Mode::Write);
        m_db->exec(QStringLiteral("INSERT INTO items VALUES (1, 'a')"));
        QVERIFY_THROWS_EXCEPTION(ConstraintError, withTransaction(*m_db, Transaction::Mode::Write, [&] {
            m_db->exec(QStringLiteral("INSERT INTO items VALUES (2, 'b')"));
            m_db->exec(QStringLiteral("INSERT INTO items VALUES (3, NULL)"));
        }));
        QCOMPARE(other.scalar(QStringLiteral("SELECT count(*) FROM items")).toInt(), 0);
        outer.commit();
    }
    QCOMPARE(other.scalar(QStringLiteral("SELECT count(*) FROM items")).toInt(), 1);
}

void tst_Postgres::shippedMigrationsRunUnchanged()
{
    Migrator migrator(*m_db, MigrationSet::load(QStringLiteral(DBDECK_SOURCE_DIR "/migrations")));
    QCOMPARE(migrator.upgrade({}).done.size(), 2);
    StatusReport st = migrator.status();
    QCOMPARE(st.current, 2);
    QVERIFY(st.problems.isEmpty());
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT count(*) FROM pg_indexes WHERE tablename IN ('runs', 'events')")).toInt(), 6);
    MigrationRunOptions o;
    o.target = QStringLiteral("base");
    migrator.downgrade(o);
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT count(*) FROM information_schema.tables WHERE table_name IN ('runs', 'events')")).toInt(), 0);
    QCOMPARE(migrator.journal().size(), 2);
}

void tst_Postgres::dollarQuotingAndCreateIndexConcurrently()
{
    QTemporaryDir dir;
    test::writeFile(dir.filePath(QStringLiteral("0001_fn.sql")),
                    "-- migrate:up\nCREATE TABLE t (x INTEGER);\n"
                    "CREATE FUNCTION bump() RETURNS trigger AS $body$\nBEGIN\n  NEW.x := NEW.x + 1; -- a ; inside\n  RETURN NEW;\nEND;\n$body$ LANGUAGE plpgsql;\n"
                    "CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION bump();\n");
    test::writeFile(dir.filePath(QStringLiteral("0002_index.sql")),
                    "-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY ix_t_x ON t (x);\n");
    Migrator migrator(*m_db, MigrationSet::load(dir.path()));
    QCOMPARE(migrator.upgrade({}).done.size(), 2);
    m_db->exec(QStringLiteral("INSERT INTO t VALUES (1)"));
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT x FROM t")).toInt(), 2);
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT count(*) FROM pg_indexes WHERE indexname = 'ix_t_x'")).toInt(), 1);
}

void tst_Postgres::advisoryLockShowsItsHolderAndTimesOut()
{
    migrate(*m_db);
    Database holderDb(config());
    MigrationLock held(holderDb);
    held.acquire(1000);
    Migrator migrator(*m_db, MigrationSet::load(QStringLiteral(DBDECK_SOURCE_DIR "/migrations")));
    const StatusReport st = migrator.status();
    QVERIFY(st.lock);
    QVERIFY(st.lock->pid > 0);
    MigrationRunOptions o;
    o.lockTimeoutMs = 300;
    try {
        migrator.upgrade(o);
        QFAIL("got the lock");
    } catch (const LockTimeoutError &error) {
        QVERIFY2(error.message().contains(QStringLiteral("pid %1").arg(st.lock->pid)), qPrintable(error.message()));
    }
    held.release();
    QVERIFY(migrator.upgrade(o).done.isEmpty());
    QVERIFY(!migrator.status().lock);
}

void tst_Postgres::storeAndIngestion()
{
    migrate(*m_db);
    try {
    Store store(*m_db);
    const Run run = store.startRun({QString(), QStringLiteral("ingest"), QStringLiteral("running"), JsonValue::parse("{\"b\":1,\"a\":2}"), std::nullopt});
    NewEvent e;
    e.kind = QStringLiteral("log");
    e.payload = JsonValue::parse("{\"x\":1.0}");
    QCOMPARE(store.appendEvents(run.id, {e, e}).last().seq, 2);
    QCOMPARE(store.appendEvents(run.id, {e}).first().seq, 3);
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT params_json FROM runs")).toString(), QStringLiteral("{\"a\":2,\"b\":1}"));
    QCOMPARE(store.recentRuns({10, QString(), QString(), QStringLiteral("ing")}).size(), 1);
    QCOMPARE(store.recentEvents({10, run.id, QString()}).first().payload->canonical(), QByteArray("{\"x\":1.0}"));
    store.finishRun(run.id, QStringLiteral("succeeded"));
    QByteArray text = "{\"type\":\"run\",\"id\":\"r9\",\"kind\":\"job\"}\n{\"type\":\"event\",\"id\":\"e9\",\"run_id\":\"r9\",\"kind\":\"log\"}\n";
    for (int pass = 0; pass < 2; ++pass) {
        QByteArray copy = text;
        QBuffer buffer(&copy);
        buffer.open(QIODevice::ReadOnly);
        const IngestResult r = Ingestor(*m_db, store).run(buffer);
        QVERIFY(r.problems.isEmpty());
        QCOMPARE(r.runsAdded + r.eventsAdded, pass == 0 ? 2 : 0);
    }
    } catch (const DbError &error) {
        QFAIL(qPrintable(error.message()));
    }
}

void tst_Postgres::prePingReconnectsAfterTheServerDroppedTheConnection()
{
    const qint64 before = m_db->scalar(QStringLiteral("SELECT pg_backend_pid()")).toLongLong();
    Database killer(config());
    killer.exec(QStringLiteral("SELECT pg_terminate_backend(?)"), {before});
    QThread::msleep(Database::prePingIdleMs + 100);
    const qint64 after = m_db->scalar(QStringLiteral("SELECT pg_backend_pid()")).toLongLong();
    QVERIFY(after != before);
}

void tst_Postgres::countsIncludeAnEstimateForLargeTables()
{
    migrate(*m_db);
    m_db->exec(QStringLiteral("CREATE TABLE \"big table\" AS SELECT g AS x FROM generate_series(1, 5000) g"));
    m_db->exec(QStringLiteral("ANALYZE \"big table\""));
    TableCounter counter(*m_db);
    const QList<TableCount> counts = counter.count();
    const auto big = std::find_if(counts.cbegin(), counts.cend(), [](const TableCount &c) { return c.table == QLatin1String("big table"); });
    QVERIFY(big != counts.cend());
    QCOMPARE(big->rows, 5000);
    QCOMPARE(big->estimate, 5000);
    QVERIFY(CountsExport::render(counts, QStringLiteral("json")).contains("\"estimated_rows\":5000,\"indexes\":0,\"owner\":\"application\",\"rows\":5000,\"table\":\"big table\""));
}

void tst_Postgres::aRunningStatementCanBeCancelledFromAnotherThread()
{
    StatementInterrupter interrupter(*m_db);
    QElapsedTimer timer;
    timer.start();
    {
        const test::UntilFinished canceller([&] { interrupter.interrupt(); });
        try {
            m_db->scalar(QStringLiteral("SELECT pg_sleep(20)"));
            QFAIL("not cancelled");
        } catch (const CancelledError &error) {
            QCOMPARE(error.nativeCode(), QStringLiteral("57014"));
        }
    }
    QVERIFY(timer.elapsed() < 10000);
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT 1")).toInt(), 1);
}

void tst_Postgres::healthFindsTheCriticalIndexes()
{
    migrate(*m_db);
    HealthCheck health(*m_db);
    QVERIFY(health.integrityCheck().isEmpty());
    for (const CriticalIndex &i : health.criticalIndexes())
        QVERIFY2(i.present(), qPrintable(i.purpose));
    m_db->exec(QStringLiteral("DROP INDEX ix_runs_status_created_at"));
    QVERIFY(!health.criticalIndexes().at(1).present());
}

void tst_Postgres::resetBacksUpWithPgDumpAndReapplies()
{
    QTemporaryDir dir;
    const QString previous = QDir::currentPath();
    QDir::setCurrent(dir.path());
    const auto restore = qScopeGuard([&] {
        QDir::setCurrent(previous);
        qunsetenv("DBDECK_ALLOW_RESET");
    });
    migrate(*m_db);
    m_db->exec(QStringLiteral("INSERT INTO runs (id, kind, created_at, updated_at) VALUES ('r1', 'k', 't', 't')"));
    Resetter resetter(*m_db);
    QVERIFY(!resetter.refusal().isEmpty());
    qputenv("DBDECK_ALLOW_RESET", "1");
    QVERIFY2(resetter.refusal().isEmpty(), qPrintable(resetter.refusal()));
    QCOMPARE(resetter.databaseName(), m_pg->name());
    QVERIFY_THROWS_EXCEPTION(DbError, resetter.reset(QStringLiteral("wrong"), nullptr));
    if (QStandardPaths::findExecutable(QStringLiteral("pg_dump")).isEmpty())
        QSKIP("pg_dump is not installed");
    const MigrationSet migrations = MigrationSet::load(QStringLiteral(DBDECK_SOURCE_DIR "/migrations"));
    const Resetter::Result r = resetter.reset(m_pg->name(), &migrations);
    QVERIFY(r.backupPath.startsWith(dir.path() + QStringLiteral("/data/backups/") + m_pg->name()));
    QFile backup(r.backupPath);
    QVERIFY(backup.open(QIODevice::ReadOnly));
    const QByteArray dump = backup.readAll();
    QVERIFY(dump.contains("CREATE TABLE public.runs"));
    QVERIFY(dump.contains("r1"));
    QCOMPARE(r.migrationsApplied, 2);
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT count(*) FROM runs")).toInt(), 0);
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT count(*) FROM dbdeck_migration_journal WHERE operation = 'reset'")).toInt(), 1);
}

QTEST_GUILESS_MAIN(tst_Postgres)
#include "tst_postgres.moc"

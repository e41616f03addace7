#include "db/database.h"
#include "db/errors.h"
#include "migrate/migrationerror.h"
#include "migrate/migrator.h"
#include "admin/tablecounter.h"
#include "migrateddb.h"
#include "testsupport.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QDeadlineTimer>
#include <QMutex>

#include <unistd.h>

using namespace dbdeck;
using dbdeck::test::configFor;
using dbdeck::test::sqliteUrl;

using dbdeck::test::writeFile;

namespace {

// Migration N creates table tN with one row, and drops it on the way down.
void writeNumbered(const QString &folder, int from, int to)
{
    for (int n = from; n <= to; ++n)
        writeFile(QStringLiteral("%1/%2_table_%3.sql").arg(folder, MigrationFile::formatVersion(n)).arg(n),
                  QStringLiteral("-- migrate:up\nCREATE TABLE t%1 (id INTEGER PRIMARY KEY);\nINSERT INTO t%1 (id) VALUES (%1);\n"
                                 "-- migrate:down\nDROP TABLE t%1;\n").arg(n));
}

} // namespace

class tst_Migrator : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void upgradeFromScratchGivesTheApplicationSchema();
    void downgradeBaseGivesAnEmptySchema();
    void targetsAndRelativeSteps();
    void badTargetsAreRefused_data();
    void badTargetsAreRefused();
    void failingThirdStatementLeavesNothing();
    void modifiedMigrationIsRefusedUnlessAllowed();
    void missingMigrationIsDetected();
    void newerDatabaseIsRefused();
    void outOfOrderPendingIsRefused();
    void stampRecordsWithoutRunning();
    void sqlPreviewTouchesNothing();
    void transactionFalseFailureIsFailedPartial();
    void downgradeWithoutDownSectionIsRefused();
    void staleLockFromDeadProcessIsTakenOver();
    void liveLockMakesTheSecondWaitAndTimeOut();
    void progressAndCancelBetweenMigrations();
    void statusOfNewDatabaseDoesNotCreateIt();
    void environmentTagNeverLeavesProduction();
    void stampAcceptsAModifiedMigration();
    void twoThreadsOfOneProcessApplyEachMigrationOnce();
    void documentedTableRebuildWorks();
    void recheckInTheTransactionStopsASecondApply();
    void recheckHoldsUnderConcurrencyOnPostgres();
    void diskFullNamesTheMigrationAndTheVersion();
    void stampRefusesANewerDatabase();

private:
    Migrator &migrator();
    QStringList tables();
    int count(const QString &sql);

    QTemporaryDir m_dir;
    QString m_folder;
    QString m_path;
    QString m_url;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<Migrator> m_migrator;
};

void tst_Migrator::initTestCase()
{
    DBDECK_SKIP_POSTGRES_RUN_WITHOUT_SERVER();
}

void tst_Migrator::init()
{
    const QString name = QLatin1String(QTest::currentTestFunction());
    m_folder = m_dir.filePath(name + QStringLiteral("-migrations"));
    QVERIFY(QDir().mkpath(m_folder));
    m_path = m_dir.filePath(name + QStringLiteral(".db"));
    m_url = test::testDatabaseUrl(m_path);
    m_db = std::make_unique<Database>(configFor(m_url));
}

void tst_Migrator::cleanup()
{
    m_migrator.reset();
    m_db.reset();
}

Migrator &tst_Migrator::migrator()
{
    // Reload the folder each time, as a new dbdeck run would.
    m_migrator = std::make_unique<Migrator>(*m_db, MigrationSet::load(m_folder));
    return *m_migrator;
}

QStringList tst_Migrator::tables()
{
    QStringList names = TableCounter(*m_db).tables();
    names.erase(std::remove_if(names.begin(), names.end(), [](const QString &n) { return n.startsWith(QLatin1String("dbdeck_")); }),
                names.end());
    return names;
}

int tst_Migrator::count(const QString &sql)
{
    return m_db->scalar(sql).toInt();
}

void tst_Migrator::upgradeFromScratchGivesTheApplicationSchema()
{
    m_folder = QStringLiteral(DBDECK_SOURCE_DIR "/migrations");
    const MigrationRunResult result = migrator().upgrade({});
    QCOMPARE(result.from, 0);
    QCOMPARE(result.done, (QStringList{QStringLiteral("0001_create_runs"), QStringLiteral("0002_create_events")}));
    QCOMPARE(tables(), (QStringList{QStringLiteral("events"), QStringLiteral("runs")}));
    QSqlQuery indexes = m_db->exec(test::testingPostgres()
        ? QStringLiteral("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND indexname LIKE 'ix\\_%' ORDER BY indexname")
        : QStringLiteral("SELECT name FROM sqlite_schema WHERE type = 'index' AND name NOT LIKE 'sqlite_%' ORDER BY name"));
    QStringList names;
    while (indexes.next())
        names << indexes.value(0).toString();
    QCOMPARE(names, (QStringList{QStringLiteral("ix_events_created_at"), QStringLiteral("ix_runs_created_at"),
                                 QStringLiteral("ix_runs_status_created_at")}));
    const StatusReport st = migrator().status();
    QCOMPARE(st.current, 2);
    QCOMPARE(st.head, 2);
    QCOMPARE(st.count(MigrationState::Applied), 2);
    QVERIFY(st.problems.isEmpty());
    const auto journal = migrator().journal();
    QCOMPARE(journal.size(), 1);
    QCOMPARE(journal.first().outcome, QStringLiteral("succeeded"));
    QCOMPARE(*journal.first().fromVersion, 0);
    QCOMPARE(*journal.first().toVersion, 2);
    QVERIFY(journal.first().runBy.endsWith(QLatin1Char('@') + QSysInfo::machineHostName()));
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT value FROM dbdeck_metadata WHERE key = 'app_env'")).toString(),
             QStringLiteral("development"));
    QSqlQuery row = m_db->exec(QStringLiteral("SELECT name, length(checksum), applied_at, applied_by FROM dbdeck_schema_migrations WHERE version = 1"));
    QVERIFY(row.next());
    QCOMPARE(row.value(0).toString(), QStringLiteral("0001_create_runs"));
    QCOMPARE(row.value(1).toInt(), 64);
    QVERIFY(QRegularExpression(QStringLiteral("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6}$")).match(row.value(2).toString()).hasMatch());
    // Again: nothing to do, one more journal entry.
    QVERIFY(migrator().upgrade({}).done.isEmpty());
    QCOMPARE(migrator().journal().size(), 2);
}

void tst_Migrator::downgradeBaseGivesAnEmptySchema()
{
    m_folder = QStringLiteral(DBDECK_SOURCE_DIR "/migrations");
    migrator().upgrade({});
    MigrationRunOptions options;
    options.target = QStringLiteral("base");
    const auto result = migrator().downgrade(options);
    QCOMPARE(result.done, (QStringList{QStringLiteral("0002_create_events"), QStringLiteral("0001_create_runs")}));
    QCOMPARE(tables(), QStringList{});
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM dbdeck_schema_migrations")), 0);
    QCOMPARE(migrator().status().current, 0);
}

void tst_Migrator::targetsAndRelativeSteps()
{
    writeNumbered(m_folder, 1, 5);
    auto run = [&](bool up, const QString &target) {
        MigrationRunOptions o;
        o.target = target;
        return up ? migrator().upgrade(o) : migrator().downgrade(o);
    };
    QCOMPARE(run(true, QStringLiteral("2")).to, 2);
    QCOMPARE(tables(), (QStringList{QStringLiteral("t1"), QStringLiteral("t2")}));
    QCOMPARE(run(true, QStringLiteral("+2")).to, 4);
    QCOMPARE(run(true, QStringLiteral("head")).to, 5);
    QCOMPARE(run(false, QStringLiteral("-2")).to, 3);
    QCOMPARE(tables(), (QStringList{QStringLiteral("t1"), QStringLiteral("t2"), QStringLiteral("t3")}));
    QCOMPARE(run(false, QStringLiteral("1")).to, 1);
    QCOMPARE(run(true, QStringLiteral("+1")).to, 2);
    QCOMPARE(run(false, QStringLiteral("-2")).to, 0);
    QCOMPARE(tables(), QStringList{});
}

void tst_Migrator::badTargetsAreRefused_data()
{
    QTest::addColumn<bool>("up");
    QTest::addColumn<QString>("target");
    QTest::addColumn<QString>("message");
    QTest::newRow("too many steps up") << true << "+9" << "cannot upgrade +9: only 1 migration(s) are pending";
    QTest::newRow("garbage up") << true << "latest" << "bad upgrade target \"latest\"; allowed: head, a version number, or +N";
    QTest::newRow("unknown version") << true << "7" << "no migration file has version 0007";
    QTest::newRow("up to below current") << true << "1" << "the database is at 0002, above 0001: use downgrade to go back";
    QTest::newRow("down without target") << false << "" << "downgrade needs a target: a version number, -N, or base";
    QTest::newRow("down above current") << false << "3" << "the database is at 0002, below 0003: use upgrade to go forward";
    QTest::newRow("too many steps down") << false << "-3" << "cannot downgrade -3: only 2 migration(s) are applied";
    QTest::newRow("garbage down") << false << "zero" << "bad downgrade target \"zero\"; allowed: a version number, -N, or base";
}

void tst_Migrator::badTargetsAreRefused()
{
    QFETCH(bool, up);
    QFETCH(QString, target);
    QFETCH(QString, message);
    writeNumbered(m_folder, 1, 3);
    MigrationRunOptions o;
    o.target = QStringLiteral("2");
    migrator().upgrade(o);
    o.target = target;
    try {
        up ? migrator().upgrade(o) : migrator().downgrade(o);
        QFAIL("not refused");
    } catch (const MigrationError &error) {
        QCOMPARE(error.message(), message);
    }
    QCOMPARE(migrator().status().current, 2);
    QCOMPARE(migrator().journal().first().outcome, QStringLiteral("refused"));
}

void tst_Migrator::failingThirdStatementLeavesNothing()
{
    writeNumbered(m_folder, 1, 1);
    const QString bad = m_folder + QStringLiteral("/0002_broken.sql");
    writeFile(bad, QStringLiteral("-- migrate:up\nCREATE TABLE a (id INTEGER PRIMARY KEY);\nCREATE TABLE b (id INTEGER PRIMARY KEY);\n"
                                  "INSERT INTO nope (id)\n  VALUES (1);\n-- migrate:down\nDROP TABLE b;\nDROP TABLE a;\n"));
    try {
        migrator().upgrade({});
        QFAIL("no MigrationError");
    } catch (const MigrationError &error) {
        QVERIFY2(error.message().startsWith(QStringLiteral("migration 0002_broken (%1) failed at statement 3 of 3 (line 4: INSERT INTO nope (id)): ").arg(bad)),
                 qPrintable(error.message()));
        // The database's own words: SQLite "no such table: nope", PostgreSQL 'relation "nope" does not exist'.
        QVERIFY(error.message().contains(QStringLiteral("no such table: nope")) || error.message().contains(QStringLiteral("relation \"nope\" does not exist")));
        QVERIFY(error.message().endsWith(QStringLiteral("\nIt was rolled back: the database stays at version 0001.")));
    }
    QCOMPARE(tables(), QStringList{QStringLiteral("t1")});
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM dbdeck_schema_migrations WHERE version = 2")), 0);
    const StatusReport st = migrator().status();
    QCOMPARE(st.current, 1);
    QCOMPARE(st.find(2)->state, MigrationState::Pending);
    const JournalEntry last = migrator().journal().first();
    QCOMPARE(last.outcome, QStringLiteral("failed"));
    QCOMPARE(*last.fromVersion, 0); // 0001 ran and stays, in its own transaction
    QCOMPARE(*last.toVersion, 1);
    QVERIFY(last.detail.contains(QStringLiteral("applied: 0001_table_1")));
    QVERIFY(last.error.contains(QStringLiteral("nope")));
    QVERIFY(!migrator().status().lock); // released after the failure
}

void tst_Migrator::modifiedMigrationIsRefusedUnlessAllowed()
{
    writeNumbered(m_folder, 1, 2);
    migrator().upgrade({});
    writeFile(m_folder + QStringLiteral("/0001_table_1.sql"),
              QStringLiteral("-- migrate:up\nCREATE TABLE t1 (id INTEGER PRIMARY KEY, extra TEXT);\n-- migrate:down\nDROP TABLE t1;\n"));
    writeNumbered(m_folder, 3, 3);
    StatusReport st = migrator().status();
    QCOMPARE(st.find(1)->state, MigrationState::Modified);
    QVERIFY(st.problems.first().startsWith(QStringLiteral("0001_table_1 was modified after it was applied")));
    try {
        migrator().upgrade({});
        QFAIL("not refused");
    } catch (const MigrationError &error) {
        QCOMPARE(error.message(), QStringLiteral("0001_table_1 is modified; refusing to upgrade (fix it, or pass --allow-modified "
                                                 "to proceed anyway, which is recorded in the journal)"));
    }
    QVERIFY(!tables().contains(QStringLiteral("t3")));
    // An editor switching to CRLF is not a modification.
    writeFile(m_folder + QStringLiteral("/0002_table_2.sql"),
              QStringLiteral("-- migrate:up\r\nCREATE TABLE t2 (id INTEGER PRIMARY KEY);   \r\nINSERT INTO t2 (id) VALUES (2);\r\n"
                             "-- migrate:down\r\nDROP TABLE t2;\r\n"));
    QCOMPARE(migrator().status().find(2)->state, MigrationState::Applied);

    MigrationRunOptions forced;
    forced.allowModified = true;
    QCOMPARE(migrator().upgrade(forced).done, QStringList{QStringLiteral("0003_table_3")});
    const JournalEntry entry = migrator().journal().first();
    QVERIFY(entry.forced);
    QVERIFY2(entry.detail.contains(QStringLiteral("proceeded past 0001_table_1 (modified) (--allow-modified)")), qPrintable(entry.detail));
}

void tst_Migrator::missingMigrationIsDetected()
{
    writeNumbered(m_folder, 1, 3);
    migrator().upgrade({});
    QVERIFY(QFile::remove(m_folder + QStringLiteral("/0002_table_2.sql")));
    const StatusReport st = migrator().status();
    QCOMPARE(st.find(2)->state, MigrationState::Missing);
    QCOMPARE(st.find(2)->name, QStringLiteral("0002_table_2"));
    QVERIFY(st.problems.contains(QStringLiteral("0002_table_2 is applied but its file is missing from %1").arg(m_folder)));
    writeNumbered(m_folder, 4, 4);
    QVERIFY_THROWS_EXCEPTION(MigrationError, migrator().upgrade({}));
    QVERIFY(!tables().contains(QStringLiteral("t4")));
}

void tst_Migrator::newerDatabaseIsRefused()
{
    writeNumbered(m_folder, 1, 3);
    migrator().upgrade({});
    QVERIFY(QFile::remove(m_folder + QStringLiteral("/0003_table_3.sql")));
    try {
        migrator().upgrade({});
        QFAIL("not refused");
    } catch (const MigrationError &error) {
        QCOMPARE(error.message(), QStringLiteral("the database is at version 0003, newer than the newest migration file 0002: "
                                                 "it was migrated by a newer build; update this checkout"));
    }
    QVERIFY(migrator().status().problems.first().contains(QStringLiteral("newer than the newest migration file")));
}

void tst_Migrator::outOfOrderPendingIsRefused()
{
    writeNumbered(m_folder, 1, 1);
    writeNumbered(m_folder, 3, 3);
    migrator().upgrade({});
    writeNumbered(m_folder, 2, 2);
    const StatusReport st = migrator().status();
    QVERIFY(st.problems.contains(QStringLiteral("0002_table_2 is pending but the database is already at 0003 (out of order); "
                                                "renumber it above the current version")));
    QVERIFY_THROWS_EXCEPTION(MigrationError, migrator().upgrade({}));
    QVERIFY(!tables().contains(QStringLiteral("t2")));
}

void tst_Migrator::stampRecordsWithoutRunning()
{
    writeNumbered(m_folder, 1, 3);
    MigrationRunOptions o;
    o.target = QStringLiteral("head");
    migrator().stamp(o);
    QCOMPARE(migrator().status().current, 3);
    QCOMPARE(migrator().status().count(MigrationState::Applied), 3);
    QCOMPARE(tables(), QStringList{});
    o.target = QStringLiteral("1");
    migrator().stamp(o);
    QCOMPARE(migrator().status().current, 1);
    QCOMPARE(migrator().status().count(MigrationState::Pending), 2);
    const JournalEntry entry = migrator().journal().first();
    QCOMPARE(entry.operation, QStringLiteral("stamp"));
    QCOMPARE(*entry.fromVersion, 3);
    QCOMPARE(*entry.toVersion, 1);
    o.target = QStringLiteral("9");
    QVERIFY_THROWS_EXCEPTION(MigrationError, migrator().stamp(o));
    QCOMPARE(migrator().journal().first().outcome, QStringLiteral("refused"));
    o.target = QStringLiteral("base");
    migrator().stamp(o);
    QCOMPARE(migrator().status().current, 0);
}

void tst_Migrator::sqlPreviewTouchesNothing()
{
    writeNumbered(m_folder, 1, 2);
    Migrator &preview = migrator();
    const QString sql = preview.renderSql(preview.planUpgrade({}));
    QVERIFY(test::testingPostgres() || !QFile::exists(m_path));
    QVERIFY(sql.contains(QStringLiteral("-- 0001_table_1 (up, %1/0001_table_1.sql)\n%2;\nCREATE TABLE t1 (id INTEGER PRIMARY KEY);\n"
                                        "INSERT INTO t1 (id) VALUES (1);\nINSERT INTO dbdeck_schema_migrations")
                             .arg(m_folder, test::testingPostgres() ? QStringLiteral("BEGIN") : QStringLiteral("BEGIN IMMEDIATE"))));
    QCOMPARE(sql.count(QStringLiteral("COMMIT;")), 2);
    // On an existing database, reading the state for the preview writes nothing.
    migrator().upgrade({});
    MigrationRunOptions o;
    o.target = QStringLiteral("base");
    Migrator &again = migrator();
    const QString down = again.renderSql(again.planDowngrade(o));
    QVERIFY(down.indexOf(QStringLiteral("DROP TABLE t2;")) < down.indexOf(QStringLiteral("DROP TABLE t1;")));
    QCOMPARE(tables(), (QStringList{QStringLiteral("t1"), QStringLiteral("t2")}));
    QCOMPARE(migrator().journal().size(), 1);
}

void tst_Migrator::transactionFalseFailureIsFailedPartial()
{
    writeNumbered(m_folder, 1, 1);
    writeFile(m_folder + QStringLiteral("/0002_no_tx.sql"),
              QStringLiteral("-- migrate:up transaction:false\nCREATE TABLE x (id INTEGER);\nINSERT INTO nope VALUES (1);\nCREATE TABLE y (id INTEGER);\n"));
    try {
        migrator().upgrade({});
        QFAIL("no error");
    } catch (const MigrationError &error) {
        QVERIFY2(error.message().contains(QStringLiteral("failed at statement 2 of 3")), qPrintable(error.message()));
        QVERIFY(error.message().contains(QStringLiteral("1 of 3 statements are done and were not undone (transaction:false;")));
    }
    QCOMPARE(tables(), (QStringList{QStringLiteral("t1"), QStringLiteral("x")}));
    const StatusReport st = migrator().status();
    QCOMPARE(st.find(2)->state, MigrationState::FailedPartial);
    QCOMPARE(st.find(2)->statementsDone, 1);
    QCOMPARE(st.current, 1); // never counted as applied
    QVERIFY(st.problems.contains(QStringLiteral("0002_no_tx failed part-way (1 of 3 statements ran; transaction:false)")));
    try {
        migrator().upgrade({});
        QFAIL("not refused");
    } catch (const MigrationError &error) {
        QVERIFY(error.message().contains(QStringLiteral("run `stamp 0002`, or undo it by hand and run `upgrade --retry-partial`")));
    }
    // Undo by hand, fix the file, retry.
    m_db->exec(QStringLiteral("DROP TABLE x"));
    writeFile(m_folder + QStringLiteral("/0002_no_tx.sql"),
              QStringLiteral("-- migrate:up transaction:false\nCREATE TABLE x (id INTEGER);\nCREATE TABLE y (id INTEGER);\n"));
    MigrationRunOptions retry;
    retry.retryPartial = true;
    migrator().upgrade(retry);
    QCOMPARE(migrator().status().find(2)->state, MigrationState::Applied);
    QCOMPARE(migrator().status().current, 2);
}

void tst_Migrator::downgradeWithoutDownSectionIsRefused()
{
    writeNumbered(m_folder, 1, 1);
    writeFile(m_folder + QStringLiteral("/0002_one_way.sql"), QStringLiteral("-- migrate:up\nCREATE TABLE w (id INTEGER);\n"));
    migrator().upgrade({});
    MigrationRunOptions o;
    o.target = QStringLiteral("base");
    try {
        migrator().downgrade(o);
        QFAIL("not refused");
    } catch (const MigrationError &error) {
        QCOMPARE(error.message(), QStringLiteral("0002_one_way has no \"-- migrate:down\" section; downgrading past it is refused"));
    }
    QCOMPARE(tables(), (QStringList{QStringLiteral("t1"), QStringLiteral("w")}));
    QCOMPARE(migrator().status().current, 2);
}

void tst_Migrator::staleLockFromDeadProcessIsTakenOver()
{
    if (test::testingPostgres())
        QSKIP("SQLite only (PostgreSQL's advisory lock and schema are covered by tst_postgres)");
    writeNumbered(m_folder, 1, 1);
    MigrationRunOptions stamp;
    stamp.target = QStringLiteral("base");
    migrator().stamp(stamp); // creates dbdeck's tables
    QProcess gone;
    gone.start(QStringLiteral("true"), {});
    QVERIFY(gone.waitForStarted());
    const qint64 deadPid = gone.processId();
    QVERIFY(gone.waitForFinished());
    m_db->exec(QStringLiteral("INSERT INTO dbdeck_migration_lock (id, host, pid, acquired_at, heartbeat_at) VALUES (1, ?, ?, '2026-01-01 00:00:00.000000', '2026-01-01 00:00:00.000000')"),
               {QSysInfo::machineHostName(), deadPid});
    QVERIFY(migrator().status().lock);
    MigrationRunOptions o;
    o.lockTimeoutMs = 5000;
    QCOMPARE(migrator().upgrade(o).done.size(), 1);
    QVERIFY(migrator().journal().first().detail.contains(QStringLiteral("took over a stale migration lock (host %1, pid %2")
                                                              .arg(QSysInfo::machineHostName()).arg(deadPid)));
    QVERIFY(!migrator().status().lock);
}

void tst_Migrator::liveLockMakesTheSecondWaitAndTimeOut()
{
    if (test::testingPostgres())
        QSKIP("SQLite only (PostgreSQL's advisory lock and schema are covered by tst_postgres)");
    writeNumbered(m_folder, 1, 1);
    MigrationRunOptions stamp;
    stamp.target = QStringLiteral("base");
    migrator().stamp(stamp);
    const qint64 livePid = qint64(getppid()); // alive, and not us
    m_db->exec(QStringLiteral("INSERT INTO dbdeck_migration_lock (id, host, pid, acquired_at, heartbeat_at) VALUES (1, ?, ?, ?, ?)"),
               {QSysInfo::machineHostName(), livePid, QStringLiteral("2026-11-22 10:00:00.000000"), QStringLiteral("2026-11-22 10:00:00.000000")});
    QStringList messages;
    MigrationRunOptions o;
    o.lockTimeoutMs = 400;
    o.progress = [&](const MigrationProgress &p) {
        if (p.phase == MigrationProgress::Phase::WaitingForLock)
            messages << p.message;
    };
    try {
        migrator().upgrade(o);
        QFAIL("got the lock");
    } catch (const LockTimeoutError &error) {
        QVERIFY2(error.message().startsWith(QStringLiteral("another dbdeck is migrating this database (host %1, pid %2, since 2026-11-22 10:00:00 UTC)")
                                                .arg(QSysInfo::machineHostName()).arg(livePid)),
                 qPrintable(error.message()));
    }
    QCOMPARE(messages.size(), 1);
    QVERIFY(messages.first().startsWith(QStringLiteral("waiting for the migration lock held by host")));
    QCOMPARE(tables(), QStringList{});
    QCOMPARE(migrator().status().lock->pid, livePid);
}

void tst_Migrator::progressAndCancelBetweenMigrations()
{
    writeNumbered(m_folder, 1, 3);
    std::atomic_bool cancel{false};
    QStringList seen;
    MigrationRunOptions o;
    o.cancel = &cancel;
    o.progress = [&](const MigrationProgress &p) {
        seen << QStringLiteral("%1 %2/%3 %4").arg(p.phase == MigrationProgress::Phase::Started ? QStringLiteral("start") : QStringLiteral("done"))
                    .arg(p.index).arg(p.total).arg(p.name);
        if (p.phase == MigrationProgress::Phase::Finished)
            cancel = true;
    };
    const auto result = migrator().upgrade(o);
    QVERIFY(result.cancelled);
    QCOMPARE(seen, (QStringList{QStringLiteral("start 1/3 0001_table_1"), QStringLiteral("done 1/3 0001_table_1")}));
    QCOMPARE(migrator().status().current, 1);
    QCOMPARE(migrator().journal().first().outcome, QStringLiteral("cancelled"));
}

void tst_Migrator::statusOfNewDatabaseDoesNotCreateIt()
{
    if (test::testingPostgres())
        QSKIP("SQLite only (PostgreSQL's advisory lock and schema are covered by tst_postgres)");
    writeNumbered(m_folder, 1, 2);
    const StatusReport st = migrator().status();
    QVERIFY(!st.databaseExists);
    QCOMPARE(st.count(MigrationState::Pending), 2);
    QVERIFY(st.problems.isEmpty());
    QVERIFY(migrator().journal().isEmpty());
    QVERIFY(!QFile::exists(m_path));
}

void tst_Migrator::environmentTagNeverLeavesProduction()
{
    writeNumbered(m_folder, 1, 2);
    Database prod(configFor(m_url, {{"APP_ENV", "production"}}));
    MigrationRunOptions o;
    o.target = QStringLiteral("1");
    Migrator(prod, MigrationSet::load(m_folder)).upgrade(o);
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT value FROM dbdeck_metadata WHERE key = 'app_env'")).toString(), QStringLiteral("production"));
    migrator().upgrade({}); // APP_ENV development
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT value FROM dbdeck_metadata WHERE key = 'app_env'")).toString(), QStringLiteral("production"));
}

void tst_Migrator::stampAcceptsAModifiedMigration()
{
    writeNumbered(m_folder, 1, 2);
    migrator().upgrade({});
    writeFile(m_folder + QStringLiteral("/0002_table_2.sql"), QStringLiteral("-- migrate:up\nCREATE TABLE t2 (id INTEGER PRIMARY KEY); -- reworded\n"));
    QCOMPARE(migrator().status().find(2)->state, MigrationState::Modified);
    MigrationRunOptions o;
    o.target = QStringLiteral("2");
    migrator().stamp(o);
    QCOMPARE(migrator().status().find(2)->state, MigrationState::Applied);
    QVERIFY(migrator().status().problems.isEmpty());
}

void tst_Migrator::documentedTableRebuildWorks()
{
    if (test::testingPostgres())
        QSKIP("SQLite only (PostgreSQL's advisory lock and schema are covered by tst_postgres)");
    for (const QString &name : {QStringLiteral("0001_create_runs.sql"), QStringLiteral("0002_create_events.sql")})
        QVERIFY(QFile::copy(QStringLiteral(DBDECK_SOURCE_DIR "/migrations/") + name, m_folder + QLatin1Char('/') + name));
    migrator().upgrade({});
    m_db->exec(QStringLiteral("INSERT INTO runs (id, kind, created_at, updated_at) VALUES ('r1', 'ingest', 't', 't')"));
    m_db->exec(QStringLiteral("INSERT INTO events (id, run_id, seq, kind, created_at) VALUES ('e1', 'r1', 1, 'start', 't')"));
    QVERIFY(QFile::copy(QStringLiteral(DBDECK_SOURCE_DIR "/docs/examples/0003_runs_kind_check.sql"),
                        m_folder + QStringLiteral("/0003_runs_kind_check.sql")));
    migrator().upgrade({});
    QCOMPARE(migrator().status().current, 3);
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM events")), 1); // the rebuild kept the child rows
    QVERIFY_THROWS_EXCEPTION(ConstraintError, m_db->exec(QStringLiteral("INSERT INTO runs (id, kind, created_at, updated_at) VALUES ('r2', '', 't', 't')")));
    // Foreign keys are enforced again afterwards, on the same Database.
    QCOMPARE(m_db->scalar(QStringLiteral("PRAGMA foreign_keys")).toInt(), 1);
    QVERIFY_THROWS_EXCEPTION(ConstraintError, m_db->exec(QStringLiteral("INSERT INTO events (id, run_id, seq, kind, created_at) VALUES ('e2', 'nope', 1, 'x', 't')")));
}

void tst_Migrator::twoThreadsOfOneProcessApplyEachMigrationOnce()
{
    if (test::testingPostgres())
        QSKIP("SQLite's lock row; PostgreSQL's advisory lock is per session anyway");
    writeFile(m_folder + QStringLiteral("/0001_hits.sql"), QStringLiteral("-- migrate:up\nCREATE TABLE hits (n INTEGER NOT NULL);\n"));
    for (int n = 2; n <= 8; ++n)
        writeFile(QStringLiteral("%1/%2_hit.sql").arg(m_folder, MigrationFile::formatVersion(n)),
                  QStringLiteral("-- migrate:up\nINSERT INTO hits (n) WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < %2)"
                                 " SELECT %1 FROM c;\n").arg(n).arg(n == 2 ? 600000 : 30000)); // 0002 is slow: the threads overlap
    MigrationRunOptions stamp;
    stamp.target = QStringLiteral("base");
    migrator().stamp(stamp); // dbdeck's tables exist: both threads go straight for the lock
    QAtomicInt failures = 0;
    QAtomicInt waited = 0;
    QList<QThread *> threads;
    for (int t = 0; t < 2; ++t) {
        threads << QThread::create([&] {
            Database own(configFor(m_url));
            MigrationRunOptions options;
            options.progress = [&](const MigrationProgress &p) {
                if (p.phase == MigrationProgress::Phase::WaitingForLock && p.message.startsWith(QLatin1String("waiting for")))
                    waited.ref();
            };
            try {
                Migrator(own, MigrationSet::load(m_folder)).upgrade(options);
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
    QCOMPARE(waited.loadRelaxed(), 1); // the second waited for the first, rather than taking its lock
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM dbdeck_schema_migrations")), 8);
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM hits")), 600000 + 6 * 30000);
}

void tst_Migrator::recheckInTheTransactionStopsASecondApply()
{
    // Without the lock (a test seam), the re-check inside each migration's transaction is all
    // that keeps a second runner from applying again what the first applied after it planned.
    writeNumbered(m_folder, 1, 2);
    writeFile(m_folder + QStringLiteral("/0003_no_tx.sql"),
              QStringLiteral("-- migrate:up transaction:false\nCREATE TABLE t3 (id INTEGER PRIMARY KEY);\nINSERT INTO t3 (id) VALUES (3);\n"));
    MigrationRunOptions stamp;
    stamp.target = QStringLiteral("base");
    migrator().stamp(stamp); // dbdeck's tables exist
    bool otherRan = false;
    MigrationRunOptions first;
    first.bypassLockForTesting = true;
    first.progress = [&](const MigrationProgress &p) {
        if (p.phase != MigrationProgress::Phase::Started || otherRan)
            return;
        otherRan = true; // planned, not yet in its transaction: another runner applies everything now
        Database other(configFor(m_url));
        MigrationRunOptions second;
        second.bypassLockForTesting = true;
        Migrator(other, MigrationSet::load(m_folder)).upgrade(second);
    };
    const MigrationRunResult result = migrator().upgrade(first);
    QVERIFY(otherRan);
    QCOMPARE(result.done, QStringList{});
    QCOMPARE(result.alreadyApplied, (QStringList{QStringLiteral("0001_table_1"), QStringLiteral("0002_table_2"), QStringLiteral("0003_no_tx")}));
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM t1")), 1);
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM t3")), 1);
    const QList<JournalEntry> journal = migrator().journal(); // stamp, this runner, the other one (finished first, started later)
    QCOMPARE(journal.first().detail, QStringLiteral("applied: 0001_table_1, 0002_table_2, 0003_no_tx"));
    const JournalEntry entry = journal.at(1);
    QCOMPARE(entry.outcome, QStringLiteral("succeeded"));
    QVERIFY2(entry.detail.contains(QStringLiteral("already applied by another runner: 0001_table_1, 0002_table_2, 0003_no_tx")),
             qPrintable(entry.detail));
    QVERIFY2(!entry.detail.contains(QStringLiteral("applied: ")), qPrintable(entry.detail));
}

void tst_Migrator::recheckHoldsUnderConcurrencyOnPostgres()
{
    if (!test::testingPostgres())
        QSKIP("SQLite's BEGIN IMMEDIATE serializes the re-check by itself");
    // Both runners bypass the migration lock and block inside 0001 until the test lets go, so that
    // their transactions overlap: the version table's lock must make the second see the first's row.
    writeFile(m_folder + QStringLiteral("/0001_gate.sql"),
              QStringLiteral("-- migrate:up\nSELECT pg_advisory_xact_lock_shared(777);\nCREATE TABLE gate (id INTEGER);\n"
                             "INSERT INTO gate (id) VALUES (1);\n"));
    MigrationRunOptions stamp;
    stamp.target = QStringLiteral("base");
    migrator().stamp(stamp);
    Database gatekeeper(configFor(m_url));
    gatekeeper.exec(QStringLiteral("SELECT pg_advisory_lock(777)"));
    QList<MigrationRunResult> results(2);
    QStringList errors;
    QMutex mutex;
    QList<QThread *> threads;
    for (int t = 0; t < 2; ++t) {
        threads << QThread::create([&, t] {
            Database own(configFor(m_url));
            MigrationRunOptions o;
            o.bypassLockForTesting = true;
            try {
                results[t] = Migrator(own, MigrationSet::load(m_folder)).upgrade(o);
            } catch (const DbError &error) {
                QMutexLocker lock(&mutex);
                errors << error.message();
            }
        });
        threads.last()->start();
    }
    // Wait until both are blocked (one on the gate, one on the version table or the gate).
    QDeadlineTimer deadline(60000);
    while (!deadline.hasExpired()
           && gatekeeper.scalar(QStringLiteral("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                                               " AND wait_event_type = 'Lock'")).toInt() < 2)
        QThread::msleep(20);
    gatekeeper.exec(QStringLiteral("SELECT pg_advisory_unlock(777)"));
    for (QThread *t : std::as_const(threads)) {
        QVERIFY(t->wait(60000));
        delete t;
    }
    QVERIFY2(errors.isEmpty(), qPrintable(errors.join(QLatin1Char('\n'))));
    QCOMPARE(results.at(0).done.size() + results.at(1).done.size(), 1);
    QCOMPARE(results.at(0).alreadyApplied.size() + results.at(1).alreadyApplied.size(), 1);
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM gate")), 1);
}

void tst_Migrator::diskFullNamesTheMigrationAndTheVersion()
{
    if (test::testingPostgres())
        QSKIP("SQLITE_FULL is simulated with PRAGMA max_page_count");
    writeNumbered(m_folder, 1, 1);
    writeFile(m_folder + QStringLiteral("/0002_big.sql"),
              QStringLiteral("-- migrate:up\nCREATE TABLE big (x TEXT);\nINSERT INTO big (x) WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL"
                             " SELECT n + 1 FROM c WHERE n < 20000) SELECT printf('%0500d', n) FROM c;\n"));
    MigrationRunOptions o;
    o.target = QStringLiteral("1");
    migrator().upgrade(o);
    // The disk fills up: this connection may grow the file by only a few pages.
    const int pages = m_db->scalar(QStringLiteral("PRAGMA page_count")).toInt();
    m_db->exec(QStringLiteral("PRAGMA max_page_count = %1").arg(pages + 8));
    try {
        migrator().upgrade({});
        QFAIL("no error");
    } catch (const MigrationError &error) {
        QVERIFY2(error.message().startsWith(QStringLiteral("migration 0002_big (%1/0002_big.sql) ").arg(m_folder)), qPrintable(error.message()));
        QVERIFY2(error.message().contains(QStringLiteral("database or disk is full")), qPrintable(error.message()));
        QVERIFY(error.message().contains(QStringLiteral("It was rolled back: the database stays at version 0001.")));
        QVERIFY(error.message().contains(QStringLiteral("The disk (or the database's size limit) is full")));
    }
    m_db->closeConnection();
    QCOMPARE(m_db->scalar(QStringLiteral("PRAGMA integrity_check")).toString(), QStringLiteral("ok"));
    QCOMPARE(migrator().status().current, 1);
    QVERIFY(!m_db->hasTable(QStringLiteral("big")));
    QCOMPARE(migrator().journal().first().outcome, QStringLiteral("failed"));
}

// Stamping a database a newer build migrated would delete that build's records and leave its
// schema: refused, as upgrade refuses, and nothing changes.
void tst_Migrator::stampRefusesANewerDatabase()
{
    writeNumbered(m_folder, 1, 3);
    migrator().upgrade({});
    QVERIFY(QFile::remove(m_folder + QStringLiteral("/0003_table_3.sql")));
    for (const char *target : {"head", "2", "base"}) {
        MigrationRunOptions o;
        o.target = QLatin1String(target);
        try {
            migrator().stamp(o);
            QFAIL("stamp was not refused");
        } catch (const MigrationError &error) {
            QCOMPARE(error.message(), QStringLiteral("refusing to stamp: the database is at version 0003, newer than the newest "
                                                     "migration file 0002: it was migrated by a newer build; update this checkout"));
        }
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM dbdeck_schema_migrations")), 3);
        QCOMPARE(migrator().journal().first().outcome, QStringLiteral("refused"));
    }
    QCOMPARE(migrator().status().current, 3);
}

QTEST_GUILESS_MAIN(tst_Migrator)
#include "tst_migrator.moc"

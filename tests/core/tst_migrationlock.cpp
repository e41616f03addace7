#include "db/database.h"
#include "db/statementinterrupter.h"
#include "migrate/lockfile.h"
#include "migrate/migrationerror.h"
#include "migrate/migrationlock.h"
#include "migrate/migrator.h"
#include "migrateddb.h"
#include "pgtestdatabase.h"
#include "testsupport.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace dbdeck;
using dbdeck::test::configFor;
using dbdeck::test::sqliteUrl;
using dbdeck::test::writeFile;

// Issue 10 §4: a lock that cannot be stolen. SQLite: the kernel's lock on a file beside the
// database decides (symlinked spellings agree); PostgreSQL: a lost advisory-lock session stops
// the migration instead of carrying on without it.
class tst_MigrationLock : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void everySpellingOfThePathSharesOneLock_data();
    void everySpellingOfThePathSharesOneLock();
    void lookingCreatesNoLockFile();
    void heartbeatGoesOnDuringALongStatement();
    void postgresSessionLostStopsTheUpgrade();

private:
    QTemporaryDir m_dir;
};

void tst_MigrationLock::initTestCase()
{
    DBDECK_SKIP_POSTGRES_RUN_WITHOUT_SERVER();
}

void tst_MigrationLock::everySpellingOfThePathSharesOneLock_data()
{
    QTest::addColumn<bool>("linkTheFolder");
    QTest::newRow("symlink to the file") << false;
    QTest::newRow("symlink to the folder") << true;
}

void tst_MigrationLock::everySpellingOfThePathSharesOneLock()
{
    if (test::testingPostgres())
        QSKIP("SQLite's lock file");
    QFETCH(bool, linkTheFolder);
    const QString real = m_dir.filePath(linkTheFolder ? QStringLiteral("real-folder") : QStringLiteral("real-file"));
    QVERIFY(QDir().mkpath(real));
    const QString realPath = real + QStringLiteral("/app.db");
    QString linkPath;
    if (linkTheFolder) {
        QVERIFY(QFile::link(real, m_dir.filePath(QStringLiteral("linked-folder"))));
        linkPath = m_dir.filePath(QStringLiteral("linked-folder/app.db"));
    } else {
        Database(configFor(sqliteUrl(realPath))).connection(); // the file exists, so that it can be linked to
        linkPath = m_dir.filePath(QStringLiteral("linked.db"));
        QVERIFY(QFile::link(realPath, linkPath));
    }
    Database viaReal(configFor(sqliteUrl(realPath)));
    Database viaLink(configFor(sqliteUrl(linkPath)));
    MigrationLock first(viaReal);
    first.acquire(5000);
    MigrationLock second(viaLink);
    QStringList waits;
    try {
        second.acquire(400, [&](const QString &message) { waits << message; });
        QFAIL("the second spelling took the lock too");
    } catch (const LockTimeoutError &error) {
        QVERIFY2(error.message().contains(QStringLiteral("another dbdeck is migrating this database (host ")), qPrintable(error.message()));
    }
    QCOMPARE(waits.size(), 1);
    QVERIFY(MigrationLock::holder(viaLink));
    first.release();
    second.acquire(5000); // free at once once released
    QVERIFY(second.takeoverNote().isEmpty());
    QVERIFY(QFile::exists(realPath + QStringLiteral("-dbdeck-lock")));
    QCOMPARE(LockFile::pathFor(linkPath), LockFile::pathFor(realPath));
}

void tst_MigrationLock::lookingCreatesNoLockFile()
{
    if (test::testingPostgres())
        QSKIP("SQLite's lock file");
    const QString path = m_dir.filePath(QStringLiteral("looked-at.db"));
    writeFile(m_dir.filePath(QStringLiteral("0001_a.sql")), "-- migrate:up\nCREATE TABLE a (id INTEGER);\n");
    Database db(configFor(sqliteUrl(path)));
    Migrator migrator(db, MigrationSet::load(m_dir.path()));
    QVERIFY(!migrator.status().lock);
    QVERIFY(migrator.journal().isEmpty());
    QVERIFY(!QFile::exists(path + QStringLiteral("-dbdeck-lock")));
    QCOMPARE(LockFile::probe(path), LockFile::Probe::NoFile);
}

void tst_MigrationLock::heartbeatGoesOnDuringALongStatement()
{
    if (test::testingPostgres())
        QSKIP("PostgreSQL's server knows its sessions are alive");
    const QString path = m_dir.filePath(QStringLiteral("heartbeat.db"));
    Database db(configFor(sqliteUrl(path)));
    MigrationLock lock(db);
    lock.acquire(5000);
    const qint64 first = *LockFile::heartbeatMsecsSinceEpoch(path);
    StatementInterrupter interrupter(db); // bound the statement: it is stopped once the beat is seen, or after 30 s
    std::atomic<qint64> seen{0};
    QThread *watcher = QThread::create([&] {
        QDeadlineTimer deadline(30000);
        while (!deadline.hasExpired() && seen == 0) {
            const qint64 now = LockFile::heartbeatMsecsSinceEpoch(path).value_or(0);
            if (now > first)
                seen = now;
            QThread::msleep(50);
        }
        interrupter.interrupt();
    });
    watcher->start();
    // A statement that keeps the database (and this thread) busy: no write could refresh a row.
    try {
        db.scalar(QStringLiteral("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 4000000000)"
                                 " SELECT count(*) FROM c"));
    } catch (const DbError &) {
        // interrupted, as intended
    }
    QVERIFY(watcher->wait(60000));
    delete watcher;
    QVERIFY2(seen > first, "the heartbeat did not advance while the statement ran");
    const auto holder = MigrationLock::holder(db);
    QVERIFY(holder);
    QVERIFY2(holder->toString().contains(QStringLiteral("last sign of life")), qPrintable(holder->toString()));
}

void tst_MigrationLock::postgresSessionLostStopsTheUpgrade()
{
    if (!test::testingPostgres())
        QSKIP("PostgreSQL's advisory lock lives in one server session");
    const QString folder = m_dir.filePath(QStringLiteral("session-lost"));
    QDir().mkpath(folder);
    for (int n = 1; n <= 3; ++n)
        writeFile(QStringLiteral("%1/%2_t.sql").arg(folder, MigrationFile::formatVersion(n)),
                  QStringLiteral("-- migrate:up\nCREATE TABLE t%1 (id INTEGER);\n").arg(n));
    test::PgTestDatabase pg(QStringLiteral("dbdeck_lock_lost"));
    Database db(configFor(pg.url(), {{"POOL_PRE_PING", "true"}}));
    Database admin(configFor(pg.url()));
    MigrationRunOptions o;
    o.progress = [&](const MigrationProgress &p) {
        if (p.phase != MigrationProgress::Phase::Finished || p.version != 1)
            return;
        // The server ends the session that holds the lock; pre-ping would reconnect silently.
        const qint64 holder = MigrationLock::holder(admin)->pid;
        admin.exec(QStringLiteral("SELECT pg_terminate_backend(?)"), {holder});
        QDeadlineTimer deadline(30000);
        while (!deadline.hasExpired()
               && admin.scalar(QStringLiteral("SELECT count(*) FROM pg_stat_activity WHERE pid = ?"), {holder}).toInt() > 0)
            QThread::msleep(20);
        QThread::msleep(Database::prePingIdleMs + 200); // idle long enough for pre-ping to reconnect
    };
    try {
        Migrator(db, MigrationSet::load(folder)).upgrade(o);
        QFAIL("the upgrade carried on without the lock");
    } catch (const LockLostError &error) {
        QVERIFY2(error.message().contains(QStringLiteral("the connection that held the migration lock (server backend pid")),
                 qPrintable(error.message()));
        QVERIFY(error.message().contains(QStringLiteral("stopped at 0002_t: the database stays at version 0001")));
    }
    QVERIFY(!admin.hasTable(QStringLiteral("t2")));
    QCOMPARE(admin.scalar(QStringLiteral("SELECT max(version) FROM dbdeck_schema_migrations")).toInt(), 1);
    const JournalEntry last = Migrator(admin, MigrationSet::load(folder)).journal().first();
    QCOMPARE(last.outcome, QStringLiteral("failed"));
    QVERIFY(last.error.contains(QStringLiteral("was lost")));
}

QTEST_GUILESS_MAIN(tst_MigrationLock)
#include "tst_migrationlock.moc"

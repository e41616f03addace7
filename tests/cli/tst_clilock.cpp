#include "clirunner.h"
#include "pgtestdatabase.h"
#include "testsupport.h"
#include "db/database.h"
#include "migrate/migrationlock.h"

#include <QDir>
#include <QProcess>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

#include <unistd.h>

using namespace dbdeck;
using dbdeck::test::CliResult;
using dbdeck::test::PgTestDatabase;
using dbdeck::test::runCli;
using dbdeck::test::writeFile;

namespace {

QProcessEnvironment plainEnvironment()
{
    QProcessEnvironment env;
    env.insert(QStringLiteral("PATH"), qEnvironmentVariable("PATH"));
    return env;
}

bool unshareWorks()
{
    QProcess probe;
    probe.start(QStringLiteral("unshare"), {QStringLiteral("--pid"), QStringLiteral("--fork"), QStringLiteral("--kill-child"), QStringLiteral("true")});
    return probe.waitForFinished(10000) && probe.exitStatus() == QProcess::NormalExit && probe.exitCode() == 0;
}

} // namespace

// Issue 10 §4, §7, §9: the migration lock seen from processes — racing first runs, PID
// namespaces, connections that are not dbdeck migrations, long waits.
class tst_CliLock : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void racingFromAFreshDatabase_data();
    void racingFromAFreshDatabase();
    void holderInAnotherPidNamespaceIsNeverTakenForDead_data();
    void holderInAnotherPidNamespaceIsNeverTakenForDead();
    void sqliteShellHoldingTheDatabaseIsNamed();
    void longWaitSaysWhoEveryFewSeconds();
    void stopRequestWhileWaitingChangesNothing();

private:
    QTemporaryDir m_dir;
};

void tst_CliLock::racingFromAFreshDatabase_data()
{
    QTest::addColumn<bool>("postgres");
    QTest::newRow("sqlite") << false;
    QTest::newRow("postgres") << true;
}

void tst_CliLock::racingFromAFreshDatabase()
{
    QFETCH(bool, postgres);
    if (postgres && PgTestDatabase::serverUrl().isEmpty())
        QSKIP("DBDECK_TEST_PG_URL is not set: the PostgreSQL run did not happen (scripts/test.sh starts a server)");
    const QString folder = m_dir.filePath(postgres ? QStringLiteral("race-pg") : QStringLiteral("race-sqlite"));
    QDir().mkpath(folder);
    writeFile(folder + QStringLiteral("/0001_hits.sql"), "-- migrate:up\nCREATE TABLE hits (migration INTEGER NOT NULL);\n");
    for (int n = 2; n <= 4; ++n)
        writeFile(QStringLiteral("%1/%2_hit.sql").arg(folder, QStringLiteral("000%1").arg(n)),
                  QStringLiteral("-- migrate:up%1\nINSERT INTO hits (migration) VALUES (%2);\n")
                      .arg(n == 3 ? QStringLiteral(" transaction:false") : QString()).arg(n));
    for (int trial = 0; trial < 8; ++trial) {
        std::unique_ptr<PgTestDatabase> pg;
        if (postgres)
            pg = std::make_unique<PgTestDatabase>(QStringLiteral("dbdeck_fresh_race"));
        const QString url = postgres ? pg->url() : test::sqliteUrl(m_dir.filePath(QStringLiteral("fresh-%1/app.db").arg(trial)));
        QProcess a, b;
        const QStringList args{QStringLiteral("upgrade"), QStringLiteral("--migrations"), folder, QStringLiteral("--db-url"), url};
        for (QProcess *p : {&a, &b}) {
            p->setProcessEnvironment(plainEnvironment());
            p->setWorkingDirectory(m_dir.path());
        }
        a.start(QStringLiteral(DBDECK_CLI), args); // both at once, on a database that does not exist yet
        b.start(QStringLiteral(DBDECK_CLI), args);
        QVERIFY(a.waitForFinished(60000) && b.waitForFinished(60000));
        const QString out = QString::fromUtf8(a.readAllStandardOutput() + b.readAllStandardOutput());
        const QString err = QString::fromUtf8(a.readAllStandardError() + b.readAllStandardError());
        QVERIFY2(a.exitCode() == 0 && b.exitCode() == 0, qPrintable(QStringLiteral("trial %1: %2").arg(trial).arg(err)));
        QCOMPARE(out.count(QStringLiteral("upgraded base -> 0004 (4 migration(s))")), 1);
        QCOMPARE(out.count(QStringLiteral("nothing to do: the database is at 0004")), 1);
        Database db(DbConfig::forUrl(url));
        QCOMPARE(db.scalar(QStringLiteral("SELECT count(*) FROM hits")).toInt(), 3);
        QCOMPARE(db.scalar(QStringLiteral("SELECT count(*) FROM dbdeck_schema_migrations")).toInt(), 4);
        QCOMPARE(db.scalar(QStringLiteral("SELECT count(*) FROM dbdeck_migration_journal WHERE outcome = 'succeeded'")).toInt(), 2);
    }
}

void tst_CliLock::holderInAnotherPidNamespaceIsNeverTakenForDead_data()
{
    QTest::addColumn<bool>("holderInNamespace");
    QTest::newRow("second runner in a new PID namespace") << false;
    QTest::newRow("holder in a new PID namespace") << true;
}

void tst_CliLock::holderInAnotherPidNamespaceIsNeverTakenForDead()
{
    QFETCH(bool, holderInNamespace);
    if (!unshareWorks())
        QSKIP("unshare --pid --fork --kill-child does not work here (it needs root or user namespaces)");
    const QString folder = m_dir.filePath(holderInNamespace ? QStringLiteral("ns-holder") : QStringLiteral("ns-second"));
    QDir().mkpath(folder);
    writeFile(folder + QStringLiteral("/0001_filler.sql"), "-- migrate:up\nCREATE TABLE filler (x INTEGER NOT NULL);\n");
    writeFile(folder + QStringLiteral("/0002_slow.sql"),
              "-- migrate:up\nINSERT INTO filler (x) WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 40000000)"
              " SELECT x FROM c;\n");
    const QString url = test::sqliteUrl(folder + QStringLiteral("/app.db"));
    const QStringList namespacePrefix{QStringLiteral("unshare"), QStringLiteral("--pid"), QStringLiteral("--fork"), QStringLiteral("--kill-child")};
    const QStringList args{QStringLiteral("upgrade"), QStringLiteral("--migrations"), folder, QStringLiteral("--db-url"), url};
    QProcess holder;
    holder.setProcessEnvironment(plainEnvironment());
    if (holderInNamespace)
        holder.start(namespacePrefix.first(), namespacePrefix.mid(1) + QStringList{QStringLiteral(DBDECK_CLI)} + args);
    else
        holder.start(QStringLiteral(DBDECK_CLI), args);
    QByteArray seen;
    while (!seen.contains("0002_slow ...") && holder.waitForReadyRead(30000))
        seen += holder.readAllStandardOutput();
    QVERIFY2(seen.contains("0002_slow ..."), seen.constData());

    // Same host name, a PID that means nothing in the other namespace: the second must wait.
    const CliResult second = runCli(m_dir.path(), args + QStringList{QStringLiteral("--lock-timeout"), QStringLiteral("1")}, {},
                                    holderInNamespace ? QStringList{} : namespacePrefix);
    QCOMPARE(second.exitCode, 6);
    QVERIFY2(second.err.contains(QStringLiteral("another dbdeck is migrating this database (host %1").arg(QSysInfo::machineHostName())),
             qPrintable(second.err));
    QVERIFY(!second.err.contains(QStringLiteral("took over")));
    QVERIFY(!second.out.contains(QStringLiteral("took over")));

    holder.kill(); // and once the holder is really gone, its lock is free at once
    QVERIFY(holder.waitForFinished(30000));
    writeFile(folder + QStringLiteral("/0002_slow.sql"), "-- migrate:up\nINSERT INTO filler (x) VALUES (1);\n");
    const CliResult after = runCli(m_dir.path(), args + QStringList{QStringLiteral("--lock-timeout"), QStringLiteral("30"),
                                                                    QStringLiteral("--allow-modified")}, {},
                                   holderInNamespace ? QStringList{} : namespacePrefix);
    QVERIFY2(after.exitCode == 0, qPrintable(after.err));
    Database db(DbConfig::forUrl(url));
    QCOMPARE(db.scalar(QStringLiteral("SELECT count(*) FROM filler")).toInt(), 1);
    QCOMPARE(db.scalar(QStringLiteral("SELECT count(*) FROM dbdeck_schema_migrations")).toInt(), 2);
}

void tst_CliLock::sqliteShellHoldingTheDatabaseIsNamed()
{
    const QString folder = m_dir.filePath(QStringLiteral("shell"));
    QDir().mkpath(folder);
    writeFile(folder + QStringLiteral("/0001_a.sql"), "-- migrate:up\nCREATE TABLE a (id INTEGER);\n");
    const QString path = folder + QStringLiteral("/app.db");
    const QStringList common{QStringLiteral("--migrations"), folder, QStringLiteral("--db-url"), test::sqliteUrl(path)};
    QCOMPARE(runCli(m_dir.path(), QStringList{QStringLiteral("stamp"), QStringLiteral("base")} + common).exitCode, 0);
    QProcess shell;
    shell.start(QStringLiteral("sqlite3"), {path});
    QVERIFY(shell.waitForStarted(10000));
    shell.write("BEGIN EXCLUSIVE;\nSELECT 'holding';\n");
    QByteArray seen;
    while (!seen.contains("holding") && shell.waitForReadyRead(20000))
        seen += shell.readAllStandardOutput();
    QVERIFY(seen.contains("holding"));

    const CliResult r = runCli(m_dir.path(), QStringList{QStringLiteral("upgrade"), QStringLiteral("--lock-timeout"), QStringLiteral("1")} + common);
    QCOMPARE(r.exitCode, 6);
    QVERIFY2(r.out.contains(QStringLiteral("waiting for another connection to the database that is not a dbdeck migration")),
             qPrintable(r.out));
    QVERIFY2(r.err.contains(QStringLiteral("another connection to the database that is not a dbdeck migration (the application, "
                                           "a sqlite3 shell, a backup) holds a write transaction")),
             qPrintable(r.err));
    QVERIFY(!r.err.contains(QStringLiteral("another dbdeck is migrating")));
    shell.write("COMMIT;\n.quit\n");
    shell.closeWriteChannel();
    QVERIFY(shell.waitForFinished(20000));
    QCOMPARE(runCli(m_dir.path(), QStringList{QStringLiteral("upgrade")} + common).exitCode, 0);
}

void tst_CliLock::longWaitSaysWhoEveryFewSeconds()
{
    const QString folder = m_dir.filePath(QStringLiteral("long-wait"));
    QDir().mkpath(folder);
    writeFile(folder + QStringLiteral("/0001_a.sql"), "-- migrate:up\nCREATE TABLE a (id INTEGER);\n");
    const QString url = test::sqliteUrl(folder + QStringLiteral("/app.db"));
    Database db(DbConfig::forUrl(url));
    MigrationLock held(db); // a live holder: this test process
    held.acquire(10000);
    const CliResult r = runCli(m_dir.path(), {QStringLiteral("upgrade"), QStringLiteral("--migrations"), folder, QStringLiteral("--db-url"), url,
                                              QStringLiteral("--lock-timeout"), QStringLiteral("6")});
    QCOMPARE(r.exitCode, 6);
    const QString who = QStringLiteral("the migration lock held by host %1, pid %2").arg(QSysInfo::machineHostName()).arg(getpid());
    QVERIFY2(r.out.startsWith(QStringLiteral("waiting for ") + who), qPrintable(r.out));
    QVERIFY2(r.out.contains(QStringLiteral("still waiting (5 s so far) for ") + who), qPrintable(r.out));
    QVERIFY2(r.err.contains(QStringLiteral("another dbdeck is migrating this database (host %1, pid %2").arg(QSysInfo::machineHostName()).arg(getpid())),
             qPrintable(r.err));
}

void tst_CliLock::stopRequestWhileWaitingChangesNothing()
{
    const QString folder = m_dir.filePath(QStringLiteral("stop-waiting"));
    QDir().mkpath(folder);
    writeFile(folder + QStringLiteral("/0001_a.sql"), "-- migrate:up\nCREATE TABLE a (id INTEGER);\n");
    const QString url = test::sqliteUrl(folder + QStringLiteral("/app.db"));
    Database db(DbConfig::forUrl(url));
    MigrationLock held(db);
    held.acquire(10000);
    QProcess waiter;
    waiter.setProcessEnvironment(plainEnvironment());
    waiter.start(QStringLiteral(DBDECK_CLI), {QStringLiteral("upgrade"), QStringLiteral("--migrations"), folder, QStringLiteral("--db-url"), url,
                                              QStringLiteral("--lock-timeout"), QStringLiteral("120")});
    QByteArray seen;
    while (!seen.contains("waiting for") && waiter.waitForReadyRead(30000))
        seen += waiter.readAllStandardOutput();
    QVERIFY(seen.contains("waiting for"));
    ::kill(pid_t(waiter.processId()), SIGTERM);
    QVERIFY(waiter.waitForFinished(30000));
    QCOMPARE(waiter.exitStatus(), QProcess::NormalExit);
    QCOMPARE(waiter.exitCode(), 1);
    const QString err = QString::fromUtf8(waiter.readAllStandardError());
    QVERIFY2(err.contains(QStringLiteral("cancelled while waiting for the migration lock held by host")), qPrintable(err));
    QVERIFY(err.contains(QStringLiteral("nothing was changed")));
    QVERIFY(!db.hasTable(QStringLiteral("a")));
}

QTEST_GUILESS_MAIN(tst_CliLock)
#include "tst_clilock.moc"

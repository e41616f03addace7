#include "clirunner.h"
#include "pgtestdatabase.h"
#include "testsupport.h"
#include "db/database.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <csignal>

using namespace dbdeck;
using dbdeck::test::CliResult;
using dbdeck::test::PgTestDatabase;
using dbdeck::test::runCli;
using dbdeck::test::writeFile;

// Issue 10 §1: a transaction:false migration whose process is killed (or asked to stop) part-way
// is "interrupted at statement k of n" everywhere a user looks, upgrade never runs it again from
// its first statement, and the explicit recovery commands finish it.
class tst_CliInterrupted : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void killedMigrationIsInterruptedAndResumable_data();
    void killedMigrationIsInterruptedAndResumable();
    void stopSignalStopsBetweenStatements_data();
    void stopSignalStopsBetweenStatements();
    void markAppliedAndMarkNotApplied();

private:
    struct Setup
    {
        QString url;
        QString folder;
        QStringList common;
        std::unique_ptr<PgTestDatabase> pg;
    };
    bool prepare(bool postgres, Setup *setup, qint64 knob = 2000000000);
    // Starts upgrade and waits until statement `running` of 0002 is under way.
    bool startAndWait(QProcess &process, const Setup &s, int running);

    QTemporaryDir m_dir;
    int m_serial = 0;
};

bool tst_CliInterrupted::prepare(bool postgres, Setup *s, qint64 knob)
{
    if (postgres && PgTestDatabase::serverUrl().isEmpty())
        return false;
    const QString name = QStringLiteral("case%1").arg(++m_serial);
    if (postgres) {
        s->pg = std::make_unique<PgTestDatabase>(QStringLiteral("dbdeck_interrupted"));
        s->url = s->pg->url();
    } else {
        s->url = test::sqliteUrl(m_dir.filePath(name + QStringLiteral(".db")));
    }
    s->folder = m_dir.filePath(name);
    QDir().mkpath(s->folder);
    writeFile(s->folder + QStringLiteral("/0001_base.sql"),
              "-- migrate:up\nCREATE TABLE marks (step INTEGER NOT NULL, CONSTRAINT pk_marks PRIMARY KEY (step));\n"
              "CREATE TABLE knob (n INTEGER NOT NULL);\nINSERT INTO knob (n) VALUES (1);\n");
    // Statement 3 takes as long as the knob says: long while the test kills, short when resumed.
    writeFile(s->folder + QStringLiteral("/0002_batches.sql"),
              "-- migrate:up transaction:false\n"
              "CREATE TABLE IF NOT EXISTS items (id INTEGER NOT NULL);\n"
              "INSERT INTO marks (step) VALUES (1);\n"
              "SELECT count(*) FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < (SELECT n FROM knob))"
              " SELECT x FROM c) AS counted;\n"
              "INSERT INTO marks (step) VALUES (3);\n");
    writeFile(s->folder + QStringLiteral("/0003_after.sql"), "-- migrate:up\nCREATE TABLE after_it (id INTEGER NOT NULL);\n");
    s->common = QStringList{QStringLiteral("--migrations"), s->folder, QStringLiteral("--db-url"), s->url};
    const CliResult r = runCli(m_dir.path(), QStringList{QStringLiteral("upgrade"), QStringLiteral("1")} + s->common);
    if (r.exitCode != 0)
        qWarning("%s", qPrintable(r.err));
    Database db(DbConfig::forUrl(s->url));
    db.exec(QStringLiteral("UPDATE knob SET n = ?"), {knob});
    return true;
}

bool tst_CliInterrupted::startAndWait(QProcess &process, const Setup &s, int running)
{
    QProcessEnvironment env;
    env.insert(QStringLiteral("PATH"), qEnvironmentVariable("PATH"));
    process.setProcessEnvironment(env);
    process.setWorkingDirectory(m_dir.path());
    process.start(QStringLiteral(DBDECK_CLI), QStringList{QStringLiteral("upgrade")} + s.common);
    Database db(DbConfig::forUrl(s.url));
    QDeadlineTimer deadline(60000);
    while (!deadline.hasExpired()) {
        if (db.hasTable(QStringLiteral("dbdeck_migration_progress"))
            && db.scalar(QStringLiteral("SELECT statements_done FROM dbdeck_migration_progress WHERE version = 2")).toInt() == running - 1
            && db.scalar(QStringLiteral("SELECT count(*) FROM marks")).toInt() == running - 2)
            return true;
        QThread::msleep(20);
    }
    return false;
}

void tst_CliInterrupted::killedMigrationIsInterruptedAndResumable_data()
{
    QTest::addColumn<bool>("postgres");
    QTest::newRow("sqlite") << false;
    QTest::newRow("postgres") << true;
}

void tst_CliInterrupted::killedMigrationIsInterruptedAndResumable()
{
    QFETCH(bool, postgres);
    Setup s;
    if (!prepare(postgres, &s))
        QSKIP("DBDECK_TEST_PG_URL is not set: the PostgreSQL run did not happen (scripts/test.sh starts a server)");
    QProcess victim;
    QVERIFY(startAndWait(victim, s, 3));
    victim.kill(); // SIGKILL: no cleanup at all
    QVERIFY(victim.waitForFinished(10000));
    Database db(DbConfig::forUrl(s.url));
    db.exec(QStringLiteral("UPDATE knob SET n = 10"));
    if (postgres) // the server ends the orphaned session (as its keepalive would), releasing the lock
        db.exec(QStringLiteral("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database()"
                               " AND pid <> pg_backend_pid() AND application_name = 'dbdeck'"));

    CliResult r = runCli(m_dir.path(), QStringList{QStringLiteral("status")} + s.common);
    QVERIFY2(r.out.contains(QRegularExpression(QStringLiteral("0002\\s+0002_batches\\s+interrupted at statement 3 of 4"))), qPrintable(r.out));
    QVERIFY2(r.out.contains(QStringLiteral("lock:     free")), qPrintable(r.out));
    r = runCli(m_dir.path(), QStringList{QStringLiteral("status"), QStringLiteral("--format"), QStringLiteral("json")} + s.common);
    const QJsonObject second = QJsonDocument::fromJson(r.out.toUtf8()).object().value(QStringLiteral("migrations")).toArray().at(1).toObject();
    QCOMPARE(second.value(QStringLiteral("state")).toString(), QStringLiteral("interrupted"));
    QCOMPARE(second.value(QStringLiteral("interrupted_at_statement")).toInt(), 3);

    r = runCli(m_dir.path(), QStringList{QStringLiteral("check")} + s.common);
    QCOMPARE(r.exitCode, 7);
    QVERIFY2(r.err.contains(QStringLiteral("0002_batches was interrupted at statement 3 of 4 (line 4: SELECT count(*) FROM")), qPrintable(r.err));
    QVERIFY(r.err.contains(QStringLiteral("statements 1 to 2 ran, statement 3 may or may not have")));
    QVERIFY(r.err.contains(QStringLiteral("`dbdeck-cli resume 0002 --from 3`")));

    r = runCli(m_dir.path(), QStringList{QStringLiteral("journal"), QStringLiteral("--format"), QStringLiteral("json")} + s.common);
    const QJsonObject killed = QJsonDocument::fromJson(r.out.toUtf8()).array().at(0).toObject();
    QCOMPARE(killed.value(QStringLiteral("outcome")).toString(), QStringLiteral("interrupted"));
    QVERIFY(!killed.value(QStringLiteral("started_at")).toString().isEmpty());
    QVERIFY(killed.value(QStringLiteral("run_by")).toString().contains(QLatin1Char('@')));
    QVERIFY2(killed.value(QStringLiteral("detail")).toString().contains(QStringLiteral("0002_batches was interrupted at statement 3 of 4")),
             qPrintable(r.out));

    r = runCli(m_dir.path(), QStringList{QStringLiteral("upgrade")} + s.common);
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(QStringLiteral("refusing to upgrade: 0002_batches was interrupted at statement 3 of 4")), qPrintable(r.err));
    QCOMPARE(db.scalar(QStringLiteral("SELECT count(*) FROM marks")).toInt(), 1); // statement 2 ran once, and only once

    r = runCli(m_dir.path(), QStringList{QStringLiteral("resume"), QStringLiteral("0002"), QStringLiteral("--from"), QStringLiteral("3")} + s.common);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY(r.out.contains(QStringLiteral("resumed 0002_batches from statement 3")));
    r = runCli(m_dir.path(), QStringList{QStringLiteral("upgrade")} + s.common);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QCOMPARE(db.scalar(QStringLiteral("SELECT count(*) FROM marks")).toInt(), 2);
    QCOMPARE(db.scalar(QStringLiteral("SELECT count(*) FROM dbdeck_schema_migrations WHERE state = 'applied'")).toInt(), 3);
    r = runCli(m_dir.path(), QStringList{QStringLiteral("journal"), QStringLiteral("--format"), QStringLiteral("json")} + s.common);
    const QJsonArray journal = QJsonDocument::fromJson(r.out.toUtf8()).array();
    QCOMPARE(journal.at(1).toObject().value(QStringLiteral("operation")).toString(), QStringLiteral("resume"));
    QCOMPARE(journal.at(1).toObject().value(QStringLiteral("outcome")).toString(), QStringLiteral("succeeded"));
    QCOMPARE(journal.at(3).toObject().value(QStringLiteral("outcome")).toString(), QStringLiteral("interrupted"));
}

void tst_CliInterrupted::stopSignalStopsBetweenStatements_data()
{
    QTest::addColumn<int>("signal");
    QTest::newRow("SIGTERM") << int(SIGTERM);
    QTest::newRow("SIGHUP") << int(SIGHUP);
    QTest::newRow("SIGINT") << int(SIGINT);
}

void tst_CliInterrupted::stopSignalStopsBetweenStatements()
{
    QFETCH(int, signal);
    Setup s;
    QVERIFY(prepare(false, &s, 10000000)); // statement 3 takes a second or more
    QProcess process;
    QVERIFY(startAndWait(process, s, 3));
    // Statement 3 runs to its end; the stop request is honoured before statement 4.
    ::kill(pid_t(process.processId()), signal);
    QVERIFY(process.waitForFinished(60000));
    const QString out = QString::fromUtf8(process.readAllStandardOutput());
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 1);
    QVERIFY2(out.contains(QStringLiteral("cancelled: stopped in 0002_batches before statement 4 of 4")), qPrintable(out));
    CliResult r = runCli(m_dir.path(), QStringList{QStringLiteral("status")} + s.common);
    QVERIFY2(r.out.contains(QStringLiteral("lock:     free")), qPrintable(r.out));
    QVERIFY2(r.out.contains(QStringLiteral("0002_batches was cancelled before statement 4 of 4")), qPrintable(r.out));
    r = runCli(m_dir.path(), QStringList{QStringLiteral("journal"), QStringLiteral("--format"), QStringLiteral("json")} + s.common);
    QCOMPARE(QJsonDocument::fromJson(r.out.toUtf8()).array().at(0).toObject().value(QStringLiteral("outcome")).toString(),
             QStringLiteral("cancelled"));
    r = runCli(m_dir.path(), QStringList{QStringLiteral("resume"), QStringLiteral("2"), QStringLiteral("--from"), QStringLiteral("4")} + s.common);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    Database db(DbConfig::forUrl(s.url));
    QCOMPARE(db.scalar(QStringLiteral("SELECT count(*) FROM marks")).toInt(), 2);
    QCOMPARE(db.scalar(QStringLiteral("SELECT count(*) FROM dbdeck_migration_progress")).toInt(), 0);
}

void tst_CliInterrupted::markAppliedAndMarkNotApplied()
{
    for (const bool applied : {true, false}) {
        Setup s;
        QVERIFY(prepare(false, &s));
        QProcess victim;
        QVERIFY(startAndWait(victim, s, 3));
        victim.kill();
        QVERIFY(victim.waitForFinished(10000));
        const QString command = applied ? QStringLiteral("mark-applied") : QStringLiteral("mark-not-applied");
        QCOMPARE(runCli(m_dir.path(), QStringList{command, QStringLiteral("0003")} + s.common).exitCode, 1); // 0003 is pending, not interrupted
        CliResult r = runCli(m_dir.path(), QStringList{command, QStringLiteral("0002")} + s.common);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(r.out.contains(applied ? QStringLiteral("marked 0002 as applied (nothing ran): the database is at 0002")
                                       : QStringLiteral("marked 0002 as not applied (nothing ran): the database is at 0001")));
        r = runCli(m_dir.path(), QStringList{QStringLiteral("journal"), QStringLiteral("--format"), QStringLiteral("json")} + s.common);
        const QJsonObject entry = QJsonDocument::fromJson(r.out.toUtf8()).array().at(0).toObject();
        QCOMPARE(entry.value(QStringLiteral("operation")).toString(), command);
        QVERIFY2(entry.value(QStringLiteral("detail")).toString().contains(QStringLiteral("it was interrupted at statement 3 of 4")), qPrintable(r.out));
        QCOMPARE(runCli(m_dir.path(), QStringList{QStringLiteral("check")} + s.common).exitCode, 0);
        Database db(DbConfig::forUrl(s.url));
        db.exec(QStringLiteral("UPDATE knob SET n = 10"));
        if (!applied)
            db.exec(QStringLiteral("DELETE FROM marks")); // what the user undid by hand
        QCOMPARE(runCli(m_dir.path(), QStringList{QStringLiteral("upgrade")} + s.common).exitCode, 0);
        QCOMPARE(db.scalar(QStringLiteral("SELECT count(*) FROM marks")).toInt(), applied ? 1 : 2);
    }
}

QTEST_GUILESS_MAIN(tst_CliInterrupted)
#include "tst_cliinterrupted.moc"

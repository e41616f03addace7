#include "clirunner.h"
#include "pgtestdatabase.h"
#include "config/dbconfig.h"
#include "db/database.h"
#include "migrate/migrationfile.h"

#include "testsupport.h"

#include <QDir>
#include <QFile>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QCryptographicHash>
#include <QTest>

#include <unistd.h>

using namespace dbdeck;
using dbdeck::test::CliResult;
using dbdeck::test::runCli;
using dbdeck::test::PgTestDatabase;

using dbdeck::test::writeFile;

namespace {

// A few ms of real work per migration, so that two racing processes overlap.
QString busyInsert(int n, int rows)
{
    return QStringLiteral("INSERT INTO filler (migration, x) WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < %2)"
                          " SELECT %1, x FROM c;\n").arg(n).arg(rows);
}

} // namespace

class tst_CliMigrate : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everydayCommands();
    void checkExitCodes();
    void parseErrorsNameFileAndLine();
    void sqlPreviewCreatesNothing();
    void revision();
    void twoProcessesRacingApplyEachMigrationOnce_data();
    void twoProcessesRacingApplyEachMigrationOnce();
    void everydayCommandsOnPostgres();
    void lockOfKilledProcessIsTakenOver();
    void lockHeldByLiveProcessTimesOutWithExitCode6();
    void failedMigrationExitsNonZeroAndJournals();
    void preflightCountsViolatingRowsAndChangesNothing();
};

void tst_CliMigrate::everydayCommands()
{
    QTemporaryDir dir;
    const QStringList m{QStringLiteral("--migrations"), QStringLiteral(DBDECK_SOURCE_DIR "/migrations")};
    CliResult r = runCli(dir.path(), QStringList{QStringLiteral("status")} + m);
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.contains(QStringLiteral("(new: not created yet)")));
    QVERIFY(r.out.contains(QRegularExpression(QStringLiteral("0001\\s+0001_create_runs\\s+pending"))));
    QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("data/app.db"))));

    r = runCli(dir.path(), QStringList{QStringLiteral("upgrade")} + m);
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains(QStringLiteral("[1/2] 0001_create_runs ok")), qPrintable(r.out));
    QVERIFY(r.out.contains(QStringLiteral("upgraded base -> 0002 (2 migration(s))")));
    QCOMPARE(runCli(dir.path(), QStringList{QStringLiteral("current")} + m).out, QStringLiteral("0002 (head)\n"));
    QCOMPARE(runCli(dir.path(), QStringList{QStringLiteral("heads")} + m).out, QStringLiteral("0002_create_events (head)\n"));

    r = runCli(dir.path(), QStringList{QStringLiteral("downgrade"), QStringLiteral("-1")} + m);
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.contains(QStringLiteral("downgraded 0002 -> 0001")));
    r = runCli(dir.path(), QStringList{QStringLiteral("status"), QStringLiteral("--format"), QStringLiteral("json")} + m);
    const QJsonObject status = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(status.value(QStringLiteral("current")).toInt(), 1);
    QCOMPARE(status.value(QStringLiteral("pending")).toInt(), 1);
    QCOMPARE(status.value(QStringLiteral("migrations")).toArray().at(1).toObject().value(QStringLiteral("state")).toString(),
             QStringLiteral("pending"));

    r = runCli(dir.path(), QStringList{QStringLiteral("journal"), QStringLiteral("--format"), QStringLiteral("json")} + m);
    const QJsonArray journal = QJsonDocument::fromJson(r.out.toUtf8()).array();
    QCOMPARE(journal.size(), 2);
    QCOMPARE(journal.at(0).toObject().value(QStringLiteral("operation")).toString(), QStringLiteral("downgrade"));
    QCOMPARE(journal.at(1).toObject().value(QStringLiteral("operation")).toString(), QStringLiteral("upgrade"));

    r = runCli(dir.path(), QStringList{QStringLiteral("stamp"), QStringLiteral("head")} + m);
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.contains(QStringLiteral("recorded at 0002")));
    r = runCli(dir.path(), QStringList{QStringLiteral("history")} + m);
    QVERIFY(r.out.contains(QRegularExpression(QStringLiteral("0002\\s+0002_create_events\\s+applied\\s+yes\\s+yes"))));
    QCOMPARE(runCli(dir.path(), QStringList{QStringLiteral("downgrade")} + m).exitCode, 2); // no target
}

void tst_CliMigrate::checkExitCodes()
{
    QTemporaryDir dir;
    const QString folder = dir.filePath(QStringLiteral("m"));
    QDir().mkpath(folder);
    writeFile(folder + QStringLiteral("/0001_a.sql"), QStringLiteral("-- migrate:up\nCREATE TABLE a (id INTEGER);\n"));
    writeFile(folder + QStringLiteral("/0002_b.sql"), QStringLiteral("-- migrate:up\nCREATE TABLE b (id INTEGER);\n"));
    const QStringList m{QStringLiteral("--migrations"), folder};
    QCOMPARE(runCli(dir.path(), QStringList{QStringLiteral("check")} + m).exitCode, 0); // pending is fine
    QCOMPARE(runCli(dir.path(), QStringList{QStringLiteral("upgrade")} + m).exitCode, 0);
    CliResult r = runCli(dir.path(), QStringList{QStringLiteral("check")} + m);
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.startsWith(QStringLiteral("ok: 2 migration(s), current 0002 (head), 0 pending")));

    writeFile(folder + QStringLiteral("/0001_a.sql"), QStringLiteral("-- migrate:up\nCREATE TABLE a (id INTEGER, x TEXT);\n"));
    r = runCli(dir.path(), QStringList{QStringLiteral("check")} + m);
    QCOMPARE(r.exitCode, 7);
    QVERIFY(r.err.contains(QStringLiteral("problem: 0001_a was modified after it was applied")));
    r = runCli(dir.path(), QStringList{QStringLiteral("upgrade")} + m);
    QCOMPARE(r.exitCode, 1);
    QVERIFY(r.err.contains(QStringLiteral("0001_a is modified; refusing to upgrade")));

    writeFile(folder + QStringLiteral("/0001_a.sql"), QStringLiteral("-- migrate:up\nCREATE TABLE a (id INTEGER);\n"));
    QVERIFY(QFile::remove(folder + QStringLiteral("/0002_b.sql")));
    r = runCli(dir.path(), QStringList{QStringLiteral("check"), QStringLiteral("--format"), QStringLiteral("json")} + m);
    QCOMPARE(r.exitCode, 7);
    QVERIFY(r.out.contains(QStringLiteral("newer than the newest migration file")));

    writeFile(folder + QStringLiteral("/0002_b.sql"), QStringLiteral("-- migrate:up\nCREATE TABLE b (id INTEGER);\n"));
    writeFile(folder + QStringLiteral("/0002_dup.sql"), QStringLiteral("-- migrate:up\nSELECT 1;\n"));
    r = runCli(dir.path(), QStringList{QStringLiteral("check")} + m);
    QCOMPARE(r.exitCode, 7);
    QVERIFY(r.err.contains(QStringLiteral("version 0002 is also used by")));
}

void tst_CliMigrate::parseErrorsNameFileAndLine()
{
    QTemporaryDir dir;
    const QString folder = dir.filePath(QStringLiteral("m"));
    QDir().mkpath(folder);
    writeFile(folder + QStringLiteral("/0001_a.sql"), QStringLiteral("-- header\nSELECT 'stray';\n-- migrate:up\nSELECT 1;\n"));
    writeFile(folder + QStringLiteral("/2_bad-name!.sql"), QStringLiteral("-- migrate:up\nSELECT 1;\n"));
    const QStringList m{QStringLiteral("--migrations"), folder};
    CliResult r = runCli(dir.path(), QStringList{QStringLiteral("check")} + m);
    QCOMPARE(r.exitCode, 7);
    QVERIFY2(r.err.contains(QStringLiteral("%1/0001_a.sql:2: text before the first marker").arg(folder)), qPrintable(r.err));
    QVERIFY(r.err.contains(QStringLiteral("%1/2_bad-name!.sql: the file name does not match NNNN_slug.sql").arg(folder)));
    r = runCli(dir.path(), QStringList{QStringLiteral("upgrade")} + m);
    QCOMPARE(r.exitCode, 1);
    QVERIFY(r.err.contains(QStringLiteral("the migration files have problems:")));
    QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("data/app.db"))));
}

void tst_CliMigrate::sqlPreviewCreatesNothing()
{
    QTemporaryDir dir;
    CliResult r = runCli(dir.path(), {QStringLiteral("upgrade"), QStringLiteral("--sql"), QStringLiteral("--migrations"),
                                      QStringLiteral(DBDECK_SOURCE_DIR "/migrations")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.contains(QStringLiteral("CREATE TABLE runs (")));
    QVERIFY(r.out.contains(QStringLiteral("CREATE INDEX ix_events_created_at ON events (created_at);")));
    QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("data"))));
}

void tst_CliMigrate::revision()
{
    QTemporaryDir dir;
    CliResult r = runCli(dir.path(), {QStringLiteral("revision"), QStringLiteral("-m"), QStringLiteral("Add users")});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QStringLiteral("created %1/migrations/0001_add_users.sql\n").arg(dir.path()));
    QCOMPARE(runCli(dir.path(), {QStringLiteral("revision")}).exitCode, 2);
}

void tst_CliMigrate::twoProcessesRacingApplyEachMigrationOnce_data()
{
    QTest::addColumn<bool>("postgres");
    QTest::newRow("sqlite") << false;
    QTest::newRow("postgres") << true;
}

void tst_CliMigrate::twoProcessesRacingApplyEachMigrationOnce()
{
    QFETCH(bool, postgres);
    if (postgres && PgTestDatabase::serverUrl().isEmpty())
        QSKIP("DBDECK_TEST_PG_URL is not set: the PostgreSQL run did not happen (scripts/test.sh starts a server)");
    std::unique_ptr<PgTestDatabase> pg;
    if (postgres)
        pg = std::make_unique<PgTestDatabase>(QStringLiteral("dbdeck_race"));
    QTemporaryDir dir;
    const QString url = postgres ? pg->url() : QStringLiteral("sqlite:///%1/data/app.db").arg(dir.path());
    const QString folder = dir.filePath(QStringLiteral("m"));
    QDir().mkpath(folder);
    writeFile(folder + QStringLiteral("/0001_filler.sql"),
              QStringLiteral("-- migrate:up\nCREATE TABLE filler (migration INTEGER NOT NULL, x INTEGER NOT NULL);\n"
                             "CREATE TABLE hits (migration INTEGER NOT NULL);\n"));
    const int count = 12;
    for (int n = 2; n <= count; ++n)
        writeFile(folder + QStringLiteral("/%1_step.sql").arg(MigrationFile::formatVersion(n)),
                  QStringLiteral("-- migrate:up\n") + busyInsert(n, 100000) + QStringLiteral("INSERT INTO hits (migration) VALUES (%1);\n").arg(n));
    const QStringList call{QStringLiteral("upgrade"), QStringLiteral("--migrations"), folder, QStringLiteral("--sqlite-busy-timeout-ms"),
                           QStringLiteral("200"), QStringLiteral("--db-url"), url};
    // 0002 is slow, so that once A has started it, B certainly finds the lock taken.
    writeFile(folder + QStringLiteral("/0002_step.sql"),
              QStringLiteral("-- migrate:up\n") + busyInsert(2, 1500000) + QStringLiteral("INSERT INTO hits (migration) VALUES (2);\n"));
    QProcessEnvironment env;
    env.insert(QStringLiteral("PATH"), qEnvironmentVariable("PATH"));
    QProcess a, b;
    for (QProcess *p : {&a, &b}) {
        p->setWorkingDirectory(dir.path());
        p->setProcessEnvironment(env);
    }
    a.start(QStringLiteral(DBDECK_CLI), call);
    QByteArray seenA;
    while (!seenA.contains("0002_step ...") && a.waitForReadyRead(30000))
        seenA += a.readAllStandardOutput();
    b.start(QStringLiteral(DBDECK_CLI), call);
    QVERIFY(a.waitForFinished(60000) && b.waitForFinished(60000));
    const QString errors = QString::fromUtf8(a.readAllStandardError() + b.readAllStandardError());
    const QString outputs = QString::fromUtf8(seenA + a.readAllStandardOutput() + b.readAllStandardOutput());
    // They did overlap: one of them saw the other's lock and waited for it.
    QVERIFY2(outputs.contains(QStringLiteral("waiting for the migration lock held by")), qPrintable(outputs));
    QCOMPARE(a.exitCode(), 0);
    QCOMPARE(b.exitCode(), 0);
    QVERIFY2(!errors.contains(QStringLiteral("locked")), qPrintable(errors));

    Database db(DbConfig::forUrl(url));
    QCOMPARE(db.scalar(QStringLiteral("SELECT count(*) FROM dbdeck_schema_migrations")).toInt(), count);
    QCOMPARE(db.scalar(QStringLiteral("SELECT count(*) FROM hits")).toInt(), count - 1);
    QCOMPARE(db.scalar(QStringLiteral("SELECT count(DISTINCT migration) FROM hits")).toInt(), count - 1);
    QCOMPARE(db.scalar(QStringLiteral("SELECT count(*) FROM filler")).toInt(), (count - 2) * 100000 + 1500000);
    QCOMPARE(db.scalar(QStringLiteral("SELECT count(*) FROM dbdeck_migration_lock")).toInt(), 0);
}

void tst_CliMigrate::everydayCommandsOnPostgres()
{
    if (PgTestDatabase::serverUrl().isEmpty())
        QSKIP("DBDECK_TEST_PG_URL is not set: the PostgreSQL run did not happen (scripts/test.sh starts a server)");
    PgTestDatabase pg(QStringLiteral("dbdeck_cli"));
    QTemporaryDir dir;
    const QStringList m{QStringLiteral("--migrations"), QStringLiteral(DBDECK_SOURCE_DIR "/migrations"), QStringLiteral("--db-url"), pg.url()};
    CliResult r = runCli(dir.path(), QStringList{QStringLiteral("config")} + m);
    QVERIFY(r.out.contains(QStringLiteral("(ignored on PostgreSQL)")));
    r = runCli(dir.path(), QStringList{QStringLiteral("upgrade")} + m);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QCOMPARE(runCli(dir.path(), QStringList{QStringLiteral("check")} + m).exitCode, 0);
    QCOMPARE(runCli(dir.path(), QStringList{QStringLiteral("current")} + m).out, QStringLiteral("0002 (head)\n"));
    r = runCli(dir.path(), QStringList{QStringLiteral("sample-data"), QStringLiteral("--runs"), QStringLiteral("3"), QStringLiteral("--events"), QStringLiteral("30")} + m);
    QVERIFY2(r.out.contains(QStringLiteral("3 runs and 30 events added")), qPrintable(r.out + r.err));
    r = runCli(dir.path(), QStringList{QStringLiteral("counts"), QStringLiteral("--format"), QStringLiteral("csv")} + m);
    QVERIFY2(r.out.contains(QStringLiteral("events,30,3,false")), qPrintable(r.out + r.err));
    r = runCli(dir.path(), QStringList{QStringLiteral("health")} + m);
    QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
    r = runCli(dir.path(), QStringList{QStringLiteral("recent"), QStringLiteral("runs")} + m);
    QCOMPARE(r.out.count(QLatin1Char('\n')), 4);
    r = runCli(dir.path(), QStringList{QStringLiteral("downgrade"), QStringLiteral("base")} + m);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    r = runCli(dir.path(), QStringList{QStringLiteral("journal"), QStringLiteral("--format"), QStringLiteral("json")} + m);
    QCOMPARE(QJsonDocument::fromJson(r.out.toUtf8()).array().size(), 2);
}

void tst_CliMigrate::lockOfKilledProcessIsTakenOver()
{
    QTemporaryDir dir;
    const QString folder = dir.filePath(QStringLiteral("m"));
    QDir().mkpath(folder);
    writeFile(folder + QStringLiteral("/0001_filler.sql"),
              QStringLiteral("-- migrate:up\nCREATE TABLE filler (migration INTEGER NOT NULL, x INTEGER NOT NULL);\n"));
    // Long enough to be killed in the middle of it.
    writeFile(folder + QStringLiteral("/0002_slow.sql"), QStringLiteral("-- migrate:up\n") + busyInsert(2, 30000000));
    writeFile(folder + QStringLiteral("/0003_quick.sql"), QStringLiteral("-- migrate:up\nCREATE TABLE done (id INTEGER);\n"));
    QProcess victim;
    QProcessEnvironment env;
    env.insert(QStringLiteral("PATH"), qEnvironmentVariable("PATH"));
    victim.setProcessEnvironment(env);
    victim.setWorkingDirectory(dir.path());
    victim.start(QStringLiteral(DBDECK_CLI), {QStringLiteral("upgrade"), QStringLiteral("--migrations"), folder});
    QByteArray seen;
    while (!seen.contains("0002_slow ...") && victim.waitForReadyRead(20000))
        seen += victim.readAllStandardOutput();
    QVERIFY2(seen.contains("0002_slow ..."), seen.constData());
    victim.kill(); // SIGKILL: no cleanup, the lock row stays behind
    QVERIFY(victim.waitForFinished(10000));

    Database db(DbConfig::forUrl(QStringLiteral("sqlite:///%1/data/app.db").arg(dir.path())));
    QCOMPARE(db.scalar(QStringLiteral("SELECT count(*) FROM dbdeck_migration_lock")).toInt(), 1);
    QCOMPARE(db.scalar(QStringLiteral("SELECT max(version) FROM dbdeck_schema_migrations")).toInt(), 1);
    QVERIFY(!runCli(dir.path(), {QStringLiteral("status"), QStringLiteral("--migrations"), folder}).out.contains(QStringLiteral("lock:     held")));
    // Its pid is reused by an unrelated live process: the lock is still known to be free.
    db.exec(QStringLiteral("UPDATE dbdeck_migration_lock SET pid = ?"), {qint64(getpid())});
    db.closeConnection();

    writeFile(folder + QStringLiteral("/0002_slow.sql"), QStringLiteral("-- migrate:up\n") + busyInsert(2, 10));
    const CliResult r = runCli(dir.path(), {QStringLiteral("upgrade"), QStringLiteral("--migrations"), folder,
                                            QStringLiteral("--lock-timeout"), QStringLiteral("10"), QStringLiteral("--allow-modified")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
    QCOMPARE(db.scalar(QStringLiteral("SELECT count(*) FROM dbdeck_schema_migrations")).toInt(), 3);
    QCOMPARE(db.scalar(QStringLiteral("SELECT count(*) FROM filler")).toInt(), 10);
    const QString detail = db.scalar(QStringLiteral("SELECT detail FROM dbdeck_migration_journal ORDER BY id DESC LIMIT 1")).toString();
    QVERIFY2(detail.contains(QStringLiteral("took over a stale migration lock (host %1, pid %2").arg(QSysInfo::machineHostName()).arg(getpid())),
             qPrintable(detail));
    QVERIFY(detail.contains(QStringLiteral("its process had ended without releasing it")));
}

void tst_CliMigrate::lockHeldByLiveProcessTimesOutWithExitCode6()
{
    QTemporaryDir dir;
    const QString folder = dir.filePath(QStringLiteral("m"));
    QDir().mkpath(folder);
    writeFile(folder + QStringLiteral("/0001_a.sql"), QStringLiteral("-- migrate:up\nCREATE TABLE a (id INTEGER);\n"));
    const QStringList m{QStringLiteral("--migrations"), folder};
    QCOMPARE(runCli(dir.path(), QStringList{QStringLiteral("stamp"), QStringLiteral("base")} + m).exitCode, 0);
    Database db(DbConfig::forUrl(QStringLiteral("sqlite:///%1/data/app.db").arg(dir.path())));
    db.exec(QStringLiteral("INSERT INTO dbdeck_migration_lock (id, host, pid, acquired_at, heartbeat_at) VALUES (1, ?, ?, ?, ?)"),
            {QSysInfo::machineHostName(), qint64(getpid()), QStringLiteral("2026-11-22 08:00:00.000000"), QStringLiteral("2026-11-22 08:00:00.000000")});
    db.closeConnection();
    const CliResult r = runCli(dir.path(), QStringList{QStringLiteral("upgrade"), QStringLiteral("--lock-timeout"), QStringLiteral("0.5")} + m);
    QCOMPARE(r.exitCode, 6);
    QVERIFY(r.out.contains(QStringLiteral("waiting for the migration lock held by host %1, pid %2").arg(QSysInfo::machineHostName()).arg(getpid())));
    QVERIFY2(r.err.contains(QStringLiteral("another dbdeck is migrating this database (host %1, pid %2, since 2026-11-22 08:00:00 UTC)")
                                .arg(QSysInfo::machineHostName()).arg(getpid())),
             qPrintable(r.err));
    const CliResult status = runCli(dir.path(), QStringList{QStringLiteral("status")} + m);
    QVERIFY(status.out.contains(QStringLiteral("lock:     held by host %1, pid %2").arg(QSysInfo::machineHostName()).arg(getpid())));
}

void tst_CliMigrate::failedMigrationExitsNonZeroAndJournals()
{
    QTemporaryDir dir;
    const QString folder = dir.filePath(QStringLiteral("m"));
    QDir().mkpath(folder);
    writeFile(folder + QStringLiteral("/0001_a.sql"), QStringLiteral("-- migrate:up\nCREATE TABLE a (id INTEGER);\nCREATE TABLE b (id INTEGER);\nINSERT INTO nope VALUES (1);\n"));
    const QStringList m{QStringLiteral("--migrations"), folder};
    const CliResult r = runCli(dir.path(), QStringList{QStringLiteral("upgrade")} + m);
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(QStringLiteral("migration 0001_a (%1/0001_a.sql) failed at statement 3 of 3 (line 4: INSERT INTO nope VALUES (1)): no such table: nope")
                                .arg(folder)),
             qPrintable(r.err));
    const CliResult journal = runCli(dir.path(), QStringList{QStringLiteral("journal")} + m);
    QVERIFY(journal.out.contains(QRegularExpression(QStringLiteral("upgrade\\s+base\\s+base\\s+failed"))));
    const CliResult status = runCli(dir.path(), QStringList{QStringLiteral("status")} + m);
    QVERIFY(status.out.contains(QStringLiteral("current:  base")));
}

void tst_CliMigrate::preflightCountsViolatingRowsAndChangesNothing()
{
    QTemporaryDir dir;
    const QStringList m{QStringLiteral("--migrations"), dir.filePath(QStringLiteral("migrations"))};
    QDir(dir.path()).mkpath(QStringLiteral("migrations"));
    writeFile(dir.filePath(QStringLiteral("migrations/0001_users.sql")),
              "-- migrate:up\nCREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);\n-- migrate:down\nDROP TABLE users;\n");
    QCOMPARE(runCli(dir.path(), QStringList{QStringLiteral("upgrade")} + m).exitCode, 0);
    const QString file = dir.filePath(QStringLiteral("data/app.db"));
    {
        Database db(dbdeck::test::configFor(dbdeck::test::sqliteUrl(file)));
        db.exec(QStringLiteral("INSERT INTO users (id, email) VALUES (1, 'a@x'), (2, 'a@x'), (3, 'b@x')"));
    }
    writeFile(dir.filePath(QStringLiteral("migrations/0002_unique_email.sql")),
              "-- migrate:up\nCREATE UNIQUE INDEX uq_users_email ON users (email);\n-- migrate:down\nDROP INDEX uq_users_email;\n");
    auto hash = [&] {
        QFile f(file);
        return f.open(QIODevice::ReadOnly) ? QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256) : QByteArray();
    };
    const QByteArray before = hash();

    CliResult r = runCli(dir.path(), QStringList{QStringLiteral("upgrade"), QStringLiteral("--preflight")} + m);
    QCOMPARE(r.exitCode, 7);
    QVERIFY2(r.out.contains(QStringLiteral("violation: 0002_unique_email users: unique index uq_users_email (email): 2 of 3 row(s)")), qPrintable(r.out));
    QVERIFY2(r.out.contains(QStringLiteral("email='a@x' (2 rows)")), qPrintable(r.out));
    QVERIFY(r.out.contains(QStringLiteral("nothing was changed")));
    r = runCli(dir.path(), QStringList{QStringLiteral("upgrade"), QStringLiteral("--preflight"), QStringLiteral("--format"), QStringLiteral("json")} + m);
    QCOMPARE(r.exitCode, 7);
    const QJsonObject json = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(json.value(QStringLiteral("ok")).toBool(true), false);
    QCOMPARE(json.value(QStringLiteral("findings")).toArray().at(0).toObject().value(QStringLiteral("violations")).toInt(), 2);
    // Looking changed nothing: same bytes, 0002 still pending.
    QCOMPARE(hash(), before);
    QCOMPARE(runCli(dir.path(), QStringList{QStringLiteral("current")} + m).out, QStringLiteral("0001\n"));

    {
        Database db(dbdeck::test::configFor(dbdeck::test::sqliteUrl(file)));
        db.exec(QStringLiteral("DELETE FROM users WHERE id = 2"));
    }
    r = runCli(dir.path(), QStringList{QStringLiteral("upgrade"), QStringLiteral("--preflight")} + m);
    QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
    QVERIFY2(r.out.contains(QStringLiteral("ok: 0002_unique_email users: unique index uq_users_email (email): 0 of 2 row(s)")), qPrintable(r.out));
    QCOMPARE(runCli(dir.path(), QStringList{QStringLiteral("upgrade")} + m).exitCode, 0);
}

QTEST_GUILESS_MAIN(tst_CliMigrate)
#include "tst_climigrate.moc"

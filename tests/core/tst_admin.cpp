#include "admin/countsexport.h"
#include "admin/healthcheck.h"
#include "admin/resetter.h"
#include "admin/tablecounter.h"
#include "db/errors.h"
#include "migrateddb.h"
#include "migrate/migrationjournal.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <sqlite3.h>

using namespace dbdeck;
using dbdeck::test::migratedDatabase;

class tst_Admin : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void countsEveryTableIncludingAwkwardNames();
    void exportWritesExactCsvAndJson();
    void failedExportLeavesNoFile();
    void cancelledCountThrows();
    void interruptedStatementIsCancelledError();
    void healthFindsForeignKeyProblemsAndMissingIndexes();
    void resetIsDisabledWithoutTheVariable();
    void resetRefusesAWrongNameAndChangesNothing();
    void resetRefusesProduction();
    void resetBacksUpDropsAndReapplies();

private:
    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<Database> m_db;
};

void tst_Admin::initTestCase()
{
    DBDECK_SKIP_POSTGRES_RUN_WITHOUT_SERVER();
}

void tst_Admin::init()
{
    qunsetenv("DBDECK_ALLOW_RESET");
    const QString folder = m_dir.filePath(QLatin1String(QTest::currentTestFunction()));
    QDir().mkpath(folder);
    m_path = folder + QStringLiteral("/app.db");
    m_db = migratedDatabase(m_path);
}

void tst_Admin::cleanup()
{
    m_db.reset();
}

void tst_Admin::countsEveryTableIncludingAwkwardNames()
{
    m_db->exec(QStringLiteral("CREATE TABLE \"my \"\"odd\"\"; table\" (x INTEGER)"));
    m_db->exec(QStringLiteral("INSERT INTO \"my \"\"odd\"\"; table\" (x) VALUES (1), (2), (3)"));
    m_db->exec(QStringLiteral("INSERT INTO runs (id, kind, created_at, updated_at) VALUES ('r', 'k', 't', 't')"));
    TableCounter counter(*m_db);
    QStringList seen;
    const QList<TableCount> counts = counter.count([&](int done, int total, const QString &table) {
        seen << QStringLiteral("%1/%2 %3").arg(done).arg(total).arg(table);
    });
    QCOMPARE(counts.size(), 7);
    QCOMPARE(seen.last(), QStringLiteral("7/7 "));
    const auto find = [&](const QString &name) {
        return *std::find_if(counts.cbegin(), counts.cend(), [&](const TableCount &c) { return c.table == name; });
    };
    QCOMPARE(find(QStringLiteral("my \"odd\"; table")).rows, 3);
    QCOMPARE(find(QStringLiteral("runs")).rows, 1);
    QCOMPARE(find(QStringLiteral("runs")).indexes, 3); // pk autoindex + two ix_
    QVERIFY(find(QStringLiteral("dbdeck_schema_migrations")).dbdeckOwned);
    QVERIFY(!find(QStringLiteral("events")).dbdeckOwned);
}

void tst_Admin::exportWritesExactCsvAndJson()
{
    const QList<TableCount> counts{{QStringLiteral("dbdeck_metadata"), 1, 1, true}, {QStringLiteral("a,\"b\""), 12, 0, false}};
    const QString csv = m_dir.filePath(QStringLiteral("counts.csv"));
    const QString json = m_dir.filePath(QStringLiteral("counts.json"));
    CountsExport::write(csv, counts, QStringLiteral("csv"));
    CountsExport::write(json, counts, QStringLiteral("json"));
    QFile c(csv), j(json);
    QVERIFY(c.open(QIODevice::ReadOnly) && j.open(QIODevice::ReadOnly));
    QCOMPARE(c.readAll(), QByteArray("table,rows,indexes,dbdeck_owned\r\ndbdeck_metadata,1,1,true\r\n\"a,\"\"b\"\"\",12,0,false\r\n"));
    QCOMPARE(j.readAll(), QByteArray("[{\"dbdeck_owned\":true,\"indexes\":1,\"rows\":1,\"table\":\"dbdeck_metadata\"},"
                                     "{\"dbdeck_owned\":false,\"indexes\":0,\"rows\":12,\"table\":\"a,\\\"b\\\"\"}]\n"));
    QVERIFY_THROWS_EXCEPTION(DbError, CountsExport::render(counts, QStringLiteral("xml")));
}

void tst_Admin::failedExportLeavesNoFile()
{
    const QString path = m_dir.filePath(QStringLiteral("no-such-folder/counts.csv"));
    try {
        CountsExport::write(path, {}, QStringLiteral("csv"));
        QFAIL("no DbError");
    } catch (const DbError &error) {
        QVERIFY(error.message().startsWith(QStringLiteral("cannot write %1").arg(path)));
    }
    QVERIFY(!QFile::exists(path));
    QVERIFY(!QFileInfo::exists(m_dir.filePath(QStringLiteral("no-such-folder"))));
}

void tst_Admin::cancelledCountThrows()
{
    TableCounter counter(*m_db);
    try {
        counter.count([&](int done, int, const QString &) {
            if (done == 2)
                counter.cancel();
        });
        QFAIL("no CancelledError");
    } catch (const CancelledError &error) {
        QVERIFY2(error.message().startsWith(QStringLiteral("cancelled")), qPrintable(error.message()));
    }
}

void tst_Admin::interruptedStatementIsCancelledError()
{
    if (test::testingPostgres())
        QSKIP("SQLite only here; tst_postgres covers PostgreSQL's cancel, health and pg_dump reset");
    sqlite3 *handle = m_db->sqliteHandle();
    QThread *interrupter = QThread::create([handle] {
        QThread::msleep(150);
        sqlite3_interrupt(handle);
    });
    interrupter->start();
    try {
        m_db->scalar(QStringLiteral("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"));
        QFAIL("not interrupted");
    } catch (const CancelledError &error) {
        QVERIFY(error.message().startsWith(QStringLiteral("cancelled: the statement was interrupted")));
    }
    interrupter->wait();
    delete interrupter;
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT 1")).toInt(), 1); // the connection still works
}

void tst_Admin::healthFindsForeignKeyProblemsAndMissingIndexes()
{
    if (test::testingPostgres())
        QSKIP("SQLite only here; tst_postgres covers PostgreSQL's cancel, health and pg_dump reset");
    HealthCheck health(*m_db);
    QVERIFY(health.integrityCheck().isEmpty());
    QVERIFY(health.foreignKeyCheck().isEmpty());
    for (const CriticalIndex &i : health.criticalIndexes())
        QVERIFY2(i.present(), qPrintable(i.purpose));
    m_db->exec(QStringLiteral("PRAGMA foreign_keys = OFF"));
    m_db->exec(QStringLiteral("INSERT INTO events (id, run_id, seq, kind, created_at) VALUES ('e', 'ghost', 1, 'k', 't')"));
    m_db->exec(QStringLiteral("PRAGMA foreign_keys = ON"));
    m_db->exec(QStringLiteral("DROP INDEX ix_events_created_at"));
    const QStringList fk = health.foreignKeyCheck();
    QCOMPARE(fk.size(), 1);
    QVERIFY2(fk.first().startsWith(QStringLiteral("events row ")) && fk.first().endsWith(QStringLiteral("refers to a missing row in runs")),
             qPrintable(fk.first()));
    const QList<CriticalIndex> indexes = health.criticalIndexes();
    QCOMPARE(indexes.at(2).purpose, QStringLiteral("recent events"));
    QVERIFY(!indexes.at(2).present());
}

void tst_Admin::resetIsDisabledWithoutTheVariable()
{
    Resetter resetter(*m_db);
    QCOMPARE(resetter.refusal(), QStringLiteral("reset is disabled: set DBDECK_ALLOW_RESET=1 to allow it (development databases only)"));
    QVERIFY_THROWS_EXCEPTION(DbError, resetter.reset(QStringLiteral("app"), nullptr));
    QVERIFY(!QFile::exists(QFileInfo(m_path).absolutePath() + QStringLiteral("/backups")));
}

void tst_Admin::resetRefusesAWrongNameAndChangesNothing()
{
    qputenv("DBDECK_ALLOW_RESET", "1");
    m_db->exec(QStringLiteral("INSERT INTO runs (id, kind, created_at, updated_at) VALUES ('r', 'k', 't', 't')"));
    Resetter resetter(*m_db);
    QVERIFY(resetter.refusal().isEmpty());
    if (!test::testingPostgres())
        QCOMPARE(resetter.databaseName(), QStringLiteral("app"));
    try {
        resetter.reset(QStringLiteral("ap"), nullptr);
        QFAIL("no DbError");
    } catch (const DbError &error) {
        QCOMPARE(error.message(), QStringLiteral("the name typed (\"ap\") is not the database's name (\"%1\"); nothing was reset")
                                      .arg(resetter.databaseName()));
    }
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT count(*) FROM runs")).toInt(), 1);
    QVERIFY(!QFile::exists(QFileInfo(m_path).absolutePath() + QStringLiteral("/backups")));
}

void tst_Admin::resetRefusesProduction()
{
    qputenv("DBDECK_ALLOW_RESET", "1");
    m_db->exec(QStringLiteral("UPDATE dbdeck_metadata SET value = 'production' WHERE key = 'app_env'"));
    Resetter resetter(*m_db);
    QCOMPARE(resetter.refusal(), QStringLiteral("this database is tagged production: it is never reset"));
    QVERIFY_THROWS_EXCEPTION(DbError, resetter.reset(QStringLiteral("app"), nullptr));
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT count(*) FROM dbdeck_schema_migrations")).toInt(), 2);
}

void tst_Admin::resetBacksUpDropsAndReapplies()
{
    if (test::testingPostgres())
        QSKIP("SQLite only here; tst_postgres covers PostgreSQL's cancel, health and pg_dump reset");
    qputenv("DBDECK_ALLOW_RESET", "1");
    m_db->exec(QStringLiteral("INSERT INTO runs (id, kind, created_at, updated_at) VALUES ('r', 'k', 't', 't')"));
    m_db->exec(QStringLiteral("CREATE TABLE scratch (x INTEGER)"));
    Resetter resetter(*m_db);
    const MigrationSet migrations = MigrationSet::load(QStringLiteral(DBDECK_SOURCE_DIR "/migrations"));
    const Resetter::Result r = resetter.reset(QStringLiteral("app"), &migrations);
    QVERIFY(r.backupPath.startsWith(QFileInfo(m_path).absolutePath() + QStringLiteral("/backups/app-")));
    QVERIFY(QFile::exists(r.backupPath));
    QCOMPARE(r.droppedTables, 7);
    QCOMPARE(r.migrationsApplied, 2);
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT count(*) FROM runs")).toInt(), 0);
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT count(*) FROM sqlite_schema WHERE name = 'scratch'")).toInt(), 0);
    QCOMPARE(m_db->scalar(QStringLiteral("PRAGMA foreign_keys")).toInt(), 1);
    Database backup(DbConfig::forUrl(QStringLiteral("sqlite:///") + r.backupPath));
    QCOMPARE(backup.scalar(QStringLiteral("SELECT count(*) FROM runs")).toInt(), 1);
    const QList<JournalEntry> journal = MigrationJournal::recent(*m_db, 10);
    QCOMPARE(journal.at(1).operation, QStringLiteral("reset"));
    QVERIFY(journal.at(1).detail.contains(r.backupPath));
    QCOMPARE(journal.at(0).operation, QStringLiteral("upgrade"));
}

QTEST_GUILESS_MAIN(tst_Admin)
#include "tst_admin.moc"

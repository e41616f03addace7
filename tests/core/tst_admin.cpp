#include "admin/countsexport.h"
#include "admin/healthcheck.h"
#include "admin/resetter.h"
#include "admin/tablecounter.h"
#include "db/errors.h"
#include "faultyvfs.h"
#include "migrateddb.h"
#include "untilfinished.h"
#include "migrate/migrationjournal.h"

#include <QDir>
#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <sqlite3.h>

using namespace dbdeck;

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
    void resetRefusesProtectedEnvironments_data();
    void resetRefusesProtectedEnvironments();
    void resetBacksUpDropsAndReapplies();
    void resetDropsEveryObjectAndReappliesThem();
    void resetKeepsTheJournalsHistory();
    void failedBackupLeavesNoFileAndResetsNothing();

private:
    void writeMigrations(const QString &folder, const QStringList &ups);
    QStringList userObjects();

    QTemporaryDir m_dir;
    QString m_previousDir;
    QString m_path;
    QString m_url;
    std::unique_ptr<Database> m_db;
};

void tst_Admin::initTestCase()
{
    DBDECK_SKIP_POSTGRES_RUN_WITHOUT_SERVER();
    test::FaultyVfs::install(); // before any connection, so that every connection uses it
    m_previousDir = QDir::currentPath();
}

void tst_Admin::init()
{
    qunsetenv("DBDECK_ALLOW_RESET");
    const QString row = QString::fromLatin1(QTest::currentDataTag()).replace(QLatin1Char(' '), QLatin1Char('_'));
    const QString folder = m_dir.filePath(QLatin1String(QTest::currentTestFunction()) + row);
    QDir().mkpath(folder);
    QDir::setCurrent(folder); // PostgreSQL's backups go to ./data/backups: here, not into the build tree
    m_path = folder + QStringLiteral("/app.db");
    m_url = test::testDatabaseUrl(m_path);
    m_db = std::make_unique<Database>(test::configFor(m_url));
    Migrator(*m_db, MigrationSet::load(QStringLiteral(DBDECK_SOURCE_DIR "/migrations"))).upgrade({});
}

void tst_Admin::cleanup()
{
    m_db.reset();
    QDir::setCurrent(m_previousDir);
    test::FaultyVfs::failWritesTo.clear();
}

void tst_Admin::writeMigrations(const QString &folder, const QStringList &ups)
{
    QDir().mkpath(folder);
    for (int i = 0; i < ups.size(); ++i)
        test::writeFile(QStringLiteral("%1/%2_step.sql").arg(folder, MigrationFile::formatVersion(i + 1)),
                        QStringLiteral("-- migrate:up\n%1\n").arg(ups.at(i)));
}

// The schema's objects that are not dbdeck's: "kind name", sorted.
QStringList tst_Admin::userObjects()
{
    QStringList objects;
    QSqlQuery q = m_db->exec(test::testingPostgres()
        ? QStringLiteral("SELECT c.relkind::text || ' ' || c.relname FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace"
                         " AND c.relname NOT LIKE 'dbdeck%' AND c.relname NOT LIKE 'pk_dbdeck%'"
                         " UNION ALL SELECT 'type ' || t.typname FROM pg_type t WHERE t.typnamespace = current_schema()::regnamespace"
                         " AND t.typtype IN ('e', 'd', 'c') AND t.typrelid = 0"
                         " UNION ALL SELECT 'function ' || p.proname FROM pg_proc p WHERE p.pronamespace = current_schema()::regnamespace"
                         " ORDER BY 1")
        : QStringLiteral("SELECT type || ' ' || name FROM sqlite_schema WHERE tbl_name NOT LIKE 'dbdeck\\_%' ESCAPE '\\'"
                         " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY 1"));
    while (q.next())
        objects << q.value(0).toString();
    return objects;
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
    const QList<TableCount> counts{{QStringLiteral("dbdeck_metadata"), 1, 1, true}, {QStringLiteral("a,\"b\""), 12, 0, false},
                                   {QStringLiteral("alembic_version"), 1, 1, false}};
    const QString csv = m_dir.filePath(QStringLiteral("counts.csv"));
    const QString json = m_dir.filePath(QStringLiteral("counts.json"));
    CountsExport::write(csv, counts, QStringLiteral("csv"));
    CountsExport::write(json, counts, QStringLiteral("json"));
    QFile c(csv), j(json);
    QVERIFY(c.open(QIODevice::ReadOnly) && j.open(QIODevice::ReadOnly));
    QCOMPARE(c.readAll(), QByteArray("table,rows,indexes,dbdeck_owned,owner\r\ndbdeck_metadata,1,1,true,dbdeck\r\n"
                                     "\"a,\"\"b\"\"\",12,0,false,application\r\nalembic_version,1,1,false,Alembic\r\n"));
    QCOMPARE(j.readAll(), QByteArray("[{\"dbdeck_owned\":true,\"indexes\":1,\"owner\":\"dbdeck\",\"rows\":1,\"table\":\"dbdeck_metadata\"},"
                                     "{\"dbdeck_owned\":false,\"indexes\":0,\"owner\":\"application\",\"rows\":12,\"table\":\"a,\\\"b\\\"\"},"
                                     "{\"dbdeck_owned\":false,\"indexes\":1,\"owner\":\"Alembic\",\"rows\":1,\"table\":\"alembic_version\"}]\n"));
    QVERIFY(CountsExport::render(counts, QStringLiteral("table")).contains("\nalembic_version (Alembic)  "));
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
    {
        const test::UntilFinished interrupter([handle] { sqlite3_interrupt(handle); });
        try {
            // Bounded: never interrupted, it still ends (in seconds) instead of hanging.
            m_db->scalar(QStringLiteral("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100000000)"
                                        " SELECT count(*) FROM c"));
            QFAIL("not interrupted");
        } catch (const CancelledError &error) {
            QVERIFY(error.message().startsWith(QStringLiteral("cancelled: the statement was interrupted")));
        }
    }
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

void tst_Admin::resetRefusesProtectedEnvironments_data()
{
    QTest::addColumn<QString>("tag");
    QTest::addColumn<QString>("appEnv");
    QTest::addColumn<QString>("protectedEnvs");
    QTest::addColumn<QString>("refusal");
    const QString list = QStringLiteral("(PROTECTED_ENVS: production, prod, live): it is never reset");
    QTest::newRow("tagged Production") << "Production" << "development" << ""
                                       << "this database is tagged Production (the APP_ENV it was migrated with), a protected environment " + list;
    QTest::newRow("tagged prod") << "prod" << "development" << ""
                                 << "this database is tagged prod (the APP_ENV it was migrated with), a protected environment " + list;
    QTest::newRow("tagged LIVE") << "LIVE" << "development" << ""
                                 << "this database is tagged LIVE (the APP_ENV it was migrated with), a protected environment " + list;
    QTest::newRow("configured PROD, tagged development") << "development" << "PROD" << ""
                                                         << "APP_ENV is \"PROD\", a protected environment " + list;
    QTest::newRow("PROTECTED_ENVS staging") << "Staging" << "development" << "staging, qa"
                                            << "this database is tagged Staging (the APP_ENV it was migrated with), a protected "
                                               "environment (PROTECTED_ENVS: staging, qa): it is never reset";
}

void tst_Admin::resetRefusesProtectedEnvironments()
{
    QFETCH(QString, tag);
    QFETCH(QString, appEnv);
    QFETCH(QString, protectedEnvs);
    QFETCH(QString, refusal);
    qputenv("DBDECK_ALLOW_RESET", "1");
    m_db->exec(QStringLiteral("UPDATE dbdeck_metadata SET value = ? WHERE key = 'app_env'"), {tag});
    m_db->exec(QStringLiteral("INSERT INTO runs (id, kind, created_at, updated_at) VALUES ('r', 'k', 't', 't')"));
    const QByteArray env = appEnv.toUtf8();
    const QByteArray envs = protectedEnvs.toUtf8();
    Database db(test::configFor(m_url, {{"APP_ENV", env.constData()},
                                                                   {"PROTECTED_ENVS", protectedEnvs.isEmpty() ? "production,prod,live" : envs.constData()}}));
    Resetter resetter(db);
    QCOMPARE(resetter.refusal(), refusal);
    try {
        resetter.reset(resetter.databaseName(), nullptr);
        QFAIL("reset was not refused");
    } catch (const DbError &error) {
        QCOMPARE(error.message(), refusal);
    }
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT count(*) FROM runs")).toInt(), 1);
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT count(*) FROM dbdeck_schema_migrations")).toInt(), 2);
    QVERIFY(!QFile::exists(QFileInfo(m_path).absolutePath() + QStringLiteral("/backups")));
    QVERIFY(!QFile::exists(QStringLiteral("data/backups")));
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
    QCOMPARE(QDir(QFileInfo(r.backupPath).absolutePath()).entryList(QDir::Files), QStringList{QFileInfo(r.backupPath).fileName()});
    QCOMPARE(r.droppedTables, 3); // runs, events, scratch; dbdeck's own tables stay
    QCOMPARE(r.migrationsApplied, 2);
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT count(*) FROM runs")).toInt(), 0);
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT count(*) FROM sqlite_schema WHERE name = 'scratch'")).toInt(), 0);
    QCOMPARE(m_db->scalar(QStringLiteral("PRAGMA foreign_keys")).toInt(), 1);
    Database backup(DbConfig::forUrl(QStringLiteral("sqlite:///") + r.backupPath));
    QCOMPARE(backup.scalar(QStringLiteral("SELECT count(*) FROM runs")).toInt(), 1);
    QCOMPARE(backup.scalar(QStringLiteral("PRAGMA integrity_check")).toString(), QStringLiteral("ok"));
    const QList<JournalEntry> journal = MigrationJournal::recent(*m_db, 10);
    QCOMPARE(journal.at(1).operation, QStringLiteral("reset"));
    QVERIFY(journal.at(1).detail.contains(r.backupPath));
    QCOMPARE(journal.at(0).operation, QStringLiteral("upgrade"));
}

// Views, triggers, indexes (SQLite) and views, sequences, types, domains, functions
// (PostgreSQL) go too: re-applying the migrations that made them works.
void tst_Admin::resetDropsEveryObjectAndReappliesThem()
{
    qputenv("DBDECK_ALLOW_RESET", "1");
    const QString folder = QFileInfo(m_path).absolutePath() + QStringLiteral("/objects");
    if (test::testingPostgres())
        writeMigrations(folder, {QStringLiteral("CREATE TYPE mood AS ENUM ('ok', 'meh');\n"
                                                "CREATE DOMAIN positive AS integer CHECK (VALUE > 0);\n"
                                                "CREATE TYPE pair AS (a int, b int);\n"
                                                "CREATE SEQUENCE tickets;\n"
                                                "CREATE TABLE notes (id int PRIMARY KEY, m mood, n positive);\n"
                                                "CREATE VIEW happy AS SELECT id FROM notes WHERE m = 'ok';\n"
                                                "CREATE MATERIALIZED VIEW counted AS SELECT count(*) AS n FROM notes;\n"
                                                "CREATE FUNCTION next_ticket() RETURNS bigint LANGUAGE sql AS $$ SELECT nextval('tickets') $$;\n"
                                                "INSERT INTO notes VALUES (1, 'ok', 2);")});
    else
        writeMigrations(folder, {QStringLiteral("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);\n"
                                                "CREATE INDEX ix_notes_body ON notes (body);\n"
                                                "CREATE VIEW short_notes AS SELECT id FROM notes WHERE length(body) < 10;\n"
                                                "CREATE TABLE log (n INTEGER);\n"
                                                "CREATE TRIGGER tr_notes AFTER INSERT ON notes BEGIN INSERT INTO log VALUES (new.id); END;\n"
                                                "CREATE VIRTUAL TABLE search USING fts5(body);\n"
                                                "INSERT INTO notes VALUES (1, 'hi'); INSERT INTO search VALUES ('hi');")});
    const MigrationSet migrations = MigrationSet::load(folder);
    Database db(test::configFor(m_url, {{"MIGRATIONS_DIR", folder.toUtf8().constData()}}));
    // A database with the application's schema and these objects on top, as a developer has it.
    m_db->exec(QStringLiteral("DELETE FROM dbdeck_schema_migrations"));
    Migrator(db, migrations).upgrade({});
    const QStringList before = userObjects();
    QVERIFY2(before.size() >= 7, qPrintable(before.join(QStringLiteral(", "))));

    Resetter resetter(db);
    const Resetter::Result r = resetter.reset(resetter.databaseName(), &migrations);
    QCOMPARE(r.migrationsApplied, 1);
    QVERIFY(r.droppedObjects > r.droppedTables);
    QStringList expected = before;
    expected.erase(std::remove_if(expected.begin(), expected.end(), [](const QString &o) {
                       return o.contains(QLatin1String("runs")) || o.contains(QLatin1String("events"));
                   }), expected.end());
    QCOMPARE(userObjects(), expected); // exactly the migration's objects, made again
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT count(*) FROM notes")).toInt(), 1);
    QVERIFY(!r.backupPath.isEmpty());
}

void tst_Admin::resetKeepsTheJournalsHistory()
{
    if (test::testingPostgres() && QStandardPaths::findExecutable(QStringLiteral("pg_dump")).isEmpty())
        QSKIP("pg_dump is not installed");
    qputenv("DBDECK_ALLOW_RESET", "1");
    const QList<JournalEntry> before = MigrationJournal::recent(*m_db, 10);
    QCOMPARE(before.size(), 1);
    QCOMPARE(before.first().operation, QStringLiteral("upgrade"));
    Resetter resetter(*m_db);
    const MigrationSet migrations = MigrationSet::load(QStringLiteral(DBDECK_SOURCE_DIR "/migrations"));
    resetter.reset(resetter.databaseName(), &migrations);
    const QList<JournalEntry> after = MigrationJournal::recent(*m_db, 10);
    QStringList operations;
    for (const JournalEntry &e : after)
        operations << e.operation;
    QCOMPARE(operations, (QStringList{QStringLiteral("upgrade"), QStringLiteral("reset"), QStringLiteral("upgrade")}));
    QCOMPARE(after.last().id, before.first().id);
    QCOMPARE(after.last().startedAt, before.first().startedAt);
}

// A backup that cannot be written completely (an I/O error, a full disk) stops the reset before
// anything is dropped, and leaves no file, not even an empty or partial one.
void tst_Admin::failedBackupLeavesNoFileAndResetsNothing()
{
    if (test::testingPostgres())
        QSKIP("SQLite only: the I/O error is simulated in SQLite's file layer");
    qputenv("DBDECK_ALLOW_RESET", "1");
    for (int i = 0; i < 200; ++i)
        m_db->exec(QStringLiteral("INSERT INTO runs (id, kind, created_at, updated_at) VALUES (?, 'k', 't', 't')"),
                   {QStringLiteral("run-%1-").arg(i).repeated(20)});
    const QString backups = QFileInfo(m_path).absolutePath() + QStringLiteral("/backups");
    test::FaultyVfs::failWritesTo = QFile::encodeName(backups);
    test::FaultyVfs::failedWrites = 0;
    Resetter resetter(*m_db);
    try {
        resetter.reset(QStringLiteral("app"), nullptr);
        QFAIL("reset went on without a backup");
    } catch (const DbError &error) {
        QVERIFY2(error.message().contains(QStringLiteral("could not be written")), qPrintable(error.message()));
        QVERIFY2(error.message().endsWith(QStringLiteral("nothing was reset")), qPrintable(error.message()));
    }
    test::FaultyVfs::failWritesTo.clear();
    QVERIFY(test::FaultyVfs::failedWrites > 0);
    QCOMPARE(QDir(backups).entryList(QDir::Files | QDir::Hidden), QStringList{});
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT count(*) FROM runs")).toInt(), 200);
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT count(*) FROM dbdeck_schema_migrations")).toInt(), 2);
    QCOMPARE(MigrationJournal::recent(*m_db, 10).first().operation, QStringLiteral("upgrade")); // no reset recorded
}

QTEST_GUILESS_MAIN(tst_Admin)
#include "tst_admin.moc"

#include "db/database.h"
#include "db/errors.h"
#include "db/transaction.h"
#include "migrate/migrationerror.h"
#include "migrate/migrator.h"
#include "migrateddb.h"
#include "testsupport.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace dbdeck;
using dbdeck::test::configFor;
using dbdeck::test::writeFile;

namespace {

// Rebuilds runs with a CHECK on kind, keeping a view that reads runs working. %1: marker options.
QString rebuildRuns(const QString &options, const QString &extra = {})
{
    return QStringLiteral(
               "-- migrate:up%1\n"
               "CREATE TABLE runs_new (id TEXT NOT NULL, kind TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'queued',"
               " params_json TEXT NOT NULL DEFAULT '{}', error TEXT, started_at TEXT, finished_at TEXT,"
               " created_at TEXT NOT NULL, updated_at TEXT NOT NULL, CONSTRAINT pk_runs PRIMARY KEY (id),"
               " CONSTRAINT ck_runs_kind CHECK (length(kind) BETWEEN 1 AND 100));\n"
               "INSERT INTO runs_new SELECT id, kind, status, params_json, error, started_at, finished_at, created_at, updated_at FROM runs;\n"
               "%2"
               "DROP TABLE runs;\n"
               "ALTER TABLE runs_new RENAME TO runs;\n"
               "CREATE INDEX ix_runs_created_at ON runs (created_at);\n")
        .arg(options, extra);
}

} // namespace

// Issue 10 §3: "-- migrate:up foreign_keys:off" rebuilds a SQLite table without losing the rows
// that reference it, keeps views and triggers that name it working, checks foreign keys before
// COMMIT and restores the setting, also on failure.
class tst_TableRebuild : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void rebuildKeepsCascadingEventsAndTheView();
    void withoutTheModeTheRebuildIsRefused();
    void danglingReferencesRollBackAndForeignKeysComeBack();
    void documentedExampleUsesTheMode();
    void postgresAcceptsAndIgnoresTheMode();

private:
    void seed();
    Migrator &migrator();

    QTemporaryDir m_dir;
    QString m_folder;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<Migrator> m_migrator;
};

void tst_TableRebuild::init()
{
    const QString name = QLatin1String(QTest::currentTestFunction());
    m_folder = m_dir.filePath(name);
    QDir().mkpath(m_folder);
    for (const QString &file : {QStringLiteral("0001_create_runs.sql"), QStringLiteral("0002_create_events.sql")})
        QVERIFY(QFile::copy(QStringLiteral(DBDECK_SOURCE_DIR "/migrations/") + file, m_folder + QLatin1Char('/') + file));
    m_db = std::make_unique<Database>(configFor(test::testDatabaseUrl(m_dir.filePath(name + QStringLiteral(".db")))));
}

void tst_TableRebuild::cleanup()
{
    m_migrator.reset();
    m_db.reset();
}

Migrator &tst_TableRebuild::migrator()
{
    m_migrator = std::make_unique<Migrator>(*m_db, MigrationSet::load(m_folder));
    return *m_migrator;
}

void tst_TableRebuild::seed()
{
    migrator().upgrade({});
    for (int r = 1; r <= 3; ++r) {
        m_db->exec(QStringLiteral("INSERT INTO runs (id, kind, created_at, updated_at) VALUES (?, 'ingest', 't', 't')"), {QStringLiteral("r%1").arg(r)});
        for (int e = 1; e <= 4; ++e)
            m_db->exec(QStringLiteral("INSERT INTO events (id, run_id, seq, kind, created_at) VALUES (?, ?, ?, 'tick', 't')"),
                       {QStringLiteral("e%1-%2").arg(r).arg(e), QStringLiteral("r%1").arg(r), e});
    }
    m_db->exec(QStringLiteral("CREATE VIEW run_event_counts AS SELECT r.id, count(e.id) AS events FROM runs r"
                              " LEFT JOIN events e ON e.run_id = r.id GROUP BY r.id"));
    m_db->exec(QStringLiteral("CREATE TABLE audit (run_id TEXT)"));
    m_db->exec(QStringLiteral("CREATE TRIGGER events_audit AFTER INSERT ON events BEGIN INSERT INTO audit (run_id)"
                              " SELECT id FROM runs WHERE id = new.run_id; END"));
}

void tst_TableRebuild::rebuildKeepsCascadingEventsAndTheView()
{
    if (test::testingPostgres())
        QSKIP("SQLite's table rebuild");
    seed();
    writeFile(m_folder + QStringLiteral("/0003_runs_kind_check.sql"), rebuildRuns(QStringLiteral(" foreign_keys:off")));
    const MigrationRunResult result = migrator().upgrade({});
    QCOMPARE(result.done, QStringList{QStringLiteral("0003_runs_kind_check")});
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT count(*) FROM events")).toInt(), 12); // ON DELETE CASCADE did not fire
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT sum(events) FROM run_event_counts")).toInt(), 12); // the view reads the new table
    m_db->exec(QStringLiteral("INSERT INTO events (id, run_id, seq, kind, created_at) VALUES ('e9', 'r1', 9, 'tick', 't')"));
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT count(*) FROM audit")).toInt(), 1); // so does the trigger
    QVERIFY_THROWS_EXCEPTION(ConstraintError, m_db->exec(QStringLiteral("INSERT INTO runs (id, kind, created_at, updated_at) VALUES ('r9', '', 't', 't')")));
    // Foreign keys and legacy_alter_table are back as configured, and enforced, on the same connection.
    QCOMPARE(m_db->scalar(QStringLiteral("PRAGMA foreign_keys")).toInt(), 1);
    QCOMPARE(m_db->scalar(QStringLiteral("PRAGMA legacy_alter_table")).toInt(), 0);
    QVERIFY_THROWS_EXCEPTION(ConstraintError, m_db->exec(QStringLiteral("INSERT INTO events (id, run_id, seq, kind, created_at) VALUES ('x', 'nope', 1, 'x', 't')")));
    m_db->exec(QStringLiteral("DELETE FROM runs WHERE id = 'r2'"));
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT count(*) FROM events")).toInt(), 9); // the new table's references cascade
    QCOMPARE(m_db->scalar(QStringLiteral("PRAGMA foreign_key_check")).isValid(), false);
}

void tst_TableRebuild::withoutTheModeTheRebuildIsRefused()
{
    if (test::testingPostgres())
        QSKIP("SQLite's table rebuild");
    seed();
    writeFile(m_folder + QStringLiteral("/0003_runs_kind_check.sql"), rebuildRuns(QString()));
    const StatusReport st = migrator().status();
    QVERIFY2(std::any_of(st.problems.cbegin(), st.problems.cend(), [](const QString &p) {
                 return p.contains(QStringLiteral("0003_runs_kind_check.sql:5: this rebuilds table runs"))
                     && p.contains(QStringLiteral("deletes the rows of other tables that reference runs (ON DELETE CASCADE)"));
             }),
             qPrintable(st.problems.join(QLatin1Char('\n'))));
    QVERIFY_THROWS_EXCEPTION(MigrationError, migrator().upgrade({}));
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT count(*) FROM events")).toInt(), 12);
    // What the refusal prevents: the same statements inside a transaction with foreign keys on.
    int eventsLeft = -1;
    try {
        withTransaction(*m_db, Transaction::Mode::Write, [&] {
            m_db->exec(QStringLiteral("CREATE TABLE runs_new AS SELECT * FROM runs"));
            m_db->exec(QStringLiteral("DROP TABLE runs"));
            eventsLeft = m_db->scalar(QStringLiteral("SELECT count(*) FROM events")).toInt();
            throw DbError(QStringLiteral("only shown, rolled back"));
        });
    } catch (const DbError &) {
    }
    QCOMPARE(eventsLeft, 0); // cascaded away
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT count(*) FROM events")).toInt(), 12);
}

void tst_TableRebuild::danglingReferencesRollBackAndForeignKeysComeBack()
{
    if (test::testingPostgres())
        QSKIP("SQLite's table rebuild");
    seed();
    // The rebuild forgets run r3: its events would point nowhere.
    writeFile(m_folder + QStringLiteral("/0003_runs_kind_check.sql"),
              rebuildRuns(QStringLiteral(" foreign_keys:off"), QStringLiteral("DELETE FROM runs_new WHERE id = 'r3';\n")));
    try {
        migrator().upgrade({});
        QFAIL("no error");
    } catch (const MigrationError &error) {
        QVERIFY2(error.message().contains(QStringLiteral("PRAGMA foreign_key_check found 4 row(s) whose foreign key points nowhere: events rowid")),
                 qPrintable(error.message()));
        QVERIFY(error.message().contains(QStringLiteral("-> runs")));
        QVERIFY(error.message().endsWith(QStringLiteral("It was rolled back: the database stays at version 0002.")));
    }
    QCOMPARE(migrator().status().current, 2);
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT count(*) FROM runs")).toInt(), 3);
    QVERIFY(!m_db->hasTable(QStringLiteral("runs_new")));
    QCOMPARE(m_db->scalar(QStringLiteral("PRAGMA foreign_keys")).toInt(), 1);
    QCOMPARE(m_db->scalar(QStringLiteral("PRAGMA legacy_alter_table")).toInt(), 0);
    // A statement failing inside the rebuild restores them too.
    writeFile(m_folder + QStringLiteral("/0003_runs_kind_check.sql"),
              rebuildRuns(QStringLiteral(" foreign_keys:off"), QStringLiteral("INSERT INTO nope VALUES (1);\n")));
    QVERIFY_THROWS_EXCEPTION(MigrationError, migrator().upgrade({}));
    QCOMPARE(m_db->scalar(QStringLiteral("PRAGMA foreign_keys")).toInt(), 1);
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT count(*) FROM events")).toInt(), 12);
}

void tst_TableRebuild::documentedExampleUsesTheMode()
{
    if (test::testingPostgres())
        QSKIP("SQLite's table rebuild");
    seed();
    const QString example = QStringLiteral(DBDECK_SOURCE_DIR "/docs/examples/0003_runs_kind_check.sql");
    QFile file(example);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(file.readAll().contains("-- migrate:up foreign_keys:off"));
    QVERIFY(QFile::copy(example, m_folder + QStringLiteral("/0003_runs_kind_check.sql")));
    migrator().upgrade({});
    QCOMPARE(migrator().status().current, 3);
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT count(*) FROM events")).toInt(), 12);
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT count(*) FROM run_event_counts")).toInt(), 3);
    MigrationRunOptions down;
    down.target = QStringLiteral("2");
    migrator().downgrade(down);
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT count(*) FROM events")).toInt(), 12);
}

void tst_TableRebuild::postgresAcceptsAndIgnoresTheMode()
{
    if (!test::testingPostgres())
        QSKIP("PostgreSQL alters constraints in place");
    DBDECK_SKIP_POSTGRES_RUN_WITHOUT_SERVER();
    migrator().upgrade({});
    writeFile(m_folder + QStringLiteral("/0003_runs_kind_check.sql"),
              "-- migrate:up foreign_keys:off\nALTER TABLE runs ADD CONSTRAINT ck_runs_kind CHECK (length(kind) BETWEEN 1 AND 100);\n");
    migrator().upgrade({});
    QCOMPARE(migrator().status().current, 3);
    QVERIFY2(migrator().journal().first().detail.contains(QStringLiteral("foreign_keys:off of 0003_runs_kind_check is ignored on PostgreSQL")),
             qPrintable(migrator().journal().first().detail));
}

QTEST_GUILESS_MAIN(tst_TableRebuild)
#include "tst_tablerebuild.moc"

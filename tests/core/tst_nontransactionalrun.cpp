#include "db/database.h"
#include "migrate/migrationerror.h"
#include "migrate/migrator.h"
#include "migrateddb.h"
#include "testsupport.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

using namespace dbdeck;
using dbdeck::test::configFor;
using dbdeck::test::writeFile;

// Issue 10 §1: a transaction:false migration records how far it durably got after every
// statement; a script that leaves a transaction open is a failure; the recovery actions.
class tst_NonTransactionalRun : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void scriptLeavingATransactionOpenIsNeverApplied();
    void failureInsideTheScriptsTransactionCountsOnlyDurableStatements();
    void resumeFromAStatementFinishesAFailedMigration();
    void markNotAppliedAndRefusals();
    void successLeavesNoProgressBehind();

private:
    Migrator &migrator();
    QTemporaryDir m_dir;
    QString m_folder;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<Migrator> m_migrator;
};

void tst_NonTransactionalRun::initTestCase()
{
    DBDECK_SKIP_POSTGRES_RUN_WITHOUT_SERVER();
}

void tst_NonTransactionalRun::init()
{
    const QString name = QLatin1String(QTest::currentTestFunction());
    m_folder = m_dir.filePath(name);
    QDir().mkpath(m_folder);
    m_db = std::make_unique<Database>(configFor(test::testDatabaseUrl(m_dir.filePath(name + QStringLiteral(".db")))));
}

void tst_NonTransactionalRun::cleanup()
{
    m_migrator.reset();
    m_db.reset();
}

Migrator &tst_NonTransactionalRun::migrator()
{
    m_migrator = std::make_unique<Migrator>(*m_db, MigrationSet::load(m_folder));
    return *m_migrator;
}

void tst_NonTransactionalRun::scriptLeavingATransactionOpenIsNeverApplied()
{
    writeFile(m_folder + QStringLiteral("/0001_open.sql"),
              "-- migrate:up transaction:false\nCREATE TABLE a (id INTEGER);\nBEGIN;\nINSERT INTO a (id) VALUES (1);\n");
    try {
        migrator().upgrade({});
        QFAIL("recorded as applied");
    } catch (const MigrationError &error) {
        QVERIFY2(error.message().contains(QStringLiteral("migration 0001_open (%1/0001_open.sql) left a transaction open after its "
                                                         "last statement (a BEGIN without COMMIT)").arg(m_folder)),
                 qPrintable(error.message()));
        QVERIFY(error.message().contains(QStringLiteral("1 of 3 statements are done")));
    }
    const StatusReport st = migrator().status();
    QCOMPARE(st.find(1)->state, MigrationState::FailedPartial);
    QCOMPARE(st.find(1)->statementsDone, 1);
    QCOMPARE(st.current, 0);
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT count(*) FROM a")).toInt(), 0); // rolled back, not silently kept
    QCOMPARE(migrator().journal().first().outcome, QStringLiteral("failed"));
}

void tst_NonTransactionalRun::failureInsideTheScriptsTransactionCountsOnlyDurableStatements()
{
    writeFile(m_folder + QStringLiteral("/0001_mixed.sql"),
              "-- migrate:up transaction:false\nCREATE TABLE a (id INTEGER);\nBEGIN;\nINSERT INTO a (id) VALUES (1);\n"
              "INSERT INTO nope (id) VALUES (1);\nCOMMIT;\n");
    try {
        migrator().upgrade({});
        QFAIL("no error");
    } catch (const MigrationError &error) {
        QVERIFY2(error.message().contains(QStringLiteral("failed at statement 4 of 5 (line 5: INSERT INTO nope (id) VALUES (1))")),
                 qPrintable(error.message()));
        QVERIFY2(error.message().contains(QStringLiteral("1 of 5 statements are done and were not undone")), qPrintable(error.message()));
    }
    QCOMPARE(migrator().status().find(1)->statementsDone, 1);
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT count(*) FROM a")).toInt(), 0);
}

void tst_NonTransactionalRun::resumeFromAStatementFinishesAFailedMigration()
{
    writeFile(m_folder + QStringLiteral("/0001_steps.sql"),
              "-- migrate:up transaction:false\nCREATE TABLE a (id INTEGER);\nINSERT INTO b (id) VALUES (2);\nINSERT INTO a (id) VALUES (3);\n");
    writeFile(m_folder + QStringLiteral("/0002_next.sql"), "-- migrate:up\nCREATE TABLE c (id INTEGER);\n");
    QVERIFY_THROWS_EXCEPTION(MigrationError, migrator().upgrade({}));
    m_db->exec(QStringLiteral("CREATE TABLE b (id INTEGER)")); // the fix, by hand
    try {
        migrator().resume(1, 4, {});
        QFAIL("accepted --from 4");
    } catch (const MigrationError &error) {
        QCOMPARE(error.message(), QStringLiteral("--from must be a statement number from 1 to 3 (0001_steps has 3 statements)"));
    }
    const MigrationRunResult result = migrator().resume(1, 2, {});
    QCOMPARE(result.done, QStringList{QStringLiteral("0001_steps")});
    QCOMPARE(result.to, 1);
    QCOMPARE(migrator().status().find(1)->state, MigrationState::Applied);
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT count(*) FROM b")).toInt(), 1);
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT count(*) FROM a")).toInt(), 1); // statement 1 did not run again
    const JournalEntry entry = migrator().journal().first();
    QCOMPARE(entry.operation, QStringLiteral("resume"));
    QVERIFY2(entry.detail.contains(QStringLiteral("resumed 0001_steps from statement 2 (it had failed after 1 of 3 statements)")),
             qPrintable(entry.detail));
    QCOMPARE(migrator().upgrade({}).done, QStringList{QStringLiteral("0002_next")});
}

void tst_NonTransactionalRun::markNotAppliedAndRefusals()
{
    writeFile(m_folder + QStringLiteral("/0001_ok.sql"), "-- migrate:up\nCREATE TABLE ok (id INTEGER);\n");
    writeFile(m_folder + QStringLiteral("/0002_steps.sql"),
              "-- migrate:up transaction:false\nCREATE TABLE a (id INTEGER);\nINSERT INTO b (id) VALUES (2);\n");
    QVERIFY_THROWS_EXCEPTION(MigrationError, migrator().upgrade({}));
    try {
        migrator().markApplied(1, {});
        QFAIL("not refused");
    } catch (const MigrationError &error) {
        QCOMPARE(error.message(), QStringLiteral("0001_ok is applied, not interrupted or failed-partial: there is nothing to "
                                                 "mark-applied (`dbdeck-cli status` shows every migration's state)"));
    }
    QCOMPARE(migrator().journal().first().outcome, QStringLiteral("refused"));
    QVERIFY_THROWS_EXCEPTION(MigrationError, migrator().resume(7, 1, {}));
    m_db->exec(QStringLiteral("DROP TABLE a")); // undone by hand
    migrator().markNotApplied(2, {});
    QCOMPARE(migrator().status().find(2)->state, MigrationState::Pending);
    QVERIFY(migrator().status().problems.isEmpty());
    QCOMPARE(migrator().journal().first().operation, QStringLiteral("mark-not-applied"));
    writeFile(m_folder + QStringLiteral("/0002_steps.sql"), "-- migrate:up transaction:false\nCREATE TABLE a (id INTEGER);\n");
    QCOMPARE(migrator().upgrade({}).done, QStringList{QStringLiteral("0002_steps")});
}

void tst_NonTransactionalRun::successLeavesNoProgressBehind()
{
    writeFile(m_folder + QStringLiteral("/0001_steps.sql"),
              "-- migrate:up transaction:false\nCREATE TABLE a (id INTEGER);\nINSERT INTO a (id) VALUES (1);\n"
              "-- migrate:down\nDROP TABLE a;\n");
    migrator().upgrade({});
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT count(*) FROM dbdeck_migration_progress")).toInt(), 0);
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT state FROM dbdeck_schema_migrations WHERE version = 1")).toString(), QStringLiteral("applied"));
    MigrationRunOptions down;
    down.target = QStringLiteral("base");
    migrator().downgrade(down);
    QVERIFY(!m_db->hasTable(QStringLiteral("a")));
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT count(*) FROM dbdeck_migration_progress")).toInt(), 0);
    QCOMPARE(migrator().status().current, 0);
}

QTEST_GUILESS_MAIN(tst_NonTransactionalRun)
#include "tst_nontransactionalrun.moc"

#include "db/errors.h"
#include "migrate/migrationset.h"
#include "migrate/statementrules.h"
#include "testsupport.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

using namespace dbdeck;

// Issue 10 §2: what must not stand in a migration dbdeck runs in one transaction is refused when
// the file is loaded, with file, line and the fix.
class tst_StatementRules : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void refusedInATransactionalMigration_data();
    void refusedInATransactionalMigration();
    void loadedSetFailsCheck();
};

void tst_StatementRules::refusedInATransactionalMigration_data()
{
    QTest::addColumn<QString>("body");
    QTest::addColumn<bool>("postgres");
    QTest::addColumn<int>("line");    // 0: accepted
    QTest::addColumn<QString>("message");
    const QString control = QStringLiteral("at the top level of a migration that dbdeck runs in one transaction");
    QTest::newRow("COMMIT") << "CREATE TABLE a (id INTEGER);\nCOMMIT;\nCREATE TABLE b (id INTEGER);" << false << 3 << "COMMIT " + control;
    QTest::newRow("END") << "CREATE TABLE a (id INTEGER);\nEND;" << false << 3 << "END " + control;
    QTest::newRow("BEGIN") << "BEGIN IMMEDIATE;\nCREATE TABLE a (id INTEGER);" << false << 2 << "BEGIN " + control;
    QTest::newRow("ROLLBACK") << "CREATE TABLE a (id INTEGER);\n  rollback;" << false << 3 << "ROLLBACK " + control;
    QTest::newRow("RELEASE") << "SAVEPOINT s;\nCREATE TABLE a (id INTEGER);\nRELEASE s;" << false << 4 << "RELEASE " + control;
    QTest::newRow("START TRANSACTION") << "START TRANSACTION;\nCREATE TABLE a (id INTEGER);" << true << 2 << "START TRANSACTION " + control;
    QTest::newRow("ABORT postgres") << "CREATE TABLE a (id INTEGER);\nABORT;" << true << 3 << "ABORT " + control;
    QTest::newRow("after a comment") << "-- set up\nCREATE TABLE a (id INTEGER); /* done */ COMMIT;" << false << 3 << "COMMIT " + control;
    QTest::newRow("PRAGMA foreign_keys") << "PRAGMA foreign_keys = OFF;\nDROP TABLE a;" << false << 2
                                         << "PRAGMA foreign_keys has no effect inside a transaction";
    QTest::newRow("PRAGMA main.foreign_keys") << "PRAGMA main.foreign_keys=0;" << false << 2
                                              << "declare \"-- migrate:up foreign_keys:off\"";
    QTest::newRow("PRAGMA journal_mode") << "PRAGMA journal_mode = WAL;" << false << 2
                                         << "PRAGMA journal_mode cannot be changed inside a transaction; declare transaction:false";
    QTest::newRow("VACUUM") << "DELETE FROM a;\nVACUUM;" << false << 3 << "VACUUM cannot run inside a transaction";
    QTest::newRow("VACUUM postgres") << "VACUUM ANALYZE a;" << true << 2 << "VACUUM cannot run inside a transaction";
    QTest::newRow("CREATE INDEX CONCURRENTLY") << "CREATE INDEX CONCURRENTLY ix_a ON a (id);" << true << 2
                                               << "CREATE … CONCURRENTLY cannot run inside a transaction";
    QTest::newRow("rebuild without foreign_keys:off")
        << "CREATE TABLE runs_new (id TEXT);\nINSERT INTO runs_new SELECT id FROM runs;\nDROP TABLE runs;\nALTER TABLE runs_new RENAME TO runs;"
        << false << 5 << "this rebuilds table runs (DROP TABLE on line 4, then RENAME TO runs)";
    QTest::newRow("quoted rebuild") << "DROP TABLE IF EXISTS \"runs\";\nALTER TABLE main.runs_new RENAME TO [runs];" << false << 3
                                    << "declare \"-- migrate:up foreign_keys:off\"";
    // Accepted: bodies are one statement; reading a PRAGMA is harmless; PostgreSQL drops are refused by the server.
    QTest::newRow("trigger body") << "CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE a SET id = 1; END;" << false << 0 << "";
    QTest::newRow("reading foreign_keys") << "PRAGMA foreign_keys;" << false << 0 << "";
    QTest::newRow("DO block") << "DO $$ BEGIN PERFORM 1; END $$;" << true << 0 << "";
    QTest::newRow("rebuild on postgres") << "DROP TABLE runs;\nALTER TABLE runs_new RENAME TO runs;" << true << 0 << "";
    QTest::newRow("a column named end") << "SELECT 1 AS ending;" << false << 0 << "";
}

void tst_StatementRules::refusedInATransactionalMigration()
{
    QFETCH(QString, body);
    QFETCH(bool, postgres);
    QFETCH(int, line);
    QFETCH(QString, message);
    QList<MigrationProblem> parseProblems;
    const auto file = MigrationFile::parse(QStringLiteral("/m/0001_x.sql"), QStringLiteral("-- migrate:up\n") + body + QLatin1Char('\n'),
                                           &parseProblems);
    QVERIFY(file);
    const auto problems = StatementRules::check(*file, postgres ? SqlSplitter::Dialect::Postgres : SqlSplitter::Dialect::Sqlite);
    if (line == 0) {
        QVERIFY2(problems.isEmpty(), qPrintable(problems.value(0).toString()));
        return;
    }
    QCOMPARE(problems.size(), 1);
    QCOMPARE(problems.first().line, line);
    QVERIFY2(problems.first().message.contains(message), qPrintable(problems.first().message));
    QVERIFY2(problems.first().toString().startsWith(QStringLiteral("/m/0001_x.sql:%1: ").arg(line)), qPrintable(problems.first().toString()));

    // The same statements are the script's own business in a transaction:false migration.
    const auto manual = MigrationFile::parse(QStringLiteral("/m/0001_x.sql"), QStringLiteral("-- migrate:up transaction:false\n") + body,
                                             &parseProblems);
    QVERIFY(manual);
    QVERIFY(StatementRules::check(*manual, postgres ? SqlSplitter::Dialect::Postgres : SqlSplitter::Dialect::Sqlite).isEmpty());
}

void tst_StatementRules::loadedSetFailsCheck()
{
    QTemporaryDir dir;
    test::writeFile(dir.filePath(QStringLiteral("0001_a.sql")),
                    "-- migrate:up\nCREATE TABLE a (id INTEGER);\n-- migrate:down\nDROP TABLE a;\nCOMMIT;\n");
    test::writeFile(dir.filePath(QStringLiteral("0002_b.sql")),
                    "-- migrate:up transaction:false foreign_keys:off\nCREATE TABLE b (id INTEGER);\n");
    MigrationSet set = MigrationSet::load(dir.path());
    QCOMPARE(set.problems().size(), 1);
    QVERIFY2(set.problems().first().message.startsWith(QStringLiteral("foreign_keys:off cannot be combined with transaction:false")),
             qPrintable(set.problems().first().message));
    set.checkStatements(SqlSplitter::Dialect::Sqlite);
    QCOMPARE(set.problems().size(), 2);
    QCOMPARE(set.problems().last().toString(),
             dir.filePath(QStringLiteral("0001_a.sql")) + QStringLiteral(":5: COMMIT at the top level of a migration that dbdeck "
                                                                         "runs in one transaction ends or nests that transaction, so "
                                                                         "a later failure could no longer be rolled back; remove it, "
                                                                         "or declare transaction:false on the \"-- migrate:up\" line "
                                                                         "(its statements then run one by one, each recorded as done)"));
    QVERIFY_THROWS_EXCEPTION(DbError, set.requireValid());
}

QTEST_GUILESS_MAIN(tst_StatementRules)
#include "tst_statementrules.moc"

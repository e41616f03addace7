#include "migrate/migrationanalysis.h"

#include <QTest>

using namespace dbdeck;

namespace {

MigrationFile fileOf(const QString &text, const QString &name = QStringLiteral("/m/0005_x.sql"))
{
    QList<MigrationProblem> problems;
    const auto file = MigrationFile::parse(name, text, &problems);
    if (!file)
        qFatal("bad test migration: %s", qPrintable(problems.value(0).toString()));
    return *file;
}

QStringList commentsOf(const AnalyzedStatement &s)
{
    QStringList texts;
    for (const SqlToken &c : s.comments)
        texts << c.text;
    return texts;
}

} // namespace

class tst_MigrationAnalysis : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void statementsAreTheRunnersWithFilePositions();
    void commentsBelongToTheirStatement();
    void crlfAndBomKeepPositions();
    void downSectionIsAnalyzedToo();
    void dollarQuotesOnPostgres();
    void findsRebuilds();
};

void tst_MigrationAnalysis::statementsAreTheRunnersWithFilePositions()
{
    const QString text = QStringLiteral(
        "-- header\n"
        "-- migrate:up\n"
        "CREATE TABLE a (x TEXT);   CREATE INDEX ix_a_x ON a (x);\n"
        "\n"
        "CREATE TRIGGER tr AFTER INSERT ON a BEGIN\n"
        "  UPDATE a SET x = 'y;z';\n"
        "END;\n"
        "   SELECT 'last' -- no semicolon\n");
    const MigrationFile file = fileOf(text);
    const SectionAnalysis up = MigrationAnalysis::analyze(file, SqlSplitter::Dialect::Sqlite).up();
    const QList<SqlStatement> split = SqlSplitter::split(file.upSql());
    QCOMPARE(up.statements.size(), split.size());
    QCOMPARE(up.statements.size(), 4);
    for (int i = 0; i < split.size(); ++i) {
        QCOMPARE(up.statements.at(i).analysis.sql, split.at(i).sql);
        QCOMPARE(up.statements.at(i).analysis.index, i + 1);
    }
    QCOMPARE(up.markerLine, 2);
    QCOMPARE(up.statements.at(0).analysis.position, (SqlPosition{3, 1}));
    QCOMPARE(up.statements.at(1).analysis.position, (SqlPosition{3, 28}));
    QCOMPARE(up.statements.at(1).analysis.kind, StatementAnalysis::Kind::CreateIndex);
    QCOMPARE(up.statements.at(2).analysis.kind, StatementAnalysis::Kind::CreateTrigger);
    QCOMPARE(up.statements.at(2).analysis.table, QStringLiteral("a"));
    QCOMPARE(up.statements.at(3).analysis.position, (SqlPosition{8, 4}));
    // The last statement's own comment is not one of its tokens.
    QCOMPARE(up.statements.at(3).analysis.tokens.size(), 2);
    QCOMPARE(commentsOf(up.statements.at(3)), QStringList{QStringLiteral("-- no semicolon")});
}

void tst_MigrationAnalysis::commentsBelongToTheirStatement()
{
    const MigrationFile file = fileOf(QStringLiteral(
        "-- migrate:up\n"
        "-- before the first\n"
        "CREATE TABLE a (x TEXT); -- trailing the first\n"
        "-- before the second, line 1\n"
        "\n"
        "/* before the second, line 2 */ CREATE TABLE b (\n"
        "  y TEXT /* inside the second */\n"
        ");\n"
        "-- after the last: nobody's\n"));
    const SectionAnalysis up = MigrationAnalysis::analyze(file, SqlSplitter::Dialect::Sqlite).up();
    QCOMPARE(up.statements.size(), 2);
    QCOMPARE(commentsOf(up.statements.at(0)),
             (QStringList{QStringLiteral("-- before the first"), QStringLiteral("-- trailing the first")}));
    QCOMPARE(commentsOf(up.statements.at(1)),
             (QStringList{QStringLiteral("-- before the second, line 1"), QStringLiteral("/* before the second, line 2 */"),
                          QStringLiteral("/* inside the second */")}));
}

void tst_MigrationAnalysis::crlfAndBomKeepPositions()
{
    const MigrationFile file = fileOf(QStringLiteral("\xFEFF-- migrate:up\r\nSELECT 1;\r\n  DROP TABLE t;\r\n"));
    const SectionAnalysis up = MigrationAnalysis::analyze(file, SqlSplitter::Dialect::Sqlite).up();
    QCOMPARE(up.statements.size(), 2);
    QCOMPARE(up.statements.at(1).analysis.position, (SqlPosition{3, 3}));
}

void tst_MigrationAnalysis::downSectionIsAnalyzedToo()
{
    const MigrationFile file = fileOf(QStringLiteral("-- migrate:down\nDROP TABLE a;\n-- migrate:up\nCREATE TABLE a (x TEXT);\n"));
    const MigrationAnalysis analysis = MigrationAnalysis::analyze(file, SqlSplitter::Dialect::Sqlite);
    QVERIFY(analysis.down().present);
    QVERIFY(!analysis.down().up);
    QCOMPARE(analysis.down().markerLine, 1);
    QCOMPARE(analysis.down().statements.first().analysis.position, (SqlPosition{2, 1}));
    QCOMPARE(analysis.up().statements.first().analysis.position, (SqlPosition{4, 1}));
    const MigrationAnalysis noDown = MigrationAnalysis::analyze(fileOf(QStringLiteral("-- migrate:up\nSELECT 1;\n")),
                                                                SqlSplitter::Dialect::Sqlite);
    QVERIFY(!noDown.down().present);
}

void tst_MigrationAnalysis::dollarQuotesOnPostgres()
{
    const MigrationFile file = fileOf(QStringLiteral(
        "-- migrate:up\nCREATE FUNCTION f() RETURNS trigger AS $$ BEGIN DELETE FROM t; RETURN NEW; END $$ LANGUAGE plpgsql;\n"
        "DROP TABLE t;\n"));
    const SectionAnalysis up = MigrationAnalysis::analyze(file, SqlSplitter::Dialect::Postgres).up();
    QCOMPARE(up.statements.size(), 2);
    QCOMPARE(up.statements.at(0).analysis.kind, StatementAnalysis::Kind::CreateOther);
    QCOMPARE(up.statements.at(1).analysis.kind, StatementAnalysis::Kind::DropTable);
    QCOMPARE(up.statements.at(1).analysis.position, (SqlPosition{3, 1}));
}

void tst_MigrationAnalysis::findsRebuilds()
{
    const MigrationFile file = fileOf(QStringLiteral(
        "-- migrate:up\n"
        "CREATE TABLE runs_new (id TEXT NOT NULL, CONSTRAINT pk_runs PRIMARY KEY (id));\n"
        "INSERT INTO runs_new (id) SELECT id FROM runs;\n"
        "DROP TABLE runs;\n"
        "ALTER TABLE runs_new RENAME TO runs;\n"
        "CREATE TABLE b_new (id TEXT);\n"
        "DROP TABLE b;\n"
        "ALTER TABLE b_new RENAME TO b;\n"
        "ALTER TABLE c RENAME TO d;\n"));
    const SectionAnalysis up = MigrationAnalysis::analyze(file, SqlSplitter::Dialect::Sqlite).up();
    QCOMPARE(up.rebuilds.size(), 2);
    const TableRebuild &runs = up.rebuilds.at(0);
    QCOMPARE(runs.table, QStringLiteral("runs"));
    QCOMPARE(runs.newTable, QStringLiteral("runs_new"));
    QCOMPARE(runs.createIndex, 0);
    QCOMPARE(runs.copyIndex, 1);
    QCOMPARE(runs.dropIndex, 2);
    QCOMPARE(runs.renameIndex, 3);
    QCOMPARE(up.rebuilds.at(1).copyIndex, -1); // rebuilt without copying its rows
    QCOMPARE(up.rebuildDropping(2), &up.rebuilds.at(0));
    QCOMPARE(up.rebuildDropping(1), nullptr);
    QCOMPARE(up.finalNameOf(QStringLiteral("runs_new")), QStringLiteral("runs"));
    QCOMPARE(up.finalNameOf(QStringLiteral("c")), QStringLiteral("c"));
}

QTEST_GUILESS_MAIN(tst_MigrationAnalysis)
#include "tst_migrationanalysis.moc"

#include "migrate/sqltokenizer.h"
#include "migrate/statementanalyzer.h"

#include <QTest>

using namespace dbdeck;

namespace {

using Kind = StatementAnalysis::Kind;

StatementAnalysis analyze(const QString &sql, bool postgres = false)
{
    QList<SqlToken> tokens;
    for (const SqlToken &t : SqlTokenizer::tokenize(sql, postgres ? SqlSplitter::Dialect::Postgres : SqlSplitter::Dialect::Sqlite)) {
        if (!t.isComment())
            tokens.append(t);
    }
    return StatementAnalyzer::analyze(tokens, sql, 0);
}

} // namespace

class tst_StatementAnalyzer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void kindsAndTargets_data();
    void kindsAndTargets();
    void createTableColumnsAndConstraints();
    void alterTableActions();
    void createIndex();
    void updateDeleteInsert();
    void pragmaSetAndEnum();
    void checkExpressionKeepsItsText();
};

void tst_StatementAnalyzer::kindsAndTargets_data()
{
    QTest::addColumn<QString>("sql");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("table");
    QTest::addColumn<QString>("objectName");

    QTest::newRow("create table") << "CREATE TABLE IF NOT EXISTS main.\"Runs\" (id TEXT)" << int(Kind::CreateTable) << "Runs" << "";
    QTest::newRow("create temp table") << "CREATE TEMP TABLE t (x)" << int(Kind::CreateTable) << "t" << "";
    QTest::newRow("create table as select") << "CREATE TABLE t AS SELECT 1" << int(Kind::CreateTable) << "t" << "";
    QTest::newRow("create unique index") << "create unique index uq_t_x on T (x)" << int(Kind::CreateIndex) << "t" << "uq_t_x";
    QTest::newRow("unnamed postgres index") << "CREATE INDEX ON public.t (x)" << int(Kind::CreateIndex) << "t" << "";
    QTest::newRow("create view") << "CREATE VIEW v AS SELECT 1" << int(Kind::CreateView) << "" << "v";
    QTest::newRow("create trigger") << "CREATE TRIGGER tr AFTER INSERT ON runs BEGIN SELECT 1; END" << int(Kind::CreateTrigger)
                                    << "runs" << "tr";
    QTest::newRow("create type") << "CREATE TYPE mood AS ENUM ('a')" << int(Kind::CreateType) << "" << "mood";
    QTest::newRow("create function") << "CREATE OR REPLACE FUNCTION f() RETURNS int AS $$ SELECT 1 $$ LANGUAGE sql"
                                     << int(Kind::CreateOther) << "" << "";
    QTest::newRow("alter table") << "ALTER TABLE ONLY runs ADD COLUMN x TEXT" << int(Kind::AlterTable) << "runs" << "";
    QTest::newRow("alter index") << "ALTER INDEX ix RENAME TO iy" << int(Kind::AlterOther) << "" << "ix";
    QTest::newRow("drop table") << "DROP TABLE IF EXISTS a, b CASCADE" << int(Kind::DropTable) << "a" << "";
    QTest::newRow("drop index") << "DROP INDEX CONCURRENTLY IF EXISTS ix_a" << int(Kind::DropIndex) << "" << "ix_a";
    QTest::newRow("drop view") << "DROP VIEW v" << int(Kind::DropOther) << "" << "v";
    QTest::newRow("insert") << "INSERT INTO runs (id) VALUES ('x')" << int(Kind::Insert) << "runs" << "";
    QTest::newRow("replace into") << "REPLACE INTO runs VALUES (1)" << int(Kind::Insert) << "runs" << "";
    QTest::newRow("update") << "UPDATE runs SET a = 1" << int(Kind::Update) << "runs" << "";
    QTest::newRow("delete") << "DELETE FROM runs" << int(Kind::Delete) << "runs" << "";
    QTest::newRow("with ... delete") << "WITH old AS (SELECT id FROM runs) DELETE FROM events WHERE run_id IN (SELECT id FROM old)"
                                     << int(Kind::Delete) << "events" << "";
    QTest::newRow("truncate") << "TRUNCATE TABLE runs, events" << int(Kind::Truncate) << "runs" << "";
    QTest::newRow("pragma") << "PRAGMA main.foreign_keys = OFF" << int(Kind::Pragma) << "" << "foreign_keys";
    QTest::newRow("set") << "SET LOCAL lock_timeout = '5s'" << int(Kind::Set) << "" << "lock_timeout";
    QTest::newRow("begin") << "BEGIN IMMEDIATE" << int(Kind::TransactionControl) << "" << "";
    QTest::newRow("commit") << "COMMIT" << int(Kind::TransactionControl) << "" << "";
    QTest::newRow("savepoint") << "SAVEPOINT s" << int(Kind::TransactionControl) << "" << "";
    QTest::newRow("vacuum") << "VACUUM" << int(Kind::Vacuum) << "" << "";
    QTest::newRow("reindex") << "REINDEX INDEX CONCURRENTLY ix" << int(Kind::Reindex) << "" << "";
    QTest::newRow("attach") << "ATTACH DATABASE 'x.db' AS x" << int(Kind::Attach) << "" << "";
    QTest::newRow("select") << "SELECT 1" << int(Kind::Select) << "" << "";
    QTest::newRow("do block") << "DO $$ BEGIN END $$" << int(Kind::Other) << "" << "";
}

void tst_StatementAnalyzer::kindsAndTargets()
{
    QFETCH(QString, sql);
    QFETCH(int, kind);
    QFETCH(QString, table);
    QFETCH(QString, objectName);
    const StatementAnalysis s = analyze(sql, true);
    QCOMPARE(int(s.kind), kind);
    QCOMPARE(s.table, table);
    QCOMPARE(s.objectName, objectName);
    QCOMPARE(s.position, (SqlPosition{1, 1}));
}

void tst_StatementAnalyzer::createTableColumnsAndConstraints()
{
    const StatementAnalysis s = analyze(QStringLiteral(
        "CREATE TABLE events (\n"
        "  id TEXT NOT NULL CONSTRAINT pk_events PRIMARY KEY,\n"
        "  run_id TEXT REFERENCES runs (id) ON DELETE CASCADE,\n"
        "  seq integer DEFAULT -1 UNIQUE,\n"
        "  at timestamp(3) without time zone DEFAULT CURRENT_TIMESTAMP,\n"
        "  name varchar(20) COLLATE NOCASE CHECK (length(name) > 0),\n"
        "  n NUMERIC(10, 2) GENERATED ALWAYS AS (seq * 2) STORED,\n"
        "  untyped,\n"
        "  CONSTRAINT uq_events_run_id_seq UNIQUE (run_id, seq),\n"
        "  FOREIGN KEY (run_id) REFERENCES runs (id) NOT VALID,\n"
        "  CHECK (seq >= 0)\n"
        ") STRICT, WITHOUT ROWID"));
    QCOMPARE(s.kind, Kind::CreateTable);
    QVERIFY(s.strict);
    QVERIFY(s.withoutRowid);
    QCOMPARE(s.columns.size(), 7);
    const ColumnDefinition &id = s.columns.at(0);
    QCOMPARE(id.name, QStringLiteral("id"));
    QCOMPARE(id.typeName, QStringLiteral("TEXT"));
    QVERIFY(id.notNull);
    QVERIFY(id.primaryKey);
    QCOMPARE(id.constraints.size(), 1);
    QCOMPARE(id.constraints.first().name, QStringLiteral("pk_events"));
    QCOMPARE(id.constraints.first().position, (SqlPosition{2, 20}));
    const ColumnDefinition &runId = s.columns.at(1);
    QCOMPARE(runId.constraints.first().kind, ConstraintDefinition::Kind::ForeignKey);
    QCOMPARE(runId.constraints.first().referencedTable, QStringLiteral("runs"));
    QCOMPARE(runId.constraints.first().referencedColumns, QStringList{QStringLiteral("id")});
    QVERIFY(runId.constraints.first().name.isEmpty());
    const ColumnDefinition &seq = s.columns.at(2);
    QVERIFY(seq.hasDefault);
    QCOMPARE(seq.defaultTokens.size(), 2);
    QCOMPARE(seq.defaultPosition, (SqlPosition{4, 23}));
    QCOMPARE(seq.constraints.first().kind, ConstraintDefinition::Kind::Unique);
    const ColumnDefinition &at = s.columns.at(3);
    QCOMPARE(at.type, QStringLiteral("timestamp(3) without time zone"));
    QCOMPARE(at.typeName, QStringLiteral("TIMESTAMP WITHOUT TIME ZONE"));
    QCOMPARE(at.typeArguments, QStringList{QStringLiteral("3")});
    QCOMPARE(at.typePosition, (SqlPosition{5, 6}));
    QCOMPARE(at.defaultTokens.first().text, QStringLiteral("CURRENT_TIMESTAMP"));
    const ColumnDefinition &name = s.columns.at(4);
    QCOMPARE(name.typeName, QStringLiteral("VARCHAR"));
    QCOMPARE(name.typeArguments, QStringList{QStringLiteral("20")});
    QCOMPARE(name.constraints.first().expression, QStringLiteral("length(name) > 0"));
    const ColumnDefinition &n = s.columns.at(5);
    QCOMPARE(n.typeArguments, (QStringList{QStringLiteral("10"), QStringLiteral("2")}));
    QVERIFY(n.generated);
    QVERIFY(n.stored);
    QCOMPARE(s.columns.at(6).name, QStringLiteral("untyped"));
    QVERIFY(s.columns.at(6).typeName.isEmpty());

    QCOMPARE(s.constraints.size(), 3);
    QCOMPARE(s.constraints.at(0).kind, ConstraintDefinition::Kind::Unique);
    QCOMPARE(s.constraints.at(0).columns, (QStringList{QStringLiteral("run_id"), QStringLiteral("seq")}));
    QCOMPARE(s.constraints.at(0).position, (SqlPosition{9, 3}));
    QCOMPARE(s.constraints.at(1).kind, ConstraintDefinition::Kind::ForeignKey);
    QVERIFY(s.constraints.at(1).notValid);
    QVERIFY(s.constraints.at(1).name.isEmpty());
    QCOMPARE(s.constraints.at(2).expression, QStringLiteral("seq >= 0"));
    // Column and table constraints together: what a preflight would check against the rows.
    QCOMPARE(s.addedConstraints().size(), 7);
}

void tst_StatementAnalyzer::alterTableActions()
{
    const StatementAnalysis s = analyze(QStringLiteral(
        "ALTER TABLE IF EXISTS runs ADD COLUMN owner TEXT NOT NULL DEFAULT 'x', ADD CONSTRAINT ck_runs_kind CHECK (kind <> '') NOT VALID,"
        " ADD UNIQUE (kind), DROP COLUMN IF EXISTS old, DROP CONSTRAINT fk_x, ALTER COLUMN kind SET DATA TYPE varchar(10) USING kind::text,"
        " ALTER kind SET NOT NULL, ALTER COLUMN kind DROP DEFAULT, ALTER kind SET DEFAULT now(), VALIDATE CONSTRAINT ck_runs_kind"),
        true);
    QCOMPARE(s.kind, Kind::AlterTable);
    QVERIFY(s.ifExists);
    QCOMPARE(s.table, QStringLiteral("runs"));
    QList<AlterAction::Kind> kinds;
    for (const AlterAction &a : s.actions)
        kinds << a.kind;
    using A = AlterAction::Kind;
    QCOMPARE(kinds, (QList<A>{A::AddColumn, A::AddConstraint, A::AddConstraint, A::DropColumn, A::DropConstraint,
                              A::AlterColumnType, A::SetNotNull, A::DropDefault, A::SetDefault, A::ValidateConstraint}));
    QCOMPARE(s.actions.at(0).columnDefinition.name, QStringLiteral("owner"));
    QVERIFY(s.actions.at(0).columnDefinition.notNull);
    QVERIFY(s.actions.at(0).columnDefinition.hasDefault);
    QCOMPARE(s.actions.at(1).constraint.name, QStringLiteral("ck_runs_kind"));
    QVERIFY(s.actions.at(1).constraint.notValid);
    QCOMPARE(s.actions.at(2).constraint.columns, QStringList{QStringLiteral("kind")});
    QCOMPARE(s.actions.at(3).column, QStringLiteral("old"));
    QCOMPARE(s.actions.at(4).objectName, QStringLiteral("fk_x"));
    QCOMPARE(s.actions.at(5).newType, QStringLiteral("varchar(10)"));
    QCOMPARE(s.actions.at(5).newTypeName, QStringLiteral("VARCHAR"));
    QCOMPARE(s.actions.at(5).usingExpression, QStringLiteral("kind::text"));
    QCOMPARE(s.actions.at(9).objectName, QStringLiteral("ck_runs_kind"));

    const StatementAnalysis renameTable = analyze(QStringLiteral("ALTER TABLE runs_new RENAME TO runs"));
    QCOMPARE(renameTable.actions.first().kind, A::RenameTable);
    QCOMPARE(renameTable.actions.first().newName, QStringLiteral("runs"));
    const StatementAnalysis renameColumn = analyze(QStringLiteral("ALTER TABLE runs RENAME kind TO category"));
    QCOMPARE(renameColumn.actions.first().kind, A::RenameColumn);
    QCOMPARE(renameColumn.actions.first().column, QStringLiteral("kind"));
    QCOMPARE(renameColumn.actions.first().newName, QStringLiteral("category"));
}

void tst_StatementAnalyzer::createIndex()
{
    const StatementAnalysis s = analyze(QStringLiteral(
        "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS uq_runs_kind ON ONLY runs USING btree (kind DESC NULLS LAST, status) "
        "INCLUDE (x) WHERE status <> 'done'"), true);
    QVERIFY(s.unique);
    QVERIFY(s.concurrently);
    QVERIFY(s.ifNotExists);
    QCOMPARE(s.indexColumns, (QStringList{QStringLiteral("kind"), QStringLiteral("status")}));
    QVERIFY(!s.indexOnExpression);
    QVERIFY(s.partialIndex);
    const StatementAnalysis expression = analyze(QStringLiteral("CREATE INDEX ix_runs_lower_kind ON runs (lower(kind))"));
    QVERIFY(expression.indexOnExpression);
    QVERIFY(!expression.partialIndex);
}

void tst_StatementAnalyzer::updateDeleteInsert()
{
    const StatementAnalysis update = analyze(QStringLiteral("UPDATE runs AS r SET status = 'x', (a, b) = (1, 2) FROM t WHERE r.id = t.id"), true);
    QCOMPARE(update.updatedColumns, (QStringList{QStringLiteral("status"), QStringLiteral("a"), QStringLiteral("b")}));
    QVERIFY(update.hasWhere);
    const StatementAnalysis noWhere = analyze(QStringLiteral("UPDATE runs SET status = (SELECT max(x) FROM t WHERE t.y = 1)"));
    QVERIFY(!noWhere.hasWhere); // the WHERE belongs to the subquery
    QVERIFY(analyze(QStringLiteral("DELETE FROM runs WHERE id = 1")).hasWhere);
    QVERIFY(!analyze(QStringLiteral("DELETE FROM runs")).hasWhere);
    const StatementAnalysis orReplace = analyze(QStringLiteral("INSERT OR REPLACE INTO runs_new (id) SELECT id FROM runs"));
    QCOMPARE(orReplace.conflictClause, QStringLiteral("REPLACE"));
    QCOMPARE(orReplace.selectsFrom, QStringLiteral("runs"));
    QCOMPARE(analyze(QStringLiteral("REPLACE INTO t VALUES (1)")).conflictClause, QStringLiteral("REPLACE"));
    QCOMPARE(analyze(QStringLiteral("INSERT INTO t VALUES (1) ON CONFLICT DO NOTHING")).conflictClause, QString());
}

void tst_StatementAnalyzer::pragmaSetAndEnum()
{
    const StatementAnalysis pragma = analyze(QStringLiteral("PRAGMA journal_mode = WAL"));
    QCOMPARE(pragma.objectName, QStringLiteral("journal_mode"));
    QCOMPARE(pragma.value, QStringLiteral("WAL"));
    QCOMPARE(analyze(QStringLiteral("PRAGMA foreign_keys(0)")).value, QStringLiteral("0"));
    QVERIFY(analyze(QStringLiteral("PRAGMA foreign_keys")).value.isEmpty());
    const StatementAnalysis set = analyze(QStringLiteral("SET LOCAL statement_timeout TO '5min'"), true);
    QVERIFY(set.setLocal);
    QCOMPARE(set.value, QStringLiteral("'5min'"));
    const StatementAnalysis type = analyze(QStringLiteral("CREATE TYPE mood AS ENUM ('sad', 'o''k')"), true);
    QCOMPARE(type.enumValues, (QStringList{QStringLiteral("sad"), QStringLiteral("o'k")}));
}

void tst_StatementAnalyzer::checkExpressionKeepsItsText()
{
    // The preflight runs a CHECK's expression against the rows: it must be the text as written.
    const QString sql = QStringLiteral("ALTER TABLE t ADD CONSTRAINT ck_t_x CHECK (x IN ('a' , 'b')  AND  length(y)<=5)");
    const StatementAnalysis s = analyze(sql);
    QCOMPARE(s.actions.first().constraint.expression, QStringLiteral("x IN ('a' , 'b')  AND  length(y)<=5"));
}

QTEST_GUILESS_MAIN(tst_StatementAnalyzer)
#include "tst_statementanalyzer.moc"

#include "migrate/sqlsplitter.h"
#include "migrateddb.h"

#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

using namespace dbdeck;

// SqlSplitter in both dialects. The SQLite rows are also checked against sqlite3_complete(), the
// function the sqlite3 shell uses to decide where a statement ends; appliesOnTheDatabase runs
// scripts on a real database (registered a second time as @postgres for the PostgreSQL rows).
class tst_SqlSplitter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void splits_data();
    void splits();
    void sqliteRowsAgreeWithSqlite3Complete_data();
    void sqliteRowsAgreeWithSqlite3Complete();
    void reportsStatementLines();
    void marksTopLevelTransactionControl_data();
    void marksTopLevelTransactionControl();
    void reportsLeadingWords();
    void appliesOnTheDatabase_data();
    void appliesOnTheDatabase();
};

namespace {

QStringList split(const QString &script, bool postgres)
{
    QStringList got;
    for (const SqlStatement &s : SqlSplitter::split(script, postgres ? SqlSplitter::Dialect::Postgres : SqlSplitter::Dialect::Sqlite))
        got << s.sql;
    return got;
}

// The rows of splits(); sqliteOnly leaves out the PostgreSQL ones.
void addSplitRows(bool sqliteOnly)
{
    QTest::addColumn<QString>("script");
    QTest::addColumn<bool>("postgres");
    QTest::addColumn<QStringList>("statements");
    const auto sqlite = [](const char *name, const QString &script, const QStringList &statements) {
        QTest::newRow(name) << script << false << statements;
    };
    const auto postgres = [sqliteOnly](const char *name, const QString &script, const QStringList &statements) {
        if (!sqliteOnly)
            QTest::newRow(qPrintable(QStringLiteral("%1 (postgres)").arg(QLatin1String(name)))) << script << true << statements;
    };
    const auto both = [&](const char *name, const QString &script, const QStringList &statements) {
        sqlite(name, script, statements);
        postgres(name, script, statements);
    };

    // Both dialects: statements, comments, strings, "identifiers".
    both("two statements", "CREATE TABLE a (x INT);\nCREATE TABLE b (y INT);", {"CREATE TABLE a (x INT)", "CREATE TABLE b (y INT)"});
    both("trailing statement without ;", "SELECT 1;\nSELECT 2\n", {"SELECT 1", "SELECT 2"});
    both("empty statements", ";;SELECT 1;;\n;  ;", {"SELECT 1"});
    both("nothing", "", {});
    both("only comments", "-- nothing\n/* at all; */\n", {});
    both("line comment with ;", "SELECT 1 -- a; b\n;SELECT 2;", {"SELECT 1 -- a; b", "SELECT 2"});
    both("line comment at the end without newline", "SELECT 1; -- the end; really", {"SELECT 1"});
    both("leading comments dropped", "-- header; with semicolon\n/* block; */ SELECT 1;", {"SELECT 1"});
    both("block comment inside", "SELECT /* ; */ 1;", {"SELECT /* ; */ 1"});
    both("unterminated block comment", "SELECT 1; /* never closed; SELECT 2", {"SELECT 1"});
    both("comment markers inside a comment", "/* -- ; */ SELECT 1; -- /* ;\nSELECT 2", {"SELECT 1", "SELECT 2"});
    both("string with ;", "INSERT INTO t VALUES ('a;b');SELECT 2;", {"INSERT INTO t VALUES ('a;b')", "SELECT 2"});
    both("string with doubled quote", "SELECT 'it''s; fine';SELECT 2", {"SELECT 'it''s; fine'", "SELECT 2"});
    both("string of one doubled quote", "SELECT '''';SELECT 2", {"SELECT ''''", "SELECT 2"});
    both("string with -- and /*", "SELECT '-- not a comment; /* nor this';", {"SELECT '-- not a comment; /* nor this'"});
    both("string over lines", "SELECT 'a;\nb;\n';SELECT 2", {"SELECT 'a;\nb;\n'", "SELECT 2"});
    both("unterminated string runs to the end", "SELECT 'abc; SELECT 2", {"SELECT 'abc; SELECT 2"});
    both("double-quoted identifier", "CREATE TABLE \"we;ird\"\"name\" (x INT);SELECT 1",
         {"CREATE TABLE \"we;ird\"\"name\" (x INT)", "SELECT 1"});
    both("double-quoted identifier with quote and comment marks", "SELECT \"a'--/*;\" FROM t;SELECT 1",
         {"SELECT \"a'--/*;\" FROM t", "SELECT 1"});
    both("blob and national literals", "SELECT X'3B', N'x;';SELECT 1", {"SELECT X'3B', N'x;'", "SELECT 1"});
    both("column named begin_at", "CREATE TABLE t (begin_at TEXT, end_at TEXT);SELECT 1",
         {"CREATE TABLE t (begin_at TEXT, end_at TEXT)", "SELECT 1"});
    both("BEGIN and END outside a body", "BEGIN;SELECT 1;END;", {"BEGIN", "SELECT 1", "END"});
    both("CRLF and tabs", "SELECT 1;\r\n\tSELECT 2;\r\n", {"SELECT 1", "SELECT 2"});
    both("non-ASCII identifiers", "CREATE TABLE café (ß INT);SELECT 1", {"CREATE TABLE café (ß INT)", "SELECT 1"});
    both("a table named like a keyword", "CREATE TABLE trigger_log (x INT);SELECT 1", {"CREATE TABLE trigger_log (x INT)", "SELECT 1"});

    // SQLite: [brackets], `backticks`, trigger bodies as sqlite3_complete() ends them.
    sqlite("bracketed identifier", "SELECT [a;b] FROM t;SELECT 1", {"SELECT [a;b] FROM t", "SELECT 1"});
    sqlite("bracketed identifier with quotes", "SELECT [a'\"] FROM t;SELECT 1", {"SELECT [a'\"] FROM t", "SELECT 1"});
    sqlite("backtick identifier", "SELECT `a;b` FROM t;SELECT 1", {"SELECT `a;b` FROM t", "SELECT 1"});
    sqlite("backtick identifier with doubled backtick", "SELECT `a``;b` FROM t;SELECT 1", {"SELECT `a``;b` FROM t", "SELECT 1"});
    sqlite("block comments do not nest", "SELECT 1 /* a /* b */;SELECT 2", {"SELECT 1 /* a /* b */", "SELECT 2"});
    sqlite("backslash is no escape", "SELECT 'a\\';SELECT 2", {"SELECT 'a\\'", "SELECT 2"});
    sqlite("E'' is no escape string", "SELECT e'a\\'; SELECT 2'; SELECT 3", {"SELECT e'a\\'", "SELECT 2'; SELECT 3"});
    sqlite("dollar is no quote", "SELECT $a, $$;SELECT 2", {"SELECT $a, $$", "SELECT 2"});
    sqlite("trigger body", "CREATE TRIGGER tr AFTER INSERT ON t BEGIN\n  UPDATE u SET n = n + 1;\n  DELETE FROM v;\nEND;\nSELECT 1;",
           {"CREATE TRIGGER tr AFTER INSERT ON t BEGIN\n  UPDATE u SET n = n + 1;\n  DELETE FROM v;\nEND", "SELECT 1"});
    sqlite("trigger: end as a column", "CREATE TRIGGER t AFTER INSERT ON span BEGIN UPDATE span SET end = 1; END;SELECT 1",
           {"CREATE TRIGGER t AFTER INSERT ON span BEGIN UPDATE span SET end = 1; END", "SELECT 1"});
    sqlite("trigger: end as an alias and in WHERE", "CREATE TRIGGER t AFTER INSERT ON span BEGIN INSERT INTO log SELECT new.end AS end "
           "FROM span WHERE end > 0; END; SELECT 1",
           {"CREATE TRIGGER t AFTER INSERT ON span BEGIN INSERT INTO log SELECT new.end AS end FROM span WHERE end > 0; END", "SELECT 1"});
    sqlite("trigger: CASE ... END", "create temp trigger if not exists tr before update on t begin "
           "select case when new.x < 0 then raise(abort, 'neg;') end; end; select 2",
           {"create temp trigger if not exists tr before update on t begin select case when new.x < 0 then raise(abort, 'neg;') end; end",
            "select 2"});
    sqlite("trigger: nested CASE and CASE first", "CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE a SET x = CASE WHEN 1 THEN "
           "CASE WHEN 2 THEN 3 END END; SELECT CASE 1 WHEN 1 THEN 'END;' END; END; SELECT 1",
           {"CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE a SET x = CASE WHEN 1 THEN CASE WHEN 2 THEN 3 END END; "
            "SELECT CASE 1 WHEN 1 THEN 'END;' END; END", "SELECT 1"});
    sqlite("trigger: WHEN clause with CASE", "CREATE TRIGGER t BEFORE UPDATE ON a WHEN CASE WHEN new.x THEN 1 END BEGIN SELECT 1; END; SELECT 2",
           {"CREATE TRIGGER t BEFORE UPDATE ON a WHEN CASE WHEN new.x THEN 1 END BEGIN SELECT 1; END", "SELECT 2"});
    sqlite("trigger: comments between ; and END", "CREATE TRIGGER t AFTER INSERT ON a BEGIN DELETE FROM b; -- done; END;\n"
           "/* END; */ END /* ; */ ;SELECT 1",
           {"CREATE TRIGGER t AFTER INSERT ON a BEGIN DELETE FROM b; -- done; END;\n/* END; */ END /* ; */", "SELECT 1"});
    sqlite("trigger: strings and identifiers that say END;", "CREATE TRIGGER t AFTER INSERT ON a BEGIN INSERT INTO \"END;\" "
           "VALUES ('; END;'); INSERT INTO [END;] VALUES (`END;`); END; SELECT 1",
           {"CREATE TRIGGER t AFTER INSERT ON a BEGIN INSERT INTO \"END;\" VALUES ('; END;'); INSERT INTO [END;] VALUES (`END;`); END",
            "SELECT 1"});
    sqlite("trigger: several, back to back", "CREATE TRIGGER a AFTER INSERT ON t BEGIN SELECT 1; END;CREATE TEMPORARY TRIGGER b "
           "AFTER DELETE ON t BEGIN SELECT 2; END;",
           {"CREATE TRIGGER a AFTER INSERT ON t BEGIN SELECT 1; END", "CREATE TEMPORARY TRIGGER b AFTER DELETE ON t BEGIN SELECT 2; END"});
    sqlite("explain create trigger", "EXPLAIN CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; END; SELECT 2",
           {"EXPLAIN CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; END", "SELECT 2"});
    sqlite("create table called trigger", "CREATE TABLE \"trigger\" (end INT); SELECT 1", {"CREATE TABLE \"trigger\" (end INT)", "SELECT 1"});
    sqlite("unfinished trigger takes the rest", "CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; SELECT 2",
           {"CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; SELECT 2"});
    sqlite("semicolon inside parentheses ends the statement", "SELECT (1;SELECT 2", {"SELECT (1", "SELECT 2"});

    // PostgreSQL: nested comments, E'' strings, dollar quoting, parentheses, BEGIN ATOMIC.
    postgres("nested block comments", "SELECT 1 /* a /* b; */ still; */;SELECT 2", {"SELECT 1 /* a /* b; */ still; */", "SELECT 2"});
    postgres("nested comment before a statement", "/* a /* b */ ; */ SELECT 1;", {"SELECT 1"});
    postgres("E string with backslash-escaped quote", "INSERT INTO t VALUES (E'it\\'s; fine');SELECT 2",
             {"INSERT INTO t VALUES (E'it\\'s; fine')", "SELECT 2"});
    postgres("e string ending in an escaped backslash", "SELECT e'\\\\';SELECT 2", {"SELECT e'\\\\'", "SELECT 2"});
    postgres("E string with doubled quote", "SELECT E'a''b;\\n';SELECT 2", {"SELECT E'a''b;\\n'", "SELECT 2"});
    postgres("plain string: backslash is no escape", "SELECT 'C:\\';SELECT 2", {"SELECT 'C:\\'", "SELECT 2"});
    postgres("a word ending in e is no E prefix", "SELECT note'a\\';SELECT 2", {"SELECT note'a\\'", "SELECT 2"});
    postgres("U& string", "SELECT U&'d\\0061t\\+000061;';SELECT 2", {"SELECT U&'d\\0061t\\+000061;'", "SELECT 2"});
    postgres("dollar quoting", "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;SELECT 2",
             {"CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql", "SELECT 2"});
    postgres("tagged dollar quoting", "DO $body$ BEGIN PERFORM 1; END $body$;SELECT 2", {"DO $body$ BEGIN PERFORM 1; END $body$", "SELECT 2"});
    postgres("dollar tag with digits", "CREATE FUNCTION f() RETURNS int AS $fn1$ SELECT 1; $fn1$ LANGUAGE sql;SELECT 2",
             {"CREATE FUNCTION f() RETURNS int AS $fn1$ SELECT 1; $fn1$ LANGUAGE sql", "SELECT 2"});
    postgres("dollar tag with underscore and capitals", "SELECT $_Q_1$ ; $q_1$ ; $_Q_1$;SELECT 2", {"SELECT $_Q_1$ ; $q_1$ ; $_Q_1$", "SELECT 2"});
    postgres("nested dollar quotes", "DO $outer$ BEGIN EXECUTE $inner$ SELECT 1; $inner$; END $outer$;SELECT 2",
             {"DO $outer$ BEGIN EXECUTE $inner$ SELECT 1; $inner$; END $outer$", "SELECT 2"});
    postgres("quotes and comments inside a dollar quote", "SELECT $$ ' \" /* -- ; $$;SELECT 2", {"SELECT $$ ' \" /* -- ; $$", "SELECT 2"});
    postgres("unterminated dollar quote runs to the end", "SELECT $x$ abc; SELECT 2", {"SELECT $x$ abc; SELECT 2"});
    postgres("positional parameter is no quote", "SELECT $1; SELECT $2$3", {"SELECT $1", "SELECT $2$3"});
    postgres("dollar inside an identifier is no quote", "SELECT a$b$ FROM t;SELECT 2$", {"SELECT a$b$ FROM t", "SELECT 2$"});
    postgres("brackets are array subscripts", "SELECT a[1] FROM t;SELECT '[';SELECT 2", {"SELECT a[1] FROM t", "SELECT '['", "SELECT 2"});
    postgres("backticks are no quotes", "SELECT 1 `;SELECT 2`", {"SELECT 1 `", "SELECT 2`"});
    postgres("semicolons inside parentheses", "CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2));"
             "SELECT 1",
             {"CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2))", "SELECT 1"});
    postgres("BEGIN ATOMIC function body", "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END;SELECT 3",
             {"CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END", "SELECT 3"});
    postgres("BEGIN ATOMIC procedure with CASE", "create or replace procedure p(a int) language sql begin atomic "
             "insert into t values (case when a > 0 then 1 end); update t set x = case when x > 0 then 0 else 1 end; end;select 1",
             {"create or replace procedure p(a int) language sql begin atomic insert into t values (case when a > 0 then 1 end); "
              "update t set x = case when x > 0 then 0 else 1 end; end", "select 1"});
    postgres("plpgsql body in dollar quotes", "CREATE FUNCTION f() RETURNS trigger AS $$ BEGIN RETURN NEW; END; $$ LANGUAGE plpgsql;SELECT 1",
             {"CREATE FUNCTION f() RETURNS trigger AS $$ BEGIN RETURN NEW; END; $$ LANGUAGE plpgsql", "SELECT 1"});
    postgres("a trigger has no body", "CREATE TRIGGER tr AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION f();SELECT 1",
             {"CREATE TRIGGER tr AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION f()", "SELECT 1"});
    postgres("a table is no routine", "CREATE TABLE t (x INT); BEGIN; SELECT 1; END;", {"CREATE TABLE t (x INT)", "BEGIN", "SELECT 1", "END"});
    postgres("quoted identifier with ; and E", "SELECT \"E\"'x\\';SELECT 2", {"SELECT \"E\"'x\\'", "SELECT 2"});
}

} // namespace

void tst_SqlSplitter::splits_data()
{
    addSplitRows(false);
}

void tst_SqlSplitter::sqliteRowsAgreeWithSqlite3Complete_data()
{
    addSplitRows(true);
}

void tst_SqlSplitter::splits()
{
    QFETCH(QString, script);
    QFETCH(bool, postgres);
    QFETCH(QStringList, statements);
    QCOMPARE(split(script, postgres), statements);
}

// Each statement, with a ';' on a line of its own, is complete for sqlite3_complete(), and no shorter prefix of it
// ending in ';' is: the shell would end it exactly where the splitter does.
void tst_SqlSplitter::sqliteRowsAgreeWithSqlite3Complete()
{
    QFETCH(QString, script);
    const QStringList statements = split(script, false);
    for (qsizetype n = 0; n < statements.size(); ++n) {
        const QString &s = statements.at(n);
        const bool last = n == statements.size() - 1;
        const bool complete = sqlite3_complete((s + QStringLiteral("\n;")).toUtf8().constData());
        if (!last || script.trimmed().endsWith(QLatin1Char(';')))
            QVERIFY2(complete, qPrintable(s));
        for (qsizetype i = 0; i < s.size(); ++i) {
            if (s.at(i) == QLatin1Char(';'))
                QVERIFY2(!sqlite3_complete(s.left(i + 1).toUtf8().constData()), qPrintable(s.left(i + 1)));
        }
    }
}

void tst_SqlSplitter::reportsStatementLines()
{
    const auto statements = SqlSplitter::split(QStringLiteral("-- c\n\nSELECT 1;\n/* x\ny */\nSELECT\n2;\nSELECT 'a\nb'; SELECT 4;\n"
                                                              "CREATE TRIGGER t AFTER INSERT ON a BEGIN\nSELECT 1;\nEND;\r\nSELECT 6"));
    QCOMPARE(statements.size(), 6);
    QCOMPARE(statements.at(0).line, 3);
    QCOMPARE(statements.at(1).line, 6);
    QCOMPARE(statements.at(2).line, 8);
    QCOMPARE(statements.at(3).line, 9);
    QCOMPARE(statements.at(4).line, 10);
    QCOMPARE(statements.at(5).line, 13);
    const auto pg = SqlSplitter::split(QStringLiteral("/* a\n/* b\n*/\n*/ SELECT $$\n;\n$$;\nSELECT E'\\\n';\nSELECT 3"),
                                       SqlSplitter::Dialect::Postgres);
    QCOMPARE(pg.size(), 3);
    QCOMPARE(pg.at(0).line, 4);
    QCOMPARE(pg.at(1).line, 7);
    QCOMPARE(pg.at(2).line, 9);
}

void tst_SqlSplitter::marksTopLevelTransactionControl_data()
{
    QTest::addColumn<QString>("script");
    QTest::addColumn<bool>("postgres");
    QTest::addColumn<QList<bool>>("control");
    QTest::newRow("sqlite") << "BEGIN; begin immediate; COMMIT; END TRANSACTION; ROLLBACK TO s; SAVEPOINT s; RELEASE s; SELECT 1;"
                               " /* c */ Commit; START TRANSACTION; ABORT"
                            << false << QList<bool>{true, true, true, true, true, true, true, false, true, false, false};
    QTest::newRow("sqlite trigger body") << "CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; END; END" << false
                                         << QList<bool>{false, true};
    QTest::newRow("sqlite quoted word") << "\"BEGIN\"; 'COMMIT'; [END]; PRAGMA foreign_keys = OFF; VACUUM" << false
                                        << QList<bool>{false, false, false, false, false};
    QTest::newRow("postgres") << "START TRANSACTION; ABORT; PREPARE TRANSACTION 'x'; PREPARE q AS SELECT 1; COMMIT PREPARED 'x';"
                                 " SET TRANSACTION READ ONLY; BEGIN; END"
                              << true << QList<bool>{true, true, true, false, true, false, true, true};
    QTest::newRow("postgres bodies") << "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END; "
                                        "DO $$ BEGIN COMMIT; END $$; CREATE PROCEDURE p() LANGUAGE sql AS 'COMMIT'"
                                     << true << QList<bool>{false, false, false};
}

void tst_SqlSplitter::marksTopLevelTransactionControl()
{
    QFETCH(QString, script);
    QFETCH(bool, postgres);
    QFETCH(QList<bool>, control);
    QList<bool> got;
    for (const SqlStatement &s : SqlSplitter::split(script, postgres ? SqlSplitter::Dialect::Postgres : SqlSplitter::Dialect::Sqlite))
        got << s.transactionControl;
    QCOMPARE(got, control);
}

void tst_SqlSplitter::reportsLeadingWords()
{
    const auto statements = SqlSplitter::split(QStringLiteral("/* x */ pragma main.foreign_keys=off; Vacuum;"
                                                              " \"t\" ; create temp trigger t after insert on a begin select 1; end"));
    QCOMPARE(statements.size(), 4);
    QCOMPARE(statements.at(0).leadingWords, (QStringList{"PRAGMA", "MAIN", "FOREIGN_KEYS", "OFF"}));
    QCOMPARE(statements.at(1).leadingWords, QStringList{"VACUUM"});
    QCOMPARE(statements.at(2).leadingWords, QStringList{});
    QCOMPARE(statements.at(3).leadingWords, (QStringList{"CREATE", "TEMP", "TRIGGER", "T"}));
}

void tst_SqlSplitter::appliesOnTheDatabase_data()
{
    QTest::addColumn<bool>("postgres");
    QTest::addColumn<QString>("script");
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("expected");
    QTest::newRow("sqlite: trigger setting a column called end")
        << false
        << "CREATE TABLE span (id INTEGER PRIMARY KEY, \"end\" INTEGER);\n"
           "CREATE TRIGGER t AFTER INSERT ON span BEGIN UPDATE span SET end = 1; END;\n"
           "CREATE TRIGGER u AFTER UPDATE OF \"end\" ON span WHEN new.end = 1 BEGIN\n"
           "  INSERT INTO span (\"end\") SELECT CASE WHEN count(*) < 2 THEN 2 END AS end FROM span WHERE end = 1;\n"
           "END;\n"
           "INSERT INTO span (id) VALUES (1);"
        << "SELECT group_concat(\"end\", ',') FROM (SELECT \"end\" FROM span ORDER BY id)" << "1,2";
    QTest::newRow("sqlite: quoted ; everywhere")
        << false
        << "CREATE TABLE [a;b] (`c;d` TEXT, \"e;f\" TEXT); -- ;\n/* ; */ INSERT INTO [a;b] VALUES ('x;y', 'it''s;');"
        << "SELECT `c;d` || \"e;f\" FROM [a;b]" << "x;yit's;";
    QTest::newRow("postgres: nested comments, E strings, $fn1$, BEGIN ATOMIC")
        << true
        << "/* outer /* inner; */ still a comment; */\n"
           "CREATE TABLE notes (id int PRIMARY KEY, body text);\n"
           "INSERT INTO notes VALUES (1, E'it\\'s; fine');\n"
           "CREATE FUNCTION next_id() RETURNS int AS $fn1$ SELECT coalesce(max(id), 0) + 1 FROM notes; $fn1$ LANGUAGE sql;\n"
           "CREATE FUNCTION add_note(b text) RETURNS int LANGUAGE sql\n"
           "BEGIN ATOMIC\n"
           "  INSERT INTO notes VALUES (next_id(), CASE WHEN b = '' THEN 'empty;' ELSE b END);\n"
           "  SELECT max(id) FROM notes;\n"
           "END;\n"
           "SELECT add_note(E'\\\\;');"
        << "SELECT string_agg(body, '|' ORDER BY id) FROM notes" << "it's; fine|\\;";
    QTest::newRow("postgres: rule with two actions, dollar-quoted plpgsql")
        << true
        << "CREATE TABLE a (x int); CREATE TABLE b (x int); CREATE TABLE log (x int);\n"
           "CREATE RULE r AS ON INSERT TO a DO ALSO (INSERT INTO b VALUES (new.x); INSERT INTO log VALUES (new.x));\n"
           "DO $do$ BEGIN EXECUTE $x$ INSERT INTO a VALUES (7); $x$; END $do$;"
        << "SELECT (SELECT count(*) FROM b) + (SELECT sum(x) FROM log)" << "8";
}

void tst_SqlSplitter::appliesOnTheDatabase()
{
    QFETCH(bool, postgres);
    QFETCH(QString, script);
    QFETCH(QString, query);
    QFETCH(QString, expected);
    if (postgres != test::testingPostgres())
        QSKIP(postgres ? "a PostgreSQL row: runs in tst_sqlsplitter@postgres" : "a SQLite row: runs in tst_sqlsplitter");
    DBDECK_SKIP_POSTGRES_RUN_WITHOUT_SERVER();
    QTemporaryDir dir;
    Database db(test::configFor(test::testDatabaseUrl(dir.filePath(QStringLiteral("split.db")))));
    for (const SqlStatement &s : SqlSplitter::split(script, postgres ? SqlSplitter::Dialect::Postgres : SqlSplitter::Dialect::Sqlite))
        db.exec(s.sql);
    QCOMPARE(db.scalar(query).toString(), expected);
}

QTEST_GUILESS_MAIN(tst_SqlSplitter)
#include "tst_sqlsplitter.moc"

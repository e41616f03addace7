#include "migrate/sqlsplitter.h"

#include <QTest>

using namespace dbdeck;

class tst_SqlSplitter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void splits_data();
    void splits();
    void reportsStatementLines();
};

void tst_SqlSplitter::splits_data()
{
    QTest::addColumn<QString>("script");
    QTest::addColumn<bool>("postgres");
    QTest::addColumn<QStringList>("statements");

    QTest::newRow("two statements") << "CREATE TABLE a (x INT);\nCREATE TABLE b (y INT);" << false
                                    << QStringList{"CREATE TABLE a (x INT)", "CREATE TABLE b (y INT)"};
    QTest::newRow("trailing statement without ;") << "SELECT 1;\nSELECT 2\n" << false << QStringList{"SELECT 1", "SELECT 2"};
    QTest::newRow("empty statements") << ";;SELECT 1;;\n;  ;" << false << QStringList{"SELECT 1"};
    QTest::newRow("only comments") << "-- nothing\n/* at all; */\n" << false << QStringList{};
    QTest::newRow("line comment with ;") << "SELECT 1 -- a; b\n;SELECT 2;" << false << QStringList{"SELECT 1 -- a; b", "SELECT 2"};
    QTest::newRow("leading comments dropped") << "-- header; with semicolon\n/* block; */ SELECT 1;" << false
                                              << QStringList{"SELECT 1"};
    QTest::newRow("block comment inside") << "SELECT /* ; */ 1;" << false << QStringList{"SELECT /* ; */ 1"};
    QTest::newRow("string with ;") << "INSERT INTO t VALUES ('a;b');SELECT 2;" << false
                                   << QStringList{"INSERT INTO t VALUES ('a;b')", "SELECT 2"};
    QTest::newRow("string with doubled quote") << "SELECT 'it''s; fine';SELECT 2" << false
                                               << QStringList{"SELECT 'it''s; fine'", "SELECT 2"};
    QTest::newRow("string with -- and /*") << "SELECT '-- not a comment; /* nor this';" << false
                                           << QStringList{"SELECT '-- not a comment; /* nor this'"};
    QTest::newRow("double-quoted identifier") << "CREATE TABLE \"we;ird\"\"name\" (x INT);SELECT 1" << false
                                              << QStringList{"CREATE TABLE \"we;ird\"\"name\" (x INT)", "SELECT 1"};
    QTest::newRow("bracketed identifier") << "SELECT [a;b] FROM t;SELECT 1" << false << QStringList{"SELECT [a;b] FROM t", "SELECT 1"};
    QTest::newRow("backtick identifier") << "SELECT `a;b` FROM t;SELECT 1" << false << QStringList{"SELECT `a;b` FROM t", "SELECT 1"};
    QTest::newRow("trigger body") << "CREATE TRIGGER tr AFTER INSERT ON t BEGIN\n  UPDATE u SET n = n + 1;\n  DELETE FROM v;\nEND;\nSELECT 1;"
                                  << false
                                  << QStringList{"CREATE TRIGGER tr AFTER INSERT ON t BEGIN\n  UPDATE u SET n = n + 1;\n  DELETE FROM v;\nEND",
                                                 "SELECT 1"};
    QTest::newRow("temp trigger with CASE ... END") << "create temp trigger if not exists tr before update on t begin "
                                                       "select case when new.x < 0 then raise(abort, 'neg;') end; end; select 2"
                                                    << false
                                                    << QStringList{"create temp trigger if not exists tr before update on t begin "
                                                                   "select case when new.x < 0 then raise(abort, 'neg;') end; end",
                                                                   "select 2"};
    QTest::newRow("BEGIN outside trigger") << "BEGIN;SELECT 1;END;" << false << QStringList{"BEGIN", "SELECT 1", "END"};
    QTest::newRow("column named begin_at") << "CREATE TABLE t (begin_at TEXT, end_at TEXT);SELECT 1" << false
                                           << QStringList{"CREATE TABLE t (begin_at TEXT, end_at TEXT)", "SELECT 1"};
    QTest::newRow("CRLF") << "SELECT 1;\r\nSELECT 2;\r\n" << false << QStringList{"SELECT 1", "SELECT 2"};
    QTest::newRow("dollar quoting (postgres)") << "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;SELECT 2" << true
                                               << QStringList{"CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql", "SELECT 2"};
    QTest::newRow("tagged dollar quoting (postgres)") << "DO $body$ BEGIN PERFORM 1; END $body$;SELECT 2" << true
                                                      << QStringList{"DO $body$ BEGIN PERFORM 1; END $body$", "SELECT 2"};
    QTest::newRow("positional parameter is not a quote (postgres)") << "SELECT $1; SELECT 2" << true
                                                                    << QStringList{"SELECT $1", "SELECT 2"};
}

void tst_SqlSplitter::splits()
{
    QFETCH(QString, script);
    QFETCH(bool, postgres);
    QFETCH(QStringList, statements);
    QStringList got;
    for (const SqlStatement &s : SqlSplitter::split(script, postgres ? SqlSplitter::Dialect::Postgres : SqlSplitter::Dialect::Sqlite))
        got << s.sql;
    QCOMPARE(got, statements);
}

void tst_SqlSplitter::reportsStatementLines()
{
    const auto statements = SqlSplitter::split(QStringLiteral("-- c\n\nSELECT 1;\n/* x\ny */\nSELECT\n2;\nSELECT 'a\nb'; SELECT 4"));
    QCOMPARE(statements.size(), 4);
    QCOMPARE(statements.at(0).line, 3);
    QCOMPARE(statements.at(1).line, 6);
    QCOMPARE(statements.at(2).line, 8);
    QCOMPARE(statements.at(3).line, 9);
}

QTEST_GUILESS_MAIN(tst_SqlSplitter)
#include "tst_sqlsplitter.moc"

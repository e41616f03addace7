#include "schema/sqllexer.h"

#include <QtTest>

using namespace dbdeck;

class TstSqlLexer : public QObject
{
    Q_OBJECT

private slots:
    void normalize_data();
    void normalize();
    void sameExpression_data();
    void sameExpression();
    void splitStatements();
};

void TstSqlLexer::normalize_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("normalized");
    QTest::newRow("spacing and keywords") << "level  in ( 'a' ,'b' )" << "level IN ('a', 'b')";
    QTest::newRow("function call") << "length( message )<=16384" << "length(message) <= 16384";
    QTest::newRow("comments dropped") << "a /* why */ > -- note\n 1" << "a > 1";
    QTest::newRow("quoted plain name unquoted") << "\"status\" = 'x'" << "status = 'x'";
    QTest::newRow("quoted keyword stays quoted") << "[order] = 1" << "\"order\" = 1";
    QTest::newRow("string kept verbatim") << "x = 'It''s  IN'" << "x = 'It''s  IN'";
    QTest::newRow("postgres cast") << "(level)::text = ANY (ARRAY['a'::text])" << "(level)::text = ANY (ARRAY['a'::text])";
}

void TstSqlLexer::normalize()
{
    QFETCH(QString, text);
    QFETCH(QString, normalized);
    QCOMPARE(SqlLexer::normalize(text), normalized);
}

void TstSqlLexer::sameExpression_data()
{
    QTest::addColumn<QString>("a");
    QTest::addColumn<QString>("b");
    QTest::addColumn<bool>("same");
    QTest::newRow("case of keywords") << "x in (1)" << "X IN (1)" << true;
    QTest::newRow("enclosing parentheses") << "('queued')" << "'queued'" << true;
    QTest::newRow("inner parentheses matter") << "(a) + (b)" << "a) + (b" << false;
    QTest::newRow("string case matters") << "'A'" << "'a'" << false;
    QTest::newRow("different number") << "length(m) <= 16384" << "length(m) <= 1000" << false;
}

void TstSqlLexer::sameExpression()
{
    QFETCH(QString, a);
    QFETCH(QString, b);
    QFETCH(bool, same);
    QCOMPARE(SqlLexer::sameExpression(a, b), same);
}

void TstSqlLexer::splitStatements()
{
    const QStringList parts = SqlLexer::splitStatements(QStringLiteral(
        "CREATE TABLE t (a TEXT DEFAULT ';');\n-- c;\nCREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE t SET a = CASE WHEN 1 THEN 'x;' END; "
        "DELETE FROM t; END;\nCREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$;\nSELECT 2"));
    QCOMPARE(parts.size(), 4);
    QVERIFY(parts.at(1).startsWith(QLatin1String("CREATE TRIGGER")) && parts.at(1).endsWith(QLatin1String("END")));
    QVERIFY(parts.at(2).contains(QLatin1String("$$ SELECT 1; $$")));
    QCOMPARE(parts.at(3), QStringLiteral("SELECT 2"));
}

QTEST_GUILESS_MAIN(TstSqlLexer)
#include "tst_sqllexer.moc"

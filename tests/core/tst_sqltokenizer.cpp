#include "migrate/sqltokenizer.h"

#include <QTest>

using namespace dbdeck;

namespace {

QString kindCode(SqlToken::Kind kind)
{
    switch (kind) {
    case SqlToken::Kind::Word: return QStringLiteral("w");
    case SqlToken::Kind::QuotedIdentifier: return QStringLiteral("q");
    case SqlToken::Kind::String: return QStringLiteral("s");
    case SqlToken::Kind::DollarString: return QStringLiteral("d");
    case SqlToken::Kind::Number: return QStringLiteral("n");
    case SqlToken::Kind::Parameter: return QStringLiteral("p");
    case SqlToken::Kind::Punctuation: return QStringLiteral(".");
    case SqlToken::Kind::Operator: return QStringLiteral("o");
    case SqlToken::Kind::LineComment: return QStringLiteral("c");
    case SqlToken::Kind::BlockComment: return QStringLiteral("b");
    }
    return {};
}

// "kind:text" per token, "!" marking an unterminated one.
QStringList describe(const QList<SqlToken> &tokens)
{
    QStringList result;
    for (const SqlToken &t : tokens)
        result << kindCode(t.kind) + QLatin1Char(':') + t.text + (t.unterminated ? QStringLiteral("!") : QString());
    return result;
}

} // namespace

class tst_SqlTokenizer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void tokens_data();
    void tokens();
    void positions();
    void valuesOfStringsAndIdentifiers_data();
    void valuesOfStringsAndIdentifiers();
};

void tst_SqlTokenizer::tokens_data()
{
    QTest::addColumn<QString>("sql");
    QTest::addColumn<bool>("postgres");
    QTest::addColumn<QStringList>("expected");

    QTest::newRow("words, punctuation, numbers") << "CREATE TABLE t (x INTEGER, y REAL DEFAULT 1.5e3);" << false
        << QStringList{"w:CREATE", "w:TABLE", "w:t", ".:(", "w:x", "w:INTEGER", ".:,", "w:y", "w:REAL", "w:DEFAULT",
                       "n:1.5e3", ".:)", ".:;"};
    QTest::newRow("string with doubled quote and ;") << "SELECT 'it''s; -- not a comment'" << false
        << QStringList{"w:SELECT", "s:'it''s; -- not a comment'"};
    QTest::newRow("quoted identifier with doubled quote") << "\"we\"\"ird\".x" << false
        << QStringList{"q:\"we\"\"ird\"", ".:.", "w:x"};
    QTest::newRow("sqlite brackets and backticks") << "[a b] `c``d`" << false << QStringList{"q:[a b]", "q:`c``d`"};
    QTest::newRow("postgres brackets are subscripts") << "a[1]" << true << QStringList{"w:a", ".:[", "n:1", ".:]"};
    QTest::newRow("line and block comments") << "x -- one ; two\n/* three */ y" << false
        << QStringList{"w:x", "c:-- one ; two", "b:/* three */", "w:y"};
    QTest::newRow("sqlite block comments do not nest") << "/* a /* b */ c */" << false
        << QStringList{"b:/* a /* b */", "w:c", "o:*", "o:/"};
    QTest::newRow("postgres block comments nest") << "/* a /* b */ c */ d" << true << QStringList{"b:/* a /* b */ c */", "w:d"};
    QTest::newRow("dollar quote") << "AS $$ SELECT 'x'; $$;" << true << QStringList{"w:AS", "d:$$ SELECT 'x'; $$", ".:;"};
    QTest::newRow("tagged dollar quote with $$ inside") << "$fn$ a $$ b $fn$ c" << true << QStringList{"d:$fn$ a $$ b $fn$", "w:c"};
    QTest::newRow("postgres positional parameter") << "WHERE id = $1" << true << QStringList{"w:WHERE", "w:id", "o:=", "p:$1"};
    QTest::newRow("sqlite $name is a parameter") << "VALUES ($name, ?, ?2, :x, @y)" << false
        << QStringList{"w:VALUES", ".:(", "p:$name", ".:,", "p:?", ".:,", "p:?2", ".:,", "p::x", ".:,", "p:@y", ".:)"};
    QTest::newRow("postgres casts and operators") << "'{}'::jsonb->>'a' || b <> c" << true
        << QStringList{"s:'{}'", "o:::", "w:jsonb", "o:->>", "s:'a'", "o:||", "w:b", "o:<>", "w:c"};
    QTest::newRow("postgres escape string") << "E'a\\'b' x" << true << QStringList{"s:E'a\\'b'", "w:x"};
    QTest::newRow("sqlite has no backslash escapes") << "'a\\' x" << false << QStringList{"s:'a\\'", "w:x"};
    QTest::newRow("blob literal") << "X'00ff'" << false << QStringList{"s:X'00ff'"};
    QTest::newRow("identifier with $") << "a$b" << true << QStringList{"w:a$b"};
    QTest::newRow("hex number") << "0x1F" << false << QStringList{"n:0x1F"};
    QTest::newRow("unterminated string") << "SELECT 'abc" << false << QStringList{"w:SELECT", "s:'abc!"};
    QTest::newRow("unterminated identifier") << "\"abc" << false << QStringList{"q:\"abc!"};
    QTest::newRow("unterminated block comment") << "x /* y" << false << QStringList{"w:x", "b:/* y!"};
    QTest::newRow("unterminated dollar quote") << "$$ body" << true << QStringList{"d:$$ body!"};
    QTest::newRow("unicode word") << "größe TEXT" << false << QStringList{"w:größe", "w:TEXT"};
}

void tst_SqlTokenizer::tokens()
{
    QFETCH(QString, sql);
    QFETCH(bool, postgres);
    QFETCH(QStringList, expected);
    const auto dialect = postgres ? SqlSplitter::Dialect::Postgres : SqlSplitter::Dialect::Sqlite;
    QCOMPARE(describe(SqlTokenizer::tokenize(sql, dialect)), expected);
}

void tst_SqlTokenizer::positions()
{
    // Columns count characters (a non-BMP character is one), lines start at 1 (or firstLine).
    const QString sql = QStringLiteral("SELECT 'a\nb',\n\t\"x\" /* c\n */ 😀y -- z\n  ;");
    const QList<SqlToken> tokens = SqlTokenizer::tokenize(sql, SqlSplitter::Dialect::Sqlite, 10);
    QStringList where;
    for (const SqlToken &t : tokens)
        where << QStringLiteral("%1@%2:%3+%4").arg(t.text.left(3)).arg(t.position.line).arg(t.position.column).arg(t.offset);
    QCOMPARE(where, (QStringList{"SEL@10:1+0", "'a\n@10:8+7", ",@11:3+12", "\"x\"@12:2+15", "/* @12:6+19", "😀y@13:5+28",
                                 "-- @13:8+32", ";@14:3+39"}));
}

void tst_SqlTokenizer::valuesOfStringsAndIdentifiers_data()
{
    QTest::addColumn<QString>("sql");
    QTest::addColumn<bool>("postgres");
    QTest::addColumn<QString>("value");

    QTest::newRow("unquoted identifier folds to lower case") << "Runs" << false << "runs";
    QTest::newRow("quoted identifier keeps case") << "\"Ru\"\"ns\"" << false << "Ru\"ns";
    QTest::newRow("bracketed identifier") << "[My Table]" << false << "My Table";
    QTest::newRow("backtick identifier") << "`a``b`" << false << "a`b";
    QTest::newRow("string") << "'it''s'" << false << "it's";
    QTest::newRow("prefixed string") << "N'x'" << false << "x";
    QTest::newRow("dollar string") << "$t$ a'b $t$" << true << " a'b ";
}

void tst_SqlTokenizer::valuesOfStringsAndIdentifiers()
{
    QFETCH(QString, sql);
    QFETCH(bool, postgres);
    QFETCH(QString, value);
    const QList<SqlToken> tokens = SqlTokenizer::tokenize(sql, postgres ? SqlSplitter::Dialect::Postgres : SqlSplitter::Dialect::Sqlite);
    QCOMPARE(tokens.size(), 1);
    const SqlToken &t = tokens.first();
    QCOMPARE(t.isName() ? t.identifier() : t.stringValue(), value);
}

QTEST_GUILESS_MAIN(tst_SqlTokenizer)
#include "tst_sqltokenizer.moc"

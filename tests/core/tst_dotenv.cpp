#include "config/dotenv.h"
#include "db/errors.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace dbdeck;

class tst_DotEnv : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parsesValues_data();
    void parsesValues();
    void reportsMalformedLines_data();
    void reportsMalformedLines();
    void keepsLineNumbersAndHandlesBomAndCrlf();
    void refusesUnreadableFile();
};

void tst_DotEnv::parsesValues_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("value");

    QTest::newRow("plain") << "DB_URL=sqlite:///a.db" << "DB_URL" << "sqlite:///a.db";
    QTest::newRow("spaces around =") << "  ECHO_SQL =  true  " << "ECHO_SQL" << "true";
    QTest::newRow("export") << "export APP_ENV=staging" << "APP_ENV" << "staging";
    QTest::newRow("single quotes literal") << "X='a \\n #b'" << "X" << "a \\n #b";
    QTest::newRow("double quotes escapes") << "X=\"a\\nb \\\"q\\\" \\\\\"" << "X" << "a\nb \"q\" \\";
    QTest::newRow("inline comment") << "X=value # comment" << "X" << "value";
    QTest::newRow("hash inside value") << "X=pa#ss" << "X" << "pa#ss";
    QTest::newRow("quoted then comment") << "X=\"v\" # c" << "X" << "v";
    QTest::newRow("empty value") << "X=" << "X" << "";
    QTest::newRow("lower-case name") << "db_url=sqlite://" << "db_url" << "sqlite://";
    QTest::newRow("comments and blanks") << "# header\n\n  # indented\nX=1" << "X" << "1";
}

void tst_DotEnv::parsesValues()
{
    QFETCH(QString, text);
    QFETCH(QString, key);
    QFETCH(QString, value);
    const auto entries = DotEnv::parse(text, QStringLiteral("test.env"));
    QCOMPARE(entries.size(), 1);
    QCOMPARE(entries.first().key, key);
    QCOMPARE(entries.first().value, value);
}

void tst_DotEnv::reportsMalformedLines_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    QTest::newRow("no equals") << "A=1\nJUSTTEXT" << "test.env:2: malformed line \"JUSTTEXT\": expected NAME=value";
    QTest::newRow("bad name") << "1X=2" << "test.env:1: malformed line \"1X=2\"";
    QTest::newRow("unclosed quote") << "\nX=\"abc" << "test.env:2: malformed line \"X=\"abc\": the value's closing \" quote is missing";
    QTest::newRow("text after quote") << "X='a' b" << "test.env:1: malformed line \"X='a' b\": text after the closing quote";
    QTest::newRow("password redacted") << "DB_URL postgresql://u:secret@h/d"
                                       << "test.env:1: malformed line \"DB_URL postgresql://u:***@h/d\"";
}

void tst_DotEnv::reportsMalformedLines()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    try {
        DotEnv::parse(text, QStringLiteral("test.env"));
        QFAIL("no ConfigError");
    } catch (const ConfigError &error) {
        QVERIFY2(error.message().startsWith(expected), qPrintable(error.message()));
        QVERIFY(!error.message().contains(QLatin1String("secret")));
    }
}

void tst_DotEnv::keepsLineNumbersAndHandlesBomAndCrlf()
{
    const QString text = QStringLiteral("\uFEFF# comment\r\nA=1\r\n\r\nB = 'two'\r\n");
    const auto entries = DotEnv::parse(text, QStringLiteral("x"));
    QCOMPARE(entries.size(), 2);
    QCOMPARE(entries.at(0).key, QStringLiteral("A"));
    QCOMPARE(entries.at(0).value, QStringLiteral("1"));
    QCOMPARE(entries.at(0).line, 2);
    QCOMPARE(entries.at(1).value, QStringLiteral("two"));
    QCOMPARE(entries.at(1).line, 4);
}

void tst_DotEnv::refusesUnreadableFile()
{
    QTemporaryDir dir;
    const QString folder = dir.filePath(QStringLiteral(".env"));
    QVERIFY(QDir().mkpath(folder));
    QVERIFY_THROWS_EXCEPTION(ConfigError, DotEnv::readFile(folder));
    try {
        DotEnv::readFile(folder);
    } catch (const ConfigError &error) {
        QCOMPARE(error.message(), QStringLiteral("cannot read .env file %1: it is a folder").arg(folder));
    }
    try {
        DotEnv::readFile(dir.filePath(QStringLiteral("missing.env")));
        QFAIL("no ConfigError");
    } catch (const ConfigError &error) {
        QVERIFY2(error.message().startsWith(QStringLiteral("cannot read .env file %1").arg(dir.filePath(QStringLiteral("missing.env")))),
                 qPrintable(error.message()));
    }
}

QTEST_GUILESS_MAIN(tst_DotEnv)
#include "tst_dotenv.moc"

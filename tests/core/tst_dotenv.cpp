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
    void skipsWhatPythonDotenvSkips_data();
    void skipsWhatPythonDotenvSkips();
    void skippedStatementNeverShowsPassword();
    void keepsLineNumbersAndHandlesCrlf();
    void interpolatesAsPythonDotenv_data();
    void interpolatesAsPythonDotenv();
    void refusesWhatIsNotAFile();
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
    QTest::newRow("single quotes \\'") << "X='it\\'s'" << "X" << "it's";
    QTest::newRow("double quotes escapes") << "X=\"a\\nb \\\"q\\\" \\\\ \\a\\x\"" << "X" << "a\nb \"q\" \\ \a\\x";
    QTest::newRow("multi-line") << "X=\"one\ntwo\"" << "X" << "one\ntwo";
    QTest::newRow("inline comment") << "X=value # comment" << "X" << "value";
    QTest::newRow("hash inside value") << "X=pa#ss" << "X" << "pa#ss";
    QTest::newRow("empty value") << "X=" << "X" << "";
    QTest::newRow("quoted key") << "'X'=1" << "X" << "1";
    QTest::newRow("name starting with a digit") << "1X=2" << "1X" << "2";
    QTest::newRow("BOM kept in the name") << "\uFEFFX=1" << "\uFEFFX" << "1";
}

void tst_DotEnv::parsesValues()
{
    QFETCH(QString, text);
    QFETCH(QString, key);
    QFETCH(QString, value);
    const auto file = DotEnv::parse(text, QStringLiteral("test.env"));
    QCOMPARE(file.entries.size(), 1);
    QCOMPARE(file.entries.first().key, key);
    QCOMPARE(file.entries.first().value.value_or(QStringLiteral("<none>")), value);
    QVERIFY(file.warnings.isEmpty());
}

void tst_DotEnv::skipsWhatPythonDotenvSkips_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("warning"); // empty: no warning
    QTest::addColumn<QString>("next");    // the value of B, read after it
    QTest::newRow("text after the name") << "not a line\nB=1" << "test.env:1: skipped a statement" << "1";
    QTest::newRow("unclosed quote") << "A=\"abc\nB=2" << "test.env:1: skipped a statement" << "2";
    QTest::newRow("text after quote") << "A='a' b\nB=3" << "test.env:1: skipped a statement" << "3";
    QTest::newRow("name without =") << "A\nB=4" << "" << "4";
}

void tst_DotEnv::skipsWhatPythonDotenvSkips()
{
    QFETCH(QString, text);
    QFETCH(QString, warning);
    QFETCH(QString, next);
    const auto file = DotEnv::parse(text, QStringLiteral("test.env"));
    QCOMPARE(file.entries.last().key, QStringLiteral("B"));
    QCOMPARE(*file.entries.last().value, next);
    if (warning.isEmpty()) {
        QVERIFY(file.warnings.isEmpty());
        QCOMPARE(file.entries.first().value, std::nullopt); // "A" alone: a name without a value
    } else {
        QCOMPARE(file.warnings.size(), 1);
        QVERIFY2(file.warnings.first().startsWith(warning), qPrintable(file.warnings.first()));
    }
}

void tst_DotEnv::skippedStatementNeverShowsPassword()
{
    // Cut at 80 characters after redaction: the password is masked, never shown up to the cut.
    const QString line = QStringLiteral("DB_URL \"postgresql+psycopg://a_rather_long_user_name:Sup3rS3cretPassw0rd@db.internal/app");
    const auto file = DotEnv::parse(line, QStringLiteral("test.env"));
    QCOMPARE(file.warnings.size(), 1);
    QVERIFY2(!file.warnings.first().contains(QLatin1String("Sup3r")), qPrintable(file.warnings.first()));
    QVERIFY(file.warnings.first().contains(QLatin1String("a_rather_long_user_name:***")));
    const auto cut = DotEnv::parse(QStringLiteral("DB_URL postgresql://u:") + QString(120, QLatin1Char('x')) + QStringLiteral("@h/d"),
                                   QStringLiteral("test.env"));
    QVERIFY2(!cut.warnings.first().contains(QLatin1String("xxxx")), qPrintable(cut.warnings.first()));
}

void tst_DotEnv::keepsLineNumbersAndHandlesCrlf()
{
    const QString text = QStringLiteral("# comment\r\nA=1\r\n\r\nB = 'two'\r\nC=\"x\ny\"\nD=4");
    const auto entries = DotEnv::parse(text, QStringLiteral("x")).entries;
    QCOMPARE(entries.size(), 4);
    QCOMPARE(entries.at(0).line, 2);
    QCOMPARE(entries.at(1).value.value(), QStringLiteral("two"));
    QCOMPARE(entries.at(1).line, 4);
    QCOMPARE(entries.at(2).line, 5);
    QCOMPARE(entries.at(3).line, 7);
}

void tst_DotEnv::interpolatesAsPythonDotenv_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("environment"); // NAME=value
    QTest::addColumn<QString>("expected");    // the last entry's value
    QTest::newRow("from the file") << "DATA=/srv\nX=${DATA}/app.db" << "" << "/srv/app.db";
    QTest::newRow("from the environment") << "X=${DATA}/app.db" << "DATA=/env" << "/env/app.db";
    QTest::newRow("file wins") << "DATA=/file\nX=${DATA}" << "DATA=/env" << "/file";
    QTest::newRow("default") << "X=${NOPE:-/dflt}" << "" << "/dflt";
    QTest::newRow("empty variable keeps empty") << "X=${DATA:-/dflt}" << "DATA=" << "";
    QTest::newRow("single quotes expand too") << "DATA=d\nX='${DATA}'" << "" << "d";
    QTest::newRow("no braces, no expansion") << "DATA=d\nX=$DATA" << "" << "$DATA";
    QTest::newRow("nested default is text") << "X=${A:-${B}}" << "B=b" << "${B}";
    QTest::newRow("name without value is empty") << "DATA\nX=${DATA}" << "DATA=env" << "";
}

void tst_DotEnv::interpolatesAsPythonDotenv()
{
    QFETCH(QString, text);
    QFETCH(QString, environment);
    QFETCH(QString, expected);
    QProcessEnvironment env;
    if (!environment.isEmpty())
        env.insert(environment.section(QLatin1Char('='), 0, 0), environment.section(QLatin1Char('='), 1));
    const auto entries = DotEnv::interpolate(DotEnv::parse(text, QStringLiteral("x")).entries, env);
    QCOMPARE(entries.last().value.value(), expected);
}

void tst_DotEnv::refusesWhatIsNotAFile()
{
    QTemporaryDir dir;
    const QString folder = dir.filePath(QStringLiteral(".env"));
    QVERIFY(QDir().mkpath(folder));
    try {
        DotEnv::readFile(folder);
        QFAIL("no ConfigError");
    } catch (const ConfigError &error) {
        QCOMPARE(error.message(), QStringLiteral("cannot read .env file %1: it is a folder").arg(folder));
    }
    const QString dangling = dir.filePath(QStringLiteral("dangling.env"));
    QVERIFY(QFile::link(dir.filePath(QStringLiteral("gone.env")), dangling));
    try {
        DotEnv::readFile(dangling);
        QFAIL("no ConfigError");
    } catch (const ConfigError &error) {
        QVERIFY2(error.message().contains(QStringLiteral("%1: it is a symbolic link to %2, which does not exist")
                                              .arg(dangling, dir.filePath(QStringLiteral("gone.env")))),
                 qPrintable(error.message()));
    }
    const QString latin1 = dir.filePath(QStringLiteral("latin1.env"));
    QFile file(latin1);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("A=1\nAPP_ENV=caf\xe9\n");
    file.close();
    try {
        DotEnv::readFile(latin1);
        QFAIL("no ConfigError");
    } catch (const ConfigError &error) {
        QVERIFY2(error.message().contains(QStringLiteral("line 2 is not UTF-8 (byte offset 15)")), qPrintable(error.message()));
    }
}

QTEST_GUILESS_MAIN(tst_DotEnv)
#include "tst_dotenv.moc"

#include "config/dbconfig.h"
#include "db/errors.h"
#include "migrate/lintsuppressions.h"

#include "testsupport.h"

#include <QTest>

using namespace dbdeck;

class tst_LintSuppressions : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void comments_data();
    void comments();
    void projectSetting();
    void badProjectEntries_data();
    void badProjectEntries();
    void settingComesThroughDbConfig();
};

void tst_LintSuppressions::comments_data()
{
    QTest::addColumn<QString>("comment");
    QTest::addColumn<bool>("present");
    QTest::addColumn<QStringList>("rules");

    QTest::newRow("one rule") << "-- dbdeck:ignore pg-index-not-concurrent" << true << QStringList{"pg-index-not-concurrent"};
    QTest::newRow("two rules and a reason") << "-- dbdeck:ignore destructive-drop-table, rename-table contract step of 0005"
                                            << true << QStringList{"destructive-drop-table", "rename-table"};
    QTest::newRow("reason after a colon") << "-- dbdeck:ignore missing-down: cannot be undone" << true << QStringList{"missing-down"};
    QTest::newRow("block comment") << "/* dbdeck:ignore portable-type */" << true << QStringList{"portable-type"};
    QTest::newRow("upper case is the same id") << "-- DBDECK:IGNORE Portable-Type" << true << QStringList{"portable-type"};
    QTest::newRow("marker without rules") << "-- dbdeck:ignore" << true << QStringList{};
    QTest::newRow("not the marker") << "-- dbdeck:ignored portable-type" << false << QStringList{};
    QTest::newRow("plain comment") << "-- add the index" << false << QStringList{};
}

void tst_LintSuppressions::comments()
{
    QFETCH(QString, comment);
    QFETCH(bool, present);
    QFETCH(QStringList, rules);
    const LintSuppressions::CommentIgnore ignore = LintSuppressions::parseComment(comment);
    QCOMPARE(ignore.present, present);
    QCOMPARE(ignore.rules, rules);
}

void tst_LintSuppressions::projectSetting()
{
    const LintSuppressions s = LintSuppressions::fromSetting(
        QStringLiteral(" pg-lock-timeout-missing , 0003:destructive-drop-column,0004:*"), QStringLiteral("environment"));
    QVERIFY(s.suppresses(QStringLiteral("pg-lock-timeout-missing"), 1));
    QVERIFY(s.suppresses(QStringLiteral("pg-lock-timeout-missing"), 9));
    QVERIFY(s.suppresses(QStringLiteral("destructive-drop-column"), 3));
    QVERIFY(!s.suppresses(QStringLiteral("destructive-drop-column"), 2));
    QVERIFY(s.suppresses(QStringLiteral("missing-down"), 4));
    QVERIFY(!s.suppresses(QStringLiteral("missing-down"), 5));
    QVERIFY(LintSuppressions::fromSetting(QString(), QStringLiteral("default")).isEmpty());
}

void tst_LintSuppressions::badProjectEntries_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("why");

    QTest::newRow("unknown rule") << "pg-index-not-concurrent,no-such-rule" << "bad entry \"no-such-rule\": there is no rule \"no-such-rule\"";
    QTest::newRow("unknown rule in a version") << "0003:typo" << "bad entry \"0003:typo\": there is no rule \"typo\"";
    QTest::newRow("star without a version") << "*" << "\"*\" needs a migration version";
    QTest::newRow("not an entry") << "0003:" << "it is not of the form rule-id, NNNN:rule-id or NNNN:*";
    QTest::newRow("spaces inside") << "pg index" << "it is not of the form";
}

void tst_LintSuppressions::badProjectEntries()
{
    QFETCH(QString, value);
    QFETCH(QString, why);
    try {
        LintSuppressions::fromSetting(value, QStringLiteral(".env /p/.env:4"));
        QFAIL("no ConfigError");
    } catch (const ConfigError &e) {
        QVERIFY2(e.message().startsWith(QStringLiteral("LINT_IGNORE from .env /p/.env:4 has a bad entry")), qPrintable(e.message()));
        QVERIFY2(e.message().contains(why), qPrintable(e.message()));
        QVERIFY(e.message().contains(QStringLiteral("dbdeck-cli lint --rules")));
    }
}

void tst_LintSuppressions::settingComesThroughDbConfig()
{
    const DbConfig none = test::configFor(QStringLiteral("sqlite:///:memory:"));
    QCOMPARE(none.lintIgnore(), QString());
    QVERIFY(LintSuppressions::fromConfig(none).isEmpty());

    ConfigInputs inputs;
    inputs.readDotEnv = false;
    inputs.environment = QProcessEnvironment();
    inputs.environment.insert(QStringLiteral("LINT_IGNORE"), QStringLiteral(" missing-down ,, 0002:* "));
    const DbConfig config = DbConfig::load(inputs);
    QCOMPARE(config.lintIgnore(), QStringLiteral("missing-down,0002:*"));
    const LintSuppressions s = LintSuppressions::fromConfig(config);
    QVERIFY(s.suppresses(QStringLiteral("missing-down"), 7));
    QVERIFY(s.suppresses(QStringLiteral("portable-type"), 2));

    inputs.environment.insert(QStringLiteral("LINT_IGNORE"), QStringLiteral("missng-down"));
    try {
        LintSuppressions::fromConfig(DbConfig::load(inputs));
        QFAIL("no ConfigError");
    } catch (const ConfigError &e) {
        QVERIFY2(e.message().startsWith(QStringLiteral("LINT_IGNORE from environment has a bad entry \"missng-down\"")),
                 qPrintable(e.message()));
    }
}

QTEST_GUILESS_MAIN(tst_LintSuppressions)
#include "tst_lintsuppressions.moc"

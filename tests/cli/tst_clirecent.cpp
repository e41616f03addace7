#include "clirunner.h"
#include "migrateddb.h"
#include "pgtestdatabase.h"

#include <QTemporaryDir>
#include <QTest>

using dbdeck::test::CliResult;
using dbdeck::test::runCli;

// dbdeck-cli recent runs|events: the newest first (a run's oldest with --oldest), what they
// are out of, and a bad option value refused with exit code 2.
class tst_CliRecent : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void aRunsNewestEventsComeFirst();
    void oldestGivesARunsFirstEvents();
    void machineFormatsHaveNoFooter();
    void badOptionValuesExit2_data();
    void badOptionValuesExit2();

private:
    QStringList withUrl(const QStringList &args) const
    {
        return m_pg ? args + QStringList{QStringLiteral("--db-url"), m_pg->url()} : args;
    }
    CliResult cli(const QStringList &args, const QByteArray &input = {}) { return runCli(m_dir->path(), withUrl(args), {}, {}, input); }
    QStringList column(const QString &table, int index) const;

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<dbdeck::test::PgTestDatabase> m_pg;
};

void tst_CliRecent::initTestCase()
{
    DBDECK_SKIP_POSTGRES_RUN_WITHOUT_SERVER();
}

void tst_CliRecent::init()
{
    m_pg.reset();
    if (dbdeck::test::testingPostgres())
        m_pg = std::make_unique<dbdeck::test::PgTestDatabase>(QStringLiteral("dbdeck_clirecent"));
    m_dir = std::make_unique<QTemporaryDir>();
    QCOMPARE(cli({QStringLiteral("upgrade"), QStringLiteral("--migrations"), QStringLiteral(DBDECK_SOURCE_DIR "/migrations")}).exitCode, 0);
    QByteArray feed = "{\"type\":\"run\",\"id\":\"r1\",\"kind\":\"ingest\"}\n";
    for (int seq = 1; seq <= 30; ++seq)
        feed += QStringLiteral("{\"type\":\"event\",\"id\":\"e%1\",\"run_id\":\"r1\",\"seq\":%1,\"kind\":\"log\",\"message\":\"step %1\"}\n").arg(seq).toUtf8();
    QCOMPARE(cli({QStringLiteral("ingest"), QStringLiteral("-")}, feed).exitCode, 0);
}

QStringList tst_CliRecent::column(const QString &table, int index) const
{
    QStringList values;
    const QStringList lines = table.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    for (const QString &line : lines.mid(1)) {
        if (!line.startsWith(QLatin1Char('(')))
            values << line.split(QLatin1Char(' '), Qt::SkipEmptyParts).value(index);
    }
    return values;
}

void tst_CliRecent::aRunsNewestEventsComeFirst()
{
    const CliResult r = cli({QStringLiteral("recent"), QStringLiteral("events"), QStringLiteral("--run"), QStringLiteral("r1"), QStringLiteral("--limit"), QStringLiteral("5")});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(column(r.out, 3), (QStringList{QStringLiteral("30"), QStringLiteral("29"), QStringLiteral("28"), QStringLiteral("27"), QStringLiteral("26")}));
    QVERIFY2(r.out.endsWith(QStringLiteral("(newest 5 of 30 events of run r1 (--limit for more, --oldest for the first))\n")), qPrintable(r.out));
}

void tst_CliRecent::oldestGivesARunsFirstEvents()
{
    CliResult r = cli({QStringLiteral("recent"), QStringLiteral("events"), QStringLiteral("--run"), QStringLiteral("r1"), QStringLiteral("--limit"),
                       QStringLiteral("3"), QStringLiteral("--oldest")});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(column(r.out, 3), (QStringList{QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("3")}));
    QVERIFY(r.out.endsWith(QStringLiteral("(first 3 of 30 events of run r1 (--limit for more))\n")));
    r = cli({QStringLiteral("recent"), QStringLiteral("events"), QStringLiteral("--oldest")});
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.err.contains(QStringLiteral("--oldest needs --run")));
}

void tst_CliRecent::machineFormatsHaveNoFooter()
{
    CliResult r = cli({QStringLiteral("recent"), QStringLiteral("events"), QStringLiteral("--run"), QStringLiteral("r1"), QStringLiteral("--limit"),
                       QStringLiteral("2"), QStringLiteral("--format"), QStringLiteral("csv")});
    QCOMPARE(r.out.count(QStringLiteral("\r\n")), 3);
    QVERIFY(r.out.contains(QStringLiteral(",r1,30,info,log,step 30\r\n")));
    QVERIFY(!r.out.contains(QStringLiteral("newest")));
    r = cli({QStringLiteral("recent"), QStringLiteral("events"), QStringLiteral("--run"), QStringLiteral("r1"), QStringLiteral("--limit"),
             QStringLiteral("2"), QStringLiteral("--format"), QStringLiteral("json")});
    QVERIFY(r.out.startsWith(QStringLiteral("[{")));
    QVERIFY(r.out.endsWith(QStringLiteral("}]\n")));
    QVERIFY(r.out.indexOf(QStringLiteral("\"seq\":30")) < r.out.indexOf(QStringLiteral("\"seq\":29")));
}

void tst_CliRecent::badOptionValuesExit2_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("status") << QStringList{QStringLiteral("runs"), QStringLiteral("--status"), QStringLiteral("borked")}
                            << QStringLiteral("--status \"borked\" is not allowed; allowed: queued, running, succeeded, failed, cancelled");
    QTest::newRow("level") << QStringList{QStringLiteral("events"), QStringLiteral("--level"), QStringLiteral("loud")}
                           << QStringLiteral("--level \"loud\" is not allowed; allowed: debug, info, warning, error");
    QTest::newRow("limit") << QStringList{QStringLiteral("runs"), QStringLiteral("--limit"), QStringLiteral("0")}
                           << QStringLiteral("--limit must be a whole number from 1 to 100000");
    QTest::newRow("format") << QStringList{QStringLiteral("runs"), QStringLiteral("--format"), QStringLiteral("xml")}
                            << QStringLiteral("--format xml is not supported here; allowed: table, json, csv");
}

void tst_CliRecent::badOptionValuesExit2()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const CliResult r = cli(QStringList{QStringLiteral("recent")} + args);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(message), qPrintable(r.err));
    QVERIFY(r.out.isEmpty());
}

QTEST_GUILESS_MAIN(tst_CliRecent)
#include "tst_clirecent.moc"

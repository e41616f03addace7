#include "clirunner.h"
#include "migrateddb.h"
#include "pgtestdatabase.h"
#include "db/database.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using dbdeck::test::CliResult;
using dbdeck::test::runCli;

class tst_CliData : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void ingestFileTwiceAddsOnce();
    void ingestFromStandardInput();
    void badLinesExitWithCode5AndLineNumbers();
    void sampleDataAndRecent();
    void recentNeedsWhat();
    void countsToTerminalAndFile();
    void healthReportsAndExitCode();
    void resetNeedsTheVariableAndTheName();

private:
    // On the PostgreSQL run (DBDECK_TEST_BACKEND=postgres) every command gets --db-url.
    QStringList withUrl(const QStringList &args) const { return m_pg ? args + QStringList{QStringLiteral("--db-url"), m_pg->url()} : args; }
    CliResult cli(const QStringList &args, const QByteArray &input = {})
    {
        return runCli(m_dir->path(), withUrl(args), {}, {}, input);
    }
    QString databaseUrl() const { return m_pg ? m_pg->url() : QStringLiteral("sqlite:///%1/data/app.db").arg(m_dir->path()); }
    QString databaseName() const { return m_pg ? m_pg->name() : QStringLiteral("app"); }
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<dbdeck::test::PgTestDatabase> m_pg;
};

void tst_CliData::initTestCase()
{
    DBDECK_SKIP_POSTGRES_RUN_WITHOUT_SERVER();
}

void tst_CliData::init()
{
    m_pg.reset();
    if (qEnvironmentVariable("DBDECK_TEST_BACKEND") == QLatin1String("postgres"))
        m_pg = std::make_unique<dbdeck::test::PgTestDatabase>(QStringLiteral("dbdeck_clidata"));
    m_dir = std::make_unique<QTemporaryDir>();
    QCOMPARE(cli({QStringLiteral("upgrade"), QStringLiteral("--migrations"), QStringLiteral(DBDECK_SOURCE_DIR "/migrations")}).exitCode, 0);
}

void tst_CliData::ingestFileTwiceAddsOnce()
{
    QFile file(m_dir->filePath(QStringLiteral("feed.jsonl")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("{\"type\":\"run\",\"id\":\"r1\",\"kind\":\"ingest\",\"status\":\"succeeded\"}\n"
               "{\"type\":\"event\",\"id\":\"e1\",\"run_id\":\"r1\",\"kind\":\"log\",\"message\":\"hi\"}\n");
    file.close();
    CliResult r = cli({QStringLiteral("ingest"), QStringLiteral("feed.jsonl")});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QStringLiteral("2 lines: 1 runs and 1 events added, 0 already present\n"));
    r = cli({QStringLiteral("ingest"), QStringLiteral("feed.jsonl")});
    QCOMPARE(r.out, QStringLiteral("2 lines: 0 runs and 0 events added, 2 already present\n"));
    r = cli({QStringLiteral("ingest"), QStringLiteral("missing.jsonl")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY(r.err.contains(QStringLiteral("cannot read %1/missing.jsonl").arg(m_dir->path())));
}

void tst_CliData::ingestFromStandardInput()
{
    const CliResult r = cli({QStringLiteral("ingest"), QStringLiteral("-")},
                            "{\"type\":\"run\",\"id\":\"r9\",\"kind\":\"job\"}\n{\"type\":\"event\",\"id\":\"e9\",\"run_id\":\"r9\",\"kind\":\"log\"}\n");
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.contains(QStringLiteral("1 runs and 1 events added")));
    const CliResult events = cli({QStringLiteral("recent"), QStringLiteral("events"), QStringLiteral("--run"), QStringLiteral("r9"),
                                  QStringLiteral("--format"), QStringLiteral("json")});
    QVERIFY2(events.out.startsWith(QStringLiteral("[{\"created_at\":")), qPrintable(events.out));
    QVERIFY(events.out.contains(QStringLiteral("\"run_id\":\"r9\",\"seq\":1}")));
}

void tst_CliData::badLinesExitWithCode5AndLineNumbers()
{
    const QByteArray feed = "{\"type\":\"run\",\"id\":\"r1\",\"kind\":\"job\"}\nnot json\n{\"type\":\"run\",\"id\":\"r2\",\"kind\":\"job\"}\n";
    CliResult r = cli({QStringLiteral("ingest"), QStringLiteral("-")}, feed);
    QCOMPARE(r.exitCode, 5);
    QCOMPARE(r.err, QStringLiteral("line 2: invalid JSON at character 1: expected a value\n"));
    QVERIFY(r.out.contains(QStringLiteral("stopped there, nothing of that batch was written")));
    r = cli({QStringLiteral("ingest"), QStringLiteral("-"), QStringLiteral("--on-error=skip")}, feed);
    QCOMPARE(r.exitCode, 5);
    QVERIFY(r.out.contains(QStringLiteral("2 runs and 0 events added")));
    QVERIFY(r.out.contains(QStringLiteral("1 bad lines skipped")));
    QCOMPARE(cli({QStringLiteral("ingest"), QStringLiteral("-"), QStringLiteral("--on-error=maybe")}, feed).exitCode, 2);
}

void tst_CliData::sampleDataAndRecent()
{
    CliResult r = cli({QStringLiteral("sample-data"), QStringLiteral("--runs"), QStringLiteral("4"), QStringLiteral("--events"), QStringLiteral("100")});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QStringLiteral("104 lines: 4 runs and 100 events added, 0 already present\n"));
    r = cli({QStringLiteral("recent"), QStringLiteral("runs")});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out.count(QLatin1Char('\n')), 5); // header + 4
    r = cli({QStringLiteral("recent"), QStringLiteral("events"), QStringLiteral("--limit"), QStringLiteral("3"), QStringLiteral("--format"), QStringLiteral("csv")});
    QVERIFY(r.out.startsWith(QStringLiteral("created,run,seq,level,kind,message\r\n")));
    QCOMPARE(r.out.count(QStringLiteral("\r\n")), 4);
    r = cli({QStringLiteral("sample-data"), QStringLiteral("--runs"), QStringLiteral("2"), QStringLiteral("--events"), QStringLiteral("5"),
             QStringLiteral("--output"), QStringLiteral("demo.jsonl")});
    QCOMPARE(r.exitCode, 0);
    QFile file(m_dir->filePath(QStringLiteral("demo.jsonl")));
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll().count('\n'), 7);
}

void tst_CliData::recentNeedsWhat()
{
    QCOMPARE(cli({QStringLiteral("recent")}).exitCode, 2);
    QCOMPARE(cli({QStringLiteral("recent"), QStringLiteral("things")}).exitCode, 2);
    const CliResult r = cli({QStringLiteral("recent"), QStringLiteral("runs"), QStringLiteral("--status"), QStringLiteral("done")});
    QCOMPARE(r.exitCode, 2); // a bad option value is a usage error, as documented
    QVERIFY(r.err.contains(QStringLiteral("--status \"done\" is not allowed")));
}

void tst_CliData::countsToTerminalAndFile()
{
    cli({QStringLiteral("sample-data"), QStringLiteral("--runs"), QStringLiteral("2"), QStringLiteral("--events"), QStringLiteral("7")});
    CliResult r = cli({QStringLiteral("counts")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains(QRegularExpression(QStringLiteral("\\nevents\\s+7\\s+3\\b"))), qPrintable(r.out));
    QVERIFY(r.out.contains(QStringLiteral("dbdeck_schema_migrations (dbdeck)")));
    r = cli({QStringLiteral("counts"), QStringLiteral("--format"), QStringLiteral("csv"), QStringLiteral("--output"), QStringLiteral("c.csv")});
    QCOMPARE(r.exitCode, 0);
    QFile file(m_dir->filePath(QStringLiteral("c.csv")));
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(file.readAll().endsWith("events,7,3,false,application\r\nruns,2,3,false,application\r\n"));
    r = cli({QStringLiteral("counts"), QStringLiteral("--format"), QStringLiteral("json")});
    QVERIFY(r.out.contains(QStringLiteral("{\"dbdeck_owned\":false,\"indexes\":3,\"owner\":\"application\",\"rows\":2,\"table\":\"runs\"}]")));
    r = cli({QStringLiteral("counts"), QStringLiteral("--format"), QStringLiteral("csv"), QStringLiteral("--output"), QStringLiteral("no/such/dir/c.csv")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY(r.err.contains(QStringLiteral("cannot write %1/no/such/dir/c.csv").arg(m_dir->path())));
}

void tst_CliData::healthReportsAndExitCode()
{
    CliResult r = cli({QStringLiteral("health")});
    QCOMPARE(r.exitCode, 0);
    // PostgreSQL runs no integrity or foreign key check: never "ok" for a check that did not run.
    QVERIFY2(r.out.contains(m_pg ? QStringLiteral("integrity check:   not checked on PostgreSQL") : QStringLiteral("integrity check:   ok")),
             qPrintable(r.out));
    QVERIFY(r.out.contains(QRegularExpression(QStringLiteral("recent runs\\s+runs \\(created_at\\)\\s+ix_runs_created_at"))));
    {
        dbdeck::Database db(dbdeck::DbConfig::forUrl(databaseUrl()));
        db.exec(QStringLiteral("DROP INDEX ix_runs_created_at"));
    }
    r = cli({QStringLiteral("health"), QStringLiteral("--format"), QStringLiteral("json")});
    QCOMPARE(r.exitCode, 7);
    QVERIFY(r.out.contains(QStringLiteral("\"healthy\":false")));
}

void tst_CliData::resetNeedsTheVariableAndTheName()
{
    cli({QStringLiteral("sample-data"), QStringLiteral("--runs"), QStringLiteral("1"), QStringLiteral("--events"), QStringLiteral("1")});
    CliResult r = cli({QStringLiteral("reset"), QStringLiteral("--confirm"), databaseName()});
    QCOMPARE(r.exitCode, 1);
    QVERIFY(r.err.contains(QStringLiteral("set DBDECK_ALLOW_RESET=1")));
    const QList<QPair<QString, QString>> allow{{QStringLiteral("DBDECK_ALLOW_RESET"), QStringLiteral("1")}};
    const QStringList m{QStringLiteral("--migrations"), QStringLiteral(DBDECK_SOURCE_DIR "/migrations")};
    r = runCli(m_dir->path(), withUrl(QStringList{QStringLiteral("reset"), QStringLiteral("--confirm"), QStringLiteral("other")} + m), allow);
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(QStringLiteral("is not the database's name (\"%1\"); nothing was reset").arg(databaseName())), qPrintable(r.err));
    QCOMPARE(runCli(m_dir->path(), withUrl(QStringList{QStringLiteral("reset")} + m), allow).exitCode, 2);
    r = runCli(m_dir->path(), withUrl(QStringList{QStringLiteral("reset"), QStringLiteral("--confirm"), databaseName()} + m), allow);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.out.startsWith(QStringLiteral("backup: %1/data/backups/%2-").arg(m_dir->path(), databaseName())), qPrintable(r.out));
    QVERIFY(r.out.contains(QStringLiteral("applied 2 migration(s)")));
    QVERIFY(cli({QStringLiteral("recent"), QStringLiteral("runs")}).out.count(QLatin1Char('\n')) == 1); // header only
}

QTEST_GUILESS_MAIN(tst_CliData)
#include "tst_clidata.moc"

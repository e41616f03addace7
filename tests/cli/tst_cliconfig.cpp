#include "clirunner.h"

#include "testsupport.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

using dbdeck::test::runCli;

using dbdeck::test::writeFile;

namespace {

QString lineFor(const QString &output, const QString &setting)
{
    for (const QString &line : output.split(QLatin1Char('\n'))) {
        if (line.startsWith(setting + QLatin1Char(' ')))
            return line.simplified();
    }
    return {};
}

} // namespace

class tst_CliConfig : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void configShowsDefaults();
    void configShowsEverySourceByPrecedence();
    void configJson();
    void passwordsNeverShown();
    void badValueExitsWithConfigCodeAndTouchesNothing();
    void usageErrors_data();
    void usageErrors();
    void pragmasOnDefaultDatabase();
    void pragmasPerConnection();
    void pragmasMemoryMismatch();
    void readOnlyDatabaseIsRefused();
    void notADatabaseIsRefused();
};

void tst_CliConfig::configShowsDefaults()
{
    QTemporaryDir dir;
    const auto r = runCli(dir.path(), {QStringLiteral("config")});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(lineFor(r.out, QStringLiteral("DB_URL")), QStringLiteral("DB_URL sqlite:///./data/app.db default"));
    QCOMPARE(lineFor(r.out, QStringLiteral("SQLITE_JOURNAL_MODE")), QStringLiteral("SQLITE_JOURNAL_MODE WAL default"));
    QCOMPARE(lineFor(r.out, QStringLiteral("POOL_PRE_PING")), QStringLiteral("POOL_PRE_PING true default (ignored on SQLite)"));
    QVERIFY(r.out.contains(QStringLiteral("file %1/data/app.db").arg(dir.path())));
    // config only reports; it opens nothing.
    QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("data/app.db"))));
}

void tst_CliConfig::configShowsEverySourceByPrecedence()
{
    QTemporaryDir dir;
    writeFile(dir.filePath(QStringLiteral(".env")),
              "DB_URL=sqlite:///dotenv.db\nSQLITE_SYNCHRONOUS=FULL\nSQLITE_BUSY_TIMEOUT_MS=10\n");
    const auto r = runCli(dir.path(), {QStringLiteral("config"), QStringLiteral("--sqlite-busy-timeout-ms"), QStringLiteral("30")},
                          {{QStringLiteral("db_url"), QStringLiteral("sqlite:///env.db")},
                           {QStringLiteral("SQLITE_BUSY_TIMEOUT_MS"), QStringLiteral("20")}});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(lineFor(r.out, QStringLiteral("DB_URL")), QStringLiteral("DB_URL sqlite:///env.db environment"));
    QCOMPARE(lineFor(r.out, QStringLiteral("SQLITE_SYNCHRONOUS")),
             QStringLiteral("SQLITE_SYNCHRONOUS FULL .env %1/.env:2").arg(dir.path()));
    QCOMPARE(lineFor(r.out, QStringLiteral("SQLITE_BUSY_TIMEOUT_MS")),
             QStringLiteral("SQLITE_BUSY_TIMEOUT_MS 30 flag --sqlite-busy-timeout-ms"));

    // --env-file replaces ./.env
    writeFile(dir.filePath(QStringLiteral("other.env")), "SQLITE_SYNCHRONOUS=EXTRA\n");
    const auto other = runCli(dir.path(), {QStringLiteral("config"), QStringLiteral("--env-file"), QStringLiteral("other.env")});
    QCOMPARE(lineFor(other.out, QStringLiteral("SQLITE_SYNCHRONOUS")),
             QStringLiteral("SQLITE_SYNCHRONOUS EXTRA .env %1/other.env:1").arg(dir.path()));
    QCOMPARE(lineFor(other.out, QStringLiteral("DB_URL")), QStringLiteral("DB_URL sqlite:///./data/app.db default"));
}

void tst_CliConfig::configJson()
{
    QTemporaryDir dir;
    const auto r = runCli(dir.path(), {QStringLiteral("config"), QStringLiteral("--format"), QStringLiteral("json")});
    QCOMPARE(r.exitCode, 0);
    const QJsonObject root = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(root.value(QStringLiteral("backend")).toString(), QStringLiteral("SQLite"));
    const QJsonArray settings = root.value(QStringLiteral("settings")).toArray();
    QCOMPARE(settings.size(), 9);
    QCOMPARE(settings.at(0).toObject().value(QStringLiteral("name")).toString(), QStringLiteral("DB_URL"));
    QCOMPARE(settings.at(0).toObject().value(QStringLiteral("source")).toString(), QStringLiteral("default"));
}

void tst_CliConfig::passwordsNeverShown()
{
    QTemporaryDir dir;
    const QList<QPair<QString, QString>> env{{QStringLiteral("DB_URL"),
                                              QStringLiteral("postgresql+psycopg://app:T0pS3cret@db.internal:5432/app")}};
    const auto config = runCli(dir.path(), {QStringLiteral("config")}, env);
    QCOMPARE(config.exitCode, 0);
    QVERIFY(config.out.contains(QStringLiteral("postgresql+psycopg://app:***@db.internal:5432/app")));
    QVERIFY(config.out.contains(QStringLiteral("(ignored on PostgreSQL)")));
    QVERIFY(!config.out.contains(QStringLiteral("T0pS3cret")));

    const auto bad = runCli(dir.path(), {QStringLiteral("config"), QStringLiteral("--db-url"),
                                         QStringLiteral("postgresql://app:T0pS3cret@db.internal:notaport/app")});
    QCOMPARE(bad.exitCode, 3);
    QVERIFY(bad.err.contains(QStringLiteral("postgresql://app:***@db.internal:notaport/app")));
    QVERIFY(!bad.err.contains(QStringLiteral("T0pS3cret")) && !bad.out.contains(QStringLiteral("T0pS3cret")));
}

void tst_CliConfig::badValueExitsWithConfigCodeAndTouchesNothing()
{
    QTemporaryDir dir;
    const auto r = runCli(dir.path(), {QStringLiteral("pragmas")}, {{QStringLiteral("SQLITE_SYNCHRONOUS"), QStringLiteral("fast")}});
    QCOMPARE(r.exitCode, 3);
    QCOMPARE(r.err.trimmed(), QStringLiteral("dbdeck-cli pragmas: error: SQLITE_SYNCHRONOUS from environment has a bad value "
                                             "\"fast\": allowed are OFF, NORMAL, FULL, EXTRA"));
    QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("data"))));

    writeFile(dir.filePath(QStringLiteral(".env")), "GOOD=1\nthis is not an assignment\n");
    const auto env = runCli(dir.path(), {QStringLiteral("pragmas")});
    QCOMPARE(env.exitCode, 3);
    QVERIFY2(env.err.contains(QStringLiteral("%1/.env:2: malformed line").arg(dir.path())), qPrintable(env.err));
    QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("data"))));
}

void tst_CliConfig::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("expected");
    QTest::newRow("no command") << QStringList{} << "Commands:";
    QTest::newRow("unknown command") << QStringList{QStringLiteral("frobnicate")} << "unknown command \"frobnicate\"";
    QTest::newRow("unknown option") << QStringList{QStringLiteral("config"), QStringLiteral("--bogus")} << "Unknown option 'bogus'";
    QTest::newRow("bad format") << QStringList{QStringLiteral("config"), QStringLiteral("--format"), QStringLiteral("xml")}
                                << "--format xml is not supported here; allowed: table, json";
}

void tst_CliConfig::usageErrors()
{
    QFETCH(QStringList, args);
    QFETCH(QString, expected);
    QTemporaryDir dir;
    const auto r = runCli(dir.path(), args);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2((r.err + r.out).contains(expected), qPrintable(r.err + r.out));
}

void tst_CliConfig::pragmasOnDefaultDatabase()
{
    QTemporaryDir dir;
    const auto r = runCli(dir.path(), {QStringLiteral("pragmas")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(QFile::exists(dir.filePath(QStringLiteral("data/app.db"))));
    QVERIFY(r.out.contains(QStringLiteral("database: sqlite:///./data/app.db")));
    QVERIFY2(r.out.contains(QRegularExpression(QStringLiteral("journal_mode\\s+WAL\\s+WAL\n"))), qPrintable(r.out));
    QVERIFY(r.out.contains(QRegularExpression(QStringLiteral("synchronous\\s+NORMAL\\s+NORMAL\n"))));
    QVERIFY(r.out.contains(QRegularExpression(QStringLiteral("foreign_keys\\s+ON\\s+ON\n"))));
    QVERIFY(r.out.contains(QRegularExpression(QStringLiteral("busy_timeout\\s+5000\\s+5000\n"))));
    QVERIFY(!r.out.contains(QStringLiteral("MISMATCH")));
}

void tst_CliConfig::pragmasPerConnection()
{
    QTemporaryDir dir;
    const auto r = runCli(dir.path(), {QStringLiteral("pragmas"), QStringLiteral("--connections"), QStringLiteral("3"),
                                       QStringLiteral("--format"), QStringLiteral("json"),
                                       QStringLiteral("--sqlite-journal-mode"), QStringLiteral("truncate")});
    QCOMPARE(r.exitCode, 0);
    const QJsonArray connections = QJsonDocument::fromJson(r.out.toUtf8()).object().value(QStringLiteral("connections")).toArray();
    QCOMPARE(connections.size(), 3);
    QStringList threads;
    for (const auto &c : connections) {
        threads << c.toObject().value(QStringLiteral("thread")).toString();
        for (const auto &p : c.toObject().value(QStringLiteral("pragmas")).toArray())
            QVERIFY(p.toObject().value(QStringLiteral("matches")).toBool());
    }
    threads.removeDuplicates();
    QCOMPARE(threads.size(), 3);
}

void tst_CliConfig::pragmasMemoryMismatch()
{
    QTemporaryDir dir;
    const auto r = runCli(dir.path(), {QStringLiteral("pragmas"), QStringLiteral("--db-url"), QStringLiteral("sqlite:///:memory:")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains(QRegularExpression(QStringLiteral("journal_mode\\s+WAL\\s+MEMORY\\s+MISMATCH"))), qPrintable(r.out));
    QVERIFY(r.out.contains(QStringLiteral("warning: PRAGMA journal_mode is MEMORY, not the configured WAL")));
}

void tst_CliConfig::readOnlyDatabaseIsRefused()
{
    QTemporaryDir dir;
    QVERIFY(runCli(dir.path(), {QStringLiteral("pragmas"), QStringLiteral("--sqlite-journal-mode"), QStringLiteral("DELETE")}).exitCode == 0);
    const QString db = dir.filePath(QStringLiteral("data/app.db"));
    QStringList prefix;
    if (geteuid() == 0) {
        // Root may write anywhere: run as "nobody", who can read the file but not write it.
        const QString setpriv = QStandardPaths::findExecutable(QStringLiteral("setpriv"));
        if (setpriv.isEmpty())
            QSKIP("setpriv (util-linux) is needed to test read-only files as root");
        prefix = {setpriv, QStringLiteral("--reuid=65534"), QStringLiteral("--regid=65534"), QStringLiteral("--clear-groups")};
        const auto open = QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner | QFileDevice::ReadGroup
                          | QFileDevice::ExeGroup | QFileDevice::ReadOther | QFileDevice::ExeOther;
        QVERIFY(QFile::setPermissions(dir.path(), open));
        QVERIFY(QFile::setPermissions(dir.filePath(QStringLiteral("data")), open));
    }
    QVERIFY(QFile::setPermissions(db, QFileDevice::ReadOwner | QFileDevice::ReadGroup | QFileDevice::ReadOther));
    const auto r = runCli(dir.path(), {QStringLiteral("pragmas"), QStringLiteral("--sqlite-journal-mode"), QStringLiteral("DELETE")},
                          {}, prefix);
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(QStringLiteral("the database %1 is read-only").arg(db)), qPrintable(r.err));
}

void tst_CliConfig::notADatabaseIsRefused()
{
    QTemporaryDir dir;
    writeFile(dir.filePath(QStringLiteral("junk.db")), QByteArray("not sqlite at all, just some bytes\n").repeated(100));
    const auto r = runCli(dir.path(), {QStringLiteral("pragmas"), QStringLiteral("--db-url"), QStringLiteral("sqlite:///junk.db")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(QStringLiteral("%1/junk.db is not a SQLite database").arg(dir.path())), qPrintable(r.err));
}

QTEST_GUILESS_MAIN(tst_CliConfig)
#include "tst_cliconfig.moc"

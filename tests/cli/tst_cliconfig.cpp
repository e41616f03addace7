#include "clirunner.h"

#include "testsupport.h"

#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
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

const QString kMigrations = QStringLiteral(DBDECK_SOURCE_DIR "/migrations");

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
    void readOnlyDatabaseIsLookedAtButNotWritten();
    void negativeOptionValueNamesThatOption();
    void migrationsDirThatIsAFile();
    void danglingDotEnvSymlinkIsAnError();
    void expandsVariablesInDotEnv();
    void configJsonShowsUrlParts();
    void sqliteUriUrlOpensTheNamedFile();
    void noPasswordInAnyCommandOutput();
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
    QCOMPARE(settings.size(), 12); // LINT_IGNORE, SCHEMA_DIR and PROTECTED_ENVS are among them
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
                                             "\"fast\": the application's settings (pydantic) accept it, but SQLite would "
                                             "silently use NORMAL; allowed are OFF, NORMAL, FULL, EXTRA or 0-3 (and SQLite's "
                                             "on/off, yes/no, true/false)"));
    QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("data"))));

    // A statement python-dotenv cannot parse is skipped by the application: a warning, not an error.
    writeFile(dir.filePath(QStringLiteral(".env")), "GOOD=1\nthis is not an assignment\nAPP_ENV=after\n");
    const auto env = runCli(dir.path(), {QStringLiteral("config")});
    QCOMPARE(env.exitCode, 0);
    QVERIFY2(env.err.contains(QStringLiteral("warning: %1/.env:2: skipped a statement").arg(dir.path())), qPrintable(env.err));
    QCOMPARE(lineFor(env.out, QStringLiteral("APP_ENV")), QStringLiteral("APP_ENV after .env %1/.env:3").arg(dir.path()));
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
    // Looking does not create the database; it says what the first write will apply.
    const auto none = runCli(dir.path(), {QStringLiteral("pragmas")});
    QCOMPARE(none.exitCode, 0);
    QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("data"))));
    QVERIFY2(none.out.contains(QStringLiteral("the database does not exist yet; dbdeck creates it on the first write")), qPrintable(none.out));
    QCOMPARE(runCli(dir.path(), {QStringLiteral("upgrade"), QStringLiteral("--migrations"), kMigrations}).exitCode, 0);
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
    QCOMPARE(runCli(dir.path(), {QStringLiteral("upgrade"), QStringLiteral("--migrations"), kMigrations,
                                 QStringLiteral("--sqlite-journal-mode"), QStringLiteral("truncate")}).exitCode, 0);
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

void tst_CliConfig::readOnlyDatabaseIsLookedAtButNotWritten()
{
    QTemporaryDir dir;
    QVERIFY(runCli(dir.path(), {QStringLiteral("upgrade"), QStringLiteral("--migrations"), kMigrations, QStringLiteral("--sqlite-journal-mode"),
                                QStringLiteral("DELETE")}).exitCode == 0);
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
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains(QStringLiteral("read-only: looking only")), qPrintable(r.out));
    const auto w = runCli(dir.path(), {QStringLiteral("stamp"), QStringLiteral("base"), QStringLiteral("--migrations"), kMigrations}, {}, prefix);
    QCOMPARE(w.exitCode, 1);
    QVERIFY2(w.err.contains(QStringLiteral("cannot write to the database: the file %1 is read-only").arg(db)), qPrintable(w.err));
}

void tst_CliConfig::notADatabaseIsRefused()
{
    QTemporaryDir dir;
    writeFile(dir.filePath(QStringLiteral("junk.db")), QByteArray("not sqlite at all, just some bytes\n").repeated(100));
    const auto r = runCli(dir.path(), {QStringLiteral("pragmas"), QStringLiteral("--db-url"), QStringLiteral("sqlite:///junk.db")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(QStringLiteral("%1/junk.db is not a SQLite database").arg(dir.path())), qPrintable(r.err));
}

void tst_CliConfig::negativeOptionValueNamesThatOption()
{
    QTemporaryDir dir;
    const auto r = runCli(dir.path(), {QStringLiteral("config"), QStringLiteral("--sqlite-busy-timeout-ms"), QStringLiteral("-5"),
                                       QStringLiteral("--db-url"), QStringLiteral("sqlite:///x.db")});
    QCOMPARE(r.exitCode, 3);
    QVERIFY2(r.err.contains(QStringLiteral("SQLITE_BUSY_TIMEOUT_MS from flag --sqlite-busy-timeout-ms has a bad value \"-5\": "
                                           "it must be 0 or more")),
             qPrintable(r.err));
    QVERIFY(!r.err.contains(QLatin1String("DB_URL")));
}

void tst_CliConfig::migrationsDirThatIsAFile()
{
    QTemporaryDir dir;
    writeFile(dir.filePath(QStringLiteral("migrations.sql")), "-- migrate:up\nCREATE TABLE t (id INTEGER);\n");
    const auto r = runCli(dir.path(), {QStringLiteral("status"), QStringLiteral("--migrations"), QStringLiteral("migrations.sql")});
    QCOMPARE(r.exitCode, 3);
    QVERIFY2(r.err.contains(QStringLiteral("%1/migrations.sql is a file, not a folder of NNNN_slug.sql migrations").arg(dir.path())),
             qPrintable(r.err));
    QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("data"))));
}

void tst_CliConfig::danglingDotEnvSymlinkIsAnError()
{
    QTemporaryDir dir;
    QVERIFY(QFile::link(dir.filePath(QStringLiteral("settings/app.env")), dir.filePath(QStringLiteral(".env"))));
    const auto r = runCli(dir.path(), {QStringLiteral("config")});
    QCOMPARE(r.exitCode, 3);
    QVERIFY2(r.err.contains(QStringLiteral("cannot read .env file %1/.env: it is a symbolic link to %1/settings/app.env, which "
                                           "does not exist").arg(dir.path())),
             qPrintable(r.err));
}

void tst_CliConfig::expandsVariablesInDotEnv()
{
    QTemporaryDir dir;
    writeFile(dir.filePath(QStringLiteral(".env")), "DB_URL=sqlite:///${DATA}/app.db\nAPP_ENV=${STAGE:-staging}\n");
    const auto r = runCli(dir.path(), {QStringLiteral("upgrade"), QStringLiteral("--migrations"), kMigrations},
                          {{QStringLiteral("DATA"), dir.filePath(QStringLiteral("var"))}});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(QFile::exists(dir.filePath(QStringLiteral("var/app.db"))));
    QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("${DATA}"))));
    const auto config = runCli(dir.path(), {QStringLiteral("config")}, {{QStringLiteral("DATA"), QStringLiteral("/srv")}});
    QCOMPARE(lineFor(config.out, QStringLiteral("APP_ENV")), QStringLiteral("APP_ENV staging .env %1/.env:2").arg(dir.path()));
}

void tst_CliConfig::configJsonShowsUrlParts()
{
    QTemporaryDir dir;
    const auto r = runCli(dir.path(), {QStringLiteral("config"), QStringLiteral("--format"), QStringLiteral("json"), QStringLiteral("--db-url"),
                                       QStringLiteral("postgresql+psycopg://app:T0pS3cret@db:5433/app?options=-csearch_path%3Dfoo")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(!r.out.contains(QLatin1String("T0pS3cret")));
    const QJsonObject url = QJsonDocument::fromJson(r.out.toUtf8()).object().value(QStringLiteral("url")).toObject();
    QCOMPARE(url.value(QStringLiteral("drivername")).toString(), QStringLiteral("postgresql+psycopg"));
    QCOMPARE(url.value(QStringLiteral("password")).toString(), QStringLiteral("***"));
    QCOMPARE(url.value(QStringLiteral("host")).toString(), QStringLiteral("db"));
    QCOMPARE(url.value(QStringLiteral("port")).toInt(), 5433);
    QCOMPARE(url.value(QStringLiteral("libpq")).toObject().value(QStringLiteral("options")).toString(), QStringLiteral("-csearch_path=foo"));
}

void tst_CliConfig::sqliteUriUrlOpensTheNamedFile()
{
    QTemporaryDir dir;
    QCOMPARE(runCli(dir.path(), {QStringLiteral("upgrade"), QStringLiteral("--migrations"), kMigrations}).exitCode, 0); // creates data/app.db
    const QString db = dir.filePath(QStringLiteral("data/app.db"));
    const auto rw = runCli(dir.path(), {QStringLiteral("pragmas"), QStringLiteral("--db-url"),
                                        QStringLiteral("sqlite:///file:data/app.db?mode=rw&uri=true")});
    QCOMPARE(rw.exitCode, 0);
    QVERIFY(rw.out.contains(QLatin1String("journal_mode")));
    QVERIFY2(!QFileInfo::exists(dir.filePath(QStringLiteral("file:data"))), "a folder named file: was created");
    // A file that does not exist: looking says so and creates nothing.
    const auto missing = runCli(dir.path(), {QStringLiteral("pragmas"), QStringLiteral("--db-url"),
                                             QStringLiteral("sqlite:///file:other.db?mode=rw&uri=true")});
    QCOMPARE(missing.exitCode, 0);
    QVERIFY2(missing.out.contains(QStringLiteral("does not exist yet")), qPrintable(missing.out));
    QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("other.db"))));
    QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("file:other.db"))));
    // mode=ro: the existing file is opened read-only (never a new, empty database elsewhere).
    const auto config = runCli(dir.path(), {QStringLiteral("config"), QStringLiteral("--db-url"),
                                            QStringLiteral("sqlite:///file:data/app.db?mode=ro&uri=true")});
    QVERIFY2(config.out.contains(QStringLiteral("file %1 (SQLite URI file:data/app.db?mode=ro, read-only)").arg(db)), qPrintable(config.out));
    const auto ro = runCli(dir.path(), {QStringLiteral("pragmas"), QStringLiteral("--db-url"),
                                        QStringLiteral("sqlite:///file:data/app.db?mode=ro&uri=true")});
    QVERIFY2(ro.exitCode == 0, qPrintable(ro.err)); // looking works on a mode=ro URL
    QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("file:data"))));
}

void tst_CliConfig::noPasswordInAnyCommandOutput()
{
    // The whole-process sample of tst_redactor's property: real dbdeck-cli runs, every stream.
    QTemporaryDir dir;
    const QString password = QStringLiteral("QZ7xK:p/w?#d");
    const QString encoded = QStringLiteral("QZ7xK%3Ap%2Fw%3F%23d");
    const QStringList urls{
        QStringLiteral("postgresql://app:%1@127.0.0.1:1/app?connect_timeout=2").arg(encoded),
        QStringLiteral("postgresql://us?er:%1@127.0.0.1:1/app").arg(encoded),
        QStringLiteral("postgresql://app:%1@h:notaport/app").arg(encoded),
        QStringLiteral("mysql://app:%1@h/app").arg(password),
        QStringLiteral("postgresql://app:%1").arg(encoded),
        QStringLiteral("postgresql://app@127.0.0.1:1/app?password=%1").arg(encoded),
        QStringLiteral("postgresql://app:%1@h/app?options=-c%20a%3Bb").arg(encoded),
    };
    const QList<QStringList> commands{{QStringLiteral("config"), QStringLiteral("--format"), QStringLiteral("json")},
                                      {QStringLiteral("status")}};
    int runs = 0;
    for (const QString &url : urls) {
        for (const QStringList &command : commands) {
            const auto r = runCli(dir.path(), command + QStringList{QStringLiteral("--db-url"), url, QStringLiteral("--echo-sql"), QStringLiteral("true")});
            ++runs;
            for (const QString &piece : {password, encoded, QStringLiteral("QZ7xK")})
                QVERIFY2(!r.out.contains(piece) && !r.err.contains(piece), qPrintable(url + QLatin1Char('\n') + r.out + r.err));
        }
        // The same URL in .env, well-formed and cut off by a missing quote.
        writeFile(dir.filePath(QStringLiteral(".env")), QStringLiteral("DB_URL=\"%1\"\nDB_URL \"%1\n").arg(url).toUtf8());
        const auto r = runCli(dir.path(), {QStringLiteral("config")});
        ++runs;
        QVERIFY2(!r.out.contains(QLatin1String("QZ7xK")) && !r.err.contains(QLatin1String("QZ7xK")), qPrintable(r.out + r.err));
    }
    QCOMPARE(runs, 21);
}

QTEST_GUILESS_MAIN(tst_CliConfig)
#include "tst_cliconfig.moc"

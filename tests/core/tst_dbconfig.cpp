#include "config/dbconfig.h"
#include "db/errors.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace dbdeck;

namespace {

QString writeFile(const QTemporaryDir &dir, const QString &name, const QByteArray &content)
{
    const QString path = dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        qFatal("cannot write %s", qPrintable(path));
    file.write(content);
    return path;
}

SettingValue valueOf(const DbConfig &config, const QString &name)
{
    for (const auto &value : config.values()) {
        if (value.name == name)
            return value;
    }
    return {};
}

ConfigInputs emptyInputs()
{
    ConfigInputs inputs;
    inputs.environment = QProcessEnvironment();
    inputs.readDotEnv = false;
    return inputs;
}

} // namespace

class tst_DbConfig : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaultsMatchTheApplication();
    void precedenceFlagsOverEnvironmentOverDotEnvOverDefaults();
    void namesAreCaseInsensitive();
    void implicitDotEnvInWorkingDirectory();
    void booleans_data();
    void booleans();
    void badValues_data();
    void badValues();
    void badDotEnvFiles();
    void sqliteSettingsIgnoredOnPostgres();
};

void tst_DbConfig::defaultsMatchTheApplication()
{
    const DbConfig config = DbConfig::load(emptyInputs());
    QCOMPARE(config.url().redacted(), QStringLiteral("sqlite:///./data/app.db"));
    QCOMPARE(config.echoSql(), false);
    QCOMPARE(config.poolPrePing(), true);
    QCOMPARE(config.busyTimeoutMs(), 5000);
    QCOMPARE(config.journalMode(), QStringLiteral("WAL"));
    QCOMPARE(config.synchronous(), QStringLiteral("NORMAL"));
    QCOMPARE(config.foreignKeys(), true);
    QCOMPARE(config.migrationsDir(), QStringLiteral("./migrations"));
    QCOMPARE(config.appEnv(), QStringLiteral("development"));
    for (const auto &value : config.values()) {
        QCOMPARE(value.source, SettingSource::Default);
        QCOMPARE(value.origin, QStringLiteral("default"));
    }
}

void tst_DbConfig::precedenceFlagsOverEnvironmentOverDotEnvOverDefaults()
{
    QTemporaryDir dir;
    const QString env = writeFile(dir, QStringLiteral("app.env"),
                                  "# settings\nDB_URL=sqlite:///from-dotenv.db\nSQLITE_BUSY_TIMEOUT_MS=100\n"
                                  "SQLITE_SYNCHRONOUS=full\nECHO_SQL=yes\n");
    ConfigInputs inputs = emptyInputs();
    inputs.envFile = env;
    inputs.environment.insert(QStringLiteral("DB_URL"), QStringLiteral("sqlite:///from-env.db"));
    inputs.environment.insert(QStringLiteral("SQLITE_BUSY_TIMEOUT_MS"), QStringLiteral("200"));
    inputs.flags.insert(QStringLiteral("DB_URL"), QStringLiteral("sqlite:///from-flag.db"));

    const DbConfig config = DbConfig::load(inputs);
    QCOMPARE(config.url().database(), QStringLiteral("from-flag.db"));
    QCOMPARE(valueOf(config, QStringLiteral("DB_URL")).origin, QStringLiteral("flag --db-url"));
    QCOMPARE(config.busyTimeoutMs(), 200);
    QCOMPARE(valueOf(config, QStringLiteral("SQLITE_BUSY_TIMEOUT_MS")).origin, QStringLiteral("environment"));
    QCOMPARE(config.synchronous(), QStringLiteral("FULL"));
    QCOMPARE(valueOf(config, QStringLiteral("SQLITE_SYNCHRONOUS")).origin,
             QStringLiteral(".env %1:4").arg(QFileInfo(env).absoluteFilePath()));
    QCOMPARE(config.echoSql(), true);
    QCOMPARE(valueOf(config, QStringLiteral("ECHO_SQL")).value, QStringLiteral("true"));
    QCOMPARE(valueOf(config, QStringLiteral("SQLITE_JOURNAL_MODE")).origin, QStringLiteral("default"));
    QCOMPARE(config.envFileUsed(), QFileInfo(env).absoluteFilePath());
}

void tst_DbConfig::namesAreCaseInsensitive()
{
    QTemporaryDir dir;
    ConfigInputs inputs = emptyInputs();
    inputs.envFile = writeFile(dir, QStringLiteral(".env"), "sqlite_journal_mode=delete\n");
    inputs.environment.insert(QStringLiteral("Sqlite_Foreign_Keys"), QStringLiteral("off"));
    inputs.flags.insert(QStringLiteral("echo_sql"), QStringLiteral("ON"));
    const DbConfig config = DbConfig::load(inputs);
    QCOMPARE(config.journalMode(), QStringLiteral("DELETE"));
    QCOMPARE(config.foreignKeys(), false);
    QCOMPARE(config.echoSql(), true);
}

void tst_DbConfig::implicitDotEnvInWorkingDirectory()
{
    QTemporaryDir dir;
    writeFile(dir, QStringLiteral(".env"), "APP_ENV=staging\n");
    const QString previous = QDir::currentPath();
    QDir::setCurrent(dir.path());
    ConfigInputs inputs;
    inputs.environment = QProcessEnvironment();
    const DbConfig config = DbConfig::load(inputs);
    QDir::setCurrent(previous);
    QCOMPARE(config.appEnv(), QStringLiteral("staging"));
    QCOMPARE(config.envFileUsed(), QFileInfo(dir.filePath(QStringLiteral(".env"))).absoluteFilePath());
}

void tst_DbConfig::booleans_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("value");
    for (const char *t : {"true", "TRUE", "1", "yes", "Yes", "on", " on "})
        QTest::newRow(t) << QString::fromLatin1(t) << true;
    for (const char *f : {"false", "False", "0", "no", "off", "OFF"})
        QTest::newRow(f) << QString::fromLatin1(f) << false;
}

void tst_DbConfig::booleans()
{
    QFETCH(QString, text);
    QFETCH(bool, value);
    ConfigInputs inputs = emptyInputs();
    inputs.environment.insert(QStringLiteral("SQLITE_FOREIGN_KEYS"), text);
    QCOMPARE(DbConfig::load(inputs).foreignKeys(), value);
}

void tst_DbConfig::badValues_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("message");

    QTest::newRow("journal mode") << "SQLITE_JOURNAL_MODE" << "wall"
                                  << "SQLITE_JOURNAL_MODE from environment has a bad value \"wall\": allowed are "
                                     "DELETE, TRUNCATE, PERSIST, MEMORY, WAL, OFF";
    QTest::newRow("synchronous") << "SQLITE_SYNCHRONOUS" << "sometimes"
                                 << "SQLITE_SYNCHRONOUS from environment has a bad value \"sometimes\": allowed are "
                                    "OFF, NORMAL, FULL, EXTRA";
    QTest::newRow("negative timeout") << "SQLITE_BUSY_TIMEOUT_MS" << "-1"
                                      << "SQLITE_BUSY_TIMEOUT_MS from environment has a bad value \"-1\": allowed is a "
                                         "whole number of milliseconds from 0 to 2147483647";
    QTest::newRow("non-numeric timeout") << "SQLITE_BUSY_TIMEOUT_MS" << "5s"
                                         << "SQLITE_BUSY_TIMEOUT_MS from environment has a bad value \"5s\": allowed is";
    QTest::newRow("non-boolean") << "ECHO_SQL" << "maybe"
                                 << "ECHO_SQL from environment has a bad value \"maybe\": allowed are true/false, "
                                    "1/0, yes/no, on/off";
    QTest::newRow("unsupported scheme") << "DB_URL" << "mysql://u:secret@h/d"
                                        << "DB_URL from environment has a bad value \"mysql://u:***@h/d\": "
                                           "unsupported URL scheme \"mysql\"; allowed: sqlite";
    QTest::newRow("malformed url") << "DB_URL" << "postgresql://u:secret@h:port/d"
                                   << "DB_URL from environment has a bad value \"postgresql://u:***@h:port/d\": "
                                      "malformed URL: port \"port\"";
    QTest::newRow("empty migrations dir") << "MIGRATIONS_DIR" << " "
                                          << "MIGRATIONS_DIR from environment has a bad value \"\": it must not be empty";
}

void tst_DbConfig::badValues()
{
    QFETCH(QString, name);
    QFETCH(QString, value);
    QFETCH(QString, message);
    ConfigInputs inputs = emptyInputs();
    inputs.environment.insert(name, value);
    try {
        DbConfig::load(inputs);
        QFAIL("no ConfigError");
    } catch (const ConfigError &error) {
        QVERIFY2(error.message().startsWith(message), qPrintable(error.message()));
        QVERIFY(!error.message().contains(QLatin1String("secret")));
    }
    // The same value given as a flag names the flag as its source.
    ConfigInputs flagged = emptyInputs();
    flagged.flags.insert(name, value);
    try {
        DbConfig::load(flagged);
        QFAIL("no ConfigError");
    } catch (const ConfigError &error) {
        QVERIFY2(error.message().startsWith(name + QStringLiteral(" from flag --") + DbConfig::flagName(name)),
                 qPrintable(error.message()));
    }
}

void tst_DbConfig::badDotEnvFiles()
{
    QTemporaryDir dir;
    ConfigInputs inputs = emptyInputs();
    inputs.envFile = writeFile(dir, QStringLiteral("bad.env"), "A=1\nSQLITE_JOURNAL_MODE=nope\n");
    try {
        DbConfig::load(inputs);
        QFAIL("no ConfigError");
    } catch (const ConfigError &error) {
        QCOMPARE(error.message(), QStringLiteral("SQLITE_JOURNAL_MODE from .env %1:2 has a bad value \"nope\": allowed are "
                                                 "DELETE, TRUNCATE, PERSIST, MEMORY, WAL, OFF")
                                      .arg(QFileInfo(inputs.envFile).absoluteFilePath()));
    }
    inputs.envFile = writeFile(dir, QStringLiteral("malformed.env"), "A=1\nnot a line\n");
    try {
        DbConfig::load(inputs);
        QFAIL("no ConfigError");
    } catch (const ConfigError &error) {
        QVERIFY2(error.message().contains(QStringLiteral("malformed.env:2: malformed line \"not a line\"")),
                 qPrintable(error.message()));
    }
    inputs.envFile = dir.filePath(QStringLiteral("absent.env"));
    try {
        DbConfig::load(inputs);
        QFAIL("no ConfigError");
    } catch (const ConfigError &error) {
        QCOMPARE(error.message(), QStringLiteral("cannot read .env file %1: it does not exist").arg(inputs.envFile));
    }
}

void tst_DbConfig::sqliteSettingsIgnoredOnPostgres()
{
    ConfigInputs inputs = emptyInputs();
    inputs.flags.insert(QStringLiteral("DB_URL"), QStringLiteral("postgresql://u:p@h/d"));
    const DbConfig pg = DbConfig::load(inputs);
    QVERIFY(valueOf(pg, QStringLiteral("SQLITE_JOURNAL_MODE")).ignored);
    QVERIFY(!valueOf(pg, QStringLiteral("POOL_PRE_PING")).ignored);
    const DbConfig sqlite = DbConfig::load(emptyInputs());
    QVERIFY(!valueOf(sqlite, QStringLiteral("SQLITE_JOURNAL_MODE")).ignored);
    QVERIFY(valueOf(sqlite, QStringLiteral("POOL_PRE_PING")).ignored);
}

QTEST_GUILESS_MAIN(tst_DbConfig)
#include "tst_dbconfig.moc"

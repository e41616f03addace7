#include "config/dbconfig.h"
#include "db/errors.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
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
    void matchesPydanticSettings_data();
    void matchesPydanticSettings();
    void migrationsDirThatIsAFile();
    void warningsForSkippedStatementsAndBom();
    void badValues_data();
    void badValues();
    void badDotEnvFiles();
    void sqliteSettingsIgnoredOnPostgres();
    void protectedEnvironmentsCompareInAnyCase();
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
    QCOMPARE(config.protectedEnvs(), (QStringList{QStringLiteral("production"), QStringLiteral("prod"), QStringLiteral("live")}));
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
    for (const char *t : {"true", "TRUE", "1", "yes", "Yes", "on", "t", "Y"})
        QTest::newRow(t) << QString::fromLatin1(t) << true;
    for (const char *f : {"false", "False", "0", "no", "off", "OFF", "f", "n"})
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
                                  << "SQLITE_JOURNAL_MODE from environment has a bad value \"wall\": the application's "
                                     "settings (pydantic) accept it, but SQLite has no such journal mode (it would "
                                     "silently keep the current one); allowed are DELETE, TRUNCATE, PERSIST, MEMORY, WAL, OFF";
    QTest::newRow("synchronous") << "SQLITE_SYNCHRONOUS" << "sometimes"
                                 << "SQLITE_SYNCHRONOUS from environment has a bad value \"sometimes\": the application's "
                                    "settings (pydantic) accept it, but SQLite would silently use NORMAL; allowed are OFF, "
                                    "NORMAL, FULL, EXTRA or 0-3";
    QTest::newRow("negative timeout") << "SQLITE_BUSY_TIMEOUT_MS" << "-1"
                                      << "SQLITE_BUSY_TIMEOUT_MS from environment has a bad value \"-1\": it must be 0 or "
                                         "more; allowed is a whole number of milliseconds from 0 to 2147483647";
    QTest::newRow("non-numeric timeout") << "SQLITE_BUSY_TIMEOUT_MS" << "5s"
                                         << "SQLITE_BUSY_TIMEOUT_MS from environment has a bad value \"5s\": allowed is";
    QTest::newRow("timeout beyond 32 bits") << "SQLITE_BUSY_TIMEOUT_MS" << "2147483648"
                                            << "SQLITE_BUSY_TIMEOUT_MS from environment has a bad value \"2147483648\": the "
                                               "application's settings (pydantic) accept it, but SQLite's busy timeout is a "
                                               "32-bit number";
    QTest::newRow("non-boolean") << "ECHO_SQL" << "maybe"
                                 << "ECHO_SQL from environment has a bad value \"maybe\": allowed are true/false, "
                                    "1/0, yes/no, on/off, t/f, y/n";
    QTest::newRow("boolean with spaces") << "ECHO_SQL" << " on " << "ECHO_SQL from environment has a bad value \" on \"";
    QTest::newRow("user with ? in a bad URL") << "DB_URL" << "mysql://us?r:secret@h/d"
                                              << "DB_URL from environment has a bad value \"mysql://us?r:***@h/d\"";
    QTest::newRow("unsupported scheme") << "DB_URL" << "mysql://u:secret@h/d"
                                        << "DB_URL from environment has a bad value \"mysql://u:***@h/d\": "
                                           "unsupported URL scheme \"mysql\"; allowed: sqlite";
    QTest::newRow("malformed url") << "DB_URL" << "postgresql://u:secret@h:port/d"
                                   << "DB_URL from environment has a bad value \"postgresql://u:***@h:port/d\": "
                                      "malformed URL: the port is not a number";
    QTest::newRow("empty migrations dir") << "MIGRATIONS_DIR" << ""
                                          << "MIGRATIONS_DIR from environment has a bad value \"\": the application's "
                                             "settings (pydantic) accept it, but dbdeck needs a value";
    QTest::newRow("protected environments with an empty name") << "PROTECTED_ENVS" << "production,,staging"
                                                               << "PROTECTED_ENVS from environment has a bad value \"production,,staging\": "
                                                                  "allowed is a comma-separated list of environment names, none of them empty";
    QTest::newRow("no protected environment") << "PROTECTED_ENVS" << " , "
                                              << "PROTECTED_ENVS from environment has a bad value \" , \": allowed is a comma-separated";
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
        QVERIFY2(error.message().startsWith(QStringLiteral("SQLITE_JOURNAL_MODE from .env %1:2 has a bad value \"nope\": ")
                                                .arg(QFileInfo(inputs.envFile).absoluteFilePath())),
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

void tst_DbConfig::matchesPydanticSettings_data()
{
    QTest::addColumn<QJsonObject>("row");
    QFile file(QStringLiteral(DBDECK_TEST_DATA "/pydantic_settings.jsonl"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    int count = 0;
    while (!file.atEnd()) {
        const QJsonObject row = QJsonDocument::fromJson(file.readLine()).object();
        if (row.contains(QStringLiteral("name")))
            QTest::newRow(qPrintable(QStringLiteral("%1 %2").arg(++count).arg(row.value(QStringLiteral("name")).toString()))) << row;
    }
    QVERIFY(count > 100);
}

void tst_DbConfig::matchesPydanticSettings()
{
    QFETCH(QJsonObject, row);
    QTemporaryDir dir;
    if (row.contains(QStringLiteral("dotenv_b64")))
        writeFile(dir, QStringLiteral(".env"), QByteArray::fromBase64(row.value(QStringLiteral("dotenv_b64")).toString().toLatin1()));
    else if (row.value(QStringLiteral("dotenv")).isString())
        writeFile(dir, QStringLiteral(".env"), row.value(QStringLiteral("dotenv")).toString().toUtf8());
    ConfigInputs inputs;
    inputs.environment = QProcessEnvironment();
    const QJsonObject environ = row.value(QStringLiteral("environ")).toObject();
    for (auto it = environ.begin(); it != environ.end(); ++it)
        inputs.environment.insert(it.key(), it.value().toString());

    const QString previous = QDir::currentPath();
    QDir::setCurrent(dir.path());
    std::optional<DbConfig> config;
    QString error;
    try {
        config = DbConfig::load(inputs);
    } catch (const ConfigError &e) {
        error = e.message();
    }
    QDir::setCurrent(previous);

    QStringList mustFail;
    for (const char *key : {"errors", "dbdeck_refuses"}) {
        const QJsonObject names = row.value(QLatin1String(key)).toObject();
        mustFail += names.keys();
    }
    if (row.contains(QStringLiteral("exception"))) {
        QVERIFY2(!config, "the application does not start with this .env; dbdeck must refuse it too");
        QVERIFY2(error.startsWith(QStringLiteral("cannot read .env file")), qPrintable(error));
        return;
    }
    if (!mustFail.isEmpty()) {
        QVERIFY2(!config, qPrintable(QStringLiteral("dbdeck accepts what it must refuse: %1").arg(mustFail.join(", "))));
        bool named = false;
        for (const QString &name : std::as_const(mustFail))
            named = named || error.startsWith(name + QStringLiteral(" from "));
        QVERIFY2(named, qPrintable(error));
        return;
    }
    QVERIFY2(config, qPrintable(error));
    const QJsonObject expected = row.value(QStringLiteral("expected")).toObject();
    QCOMPARE(config->url().original(), expected.value(QStringLiteral("DB_URL")).toString());
    QCOMPARE(config->echoSql(), expected.value(QStringLiteral("ECHO_SQL")).toBool());
    QCOMPARE(config->poolPrePing(), expected.value(QStringLiteral("POOL_PRE_PING")).toBool());
    QCOMPARE(config->foreignKeys(), expected.value(QStringLiteral("SQLITE_FOREIGN_KEYS")).toBool());
    QCOMPARE(qint64(config->busyTimeoutMs()), qint64(expected.value(QStringLiteral("SQLITE_BUSY_TIMEOUT_MS")).toDouble()));
    QCOMPARE(config->journalMode(), expected.value(QStringLiteral("SQLITE_JOURNAL_MODE")).toString().trimmed().toUpper());
    // What SQLite makes of the text the application passes to PRAGMA synchronous.
    static const QHash<QString, QString> level{{"0", "OFF"}, {"1", "NORMAL"}, {"2", "FULL"}, {"3", "EXTRA"},
                                                {"ON", "NORMAL"}, {"YES", "NORMAL"}, {"TRUE", "NORMAL"},
                                                {"NO", "OFF"}, {"FALSE", "OFF"}};
    const QString sync = expected.value(QStringLiteral("SQLITE_SYNCHRONOUS")).toString().trimmed().toUpper();
    QCOMPARE(config->synchronous(), level.value(sync, sync));
    QCOMPARE(config->migrationsDir(), expected.value(QStringLiteral("MIGRATIONS_DIR")).toString());
    QCOMPARE(config->appEnv(), expected.value(QStringLiteral("APP_ENV")).toString());
}

void tst_DbConfig::migrationsDirThatIsAFile()
{
    QTemporaryDir dir;
    ConfigInputs inputs = emptyInputs();
    const QString file = writeFile(dir, QStringLiteral("migrations"), "not a folder\n");
    inputs.flags.insert(QStringLiteral("MIGRATIONS_DIR"), file);
    try {
        DbConfig::load(inputs);
        QFAIL("no ConfigError");
    } catch (const ConfigError &error) {
        QCOMPARE(error.message(), QStringLiteral("MIGRATIONS_DIR from flag --migrations-dir has a bad value \"%1\": %1 is a "
                                                 "file, not a folder of NNNN_slug.sql migrations").arg(file));
    }
}

void tst_DbConfig::warningsForSkippedStatementsAndBom()
{
    QTemporaryDir dir;
    ConfigInputs inputs = emptyInputs();
    inputs.envFile = writeFile(dir, QStringLiteral("bom.env"), "\xEF\xBB\xBF" "DB_URL=sqlite:///bom.db\nnot a line\nAPP_ENV=x\n");
    const DbConfig config = DbConfig::load(inputs);
    QCOMPARE(config.url().original(), QStringLiteral("sqlite:///./data/app.db")); // as the application: ignored
    QCOMPARE(config.appEnv(), QStringLiteral("x"));
    QCOMPARE(config.warnings().size(), 2);
    QVERIFY2(config.warnings().join('\n').contains(QStringLiteral("bom.env:2: skipped a statement")), qPrintable(config.warnings().join('\n')));
    QVERIFY2(config.warnings().join('\n').contains(QStringLiteral("UTF-8 byte order mark")), qPrintable(config.warnings().join('\n')));
}

void tst_DbConfig::protectedEnvironmentsCompareInAnyCase()
{
    const DbConfig defaults = DbConfig::load(emptyInputs());
    for (const char *name : {"production", "Production", "PROD", "live", " Live "})
        QVERIFY2(defaults.isProtectedEnv(QLatin1String(name)), name);
    for (const char *name : {"development", "staging", "productions", ""})
        QVERIFY2(!defaults.isProtectedEnv(QLatin1String(name)), name);

    ConfigInputs inputs = emptyInputs();
    inputs.environment.insert(QStringLiteral("protected_envs"), QStringLiteral(" Staging, PRODUCTION ,staging"));
    const DbConfig config = DbConfig::load(inputs);
    QCOMPARE(config.protectedEnvs(), (QStringList{QStringLiteral("staging"), QStringLiteral("production")}));
    QCOMPARE(valueOf(config, QStringLiteral("PROTECTED_ENVS")).value, QStringLiteral("staging,production"));
    QVERIFY(config.isProtectedEnv(QStringLiteral("STAGING")));
    QVERIFY(!config.isProtectedEnv(QStringLiteral("prod"))); // the list replaces the default one
    QCOMPARE(DbConfig::flagName(QStringLiteral("PROTECTED_ENVS")), QStringLiteral("protected-envs"));
}

QTEST_GUILESS_MAIN(tst_DbConfig)
#include "tst_dbconfig.moc"

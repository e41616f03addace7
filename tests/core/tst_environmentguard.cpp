#include "admin/resetter.h"
#include "db/database.h"
#include "db/errors.h"
#include "migrate/environmentguard.h"
#include "migrate/migrationerror.h"
#include "migrate/migrator.h"
#include "migrateddb.h"
#include "testsupport.h"

#include <QDir>
#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace dbdeck;
using dbdeck::test::configFor;
using dbdeck::test::writeFile;

// Protected environments (EnvironmentGuard) and what Migrator does with them: the tag recorded
// before the first migration runs, and downgrades of protected databases refused unless asked
// for explicitly, with the database's name, and then only after a verified backup.
class tst_EnvironmentGuard : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void protectionFromConfigOrTagInAnyCase_data();
    void protectionFromConfigOrTagInAnyCase();
    void aProtectedTagIsNeverReplacedByAnUnprotectedOne();
    void failedFirstProductionUpgradeLeavesTheDatabaseProtected();
    void protectedDowngradeIsRefusedWithoutPermissionAndName();
    void protectedDowngradeWritesAVerifiedBackupFirst();
    void unprotectedDowngradeNeedsNoConfirmation();

private:
    std::unique_ptr<Database> open(std::initializer_list<std::pair<const char *, const char *>> settings = {});
    MigrationSet migrations() const { return MigrationSet::load(m_folder); }
    void upgrade(Database &db);

    QTemporaryDir m_dir;
    QString m_previousDir;
    QString m_folder;
    QString m_url;
};

void tst_EnvironmentGuard::initTestCase()
{
    DBDECK_SKIP_POSTGRES_RUN_WITHOUT_SERVER();
    m_previousDir = QDir::currentPath();
}

void tst_EnvironmentGuard::init()
{
    const QString row = QString::fromLatin1(QTest::currentDataTag()).replace(QLatin1Char(' '), QLatin1Char('_'));
    const QString folder = m_dir.filePath(QLatin1String(QTest::currentTestFunction()) + row);
    m_folder = folder + QStringLiteral("/migrations");
    QVERIFY(QDir().mkpath(m_folder));
    QDir::setCurrent(folder); // PostgreSQL's backups go to ./data/backups: here, not into the build tree
    m_url = test::testDatabaseUrl(folder + QStringLiteral("/app.db"));
    for (int n = 1; n <= 2; ++n)
        writeFile(QStringLiteral("%1/000%2_table_%2.sql").arg(m_folder).arg(n),
                  QStringLiteral("-- migrate:up\nCREATE TABLE t%1 (id INTEGER PRIMARY KEY);\nINSERT INTO t%1 (id) VALUES (%1);\n"
                                 "-- migrate:down\nDROP TABLE t%1;\n").arg(n));
}

void tst_EnvironmentGuard::cleanup()
{
    QDir::setCurrent(m_previousDir);
}

std::unique_ptr<Database> tst_EnvironmentGuard::open(std::initializer_list<std::pair<const char *, const char *>> settings)
{
    return std::make_unique<Database>(configFor(m_url, settings));
}

void tst_EnvironmentGuard::upgrade(Database &db)
{
    Migrator(db, migrations()).upgrade({});
}

void tst_EnvironmentGuard::protectionFromConfigOrTagInAnyCase_data()
{
    QTest::addColumn<QString>("migratedWith");  // APP_ENV of the upgrade that recorded the tag
    QTest::addColumn<QString>("appEnv");        // APP_ENV now
    QTest::addColumn<QString>("protectedEnvs"); // PROTECTED_ENVS now
    QTest::addColumn<QString>("protection");    // empty: not protected
    const QString defaults = QStringLiteral("(PROTECTED_ENVS: production, prod, live)");
    QTest::newRow("development") << "development" << "development" << "production,prod,live" << "";
    QTest::newRow("tag Production") << "Production" << "dev" << "production,prod,live"
                                    << "this database is tagged Production (the APP_ENV it was migrated with), a protected environment " + defaults;
    QTest::newRow("tag prod") << "prod" << "dev" << "production,prod,live"
                              << "this database is tagged prod (the APP_ENV it was migrated with), a protected environment " + defaults;
    QTest::newRow("tag live") << "live" << "dev" << "production,prod,live"
                              << "this database is tagged live (the APP_ENV it was migrated with), a protected environment " + defaults;
    QTest::newRow("configured LIVE, tag development") << "development" << "LIVE" << "production,prod,live"
                                                      << "APP_ENV is \"LIVE\", a protected environment " + defaults;
    QTest::newRow("custom list") << "QA" << "dev" << "qa" << "this database is tagged QA (the APP_ENV it was migrated with), a "
                                                             "protected environment (PROTECTED_ENVS: qa)";
    QTest::newRow("custom list replaces the default") << "development" << "prod" << "qa" << "";
}

void tst_EnvironmentGuard::protectionFromConfigOrTagInAnyCase()
{
    QFETCH(QString, migratedWith);
    QFETCH(QString, appEnv);
    QFETCH(QString, protectedEnvs);
    QFETCH(QString, protection);
    const QByteArray tag = migratedWith.toUtf8(), env = appEnv.toUtf8(), envs = protectedEnvs.toUtf8();
    {
        const auto db = open({{"APP_ENV", tag.constData()}, {"PROTECTED_ENVS", "none"}});
        upgrade(*db);
    }
    const auto db = open({{"APP_ENV", env.constData()}, {"PROTECTED_ENVS", envs.constData()}});
    EnvironmentGuard guard(*db);
    QCOMPARE(guard.recordedTag(), migratedWith);
    QCOMPARE(guard.protection(), protection);
}

void tst_EnvironmentGuard::aProtectedTagIsNeverReplacedByAnUnprotectedOne()
{
    upgrade(*open({{"APP_ENV", "Prod"}}));
    writeFile(m_folder + QStringLiteral("/0003_table_3.sql"), "-- migrate:up\nCREATE TABLE t3 (id INTEGER PRIMARY KEY);\n");
    const auto dev = open({{"APP_ENV", "development"}});
    upgrade(*dev);
    QCOMPARE(EnvironmentGuard(*dev).recordedTag(), QStringLiteral("Prod"));
    QVERIFY(!EnvironmentGuard(*dev).protection().isEmpty());
    const auto live = open({{"APP_ENV", "live"}}); // one protected tag may replace another
    EnvironmentGuard(*live).recordTag();
    QCOMPARE(EnvironmentGuard(*dev).recordedTag(), QStringLiteral("live"));
}

// The tag is written before the first migration runs: a production upgrade whose first
// migration fails still leaves a database that reset and downgrade treat as protected.
void tst_EnvironmentGuard::failedFirstProductionUpgradeLeavesTheDatabaseProtected()
{
    writeFile(m_folder + QStringLiteral("/0001_table_1.sql"), "-- migrate:up\nCREATE TABLE t1 (id INTEGER PRIMARY KEY);\nSELECT * FROM no_such_table;\n");
    const auto prod = open({{"APP_ENV", "Production"}});
    QVERIFY_THROWS_EXCEPTION(MigrationError, upgrade(*prod));
    QCOMPARE(Migrator(*prod, migrations()).status().current, 0);

    const auto dev = open({{"APP_ENV", "development"}});
    EnvironmentGuard guard(*dev);
    QCOMPARE(guard.recordedTag(), QStringLiteral("Production"));
    qputenv("DBDECK_ALLOW_RESET", "1");
    const QString refusal = Resetter(*dev).refusal();
    qunsetenv("DBDECK_ALLOW_RESET");
    QVERIFY2(refusal.startsWith(QStringLiteral("this database is tagged Production")), qPrintable(refusal));
    QVERIFY(refusal.endsWith(QStringLiteral("it is never reset")));
}

void tst_EnvironmentGuard::protectedDowngradeIsRefusedWithoutPermissionAndName()
{
    upgrade(*open({{"APP_ENV", "production"}}));
    const auto db = open({{"APP_ENV", "development"}});
    const QString name = EnvironmentGuard(*db).databaseName();
    struct Attempt
    {
        bool allow;
        QString name;
        QString message;
    };
    const QString tagged = QStringLiteral("this database is tagged production (the APP_ENV it was migrated with), a protected "
                                          "environment (PROTECTED_ENVS: production, prod, live)");
    const QList<Attempt> attempts{
        {false, QString(), QStringLiteral("refusing to downgrade: %1. A downgrade drops what the migrations created; to do it anyway, "
                                          "pass --allow-protected --confirm %2 (the database's name): dbdeck then writes a verified "
                                          "backup first").arg(tagged, name)},
        {false, name, QStringLiteral("refusing to downgrade: %1").arg(tagged)},
        {true, QString(), QStringLiteral("refusing to downgrade: %1").arg(tagged)},
        {true, name + QStringLiteral("x"), QStringLiteral("refusing to downgrade: the name typed (\"%1x\") is not the database's "
                                                          "name (\"%1\")").arg(name)},
    };
    for (const Attempt &a : attempts) {
        MigrationRunOptions o;
        o.target = QStringLiteral("-1");
        o.allowProtected = a.allow;
        o.confirmName = a.name;
        Migrator migrator(*db, migrations());
        try {
            migrator.downgrade(o);
            QFAIL("downgrade was not refused");
        } catch (const MigrationError &error) {
            QVERIFY2(error.message().startsWith(a.message), qPrintable(error.message()));
        }
        QCOMPARE(migrator.status().current, 2);
        QCOMPARE(db->scalar(QStringLiteral("SELECT count(*) FROM t2")).toInt(), 1);
        QCOMPARE(migrator.journal(1).first().outcome, QStringLiteral("refused"));
    }
    QVERIFY(!QFile::exists(QStringLiteral("data/backups")));
    QVERIFY(!QFile::exists(QStringLiteral("backups")));
}

void tst_EnvironmentGuard::protectedDowngradeWritesAVerifiedBackupFirst()
{
    if (test::testingPostgres() && QStandardPaths::findExecutable(QStringLiteral("pg_dump")).isEmpty())
        QSKIP("pg_dump is not installed");
    const auto db = open({{"APP_ENV", "PROD"}});
    upgrade(*db);
    db->exec(QStringLiteral("INSERT INTO t2 (id) VALUES (20), (21)"));
    MigrationRunOptions o;
    o.target = QStringLiteral("-1");
    o.allowProtected = true;
    o.confirmName = EnvironmentGuard(*db).databaseName();
    Migrator migrator(*db, migrations());
    const MigrationRunResult result = migrator.downgrade(o);
    QCOMPARE(result.done, QStringList{QStringLiteral("0002_table_2")});
    QVERIFY(!db->hasTable(QStringLiteral("t2")));
    const QString folder = test::testingPostgres() ? QDir::current().absoluteFilePath(QStringLiteral("data/backups"))
                                                   : QDir::current().absoluteFilePath(QStringLiteral("backups"));
    QVERIFY2(result.backupPath.startsWith(folder + QLatin1Char('/') + o.confirmName + QLatin1Char('-')), qPrintable(result.backupPath));
    QCOMPARE(QDir(folder).entryList(QDir::Files), QStringList{QFileInfo(result.backupPath).fileName()});
    if (test::testingPostgres()) {
        QFile dump(result.backupPath);
        QVERIFY(dump.open(QIODevice::ReadOnly));
        const QByteArray text = dump.readAll();
        QVERIFY(text.contains("CREATE TABLE public.t2"));
        QVERIFY(text.contains("\n21\n"));
    } else {
        Database backup(DbConfig::forUrl(QStringLiteral("sqlite:///") + result.backupPath));
        QCOMPARE(backup.scalar(QStringLiteral("SELECT count(*) FROM t2")).toInt(), 3);
    }
    const JournalEntry entry = migrator.journal(1).first();
    QCOMPARE(entry.outcome, QStringLiteral("succeeded"));
    QVERIFY2(entry.detail.contains(QStringLiteral("protected database: backup ") + result.backupPath), qPrintable(entry.detail));
}

void tst_EnvironmentGuard::unprotectedDowngradeNeedsNoConfirmation()
{
    const auto db = open();
    upgrade(*db);
    MigrationRunOptions o;
    o.target = QStringLiteral("base");
    const MigrationRunResult result = Migrator(*db, migrations()).downgrade(o);
    QCOMPARE(result.done.size(), 2);
    QVERIFY(result.backupPath.isEmpty());
    QVERIFY(!QFile::exists(QStringLiteral("backups")) && !QFile::exists(QStringLiteral("data/backups")));
}

QTEST_GUILESS_MAIN(tst_EnvironmentGuard)
#include "tst_environmentguard.moc"

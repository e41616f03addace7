#include "db/database.h"
#include "db/databasebackup.h"
#include "db/errors.h"
#include "db/transaction.h"
#include "faultyvfs.h"
#include "migrateddb.h"
#include "testsupport.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

using namespace dbdeck;

// DatabaseBackup: the copy a destructive operation writes first is verified before it is kept,
// and a backup that fails leaves no file behind.
class tst_DatabaseBackup : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void backupHoldsEveryRowAndIsVerified();
    void needsAWriteTransaction();
    void failedWriteLeavesNoFile();
    void differingCountsAreRefused();
    void connectsAsTheUrlSays();

private:
    QString backupFolder() const;

    QTemporaryDir m_dir;
    QString m_previousDir;
    QString m_folder;
    std::unique_ptr<Database> m_db;
};

void tst_DatabaseBackup::initTestCase()
{
    DBDECK_SKIP_POSTGRES_RUN_WITHOUT_SERVER();
    test::FaultyVfs::install(); // before any connection, so that every connection uses it
    m_previousDir = QDir::currentPath();
}

void tst_DatabaseBackup::init()
{
    if (test::testingPostgres() && QStandardPaths::findExecutable(QStringLiteral("pg_dump")).isEmpty())
        QSKIP("pg_dump is not installed");
    m_folder = m_dir.filePath(QLatin1String(QTest::currentTestFunction()));
    QVERIFY(QDir().mkpath(m_folder));
    QDir::setCurrent(m_folder); // PostgreSQL's backups go to ./data/backups
    m_db = test::migratedDatabase(m_folder + QStringLiteral("/app.db"));
    m_db->exec(QStringLiteral("CREATE TABLE \"odd \"\"name\"\" (x)\" (x INTEGER, note TEXT)"));
    for (int i = 0; i < 300; ++i)
        m_db->exec(QStringLiteral("INSERT INTO \"odd \"\"name\"\" (x)\" (x, note) VALUES (?, ?)"),
                   {i, QStringLiteral("line one\nline two\t%1 ").arg(i).repeated(10)});
    m_db->exec(QStringLiteral("INSERT INTO runs (id, kind, created_at, updated_at) VALUES ('r', 'k', 't', 't')"));
}

void tst_DatabaseBackup::cleanup()
{
    test::FaultyVfs::failWritesTo.clear();
    m_db.reset();
    QDir::setCurrent(m_previousDir);
}

QString tst_DatabaseBackup::backupFolder() const
{
    return m_folder + (test::testingPostgres() ? QStringLiteral("/data/backups") : QStringLiteral("/backups"));
}

void tst_DatabaseBackup::backupHoldsEveryRowAndIsVerified()
{
    const BackupResult first = withTransaction(*m_db, Transaction::Mode::Write, [&] { return DatabaseBackup::write(*m_db, QStringLiteral("app")); });
    const BackupResult second = withTransaction(*m_db, Transaction::Mode::Write, [&] { return DatabaseBackup::write(*m_db, QStringLiteral("app")); });
    QVERIFY(first.path != second.path); // two in the same second do not collide
    QCOMPARE(QDir(backupFolder()).entryList(QDir::Files).size(), 2); // and no .partial is left
    QVERIFY(first.tables >= 7);
    QCOMPARE(first.rows, second.rows);
    QVERIFY(first.rows >= 302);
    if (test::testingPostgres()) {
        QFile dump(first.path);
        QVERIFY(dump.open(QIODevice::ReadOnly));
        QVERIFY(dump.readAll().contains("COPY public.\"odd \"\"name\"\" (x)\" (x, note) FROM stdin;"));
        return;
    }
    Database copy(DbConfig::forUrl(QStringLiteral("sqlite:///") + first.path));
    QCOMPARE(copy.scalar(QStringLiteral("SELECT count(*) FROM \"odd \"\"name\"\" (x)\"")).toInt(), 300);
    QCOMPARE(copy.scalar(QStringLiteral("SELECT note FROM \"odd \"\"name\"\" (x)\" WHERE x = 7")).toString(),
             QStringLiteral("line one\nline two\t7 ").repeated(10));
}

void tst_DatabaseBackup::needsAWriteTransaction()
{
    QVERIFY_THROWS_EXCEPTION(DbError, DatabaseBackup::write(*m_db, QStringLiteral("app")));
    QVERIFY(!QFile::exists(backupFolder()));
}

void tst_DatabaseBackup::failedWriteLeavesNoFile()
{
    if (test::testingPostgres())
        QSKIP("SQLite only: the I/O error is simulated in SQLite's file layer");
    test::FaultyVfs::failWritesTo = QFile::encodeName(backupFolder());
    test::FaultyVfs::failedWrites = 0;
    try {
        withTransaction(*m_db, Transaction::Mode::Write, [&] { DatabaseBackup::write(*m_db, QStringLiteral("app")); });
        QFAIL("no DbError");
    } catch (const DbError &error) {
        QVERIFY2(error.message().contains(QStringLiteral("could not be written")), qPrintable(error.message()));
        QVERIFY2(error.message().endsWith(QStringLiteral("nothing was changed and no backup was kept")), qPrintable(error.message()));
    }
    test::FaultyVfs::failWritesTo.clear();
    QVERIFY(test::FaultyVfs::failedWrites > 0);
    QCOMPARE(QDir(backupFolder()).entryList(QDir::Files | QDir::Hidden), QStringList{});
}

void tst_DatabaseBackup::differingCountsAreRefused()
{
    const QHash<QString, qint64> database{{QStringLiteral("runs"), 3}, {QStringLiteral("events"), 10}};
    DatabaseBackup::requireSameCounts(database, database, QStringLiteral("b.db"));
    try {
        DatabaseBackup::requireSameCounts(database, {{QStringLiteral("runs"), 3}, {QStringLiteral("events"), 9}}, QStringLiteral("b.db"));
        QFAIL("no DbError");
    } catch (const DbError &error) {
        QCOMPARE(error.message(), QStringLiteral("the backup b.db could not be verified: table events has 10 rows in the database but 9 "
                                                 "in the backup; nothing was changed"));
    }
    try {
        DatabaseBackup::requireSameCounts(database, {{QStringLiteral("runs"), 3}}, QStringLiteral("b.db"));
        QFAIL("no DbError");
    } catch (const DbError &error) {
        QCOMPARE(error.message(), QStringLiteral("the backup b.db could not be verified: it has no table events; nothing was changed"));
    }
}

// The backup reaches the database the way the application's URL says, not only through its
// host, port and name parts: PostgreSQL's pg_dump gets every libpq parameter (here host and port
// given only as query parameters, so pg_dump's defaults would miss the server); SQLite's copy
// opens a URI-mode URL as a URI (here its vfs=, so the failing default VFS is not used).
void tst_DatabaseBackup::connectsAsTheUrlSays()
{
    QString url;
    if (test::testingPostgres()) {
        const QUrl server(test::PgTestDatabase::serverUrl());
        url = QStringLiteral("postgresql://%1@/%2?host=%3&port=%4&application_name=dbdeck-test")
                  .arg(server.userName(), m_db->config().url().database(), server.host())
                  .arg(server.port(5432));
    } else {
        url = QStringLiteral("sqlite:///file:%1/app.db?vfs=%2&uri=true").arg(m_folder, QLatin1String(sqlite3_vfs_find("unix")->zName));
        test::FaultyVfs::failWritesTo = QFile::encodeName(backupFolder());
        test::FaultyVfs::failedWrites = 0;
    }
    m_db.reset();
    Database db(test::configFor(url));
    const BackupResult backup = withTransaction(db, Transaction::Mode::Write, [&] { return DatabaseBackup::write(db, QStringLiteral("app")); });
    QVERIFY(backup.rows >= 302);
    QCOMPARE(QDir(backupFolder()).entryList(QDir::Files), QStringList{QFileInfo(backup.path).fileName()});
    if (!test::testingPostgres())
        QCOMPARE(test::FaultyVfs::failedWrites.load(), 0);
}

QTEST_GUILESS_MAIN(tst_DatabaseBackup)
#include "tst_databasebackup.moc"

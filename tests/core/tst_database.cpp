#include "db/database.h"
#include "db/errors.h"
#include "testsupport.h"

#include <QFile>
#include <QMutex>
#include <QSqlDatabase>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <unistd.h>

using namespace dbdeck;
using dbdeck::test::configFor;
using dbdeck::test::sqliteUrl;

namespace {

QStringList g_warnings;

void collectWarnings(QtMsgType type, const QMessageLogContext &, const QString &message)
{
    if (type == QtWarningMsg || type == QtCriticalMsg)
        g_warnings << message;
}

QString readPragma(Database &db, const QString &name)
{
    return db.scalar(QStringLiteral("PRAGMA ") + name).toString();
}

} // namespace

class tst_Database : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void connectsAndSelects();
    void appliesPragmasOnEveryThreadsConnection_data();
    void appliesPragmasOnEveryThreadsConnection();
    void eachThreadHasItsOwnConnectionClosedWhenTheThreadEnds();
    void destroyingTheDatabaseRemovesConnectionsWithoutWarnings();
    void memoryDatabaseIsPerConnectionAndWarnsAboutWal();
    void createsMissingParentFolder();
    void refusesFolderAsDatabase();
    void refusesParentThatIsAFile();
    void refusesFileThatIsNotADatabase();
    void refusesReadOnlyFile();
    void echoSqlLogsStatements();

private:
    QTemporaryDir m_dir;
};

void tst_Database::init()
{
    g_warnings.clear();
}

void tst_Database::connectsAndSelects()
{
    Database db(configFor(sqliteUrl(m_dir.filePath(QStringLiteral("select.db")))));
    QCOMPARE(db.scalar(QStringLiteral("SELECT 1")).toInt(), 1);
    QCOMPARE(db.scalar(QStringLiteral("SELECT ? + ?"), {2, 3}).toInt(), 5);
    QVERIFY(QFile::exists(m_dir.filePath(QStringLiteral("select.db"))));
}

void tst_Database::appliesPragmasOnEveryThreadsConnection_data()
{
    QTest::addColumn<QString>("journal");
    QTest::addColumn<QString>("synchronous");
    QTest::addColumn<QString>("foreignKeys");
    QTest::addColumn<QString>("timeout");
    QTest::newRow("defaults") << "WAL" << "NORMAL" << "true" << "5000";
    QTest::newRow("delete/full/off") << "DELETE" << "FULL" << "false" << "250";
    QTest::newRow("truncate/extra") << "TRUNCATE" << "EXTRA" << "true" << "0";
}

void tst_Database::appliesPragmasOnEveryThreadsConnection()
{
    QFETCH(QString, journal);
    QFETCH(QString, synchronous);
    QFETCH(QString, foreignKeys);
    QFETCH(QString, timeout);
    const QString path = m_dir.filePath(QStringLiteral("pragmas-%1.db").arg(QTest::currentDataTag()));
    ConfigInputs inputs;
    inputs.environment = QProcessEnvironment();
    inputs.readDotEnv = false;
    inputs.flags = {{QStringLiteral("DB_URL"), sqliteUrl(path)},
                    {QStringLiteral("SQLITE_JOURNAL_MODE"), journal},
                    {QStringLiteral("SQLITE_SYNCHRONOUS"), synchronous},
                    {QStringLiteral("SQLITE_FOREIGN_KEYS"), foreignKeys},
                    {QStringLiteral("SQLITE_BUSY_TIMEOUT_MS"), timeout}};
    Database db(DbConfig::load(inputs));
    const QStringList syncNames{QStringLiteral("OFF"), QStringLiteral("NORMAL"), QStringLiteral("FULL"), QStringLiteral("EXTRA")};

    // Read back on the connection itself, from the main thread and three others.
    QStringList seen;
    auto check = [&] {
        seen << QStringLiteral("%1|%2|%3|%4")
                    .arg(readPragma(db, QStringLiteral("journal_mode")).toUpper(),
                         syncNames.value(readPragma(db, QStringLiteral("synchronous")).toInt()),
                         readPragma(db, QStringLiteral("foreign_keys")), readPragma(db, QStringLiteral("busy_timeout")));
    };
    check();
    QList<QThread *> threads;
    QMutex mutex;
    for (int i = 0; i < 3; ++i) {
        threads << QThread::create([&] {
            const QString row = QStringLiteral("%1|%2|%3|%4")
                                    .arg(readPragma(db, QStringLiteral("journal_mode")).toUpper(),
                                         syncNames.value(readPragma(db, QStringLiteral("synchronous")).toInt()),
                                         readPragma(db, QStringLiteral("foreign_keys")),
                                         readPragma(db, QStringLiteral("busy_timeout")));
            QMutexLocker lock(&mutex);
            seen << row;
        });
        threads.last()->start();
    }
    for (QThread *thread : threads) {
        QVERIFY(thread->wait(10000));
        delete thread;
    }
    const QString expected = QStringLiteral("%1|%2|%3|%4").arg(journal, synchronous,
                                                               foreignKeys == QLatin1String("true") ? QStringLiteral("1") : QStringLiteral("0"),
                                                               timeout);
    QCOMPARE(seen.size(), 4);
    for (const QString &row : std::as_const(seen))
        QCOMPARE(row, expected);

    // And the reports: four connections, every PRAGMA configured == effective, no warnings.
    const auto infos = db.connections();
    QCOMPARE(infos.size(), 4);
    for (const auto &info : infos) {
        QCOMPARE(info.pragmas.size(), 4);
        for (const auto &pragma : info.pragmas)
            QVERIFY2(pragma.matches(), qPrintable(pragma.name + QLatin1Char('=') + pragma.effective));
        QVERIFY(info.warnings.isEmpty());
    }
    QVERIFY(db.warnings().isEmpty());
}

void tst_Database::eachThreadHasItsOwnConnectionClosedWhenTheThreadEnds()
{
    qInstallMessageHandler(collectWarnings);
    Database db(configFor(sqliteUrl(m_dir.filePath(QStringLiteral("threads.db")))));
    const QString mainName = db.connection().connectionName();
    QString threadName;
    bool existedInThread = false;
    QThread *thread = QThread::create([&] {
        threadName = db.connection().connectionName();
        db.scalar(QStringLiteral("SELECT 1"));
        existedInThread = QSqlDatabase::contains(threadName);
    });
    thread->start();
    QVERIFY(thread->wait(10000));
    delete thread;
    qInstallMessageHandler(nullptr);
    QVERIFY(existedInThread);
    QVERIFY(mainName != threadName);
    QVERIFY(QSqlDatabase::contains(mainName));
    QVERIFY2(!QSqlDatabase::contains(threadName), "the ended thread's connection is still registered");
    QVERIFY2(g_warnings.isEmpty(), qPrintable(g_warnings.join(QLatin1Char('\n'))));
}

void tst_Database::destroyingTheDatabaseRemovesConnectionsWithoutWarnings()
{
    qInstallMessageHandler(collectWarnings);
    QString name;
    {
        Database db(configFor(sqliteUrl(m_dir.filePath(QStringLiteral("destroy.db")))));
        name = db.connection().connectionName();
        db.exec(QStringLiteral("CREATE TABLE t (id INTEGER PRIMARY KEY)"));
        QVERIFY(QSqlDatabase::contains(name));
    }
    qInstallMessageHandler(nullptr);
    QVERIFY(!QSqlDatabase::contains(name));
    QVERIFY2(g_warnings.isEmpty(), qPrintable(g_warnings.join(QLatin1Char('\n'))));
}

void tst_Database::memoryDatabaseIsPerConnectionAndWarnsAboutWal()
{
    Database db(configFor(QStringLiteral("sqlite:///:memory:")));
    db.exec(QStringLiteral("CREATE TABLE t (id INTEGER PRIMARY KEY)"));
    db.exec(QStringLiteral("INSERT INTO t (id) VALUES (1)"));
    QCOMPARE(db.scalar(QStringLiteral("SELECT count(*) FROM t")).toInt(), 1);
    bool tableSeenInThread = true;
    QThread *thread = QThread::create([&] {
        tableSeenInThread = db.scalar(QStringLiteral("SELECT count(*) FROM sqlite_schema WHERE name = 't'")).toInt() == 1;
    });
    thread->start();
    QVERIFY(thread->wait(10000));
    delete thread;
    QVERIFY2(!tableSeenInThread, "another thread's :memory: connection must be a different, empty database");

    const auto info = db.connections().first();
    const auto journal = std::find_if(info.pragmas.cbegin(), info.pragmas.cend(),
                                      [](const PragmaReading &p) { return p.name == QLatin1String("journal_mode"); });
    QCOMPARE(journal->configured, QStringLiteral("WAL"));
    QCOMPARE(journal->effective, QStringLiteral("MEMORY"));
    QVERIFY(db.warnings().contains(QStringLiteral("PRAGMA journal_mode is MEMORY, not the configured WAL")));
    QVERIFY(!QFile::exists(QStringLiteral(":memory:")));
}

void tst_Database::createsMissingParentFolder()
{
    const QString path = m_dir.filePath(QStringLiteral("a/b/c/app.db"));
    Database db(configFor(sqliteUrl(path)));
    QCOMPARE(db.scalar(QStringLiteral("SELECT 1")).toInt(), 1);
    QVERIFY(QFile::exists(path));
}

void tst_Database::refusesFolderAsDatabase()
{
    const QString path = m_dir.filePath(QStringLiteral("folder.db"));
    QVERIFY(QDir().mkpath(path));
    Database db(configFor(sqliteUrl(path)));
    try {
        db.connection();
        QFAIL("no DbError");
    } catch (const DbError &error) {
        QCOMPARE(error.message(), QStringLiteral("cannot open the database %1: it is a folder, not a file").arg(path));
    }
}

void tst_Database::refusesParentThatIsAFile()
{
    const QString blocker = m_dir.filePath(QStringLiteral("plainfile"));
    QFile file(blocker);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.close();
    const QString path = blocker + QStringLiteral("/app.db");
    Database db(configFor(sqliteUrl(path)));
    try {
        db.connection();
        QFAIL("no DbError");
    } catch (const DbError &error) {
        QCOMPARE(error.message(),
                 QStringLiteral("cannot create the database %1: %2 is a file, not a folder").arg(path, blocker));
    }
}

void tst_Database::refusesFileThatIsNotADatabase()
{
    const QString path = m_dir.filePath(QStringLiteral("notes.txt"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QByteArray("These are notes, not a database.\n").repeated(200));
    file.close();
    Database db(configFor(sqliteUrl(path)));
    try {
        db.connection();
        QFAIL("no DbError");
    } catch (const DbError &error) {
        QVERIFY2(error.message().startsWith(QStringLiteral("%1 is not a SQLite database").arg(path)),
                 qPrintable(error.message()));
        QCOMPARE(error.nativeCode(), QStringLiteral("26"));
    }
    QVERIFY(QSqlDatabase::connectionNames().filter(QStringLiteral("dbdeck-")).isEmpty());
}

void tst_Database::refusesReadOnlyFile()
{
    if (geteuid() == 0)
        QSKIP("root can write to read-only files; tst_cli covers this case as an unprivileged user");
    const QString path = m_dir.filePath(QStringLiteral("readonly.db"));
    {
        Database db(configFor(sqliteUrl(path), {{"SQLITE_JOURNAL_MODE", "DELETE"}}));
        db.exec(QStringLiteral("CREATE TABLE t (id INTEGER PRIMARY KEY)"));
    }
    QVERIFY(QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::ReadGroup));
    Database db(configFor(sqliteUrl(path), {{"SQLITE_JOURNAL_MODE", "DELETE"}}));
    try {
        db.connection();
        QFAIL("no DbError");
    } catch (const DbError &error) {
        QVERIFY2(error.message().startsWith(QStringLiteral("cannot write to the database: the file %1 is read-only").arg(path)),
                 qPrintable(error.message()));
    }
}

void tst_Database::echoSqlLogsStatements()
{
    QStringList logged;
    static QStringList *sink = nullptr;
    sink = &logged;
    qInstallMessageHandler([](QtMsgType, const QMessageLogContext &context, const QString &message) {
        if (QLatin1String(context.category) == QLatin1String("dbdeck.sql"))
            sink->append(message);
    });
    {
        Database quiet(configFor(sqliteUrl(m_dir.filePath(QStringLiteral("quiet.db")))));
        quiet.scalar(QStringLiteral("SELECT 42"));
    }
    QVERIFY(logged.isEmpty());
    {
        Database loud(configFor(sqliteUrl(m_dir.filePath(QStringLiteral("loud.db"))), {{"ECHO_SQL", "true"}}));
        loud.scalar(QStringLiteral("SELECT ?"), {QStringLiteral("hello")});
    }
    qInstallMessageHandler(nullptr);
    QVERIFY2(logged.contains(QStringLiteral("SELECT ? -- params: hello")), qPrintable(logged.join(QLatin1Char('\n'))));
    QVERIFY(logged.contains(QStringLiteral("PRAGMA journal_mode = WAL")));
}

QTEST_GUILESS_MAIN(tst_Database)
#include "tst_database.moc"

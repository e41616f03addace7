// Database::Access::LookFirst: looking never changes a database; the first write switches.
// Registered twice: the SQLite file cases run on the SQLite run, the PostgreSQL session cases on
// tst_databaselooking@postgres.
#include "db/database.h"
#include "db/errors.h"
#include "db/transaction.h"
#include "filesnapshot.h"
#include "migrateddb.h"
#include "testsupport.h"

#include <QDir>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <memory>

using namespace dbdeck;
using dbdeck::test::configFor;
using dbdeck::test::createSqliteFile;
using dbdeck::test::FileSnapshot;
using dbdeck::test::journalHeaderBytes;
using dbdeck::test::sqliteUrl;

namespace {

PragmaReading readingOf(const Database &db, const QString &name)
{
    for (const PragmaReading &p : db.connections().last().pragmas) {
        if (p.name == name)
            return p;
    }
    return {};
}

} // namespace

class tst_DatabaseLooking : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { DBDECK_SKIP_POSTGRES_RUN_WITHOUT_SERVER(); }
    void init();
    void cleanup() { m_pg.reset(); }
    void lookingAtARollbackFileLeavesItByteIdentical();
    void lookingAtAWalFileConfiguredDeleteLeavesItWal();
    void rollbackModesAreSetOnTheLookingConnection();
    void aWriteOnALookingConnectionIsRefusedAndChangesNothing();
    void theFirstWriteTransactionSwitchesJournalMode();
    void ensureWritableIsPerThread();
    void lookingAtAMissingFileCreatesNothing();
    void modeRoUrlIsLookedAtButNotWritten();
    void modeRwUrlIsLookedAtReadOnly();
    void writeModeRefusesAReadOnlyUrlBeforeCreatingAnything();
    void aLookingPostgresSessionRefusesWritesAndSaysSo();
    void aWriteTransactionSwitchesThePostgresSessionToWrite();
    void everyThreadOfALookingPostgresDatabaseStartsReadOnly();
    void aPostgresSessionTheUrlMakesReadOnlyStaysReadOnly();
    void aPostgresDatabaseOpenedToWriteWritesAtOnce();
    void aLookingPostgresDatabaseMigratesWhenAsked();

private:
    QTemporaryDir m_dir;
    std::unique_ptr<dbdeck::test::PgTestDatabase> m_pg; // the PostgreSQL cases: table t with one row
};

void tst_DatabaseLooking::init()
{
    if (const QString skipped = dbdeck::test::otherBackendsCase(); !skipped.isEmpty())
        QSKIP(qPrintable(skipped));
    if (!dbdeck::test::testingPostgres())
        return;
    m_pg = std::make_unique<dbdeck::test::PgTestDatabase>(QStringLiteral("dbdeck_looking"));
    Database seed(configFor(m_pg->url()));
    seed.exec(QStringLiteral("CREATE TABLE t (id SERIAL PRIMARY KEY, name TEXT NOT NULL)"));
    seed.exec(QStringLiteral("INSERT INTO t (name) VALUES ('one')"));
}

void tst_DatabaseLooking::lookingAtARollbackFileLeavesItByteIdentical()
{
    const QString path = m_dir.filePath(QStringLiteral("rollback.db"));
    createSqliteFile(path);
    QCOMPARE(journalHeaderBytes(path), QByteArray("0101"));
    const FileSnapshot before = FileSnapshot::of(path);
    QTest::qWait(20); // an mtime change would show
    {
        Database db(configFor(sqliteUrl(path)), Database::Access::LookFirst); // configured: WAL
        QCOMPARE(db.scalar(QStringLiteral("SELECT count(*) FROM t")).toInt(), 1);
        QVERIFY(db.isLookingOnly());
        QVERIFY(!db.isWritable());
        QVERIFY(db.connections().last().readOnly);
        const PragmaReading journal = readingOf(db, QStringLiteral("journal_mode"));
        QCOMPARE(journal.configured, QStringLiteral("WAL"));
        QCOMPARE(journal.effective, QStringLiteral("DELETE"));
        QVERIFY(journal.deferred);
        QCOMPARE(journal.note, QStringLiteral("switched to WAL on the first write"));
        QVERIFY2(db.warnings().isEmpty(), qPrintable(db.warnings().join(QLatin1Char('\n'))));
        QCOMPARE(readingOf(db, QStringLiteral("foreign_keys")).effective, QStringLiteral("ON")); // the connection's own
    }
    const FileSnapshot after = FileSnapshot::of(path);
    QVERIFY2(after == before, qPrintable(before.describe() + QStringLiteral(" -> ") + after.describe()));
    QCOMPARE(journalHeaderBytes(path), QByteArray("0101"));
}

void tst_DatabaseLooking::lookingAtAWalFileConfiguredDeleteLeavesItWal()
{
    const QString path = m_dir.filePath(QStringLiteral("wal.db"));
    createSqliteFile(path, "WAL");
    QCOMPARE(journalHeaderBytes(path), QByteArray("0202"));
    const FileSnapshot before = FileSnapshot::of(path);
    {
        Database db(configFor(sqliteUrl(path), {{"SQLITE_JOURNAL_MODE", "DELETE"}}), Database::Access::LookFirst);
        QCOMPARE(db.scalar(QStringLiteral("SELECT name FROM t")).toString(), QStringLiteral("one"));
        const PragmaReading journal = readingOf(db, QStringLiteral("journal_mode"));
        QCOMPARE(journal.effective, QStringLiteral("WAL"));
        QCOMPARE(journal.note, QStringLiteral("switched to DELETE on the first write"));
    }
    QCOMPARE(journalHeaderBytes(path), QByteArray("0202"));
    QVERIFY(FileSnapshot::of(path) == before);
}

void tst_DatabaseLooking::rollbackModesAreSetOnTheLookingConnection()
{
    // TRUNCATE on a DELETE file is the connection's own choice: applied, no note, no mismatch.
    const QString path = m_dir.filePath(QStringLiteral("truncate.db"));
    createSqliteFile(path);
    Database db(configFor(sqliteUrl(path), {{"SQLITE_JOURNAL_MODE", "TRUNCATE"}}), Database::Access::LookFirst);
    db.connection();
    const PragmaReading journal = readingOf(db, QStringLiteral("journal_mode"));
    QCOMPARE(journal.effective, QStringLiteral("TRUNCATE"));
    QVERIFY(journal.matches());
    QVERIFY(!journal.deferred);
}

void tst_DatabaseLooking::aWriteOnALookingConnectionIsRefusedAndChangesNothing()
{
    const QString path = m_dir.filePath(QStringLiteral("refuse.db"));
    createSqliteFile(path);
    const FileSnapshot before = FileSnapshot::of(path);
    Database db(configFor(sqliteUrl(path)), Database::Access::LookFirst);
    QVERIFY_THROWS_EXCEPTION(DbError, db.exec(QStringLiteral("INSERT INTO t (name) VALUES ('two')")));
    QVERIFY_THROWS_EXCEPTION(DbError, db.exec(QStringLiteral("CREATE TABLE dbdeck_x (id INTEGER)")));
    QVERIFY(FileSnapshot::of(path) == before);
}

void tst_DatabaseLooking::theFirstWriteTransactionSwitchesJournalMode()
{
    const QString path = m_dir.filePath(QStringLiteral("switch.db"));
    createSqliteFile(path);
    Database db(configFor(sqliteUrl(path)), Database::Access::LookFirst);
    QCOMPARE(db.scalar(QStringLiteral("SELECT count(*) FROM t")).toInt(), 1);
    QCOMPARE(journalHeaderBytes(path), QByteArray("0101"));
    withTransaction(db, Transaction::Mode::Write, [&] { db.exec(QStringLiteral("INSERT INTO t (name) VALUES ('two')")); });
    QVERIFY(db.isWritable());
    QVERIFY(!db.isLookingOnly());
    QCOMPARE(journalHeaderBytes(path), QByteArray("0202")); // the configured WAL, now that it writes
    const PragmaReading journal = readingOf(db, QStringLiteral("journal_mode"));
    QCOMPARE(journal.effective, QStringLiteral("WAL"));
    QVERIFY(!journal.deferred);
    QVERIFY(!db.connections().last().readOnly);
    Database other(configFor(sqliteUrl(path)), Database::Access::LookFirst);
    QCOMPARE(other.scalar(QStringLiteral("SELECT count(*) FROM t")).toInt(), 2);
}

void tst_DatabaseLooking::ensureWritableIsPerThread()
{
    const QString path = m_dir.filePath(QStringLiteral("threads.db"));
    createSqliteFile(path);
    Database db(configFor(sqliteUrl(path)), Database::Access::LookFirst);
    db.ensureWritable();
    QVERIFY(db.isWritable());
    bool otherThreadWritable = true;
    QThread *thread = QThread::create([&] {
        db.connection();
        otherThreadWritable = db.isWritable();
    });
    thread->start();
    thread->wait();
    delete thread;
    QVERIFY(!otherThreadWritable);
}

void tst_DatabaseLooking::lookingAtAMissingFileCreatesNothing()
{
    const QString folder = m_dir.filePath(QStringLiteral("not-yet"));
    const QString path = folder + QStringLiteral("/app.db");
    Database db(configFor(sqliteUrl(path)), Database::Access::LookFirst);
    QVERIFY(!db.exists());
    QVERIFY(!db.hasTable(QStringLiteral("t")));
    try {
        db.connection();
        QFAIL("no NotFoundError");
    } catch (const NotFoundError &error) {
        QVERIFY2(error.message().contains(QStringLiteral("does not exist yet: dbdeck creates it on the first write")),
                 qPrintable(error.message()));
    }
    QVERIFY(!QFileInfo::exists(folder));
    QVERIFY(db.writeAccess().possible); // a write would create it
}

void tst_DatabaseLooking::modeRoUrlIsLookedAtButNotWritten()
{
    const QString path = m_dir.filePath(QStringLiteral("ro.db"));
    createSqliteFile(path);
    const FileSnapshot before = FileSnapshot::of(path);
    Database db(configFor(QStringLiteral("sqlite:///file:%1?mode=ro&uri=true").arg(path)), Database::Access::LookFirst);
    QCOMPARE(db.scalar(QStringLiteral("SELECT count(*) FROM t")).toInt(), 1);
    const WriteAccess access = db.writeAccess();
    QVERIFY(!access.possible);
    QCOMPARE(access.reason, QStringLiteral("the URL opens %1 read-only (mode=ro or immutable=1)").arg(path));
    try {
        withTransaction(db, Transaction::Mode::Write, [&] { db.exec(QStringLiteral("DELETE FROM t")); });
        QFAIL("no DbError");
    } catch (const DbError &error) {
        QCOMPARE(error.message(), QStringLiteral("cannot write to the database: ") + access.reason);
    }
    QCOMPARE(db.scalar(QStringLiteral("SELECT count(*) FROM t")).toInt(), 1);
    QVERIFY(FileSnapshot::of(path) == before);
}

void tst_DatabaseLooking::modeRwUrlIsLookedAtReadOnly()
{
    // mode=rw names what the application may do; looking still opens it read-only.
    const QString path = m_dir.filePath(QStringLiteral("rw.db"));
    createSqliteFile(path);
    const FileSnapshot before = FileSnapshot::of(path);
    Database db(configFor(QStringLiteral("sqlite:///file:%1?mode=rw&uri=true").arg(path)), Database::Access::LookFirst);
    QCOMPARE(db.scalar(QStringLiteral("SELECT count(*) FROM t")).toInt(), 1);
    QVERIFY(db.connections().last().readOnly);
    QVERIFY_THROWS_EXCEPTION(DbError, db.exec(QStringLiteral("DELETE FROM t")));
    QVERIFY(FileSnapshot::of(path) == before);
    QVERIFY(db.writeAccess().possible);
    db.ensureWritable();
    db.exec(QStringLiteral("DELETE FROM t"));
    QCOMPARE(db.scalar(QStringLiteral("SELECT count(*) FROM t")).toInt(), 0);
}

void tst_DatabaseLooking::writeModeRefusesAReadOnlyUrlBeforeCreatingAnything()
{
    const QString path = m_dir.filePath(QStringLiteral("write-ro.db"));
    createSqliteFile(path);
    const FileSnapshot before = FileSnapshot::of(path);
    Database db(configFor(QStringLiteral("sqlite:///file:%1?mode=ro&uri=true").arg(path)));
    try {
        db.connection();
        QFAIL("no DbError");
    } catch (const DbError &error) {
        QVERIFY2(error.message().contains(QStringLiteral("read-only")), qPrintable(error.message()));
    }
    QVERIFY(FileSnapshot::of(path) == before);
}

// ---- PostgreSQL: the session is read-only until the first write ----

void tst_DatabaseLooking::aLookingPostgresSessionRefusesWritesAndSaysSo()
{
    Database db(configFor(m_pg->url()), Database::Access::LookFirst);
    QCOMPARE(db.scalar(QStringLiteral("SELECT count(*) FROM t")).toInt(), 1);
    QVERIFY(db.isLookingOnly());
    QVERIFY(!db.isWritable());
    QVERIFY(db.connections().last().readOnly);
    QCOMPARE(readingOf(db, QStringLiteral("default_transaction_read_only")).effective, QStringLiteral("on"));
    const QStringList writes{QStringLiteral("INSERT INTO t (name) VALUES ('two')"), QStringLiteral("UPDATE t SET name = 'changed'"),
                             QStringLiteral("DELETE FROM t"), QStringLiteral("CREATE TABLE dbdeck_x (id INTEGER)"),
                             QStringLiteral("DROP TABLE t")};
    for (const QString &write : writes) {
        try {
            db.exec(write);
            QFAIL(qPrintable(QStringLiteral("not refused: ") + write));
        } catch (const DbError &error) {
            QCOMPARE(error.nativeCode(), QStringLiteral("25006"));
            QVERIFY2(error.message().startsWith(QStringLiteral("dbdeck was only looking at %1").arg(db.displayName())),
                     qPrintable(error.message()));
            QVERIFY2(error.message().contains(QStringLiteral("(while running: ") + write + QLatin1Char(')')), qPrintable(error.message()));
        }
    }
    QVERIFY(db.isLookingOnly());
    Database other(configFor(m_pg->url()));
    QCOMPARE(other.scalar(QStringLiteral("SELECT string_agg(name, ',') FROM t")).toString(), QStringLiteral("one"));
    QVERIFY(!other.hasTable(QStringLiteral("dbdeck_x")));
}

void tst_DatabaseLooking::aWriteTransactionSwitchesThePostgresSessionToWrite()
{
    Database db(configFor(m_pg->url()), Database::Access::LookFirst);
    const qint64 pid = db.scalar(QStringLiteral("SELECT pg_backend_pid()")).toLongLong();
    {
        Transaction read(db, Transaction::Mode::Read);
        try {
            db.ensureWritable();
            QFAIL("ensureWritable inside a read transaction");
        } catch (const DbError &error) {
            QVERIFY2(error.message().contains(QStringLiteral("inside a transaction")), qPrintable(error.message()));
        }
    }
    QVERIFY(!db.isWritable());
    withTransaction(db, Transaction::Mode::Write, [&] { db.exec(QStringLiteral("INSERT INTO t (name) VALUES ('two')")); });
    QVERIFY(db.isWritable());
    QVERIFY(!db.isLookingOnly());
    QVERIFY(!db.connections().last().readOnly);
    QCOMPARE(db.scalar(QStringLiteral("SHOW default_transaction_read_only")).toString(), QStringLiteral("off"));
    // The same session, so what it holds (an advisory lock, for instance) is kept.
    QCOMPARE(db.scalar(QStringLiteral("SELECT pg_backend_pid()")).toLongLong(), pid);
    db.exec(QStringLiteral("DELETE FROM t WHERE name = 'one'")); // autocommit writes too from now on
    Database other(configFor(m_pg->url()), Database::Access::LookFirst);
    QCOMPARE(other.scalar(QStringLiteral("SELECT string_agg(name, ',') FROM t")).toString(), QStringLiteral("two"));
}

void tst_DatabaseLooking::everyThreadOfALookingPostgresDatabaseStartsReadOnly()
{
    Database db(configFor(m_pg->url()), Database::Access::LookFirst);
    db.ensureWritable(); // before any connection: this thread's first one writes
    db.exec(QStringLiteral("INSERT INTO t (name) VALUES ('two')"));
    QVERIFY(!db.connections().last().readOnly);
    bool otherThreadWritable = true;
    QString otherThreadError;
    QThread *thread = QThread::create([&] {
        try {
            db.connection();
            otherThreadWritable = db.isWritable();
            db.exec(QStringLiteral("INSERT INTO t (name) VALUES ('three')"));
        } catch (const DbError &error) {
            otherThreadError = error.message();
        }
    });
    thread->start();
    thread->wait();
    delete thread;
    QVERIFY(!otherThreadWritable);
    QVERIFY2(otherThreadError.startsWith(QStringLiteral("dbdeck was only looking")), qPrintable(otherThreadError));
    QCOMPARE(db.scalar(QStringLiteral("SELECT count(*) FROM t")).toInt(), 2);
}

void tst_DatabaseLooking::aPostgresSessionTheUrlMakesReadOnlyStaysReadOnly()
{
    // The URL's own default_transaction_read_only=on is the user's: a write does not lift it,
    // and the server's refusal is not blamed on looking.
    const QString url = m_pg->url() + QStringLiteral("?options=-cdefault_transaction_read_only%3Don");
    for (const Database::Access access : {Database::Access::LookFirst, Database::Access::Write}) {
        Database db(configFor(url), access);
        try {
            withTransaction(db, Transaction::Mode::Write, [&] { db.exec(QStringLiteral("INSERT INTO t (name) VALUES ('two')")); });
            QFAIL("written");
        } catch (const DbError &error) {
            QCOMPARE(error.nativeCode(), QStringLiteral("25006"));
            QVERIFY2(error.message().startsWith(QStringLiteral("PostgreSQL refused to write: the session or transaction is read-only")),
                     qPrintable(error.message()));
            QVERIFY2(!error.message().contains(QStringLiteral("looking")), qPrintable(error.message()));
        }
    }
    Database other(configFor(m_pg->url()));
    QCOMPARE(other.scalar(QStringLiteral("SELECT count(*) FROM t")).toInt(), 1);
}

void tst_DatabaseLooking::aPostgresDatabaseOpenedToWriteWritesAtOnce()
{
    Database db(configFor(m_pg->url()));
    QVERIFY(!db.isLookingOnly());
    db.exec(QStringLiteral("INSERT INTO t (name) VALUES ('two')"));
    QVERIFY(db.isWritable());
    QVERIFY(!db.connections().last().readOnly);
    QCOMPARE(readingOf(db, QStringLiteral("default_transaction_read_only")).effective, QStringLiteral("off"));
}

void tst_DatabaseLooking::aLookingPostgresDatabaseMigratesWhenAsked()
{
    // The inspector's Apply pending: looked at first, then the migrations write.
    dbdeck::test::PgTestDatabase fresh(QStringLiteral("dbdeck_looking_migrate"));
    Database db(configFor(fresh.url()), Database::Access::LookFirst);
    Migrator migrator(db, MigrationSet::load(QStringLiteral(DBDECK_SOURCE_DIR "/migrations")));
    const StatusReport before = migrator.status();
    QCOMPARE(before.current, 0);
    QVERIFY(before.head > 0);
    QVERIFY(db.isLookingOnly());
    migrator.upgrade({});
    QVERIFY(!db.isLookingOnly());
    QCOMPARE(migrator.status().current, before.head);
    QVERIFY(db.hasTable(QStringLiteral("runs")));
}

QTEST_GUILESS_MAIN(tst_DatabaseLooking)
#include "tst_databaselooking.moc"

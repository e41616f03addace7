// Database::Access::LookFirst: looking never changes a database; the first write switches.
#include "db/database.h"
#include "db/errors.h"
#include "db/transaction.h"
#include "filesnapshot.h"
#include "testsupport.h"

#include <QDir>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

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

private:
    QTemporaryDir m_dir;
};

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

QTEST_GUILESS_MAIN(tst_DatabaseLooking)
#include "tst_databaselooking.moc"

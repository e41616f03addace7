#include "db/database.h"
#include "db/errors.h"
#include "db/transaction.h"
#include "testsupport.h"

#include <QElapsedTimer>
#include <QSemaphore>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace dbdeck;
using dbdeck::test::configFor;
using dbdeck::test::sqliteUrl;

namespace {

struct Oops : std::runtime_error
{
    Oops() : std::runtime_error("oops") {}
};

} // namespace

class tst_Transaction : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void commitIsVisibleFromAnotherConnection();
    void exceptionRollsBackAndRethrows();
    void uncommittedScopeRollsBack();
    void nestedScopesUseSavepoints();
    void withTransactionReturnsTheResult();
    void secondWriterWaitsBusyTimeoutThenBusyError();
    void readScopeDoesNotBlockWriters();
    void finishingTwiceIsAnError();

private:
    int countFromOtherConnection();

    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<Database> m_other; // a second, independent connection to the same file
};

void tst_Transaction::init()
{
    m_path = m_dir.filePath(QStringLiteral("%1.db").arg(QLatin1String(QTest::currentTestFunction())));
    m_db = std::make_unique<Database>(configFor(sqliteUrl(m_path)));
    m_other = std::make_unique<Database>(configFor(sqliteUrl(m_path)));
    m_db->exec(QStringLiteral("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL)"));
}

void tst_Transaction::cleanup()
{
    m_other.reset();
    m_db.reset();
}

int tst_Transaction::countFromOtherConnection()
{
    return m_other->scalar(QStringLiteral("SELECT count(*) FROM items")).toInt();
}

void tst_Transaction::commitIsVisibleFromAnotherConnection()
{
    Transaction tx(*m_db, Transaction::Mode::Write);
    m_db->exec(QStringLiteral("INSERT INTO items (name) VALUES ('a')"));
    QCOMPARE(countFromOtherConnection(), 0); // not yet committed
    tx.commit();
    QCOMPARE(countFromOtherConnection(), 1);
}

void tst_Transaction::exceptionRollsBackAndRethrows()
{
    QVERIFY_THROWS_EXCEPTION(Oops, withTransaction(*m_db, Transaction::Mode::Write, [&] {
        m_db->exec(QStringLiteral("INSERT INTO items (name) VALUES ('a')"));
        throw Oops();
    }));
    QCOMPARE(countFromOtherConnection(), 0);
    QCOMPARE(m_db->transactionDepth(), 0);
    // The connection is usable again: no transaction left open.
    withTransaction(*m_db, Transaction::Mode::Write, [&] { m_db->exec(QStringLiteral("INSERT INTO items (name) VALUES ('b')")); });
    QCOMPARE(countFromOtherConnection(), 1);
}

void tst_Transaction::uncommittedScopeRollsBack()
{
    {
        Transaction tx(*m_db, Transaction::Mode::Write);
        m_db->exec(QStringLiteral("INSERT INTO items (name) VALUES ('a')"));
    }
    QCOMPARE(countFromOtherConnection(), 0);
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT count(*) FROM items")).toInt(), 0);
}

void tst_Transaction::nestedScopesUseSavepoints()
{
    Transaction outer(*m_db, Transaction::Mode::Write);
    QVERIFY(!outer.isNested());
    m_db->exec(QStringLiteral("INSERT INTO items (name) VALUES ('outer')"));
    try {
        withTransaction(*m_db, Transaction::Mode::Write, [&] {
            m_db->exec(QStringLiteral("INSERT INTO items (name) VALUES ('inner')"));
            m_db->exec(QStringLiteral("INSERT INTO items (name) VALUES (NULL)")); // NOT NULL fails
        });
        QFAIL("no ConstraintError");
    } catch (const ConstraintError &) {
    }
    {
        Transaction inner(*m_db, Transaction::Mode::Write);
        QVERIFY(inner.isNested());
        m_db->exec(QStringLiteral("INSERT INTO items (name) VALUES ('kept')"));
        inner.commit();
    }
    QCOMPARE(countFromOtherConnection(), 0);
    outer.commit();
    QSqlQuery names = m_other->exec(QStringLiteral("SELECT name FROM items ORDER BY id"));
    QStringList seen;
    while (names.next())
        seen << names.value(0).toString();
    QCOMPARE(seen, (QStringList{QStringLiteral("outer"), QStringLiteral("kept")}));
}

void tst_Transaction::withTransactionReturnsTheResult()
{
    const int id = withTransaction(*m_db, Transaction::Mode::Write, [&] {
        m_db->exec(QStringLiteral("INSERT INTO items (name) VALUES ('x')"));
        return m_db->scalar(QStringLiteral("SELECT max(id) FROM items")).toInt();
    });
    QCOMPARE(id, 1);
    QCOMPARE(countFromOtherConnection(), 1);
}

void tst_Transaction::secondWriterWaitsBusyTimeoutThenBusyError()
{
    const int timeoutMs = 400;
    Database writer2(configFor(sqliteUrl(m_path), {{"SQLITE_BUSY_TIMEOUT_MS", "400"}}));
    Transaction first(*m_db, Transaction::Mode::Write);
    m_db->exec(QStringLiteral("INSERT INTO items (name) VALUES ('held')"));

    QElapsedTimer timer;
    timer.start();
    try {
        Transaction second(writer2, Transaction::Mode::Write);
        QFAIL("the second writer got the write lock while the first held it");
    } catch (const BusyError &error) {
        const qint64 waited = timer.elapsed();
        QVERIFY2(waited >= timeoutMs * 8 / 10, qPrintable(QStringLiteral("gave up after %1 ms").arg(waited)));
        QVERIFY2(waited < timeoutMs * 10, qPrintable(QStringLiteral("waited %1 ms").arg(waited)));
        QVERIFY2(error.message().contains(QStringLiteral("is locked by another connection")), qPrintable(error.message()));
        QVERIFY2(error.message().contains(QStringLiteral("busy timeout (400 ms)")), qPrintable(error.message()));
        QVERIFY2(error.message().contains(QStringLiteral("BEGIN IMMEDIATE")), qPrintable(error.message()));
        QCOMPARE(error.nativeCode(), QStringLiteral("5"));
    }
    first.commit();
    // Once the first writer is done, the second gets in.
    withTransaction(writer2, Transaction::Mode::Write, [&] { writer2.exec(QStringLiteral("INSERT INTO items (name) VALUES ('second')")); });
    QCOMPARE(countFromOtherConnection(), 2);
}

void tst_Transaction::readScopeDoesNotBlockWriters()
{
    Transaction read(*m_db, Transaction::Mode::Read);
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT count(*) FROM items")).toInt(), 0);
    withTransaction(*m_other, Transaction::Mode::Write, [&] { m_other->exec(QStringLiteral("INSERT INTO items (name) VALUES ('w')")); });
    // The reader keeps its snapshot (WAL) until it ends.
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT count(*) FROM items")).toInt(), 0);
    read.commit();
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT count(*) FROM items")).toInt(), 1);
}

void tst_Transaction::finishingTwiceIsAnError()
{
    Transaction tx(*m_db, Transaction::Mode::Read);
    tx.commit();
    QVERIFY_THROWS_EXCEPTION(DbError, tx.commit());
}

QTEST_GUILESS_MAIN(tst_Transaction)
#include "tst_transaction.moc"

#include "db/database.h"
#include "migrate/migrationerror.h"
#include "migrate/migrationtables.h"
#include "migrate/migrator.h"
#include "migrate/sqlsplitter.h"
#include "migrateddb.h"
#include "testsupport.h"

#include <QCryptographicHash>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace dbdeck;
using dbdeck::test::configFor;

namespace {

QByteArray fileHash(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256) : QByteArray();
}

} // namespace

// dbdeck's own tables change shape only here, and a database whose tables the first release
// created is upgraded in place: history kept, new states accepted.
class tst_MigrationTables : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void firstReleaseTablesAreUpgradedInPlace();
    void newerShapeIsRefused();

private:
    QTemporaryDir m_dir;
};

void tst_MigrationTables::initTestCase()
{
    DBDECK_SKIP_POSTGRES_RUN_WITHOUT_SERVER();
}

void tst_MigrationTables::firstReleaseTablesAreUpgradedInPlace()
{
    const QString path = m_dir.filePath(QStringLiteral("first-release.db"));
    Database db(configFor(test::testDatabaseUrl(path)));
    const MigrationSet shipped = MigrationSet::load(QStringLiteral(DBDECK_SOURCE_DIR "/migrations"));
    QFile script(QStringLiteral(DBDECK_TEST_DATA "/bookkeeping-shape1.sql"));
    QVERIFY(script.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(script.readAll()).replace(QStringLiteral(":checksum"), shipped.find(1)->checksum());
    for (const SqlStatement &statement : SqlSplitter::split(text))
        db.exec(statement.sql);
    QCOMPARE(MigrationTables::shape(db), 1);

    // Looking changes nothing, and understands the old shape.
    db.closeConnection();
    const QByteArray before = test::testingPostgres() ? QByteArray() : fileHash(path);
    Migrator migrator(db, MigrationSet::load(QStringLiteral(DBDECK_SOURCE_DIR "/migrations")));
    StatusReport st = migrator.status();
    QCOMPARE(st.current, 1);
    QCOMPARE(st.find(1)->state, MigrationState::Applied);
    QCOMPARE(migrator.journal().size(), 2);
    db.closeConnection();
    if (!test::testingPostgres())
        QCOMPARE(fileHash(path), before);

    const MigrationRunResult result = migrator.upgrade({});
    QCOMPARE(result.done, QStringList{QStringLiteral("0002_create_events")});
    QCOMPARE(MigrationTables::shape(db), MigrationTables::currentShape);
    st = migrator.status();
    QCOMPARE(st.current, 2);
    QVERIFY(st.problems.isEmpty());
    const QList<JournalEntry> journal = migrator.journal();
    QCOMPARE(journal.size(), 3);
    QCOMPARE(journal.at(2).detail, QStringLiteral("applied: 0001_create_runs"));
    QCOMPARE(journal.at(1).error, QStringLiteral("migration 0002_x failed"));
    QCOMPARE(journal.at(0).outcome, QStringLiteral("succeeded"));
    // The new shape: journal outcomes of a running and an interrupted attempt, and open ends.
    db.exec(QStringLiteral("INSERT INTO dbdeck_migration_journal (id, operation, outcome, started_at, finished_at, run_by)"
                           " VALUES (10, 'upgrade', 'interrupted', 't', NULL, 'x@y')"));
    QVERIFY(MigrationTables::hasColumn(db, MigrationTables::lock(), QStringLiteral("os_lock")));
    QCOMPARE(db.scalar(QStringLiteral("SELECT count(*) FROM dbdeck_migration_lock WHERE os_lock = 1")).toInt(), 0);
    QVERIFY(!db.hasTable(MigrationTables::progress())); // created by the first transaction:false migration
    QCOMPARE(db.scalar(QStringLiteral("SELECT value FROM dbdeck_metadata WHERE key = 'app_env'")).toString(), QStringLiteral("development"));
    // Once upgraded, it stays so: a second run finds nothing to change.
    QVERIFY(migrator.upgrade({}).done.isEmpty());
    QCOMPARE(MigrationTables::shape(db), MigrationTables::currentShape);
}

void tst_MigrationTables::newerShapeIsRefused()
{
    Database db(configFor(test::testDatabaseUrl(m_dir.filePath(QStringLiteral("newer.db")))));
    Migrator migrator(db, MigrationSet::load(QStringLiteral(DBDECK_SOURCE_DIR "/migrations")));
    MigrationRunOptions o;
    o.target = QStringLiteral("1");
    migrator.upgrade(o);
    db.exec(QStringLiteral("INSERT INTO dbdeck_metadata (key, value, updated_at) VALUES ('bookkeeping_version', '99', 't')"));
    try {
        migrator.upgrade({});
        QFAIL("not refused");
    } catch (const MigrationError &error) {
        QVERIFY2(error.message().startsWith(QStringLiteral("dbdeck's own tables in this database have shape 99, made by a newer dbdeck")),
                 qPrintable(error.message()));
    }
    QCOMPARE(migrator.status().current, 1);
}

QTEST_GUILESS_MAIN(tst_MigrationTables)
#include "tst_migrationtables.moc"

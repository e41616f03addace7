// HealthCheck: what it says about a database without the application's tables, about checks it
// does not run (PostgreSQL), and about a damaged file (SQLite).
#include "admin/healthcheck.h"
#include "db/database.h"
#include "migrateddb.h"
#include "testsupport.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace dbdeck;

class tst_HealthCheck : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { DBDECK_SKIP_POSTGRES_RUN_WITHOUT_SERVER(); }
    void absentTablesAreNotMissingIndexes();
    void checksThatDoNotRunSaySo();
    void aDamagedPageIsAFindingNotAnError();
};

void tst_HealthCheck::absentTablesAreNotMissingIndexes()
{
    QTemporaryDir dir;
    Database db(test::configFor(test::testDatabaseUrl(dir.filePath(QStringLiteral("app.db")))));
    db.exec(QStringLiteral("CREATE TABLE runs (id TEXT PRIMARY KEY, created_at TEXT)"));
    HealthCheck health(db);
    const QList<CriticalIndex> indexes = health.criticalIndexes();
    QCOMPARE(indexes.size(), 4);
    QCOMPARE(HealthCheck::missingTables(indexes), QStringList{QStringLiteral("events")});
    int missing = 0;
    for (const CriticalIndex &i : indexes) {
        QCOMPARE(i.tableExists, i.table == QLatin1String("runs"));
        missing += i.missing() ? 1 : 0;
    }
    QCOMPARE(missing, 2); // runs is there without its two indexes; events is simply not there
}

void tst_HealthCheck::checksThatDoNotRunSaySo()
{
    QTemporaryDir dir;
    auto db = test::migratedDatabase(dir.filePath(QStringLiteral("app.db")));
    HealthCheck health(*db);
    if (test::testingPostgres()) {
        QVERIFY(health.integrityNotChecked().startsWith(QLatin1String("not checked on PostgreSQL")));
        QVERIFY(health.foreignKeysNotChecked().startsWith(QLatin1String("not checked on PostgreSQL")));
    } else {
        QVERIFY(health.integrityNotChecked().isEmpty());
        QVERIFY(health.foreignKeysNotChecked().isEmpty());
    }
    QVERIFY(health.integrityCheck().isEmpty());
    QVERIFY(HealthCheck::missingTables(health.criticalIndexes()).isEmpty());
}

void tst_HealthCheck::aDamagedPageIsAFindingNotAnError()
{
    if (test::testingPostgres())
        QSKIP("a damaged page is a SQLite file's");
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("app.db"));
    int root = 0;
    int pageSize = 0;
    {
        auto db = test::migratedDatabase(path, {{"SQLITE_JOURNAL_MODE", "DELETE"}});
        db->exec(QStringLiteral("INSERT INTO runs (id, kind, created_at, updated_at) VALUES ('r', 'k', 't', 't')"));
        db->exec(QStringLiteral("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)"
                                " INSERT INTO events (id, run_id, seq, level, kind, message, created_at)"
                                " SELECT 'e' || i, 'r', i, 'info', 'k', printf('%0100d', i), 't' FROM n"));
        root = db->scalar(QStringLiteral("SELECT rootpage FROM sqlite_schema WHERE name = 'events'")).toInt();
        pageSize = db->scalar(QStringLiteral("PRAGMA page_size")).toInt();
    }
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadWrite) && f.seek(qint64(root - 1) * pageSize));
    QCOMPARE(f.write(QByteArray(pageSize, '\xa5')), qint64(pageSize));
    f.close();
    Database db(test::configFor(test::sqliteUrl(path), {{"SQLITE_JOURNAL_MODE", "DELETE"}}));
    HealthCheck health(db);
    const QStringList integrity = health.integrityCheck();
    QVERIFY2(integrity.join(QLatin1Char('\n')).contains(QStringLiteral("Page %1: btreeInitPage() returns error code 11").arg(root)),
             qPrintable(integrity.join(QLatin1Char('\n'))));
    const QStringList foreignKeys = health.foreignKeyCheck(); // today's main threw DbError here
    QCOMPARE(foreignKeys.size(), 1);
    QVERIFY2(foreignKeys.first().startsWith(QLatin1String("the foreign key check could not finish: database disk image is malformed")),
             qPrintable(foreignKeys.first()));
}

QTEST_GUILESS_MAIN(tst_HealthCheck)
#include "tst_healthcheck.moc"

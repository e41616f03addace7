// DriftCheck: the live database against what its applied migrations produce from scratch, and
// against the migrations up to a chosen version (what `baseline` refuses on).
#include "db/database.h"
#include "db/errors.h"
#include "migrate/driftcheck.h"
#include "migrate/migrator.h"
#include "migrateddb.h"
#include "testsupport.h"

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

using namespace dbdeck;
using namespace dbdeck::test;

class TstDriftCheck : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { DBDECK_SKIP_POSTGRES_RUN_WITHOUT_SERVER(); }
    void cleanDatabaseHasNoDrift();
    void handMadeChangesAreDrift();
    void comparedToAnEarlierVersion();
    void schemasTheMigrationsCreate();
};

namespace {

MigrationSet shipped()
{
    return MigrationSet::load(QStringLiteral(DBDECK_SOURCE_DIR "/migrations"));
}

QStringList lines(const DriftReport &r)
{
    QStringList out;
    for (const SchemaDifference &d : r.differences)
        out << d.toString(QStringLiteral("migrations"), QStringLiteral("database"));
    return out;
}

} // namespace

void TstDriftCheck::cleanDatabaseHasNoDrift()
{
    QTemporaryDir dir;
    auto db = migratedDatabase(dir.filePath(QStringLiteral("app.db")));
    const DriftReport r = DriftCheck::check(*db, shipped());
    QVERIFY2(!r.drifted(), qPrintable(lines(r).join(QLatin1Char('\n'))));
    QCOMPARE(r.version, 2);
}

void TstDriftCheck::handMadeChangesAreDrift()
{
    QTemporaryDir dir;
    auto db = migratedDatabase(dir.filePath(QStringLiteral("app.db")));
    db->exec(QStringLiteral("ALTER TABLE runs ADD COLUMN hotfix TEXT"));
    db->exec(QStringLiteral("CREATE INDEX ix_runs_kind ON runs (kind)"));
    const DriftReport r = DriftCheck::check(*db, shipped());
    QVERIFY(r.drifted());
    const QStringList found = lines(r);
    QVERIFY2(found.contains(QStringLiteral("runs.hotfix: column only in database (hotfix TEXT)"))
                 || found.contains(QStringLiteral("runs.hotfix: column only in database (hotfix text)")),
             qPrintable(found.join(QLatin1Char('\n'))));
    QVERIFY2(found.join(QLatin1Char('\n')).contains(QLatin1String("runs.ix_runs_kind: index only in database")), qPrintable(found.join(QLatin1Char('\n'))));
    QCOMPARE(found.size(), 2);
}

void TstDriftCheck::comparedToAnEarlierVersion()
{
    // A database with both tables is not what migration 0001 alone produces: baseline at 0001
    // must refuse it; at 0002 it may adopt it.
    QTemporaryDir dir;
    auto db = migratedDatabase(dir.filePath(QStringLiteral("app.db")));
    const DriftReport at1 = DriftCheck::compareTo(*db, shipped(), 1);
    QCOMPARE(lines(at1), QStringList{QStringLiteral("events: table only in database (10 column(s))")});
    QVERIFY(!DriftCheck::compareTo(*db, shipped(), 2).drifted());
}

void TstDriftCheck::schemasTheMigrationsCreate()
{
    // Once the migrations ran, the server has their schemas: replaying them from scratch must
    // not collide with those (nor touch them), and the schemas are no drift.
    if (!testingPostgres())
        QSKIP("schemas are PostgreSQL's");
    QTemporaryDir dir;
    QDir().mkpath(dir.filePath(QStringLiteral("migrations")));
    writeFile(dir.filePath(QStringLiteral("migrations/0001_audit.sql")),
              "-- migrate:up\nCREATE SCHEMA audit;\nCREATE TABLE audit.log (id integer NOT NULL, CONSTRAINT pk_log PRIMARY KEY (id));\n"
              "CREATE TABLE t (id integer NOT NULL, CONSTRAINT pk_t PRIMARY KEY (id));\n"
              "-- migrate:down\nDROP TABLE t;\nDROP TABLE audit.log;\nDROP SCHEMA audit;\n");
    const MigrationSet set = MigrationSet::load(dir.filePath(QStringLiteral("migrations")));
    Database db(configFor(testDatabaseUrl(dir.filePath(QStringLiteral("app.db")))));
    Migrator(db, set).upgrade({});
    db.exec(QStringLiteral("INSERT INTO audit.log (id) VALUES (1)"));
    try {
        const DriftReport r = DriftCheck::check(db, set);
        QVERIFY2(!r.drifted(), qPrintable(lines(r).join(QLatin1Char('\n'))));
        QCOMPARE(r.live.otherSchemas, QStringList{QStringLiteral("audit")});
        QCOMPARE(r.expected.otherSchemas, QStringList{QStringLiteral("audit")});
    } catch (const DbError &e) {
        QFAIL(qPrintable(e.message()));
    }
    QCOMPARE(db.scalar(QStringLiteral("SELECT count(*) FROM audit.log")).toInt(), 1); // the live schema untouched
}

QTEST_GUILESS_MAIN(TstDriftCheck)
#include "tst_driftcheck.moc"

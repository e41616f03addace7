// DriftCheck: the live database against what its applied migrations produce from scratch, and
// against the migrations up to a chosen version (what `baseline` refuses on).
#include "db/database.h"
#include "migrate/driftcheck.h"
#include "migrate/migrator.h"
#include "migrateddb.h"
#include "testsupport.h"

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

QTEST_GUILESS_MAIN(TstDriftCheck)
#include "tst_driftcheck.moc"

// Baseliner: adopting a database dbdeck does not manage by recording migrations up to a version
// as applied without running them; refusals change nothing.
#include "db/database.h"
#include "migrate/baseliner.h"
#include "migrate/migrationerror.h"
#include "migrate/migrationtables.h"
#include "migrate/migrator.h"
#include "migrate/schemaownership.h"
#include "migrateddb.h"
#include "testsupport.h"
#include "unmanageddb.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace dbdeck;
using namespace dbdeck::test;

class TstBaseliner : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { DBDECK_SKIP_POSTGRES_RUN_WITHOUT_SERVER(); }
    void adoptsAtAVersionAndUpgradeAppliesTheRest();
    void refusesAManagedDatabase();
    void refusesAnUnknownVersionAndANewDatabase();
    void refusesDriftUnlessAccepted();
};

namespace {

MigrationSet shipped()
{
    return MigrationSet::load(QStringLiteral(DBDECK_SOURCE_DIR "/migrations"));
}

QString refusal(const std::function<void()> &action)
{
    try {
        action();
    } catch (const MigrationError &error) {
        return error.message();
    }
    return QString();
}

void verifyNothingCreated(Database &db)
{
    for (const QString &table : MigrationTables::all())
        QVERIFY2(!db.hasTable(table), qPrintable(table));
}

} // namespace

void TstBaseliner::adoptsAtAVersionAndUpgradeAppliesTheRest()
{
    QTemporaryDir dir;
    Database db(configFor(testDatabaseUrl(dir.filePath(QStringLiteral("app.db")))));
    createUnmanagedSchema(db, 1, QStringLiteral("4b1e"));
    const MigrationSet set = shipped();
    Baseliner baseliner(db, set);
    QVERIFY(!baseliner.preview(QStringLiteral("0001")).drifted());
    const BaselineResult r = baseliner.baseline(QStringLiteral("0001"), 2000, false);
    QCOMPARE(r.version, 1);
    QCOMPARE(r.recorded, QStringList{QStringLiteral("0001_create_runs")});
    QCOMPARE(r.previousOwner, QStringLiteral("not managed by dbdeck: managed by Alembic, revision 4b1e"));
    QVERIFY(r.differences.isEmpty());
    QVERIFY(SchemaOwnership::read(db).managedByDbdeck());

    Migrator migrator(db, set);
    const StatusReport st = migrator.status();
    QCOMPARE(st.current, 1);
    QCOMPARE(st.count(MigrationState::Applied), 1);
    QCOMPARE(st.count(MigrationState::Pending), 1);
    QVERIFY(st.problems.isEmpty());
    const QList<JournalEntry> journal = migrator.journal();
    QCOMPARE(journal.size(), 1);
    QCOMPARE(journal.first().id, r.journalId);
    QCOMPARE(journal.first().operation, QStringLiteral("baseline"));
    QCOMPARE(journal.first().outcome, QStringLiteral("succeeded"));
    QCOMPARE(journal.first().fromVersion, std::optional<qint64>(0));
    QCOMPARE(journal.first().toVersion, std::optional<qint64>(1));
    QVERIFY(!journal.first().forced);

    const MigrationRunResult up = migrator.upgrade({});
    QCOMPARE(up.done, QStringList{QStringLiteral("0002_create_events")});
    QCOMPARE(migrator.status().current, 2);
    QVERIFY(db.hasTable(QStringLiteral("alembic_version"))); // Alembic's table is left as it is
}

void TstBaseliner::refusesAManagedDatabase()
{
    QTemporaryDir dir;
    auto db = migratedDatabase(dir.filePath(QStringLiteral("app.db")));
    const MigrationSet set = shipped();
    const QString m = refusal([&] { Baseliner(*db, set).baseline(QStringLiteral("0001"), 2000, true); });
    QVERIFY2(m.startsWith(QLatin1String("refusing to baseline: dbdeck already manages this database")), qPrintable(m));
    Migrator migrator(*db, set);
    QCOMPARE(migrator.status().current, 2);
    QCOMPARE(migrator.journal().size(), 1); // the upgrade only
}

void TstBaseliner::refusesAnUnknownVersionAndANewDatabase()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("app.db"));
    Database db(configFor(testDatabaseUrl(path)));
    const MigrationSet set = shipped();
    QString m = refusal([&] { Baseliner(db, set).baseline(QStringLiteral("0001"), 2000, false); });
    QVERIFY2(m.contains(QLatin1String("has no application tables")), qPrintable(m));
    if (!testingPostgres())
        QVERIFY(!QFile::exists(path));
    createUnmanagedSchema(db, 2);
    for (const QString &version : {QStringLiteral("3"), QStringLiteral("0"), QStringLiteral("-1"), QStringLiteral("latest")}) {
        m = refusal([&] { Baseliner(db, set).baseline(version, 2000, true); });
        QVERIFY2(m.contains(QStringLiteral("\"%1\" is not a migration version").arg(version)), qPrintable(m));
    }
    verifyNothingCreated(db);
    QCOMPARE(Baseliner(db, set).resolve(QStringLiteral("head")), 2);
}

void TstBaseliner::refusesDriftUnlessAccepted()
{
    QTemporaryDir dir;
    Database db(configFor(testDatabaseUrl(dir.filePath(QStringLiteral("app.db")))));
    createUnmanagedSchema(db, 2, {}, QStringLiteral("CREATE INDEX ix_runs_hand_made ON runs (kind);"));
    const MigrationSet set = shipped();
    const QString m = refusal([&] { Baseliner(db, set).baseline(QStringLiteral("0002"), 2000, false); });
    QVERIFY2(m.startsWith(QLatin1String("refusing to baseline at 0002: the database's schema differs from what the migrations "
                                        "up to 0002 produce (1 difference(s)):\n  ")),
             qPrintable(m));
    QVERIFY2(m.contains(QLatin1String("ix_runs_hand_made")), qPrintable(m));
    verifyNothingCreated(db);

    const BaselineResult r = Baseliner(db, set).baseline(QStringLiteral("0002"), 2000, true);
    QCOMPARE(r.differences.size(), 1);
    QCOMPARE(r.recorded.size(), 2);
    const JournalEntry entry = Migrator(db, set).journal().first();
    QVERIFY(entry.forced);
    QVERIFY2(entry.detail.contains(QLatin1String("accepted 1 schema difference(s) (--accept-differences): ")), qPrintable(entry.detail));
}

QTEST_MAIN(TstBaseliner)
#include "tst_baseliner.moc"

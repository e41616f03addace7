// SchemaOwnership: who manages a database (dbdeck, Alembic, nobody dbdeck knows), read without
// creating anything; and the Migrator refusing an unmanaged database before it creates its tables.
#include "db/database.h"
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

class TstSchemaOwnership : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { DBDECK_SKIP_POSTGRES_RUN_WITHOUT_SERVER(); }
    void newDatabaseIsNewAndNotCreated();
    void applicationTablesWithoutHistoryAreUnmanaged();
    void alembicRevisionIsRead();
    void migratedDatabaseIsManaged();
    void leftoverEmptyDbdeckTablesAreNoHistory();
    void ownerOfLabelsTables();
    void migratorRefusesUnmanagedBeforeCreatingItsTables();
};

namespace {

MigrationSet shipped()
{
    return MigrationSet::load(QStringLiteral(DBDECK_SOURCE_DIR "/migrations"));
}

std::unique_ptr<Database> unmanaged(const QString &path, const QString &alembic = {})
{
    auto db = std::make_unique<Database>(configFor(testDatabaseUrl(path)));
    createUnmanagedSchema(*db, 2, alembic);
    return db;
}

} // namespace

void TstSchemaOwnership::newDatabaseIsNewAndNotCreated()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("app.db"));
    Database db(configFor(testDatabaseUrl(path)));
    const SchemaOwnership o = SchemaOwnership::read(db);
    QVERIFY(o.isNew());
    QVERIFY(!o.unmanaged());
    QVERIFY(!o.managedByDbdeck());
    QVERIFY(o.advice().isEmpty());
    QVERIFY(o.describe().startsWith(QLatin1String("new")));
    if (!testingPostgres())
        QVERIFY(!QFile::exists(path));
    QVERIFY(!MigrationTables::exist(db));
}

void TstSchemaOwnership::applicationTablesWithoutHistoryAreUnmanaged()
{
    QTemporaryDir dir;
    auto db = unmanaged(dir.filePath(QStringLiteral("app.db")));
    const SchemaOwnership o = SchemaOwnership::read(*db);
    QVERIFY(o.unmanaged());
    QVERIFY(!o.managedByDbdeck());
    QVERIFY(!o.hasAlembic());
    QCOMPARE(o.applicationTables(), (QStringList{QStringLiteral("events"), QStringLiteral("runs")}));
    QCOMPARE(o.describe(), QStringLiteral("not managed by dbdeck"));
    QVERIFY(o.advice().contains(QLatin1String("dbdeck-cli baseline VERSION")));
    QVERIFY(!o.advice().contains(QLatin1String("Alembic")));
    QVERIFY(!db->hasTable(MigrationTables::versions())); // reading created nothing
    const StatusReport st = Migrator(*db, shipped()).status();
    QVERIFY(st.ownership.unmanaged());
    QVERIFY(st.problems.first().startsWith(QLatin1String("this database is not managed by dbdeck; it has application tables (events, runs)")));
}

void TstSchemaOwnership::alembicRevisionIsRead()
{
    QTemporaryDir dir;
    auto db = unmanaged(dir.filePath(QStringLiteral("app.db")), QStringLiteral("27c6a30d7c24"));
    const SchemaOwnership o = SchemaOwnership::read(*db);
    QVERIFY(o.unmanaged());
    QVERIFY(o.hasAlembic());
    QCOMPARE(o.alembicRevision(), QStringLiteral("27c6a30d7c24"));
    QCOMPARE(o.describe(), QStringLiteral("not managed by dbdeck: managed by Alembic, revision 27c6a30d7c24"));
    QVERIFY(o.advice().contains(QLatin1String("baseline at the version matching Alembic's revision (27c6a30d7c24)")));
    QVERIFY(!o.applicationTables().contains(QStringLiteral("alembic_version")));
}

void TstSchemaOwnership::migratedDatabaseIsManaged()
{
    QTemporaryDir dir;
    auto db = migratedDatabase(dir.filePath(QStringLiteral("app.db")));
    db->exec(QStringLiteral("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)"));
    const SchemaOwnership o = SchemaOwnership::read(*db);
    QVERIFY(o.managedByDbdeck());
    QVERIFY(!o.unmanaged());
    QCOMPARE(o.describe(), QStringLiteral("managed by dbdeck"));
    QVERIFY(o.advice().isEmpty());
    QVERIFY(Migrator(*db, shipped()).status().problems.isEmpty());
}

void TstSchemaOwnership::leftoverEmptyDbdeckTablesAreNoHistory()
{
    // What a refused or failed first upgrade left behind on an unmanaged database before this
    // check existed: dbdeck's tables, empty. That is still a database to adopt, not a managed one.
    QTemporaryDir dir;
    auto db = unmanaged(dir.filePath(QStringLiteral("app.db")));
    MigrationTables::ensure(*db);
    QVERIFY(SchemaOwnership::read(*db).unmanaged());
    db->exec(QStringLiteral("INSERT INTO dbdeck_migration_journal (id, operation, outcome, started_at, run_by)"
                            " VALUES (1, 'upgrade', 'failed', '2026-01-01', 'me@here')"));
    QVERIFY(SchemaOwnership::read(*db).unmanaged());
    // Another runner's first upgrade under way (its journal entry running): that is dbdeck's.
    db->exec(QStringLiteral("INSERT INTO dbdeck_migration_journal (id, operation, outcome, started_at, run_by)"
                            " VALUES (2, 'upgrade', 'running', '2026-01-02', 'me@here')"));
    QVERIFY(SchemaOwnership::read(*db).managedByDbdeck());
    db->exec(QStringLiteral("UPDATE dbdeck_migration_journal SET outcome = 'succeeded' WHERE id = 2"));
    QVERIFY(SchemaOwnership::read(*db).managedByDbdeck()); // e.g. a stamp to base: no version row
}

void TstSchemaOwnership::ownerOfLabelsTables()
{
    QCOMPARE(SchemaOwnership::ownerOf(QStringLiteral("dbdeck_metadata")), QStringLiteral("dbdeck"));
    QCOMPARE(SchemaOwnership::ownerOf(QStringLiteral("alembic_version")), QStringLiteral("Alembic"));
    QCOMPARE(SchemaOwnership::ownerOf(QStringLiteral("runs")), QStringLiteral("application"));
    QCOMPARE(SchemaOwnership::ownerOf(QStringLiteral("alembic_versions")), QStringLiteral("application"));
}

void TstSchemaOwnership::migratorRefusesUnmanagedBeforeCreatingItsTables()
{
    QTemporaryDir dir;
    auto db = unmanaged(dir.filePath(QStringLiteral("app.db")), QStringLiteral("abc"));
    Migrator migrator(*db, shipped());
    MigrationRunOptions o;
    o.lockTimeoutMs = 2000;
    const auto refused = [&](const std::function<void()> &action) {
        try {
            action();
        } catch (const MigrationError &error) {
            return error.message();
        }
        return QString();
    };
    const QStringList messages{
        refused([&] { migrator.upgrade(o); }),
        refused([&] { migrator.planUpgrade(o); }),
        refused([&] { MigrationRunOptions d = o; d.target = QStringLiteral("base"); migrator.downgrade(d); }),
        refused([&] { MigrationRunOptions s = o; s.target = QStringLiteral("head"); migrator.stamp(s); }),
        refused([&] { migrator.markApplied(1, o); }),
        refused([&] { migrator.markNotApplied(1, o); }),
        refused([&] { migrator.resume(1, 1, o); }),
    };
    for (const QString &m : messages) {
        QVERIFY2(m.startsWith(QLatin1String("refusing to ")) && m.contains(QLatin1String("managed by Alembic, revision abc"))
                     && m.contains(QLatin1String("Nothing was changed")),
                 qPrintable(m));
    }
    for (const QString &table : MigrationTables::all())
        QVERIFY2(!db->hasTable(table), qPrintable(table));
}

QTEST_MAIN(TstSchemaOwnership)
#include "tst_schemaownership.moc"

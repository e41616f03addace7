// Preflight: pending migrations checked against the live rows, on both backends — every new NOT
// NULL, UNIQUE, CHECK, FOREIGN KEY and type change counted on violating and on clean rows, the
// rows a rebuild or rewrite copies, and nothing about the database changed.
#include "db/database.h"
#include "db/errors.h"
#include "migrate/migrator.h"
#include "migrate/preflight.h"
#include "migrateddb.h"
#include "testsupport.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace dbdeck;
using namespace dbdeck::test;

class TstPreflight : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { DBDECK_SKIP_POSTGRES_RUN_WITHOUT_SERVER(); }
    void countsRowsThatWouldViolate_data();
    void countsRowsThatWouldViolate();
    void addedNotNullColumnOnATableWithRows();
    void rebuildsAndRewritesGiveRowsToCopy();
    void nothingPendingIsNothingToCheck();
    void notValidConstraintIsAWarningOnPostgres();
};

namespace {

const char *Base = "-- migrate:up\n"
                   "CREATE TABLE parents (id INTEGER PRIMARY KEY, name TEXT);\n"
                   "CREATE TABLE items (id INTEGER PRIMARY KEY, email TEXT, level TEXT, qty TEXT, parent_id INTEGER);\n"
                   "-- migrate:down\n"
                   "DROP TABLE items;\nDROP TABLE parents;\n";

// The SQLite way to change a column or a constraint: rebuild the table.
QString rebuild(const QString &itemsColumns)
{
    return QStringLiteral("-- migrate:up foreign_keys:off\n"
                          "CREATE TABLE _new_items (%1);\n"
                          "INSERT INTO _new_items (id, email, level, qty, parent_id) SELECT id, email, level, qty, parent_id FROM items;\n"
                          "DROP TABLE items;\n"
                          "ALTER TABLE _new_items RENAME TO items;\n"
                          "-- migrate:down\nSELECT 1;\n")
        .arg(itemsColumns);
}

struct Fixture
{
    QTemporaryDir dir;
    std::unique_ptr<Database> db;
    QString file;

    explicit Fixture(const QString &second)
    {
        file = dir.filePath(QStringLiteral("app.db"));
        QDir(dir.path()).mkpath(QStringLiteral("migrations"));
        writeFile(dir.filePath(QStringLiteral("migrations/0001_base.sql")), Base);
        writeFile(dir.filePath(QStringLiteral("migrations/0002_change.sql")), second);
        db = std::make_unique<Database>(configFor(testDatabaseUrl(file)));
        MigrationRunOptions upTo1;
        upTo1.target = QStringLiteral("1");
        Migrator(*db, set()).upgrade(upTo1);
        db->exec(QStringLiteral("INSERT INTO parents (id, name) VALUES (1, 'p')"));
    }
    MigrationSet set() const { return MigrationSet::load(dir.filePath(QStringLiteral("migrations"))); }
    PreflightReport preflight()
    {
        Migrator migrator(*db, set());
        return Preflight::run(*db, migrator.set(), migrator.planUpgrade({}));
    }
    QByteArray fileHash() const
    {
        if (testingPostgres())
            return {};
        QFile f(file);
        if (!f.open(QIODevice::ReadOnly))
            return {};
        return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
    }
};

const PreflightFinding *findKind(const PreflightReport &r, PreflightFinding::Kind kind)
{
    for (const PreflightFinding &f : r.findings) {
        if (f.kind == kind)
            return &f;
    }
    return nullptr;
}

QString dump(const PreflightReport &r)
{
    return r.toText();
}

} // namespace

void TstPreflight::countsRowsThatWouldViolate_data()
{
    QTest::addColumn<QString>("sqlite");   // migration 0002 on SQLite
    QTest::addColumn<QString>("postgres"); // and on PostgreSQL
    QTest::addColumn<QString>("dirty");    // rows that break it
    QTest::addColumn<QString>("clean");    // rows that do not
    QTest::addColumn<int>("kind");
    QTest::addColumn<int>("violations");
    QTest::addColumn<QString>("example");

    const QString cols = QStringLiteral("id INTEGER PRIMARY KEY, email TEXT, level TEXT, qty TEXT, parent_id INTEGER");
    QTest::newRow("not null")
        << rebuild(QStringLiteral("id INTEGER PRIMARY KEY, email TEXT NOT NULL, level TEXT, qty TEXT, parent_id INTEGER"))
        << QStringLiteral("-- migrate:up\nALTER TABLE items ALTER COLUMN email SET NOT NULL;\n-- migrate:down\nSELECT 1;\n")
        << QStringLiteral("(1, 'a@x', 'info', '1', 1), (2, NULL, 'info', '2', 1), (3, NULL, 'info', '3', 1)")
        << QStringLiteral("(1, 'a@x', 'info', '1', 1), (2, 'b@x', 'info', '2', 1)")
        << int(PreflightFinding::Kind::NotNull) << 2 << QStringLiteral("id=2: email=NULL");
    QTest::newRow("unique index")
        << QStringLiteral("-- migrate:up\nCREATE UNIQUE INDEX uq_items_email ON items (email);\n-- migrate:down\nDROP INDEX uq_items_email;\n")
        << QStringLiteral("-- migrate:up\nCREATE UNIQUE INDEX uq_items_email ON items (email);\n-- migrate:down\nDROP INDEX uq_items_email;\n")
        << QStringLiteral("(1, 'a@x', 'info', '1', 1), (2, 'a@x', 'info', '2', 1), (3, 'b@x', 'info', '3', 1), (4, NULL, 'info', '4', 1), (5, NULL, 'info', '5', 1)")
        << QStringLiteral("(1, 'a@x', 'info', '1', 1), (2, 'b@x', 'info', '2', 1), (4, NULL, 'info', '4', 1), (5, NULL, 'info', '5', 1)")
        << int(PreflightFinding::Kind::Unique) << 2 << QStringLiteral("email='a@x' (2 rows)");
    QTest::newRow("check")
        << rebuild(cols + QStringLiteral(", CONSTRAINT ck_items_level CHECK (level IN ('info', 'warn'))"))
        << QStringLiteral("-- migrate:up\nALTER TABLE items ADD CONSTRAINT ck_items_level CHECK (level IN ('info', 'warn'));\n-- migrate:down\nSELECT 1;\n")
        << QStringLiteral("(1, 'a@x', 'info', '1', 1), (2, 'b@x', 'debug', '2', 1), (3, 'c@x', 'debug', '3', 1), (4, 'd@x', NULL, '4', 1)")
        << QStringLiteral("(1, 'a@x', 'info', '1', 1), (4, 'd@x', NULL, '4', 1)")
        << int(PreflightFinding::Kind::Check) << 2 << QStringLiteral("id=2: level='debug'");
    QTest::newRow("foreign key")
        << rebuild(cols + QStringLiteral(", CONSTRAINT fk_items_parent FOREIGN KEY (parent_id) REFERENCES parents (id)"))
        << QStringLiteral("-- migrate:up\nALTER TABLE items ADD CONSTRAINT fk_items_parent FOREIGN KEY (parent_id) REFERENCES parents (id);\n-- migrate:down\nSELECT 1;\n")
        << QStringLiteral("(1, 'a@x', 'info', '1', 1), (2, 'b@x', 'info', '2', 9), (3, 'c@x', 'info', '3', NULL)")
        << QStringLiteral("(1, 'a@x', 'info', '1', 1), (3, 'c@x', 'info', '3', NULL)")
        << int(PreflightFinding::Kind::ForeignKey) << 1 << QStringLiteral("id=2: parent_id=9");
    QTest::newRow("type change")
        << rebuild(QStringLiteral("id INTEGER PRIMARY KEY, email TEXT, level TEXT, qty INTEGER, parent_id INTEGER"))
        << QStringLiteral("-- migrate:up\nALTER TABLE items ALTER COLUMN qty TYPE integer USING qty::integer;\n-- migrate:down\nSELECT 1;\n")
        << QStringLiteral("(1, 'a@x', 'info', '1', 1), (2, 'b@x', 'info', 'x2', 1), (3, 'c@x', 'info', ' 3 ', 1)")
        << QStringLiteral("(1, 'a@x', 'info', '1', 1), (3, 'c@x', 'info', ' 3 ', 1), (4, 'd@x', 'info', NULL, 1)")
        << int(PreflightFinding::Kind::TypeChange) << 1 << QStringLiteral("id=2: qty='x2'");
}

void TstPreflight::countsRowsThatWouldViolate()
{
    QFETCH(QString, sqlite);
    QFETCH(QString, postgres);
    QFETCH(QString, dirty);
    QFETCH(QString, clean);
    QFETCH(int, kind);
    QFETCH(int, violations);
    QFETCH(QString, example);
    const QString migration = testingPostgres() ? postgres : sqlite;

    for (const bool bad : {true, false}) {
        Fixture fx(migration);
        fx.db->exec(QStringLiteral("INSERT INTO items (id, email, level, qty, parent_id) VALUES %1").arg(bad ? dirty : clean));
        const QByteArray before = fx.fileHash();
        const PreflightReport r = fx.preflight();
        QCOMPARE(r.migrations, QStringList{QStringLiteral("0002_change")});
        const PreflightFinding *f = findKind(r, PreflightFinding::Kind(kind));
        QVERIFY2(f, qPrintable(dump(r)));
        QCOMPARE(f->table, QStringLiteral("items"));
        QCOMPARE(f->migration, QStringLiteral("0002_change"));
        if (bad) {
            QVERIFY2(f->violations == violations, qPrintable(dump(r)));
            QVERIFY2(f->examples.join(QLatin1Char('\n')).contains(example), qPrintable(dump(r)));
            QCOMPARE(r.violationCount(), 1);
            QVERIFY(r.toText().contains(QLatin1String("violation: 0002_change items")));
        } else {
            QVERIFY2(f->violations == 0, qPrintable(dump(r)));
            QCOMPARE(r.violationCount(), 0);
        }
        // Looking changed nothing: the same bytes, still at 0001 with 0002 pending, the rows as they were.
        QCOMPARE(fx.fileHash(), before);
        Migrator after(*fx.db, fx.set());
        QCOMPARE(after.status().current, 1);
        QCOMPARE(fx.db->scalar(QStringLiteral("SELECT count(*) FROM items")).toLongLong(),
                 qint64((bad ? dirty : clean).count(QLatin1Char('(')) ));
        if (testingPostgres())
            QCOMPARE(fx.db->scalar(QStringLiteral("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'dbdeck_scratch_%'")).toInt(), 0);
        // And the upgrade itself agrees with the preflight: it fails exactly when rows violate.
        bool failed = false;
        try {
            Migrator(*fx.db, fx.set()).upgrade({});
        } catch (const DbError &) {
            failed = true;
        }
        if (PreflightFinding::Kind(kind) != PreflightFinding::Kind::TypeChange || testingPostgres())
            QCOMPARE(failed, bad);
    }
}

void TstPreflight::addedNotNullColumnOnATableWithRows()
{
    Fixture fx(QStringLiteral("-- migrate:up\nALTER TABLE items ADD COLUMN owner TEXT NOT NULL;\n-- migrate:down\nSELECT 1;\n"));
    fx.db->exec(QStringLiteral("INSERT INTO items (id, email) VALUES (1, 'a'), (2, 'b'), (3, 'c')"));
    const PreflightReport r = fx.preflight();
    QCOMPARE(r.violationCount(), 1);
    // Every existing row would get NULL (the database refuses the ALTER on a table with rows).
    const PreflightFinding *f = findKind(r, PreflightFinding::Kind::NotNull);
    QVERIFY2(f && f->violations == 3, qPrintable(dump(r)));
    QCOMPARE(f->examples.first(), QStringLiteral("id=1"));
    bool failed = false;
    try {
        Migrator(*fx.db, fx.set()).upgrade({});
    } catch (const DbError &) {
        failed = true;
    }
    QVERIFY(failed);
}

void TstPreflight::rebuildsAndRewritesGiveRowsToCopy()
{
    const QString migration = testingPostgres()
                                  ? QStringLiteral("-- migrate:up\nALTER TABLE items ALTER COLUMN qty TYPE bigint USING qty::bigint;\n-- migrate:down\nSELECT 1;\n")
                                  : rebuild(QStringLiteral("id INTEGER PRIMARY KEY, email TEXT, level TEXT, qty INTEGER, parent_id INTEGER"));
    Fixture fx(migration);
    fx.db->exec(QStringLiteral("INSERT INTO items (id, qty) VALUES (1, '1'), (2, '2'), (3, '3'), (4, '4')"));
    const PreflightReport r = fx.preflight();
    const PreflightFinding *copy = findKind(r, PreflightFinding::Kind::Copy);
    QVERIFY2(copy, qPrintable(dump(r)));
    QCOMPARE(copy->tableRows, 4);
    QVERIFY(copy->estimatedSeconds > 0);
    QVERIFY2(r.toText().contains(QLatin1String("4 row(s) to copy")), qPrintable(dump(r)));
    QCOMPARE(r.violationCount(), 0);
}

void TstPreflight::nothingPendingIsNothingToCheck()
{
    Fixture fx(QStringLiteral("-- migrate:up\nCREATE UNIQUE INDEX uq_items_email ON items (email);\n-- migrate:down\nDROP INDEX uq_items_email;\n"));
    Migrator(*fx.db, fx.set()).upgrade({});
    const PreflightReport r = fx.preflight();
    QVERIFY(r.migrations.isEmpty());
    QCOMPARE(r.toText(), QStringLiteral("preflight: nothing pending\n"));
}


void TstPreflight::notValidConstraintIsAWarningOnPostgres()
{
    if (!testingPostgres())
        QSKIP("NOT VALID is PostgreSQL's");
    Fixture fx(QStringLiteral("-- migrate:up\nALTER TABLE items ADD CONSTRAINT fk_items_parent FOREIGN KEY (parent_id) REFERENCES parents (id) NOT VALID;\n"
                              "-- migrate:down\nSELECT 1;\n"));
    fx.db->exec(QStringLiteral("INSERT INTO items (id, parent_id) VALUES (1, 1), (2, 9)"));
    const PreflightReport r = fx.preflight();
    const PreflightFinding *f = findKind(r, PreflightFinding::Kind::ForeignKey);
    QVERIFY2(f && f->violations == 1 && f->notValid, qPrintable(dump(r)));
    // The migration itself succeeds (it does not check old rows): not a failure, but said.
    QCOMPARE(r.violationCount(), 0);
    QVERIFY2(r.toText().contains(QLatin1String("warning: 0002_change items: foreign-key")), qPrintable(dump(r)));
    QVERIFY(r.toText().contains(QLatin1String("VALIDATE CONSTRAINT will fail")));
    Migrator(*fx.db, fx.set()).upgrade({});
}

QTEST_GUILESS_MAIN(TstPreflight)
#include "tst_preflight.moc"

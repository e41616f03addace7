// dbdeck-cli on databases it does not manage (application tables, no dbdeck history; Alembic's):
// status, check, upgrade and the other writers, baseline, counts and health, as a user runs them.
#include "clirunner.h"
#include "migrateddb.h"
#include "pgtestdatabase.h"
#include "testsupport.h"
#include "unmanageddb.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using dbdeck::test::CliResult;
using dbdeck::test::runCli;

class tst_CliUnmanaged : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { DBDECK_SKIP_POSTGRES_RUN_WITHOUT_SERVER(); }
    void init();
    void unmanagedIsShownCheckedAndRefused();
    void alembicManagedIsShownCheckedAndRefused();
    void baselineAdoptsAndUpgradeAppliesTheRest();
    void baselineRefusesManagedUnknownAndNewDatabases();
    void baselineRefusesDriftUnlessAccepted();
    void countsLabelAlembicsTable();
    void healthWithoutApplicationTables();
    void healthOnACorruptFileExits7();

private:
    CliResult cli(const QStringList &args)
    {
        const QStringList withUrl = m_pg ? args + QStringList{QStringLiteral("--db-url"), m_pg->url()} : args;
        // The configured journal mode (WAL) on a file made in DELETE (as SQLAlchemy leaves it): a
        // writer refused before it writes must not switch the file either.
        return runCli(m_dir->path(), withUrl);
    }
    QString url() const
    {
        return m_pg ? m_pg->url() : dbdeck::test::sqliteUrl(m_dir->filePath(QStringLiteral("data/app.db")));
    }
    std::unique_ptr<dbdeck::Database> open() const
    {
        return std::make_unique<dbdeck::Database>(dbdeck::test::configFor(url(), {{"SQLITE_JOURNAL_MODE", "DELETE"}}));
    }
    void makeSchema(qint64 upTo, const QString &alembic = {}, const QString &extra = {})
    {
        QDir().mkpath(m_dir->filePath(QStringLiteral("data")));
        auto db = open();
        dbdeck::test::createUnmanagedSchema(*db, upTo, alembic, extra);
    }
    // SQLite: every file next to the database with its hash; PostgreSQL: the tables there.
    QStringList snapshot() const
    {
        if (!m_pg)
            return dbdeck::test::folderFingerprint(m_dir->filePath(QStringLiteral("data")));
        auto db = open();
        QSqlQuery q = db->exec(QStringLiteral("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
                                              " ORDER BY table_name"));
        QStringList tables;
        while (q.next())
            tables << q.value(0).toString();
        return tables;
    }
    void verifyWritersRefuse(const QString &what);
    QJsonArray journal()
    {
        return QJsonDocument::fromJson(cli({QStringLiteral("journal"), QStringLiteral("--format"), QStringLiteral("json")}).out.toUtf8()).array();
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<dbdeck::test::PgTestDatabase> m_pg;
};

void tst_CliUnmanaged::init()
{
    m_pg.reset();
    if (dbdeck::test::testingPostgres())
        m_pg = std::make_unique<dbdeck::test::PgTestDatabase>(QStringLiteral("dbdeck_cliunmanaged"));
    m_dir = std::make_unique<QTemporaryDir>();
    QDir().mkpath(m_dir->filePath(QStringLiteral("migrations")));
    for (const QString &f : QDir(QStringLiteral(DBDECK_SOURCE_DIR "/migrations")).entryList({QStringLiteral("*.sql")}))
        QFile::copy(QStringLiteral(DBDECK_SOURCE_DIR "/migrations/") + f, m_dir->filePath(QStringLiteral("migrations/") + f));
}

void tst_CliUnmanaged::verifyWritersRefuse(const QString &what)
{
    const QStringList before = snapshot();
    QVERIFY(!before.isEmpty());
    const QList<QStringList> writers{{QStringLiteral("upgrade")},
                                     {QStringLiteral("upgrade"), QStringLiteral("--sql")},
                                     {QStringLiteral("downgrade"), QStringLiteral("base")},
                                     {QStringLiteral("stamp"), QStringLiteral("head")},
                                     {QStringLiteral("mark-applied"), QStringLiteral("0001")},
                                     {QStringLiteral("resume"), QStringLiteral("0001"), QStringLiteral("--from"), QStringLiteral("1")}};
    for (const QStringList &args : writers) {
        const CliResult r = cli(args);
        QVERIFY2(r.exitCode == 1, qPrintable(args.join(QLatin1Char(' ')) + QLatin1Char('\n') + r.out + r.err));
        QVERIFY2(r.err.contains(what) && r.err.contains(QLatin1String("dbdeck-cli baseline VERSION"))
                     && r.err.contains(QLatin1String("Nothing was changed")),
                 qPrintable(r.err));
        QVERIFY2(!r.err.contains(QLatin1String("already exists")), qPrintable(r.err));
        // Byte-identical (SQLite: no -wal, -shm or lock file left either); no dbdeck table anywhere.
        QCOMPARE(snapshot(), before);
    }
}

void tst_CliUnmanaged::unmanagedIsShownCheckedAndRefused()
{
    makeSchema(2);
    const CliResult status = cli({QStringLiteral("status")});
    QCOMPARE(status.exitCode, 0);
    QVERIFY2(status.out.contains(QLatin1String("schema:   not managed by dbdeck\n")), qPrintable(status.out));
    QVERIFY2(!status.out.contains(QLatin1String("current:  base")) && !status.out.contains(QLatin1String("pending:  2")), qPrintable(status.out));
    QVERIFY(status.out.contains(QLatin1String("dbdeck-cli baseline VERSION")));
    const QJsonObject json = QJsonDocument::fromJson(cli({QStringLiteral("status"), QStringLiteral("--format"), QStringLiteral("json")}).out.toUtf8()).object();
    QCOMPARE(json.value(QStringLiteral("managed_by")).toString(), QStringLiteral("none"));
    QCOMPARE(json.value(QStringLiteral("ownership")).toString(), QStringLiteral("not managed by dbdeck"));
    QVERIFY(json.value(QStringLiteral("current")).isNull());
    QVERIFY(json.value(QStringLiteral("pending")).isNull());
    QVERIFY(json.value(QStringLiteral("advice")).toString().contains(QLatin1String("baseline")));

    const CliResult check = cli({QStringLiteral("check")});
    QCOMPARE(check.exitCode, 7);
    QVERIFY2(check.err.contains(QLatin1String("problem: this database is not managed by dbdeck"))
                 && check.err.contains(QLatin1String("dbdeck-cli baseline VERSION")),
             qPrintable(check.err));
    QVERIFY(!check.out.startsWith(QLatin1String("ok")));
    verifyWritersRefuse(QStringLiteral("this database is not managed by dbdeck"));
}

void tst_CliUnmanaged::alembicManagedIsShownCheckedAndRefused()
{
    makeSchema(2, QStringLiteral("ae1027a6acf"));
    const CliResult status = cli({QStringLiteral("status")});
    QVERIFY2(status.out.contains(QLatin1String("schema:   not managed by dbdeck: managed by Alembic, revision ae1027a6acf")), qPrintable(status.out));
    QVERIFY2(status.out.contains(QLatin1String("tables:   events, runs\n")), qPrintable(status.out));
    const QJsonObject json = QJsonDocument::fromJson(cli({QStringLiteral("status"), QStringLiteral("--format"), QStringLiteral("json")}).out.toUtf8()).object();
    QCOMPARE(json.value(QStringLiteral("managed_by")).toString(), QStringLiteral("alembic"));
    QCOMPARE(json.value(QStringLiteral("alembic_revision")).toString(), QStringLiteral("ae1027a6acf"));
    QCOMPARE(cli({QStringLiteral("current")}).out, QStringLiteral("none recorded: not managed by dbdeck: managed by Alembic, revision ae1027a6acf\n"));
    const CliResult check = cli({QStringLiteral("check"), QStringLiteral("--format"), QStringLiteral("json")});
    QCOMPARE(check.exitCode, 7);
    const QJsonObject report = QJsonDocument::fromJson(check.out.toUtf8()).object();
    QCOMPARE(report.value(QStringLiteral("ok")).toBool(true), false);
    QVERIFY2(report.value(QStringLiteral("problems")).toArray().first().toString().contains(QLatin1String("coming from Alembic: baseline at the version matching Alembic's revision (ae1027a6acf)")),
             qPrintable(check.out));
    verifyWritersRefuse(QStringLiteral("managed by Alembic, revision ae1027a6acf"));
}

void tst_CliUnmanaged::baselineAdoptsAndUpgradeAppliesTheRest()
{
    makeSchema(1, QStringLiteral("1f2e3d4c"));
    const CliResult baseline = cli({QStringLiteral("baseline"), QStringLiteral("0001")});
    QVERIFY2(baseline.exitCode == 0, qPrintable(baseline.out + baseline.err));
    QVERIFY2(baseline.out.contains(QLatin1String("recorded 0001_create_runs as applied (none ran): the database is at 0001")), qPrintable(baseline.out));
    const QJsonObject status = QJsonDocument::fromJson(cli({QStringLiteral("status"), QStringLiteral("--format"), QStringLiteral("json")}).out.toUtf8()).object();
    QCOMPARE(status.value(QStringLiteral("managed_by")).toString(), QStringLiteral("dbdeck"));
    QCOMPARE(status.value(QStringLiteral("current")).toInt(), 1);
    QCOMPARE(status.value(QStringLiteral("pending")).toInt(), 1);
    const QJsonArray migrations = status.value(QStringLiteral("migrations")).toArray();
    QCOMPARE(migrations.at(0).toObject().value(QStringLiteral("state")).toString(), QStringLiteral("applied"));
    QCOMPARE(migrations.at(1).toObject().value(QStringLiteral("state")).toString(), QStringLiteral("pending"));
    QCOMPARE(cli({QStringLiteral("check")}).exitCode, 0);

    const CliResult upgrade = cli({QStringLiteral("upgrade")});
    QVERIFY2(upgrade.exitCode == 0, qPrintable(upgrade.out + upgrade.err));
    QVERIFY2(upgrade.out.contains(QLatin1String("0002_create_events")) && !upgrade.out.contains(QLatin1String("0001_create_runs")),
             qPrintable(upgrade.out));
    QCOMPARE(cli({QStringLiteral("current")}).out, QStringLiteral("0002 (head)\n"));
    const QJsonArray entries = journal();
    QCOMPARE(entries.size(), 2);
    const QJsonObject adopted = entries.at(1).toObject(); // newest first
    QCOMPARE(adopted.value(QStringLiteral("operation")).toString(), QStringLiteral("baseline"));
    QCOMPARE(adopted.value(QStringLiteral("outcome")).toString(), QStringLiteral("succeeded"));
    QCOMPARE(adopted.value(QStringLiteral("to_version")).toInt(), 1);
    QVERIFY2(adopted.value(QStringLiteral("detail")).toString().contains(QLatin1String("managed by Alembic, revision 1f2e3d4c")), qPrintable(adopted.value(QStringLiteral("detail")).toString()));
    QVERIFY(snapshot().join(QLatin1Char(' ')).contains(m_pg ? QStringLiteral("alembic_version") : QStringLiteral("app.db"))); // Alembic's table is left as it is
}

void tst_CliUnmanaged::baselineRefusesManagedUnknownAndNewDatabases()
{
    // A new database: nothing to adopt.
    QDir().mkpath(m_dir->filePath(QStringLiteral("data")));
    CliResult r = cli({QStringLiteral("baseline"), QStringLiteral("0001")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(QLatin1String("no application tables")), qPrintable(r.err));
    QVERIFY(m_pg || !QFile::exists(m_dir->filePath(QStringLiteral("data/app.db"))));

    makeSchema(2);
    const QStringList before = snapshot();
    for (const QString &version : {QStringLiteral("0042"), QStringLiteral("zero"), QStringLiteral("base")}) {
        r = cli({QStringLiteral("baseline"), version});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("\"%1\" is not a migration version").arg(version)), qPrintable(r.err));
        QCOMPARE(snapshot(), before);
    }
    QCOMPARE(cli({QStringLiteral("baseline")}).exitCode, 2);
    QCOMPARE(cli({QStringLiteral("baseline"), QStringLiteral("head")}).exitCode, 0);
    r = cli({QStringLiteral("baseline"), QStringLiteral("0001")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(QLatin1String("dbdeck already manages this database")), qPrintable(r.err));
    QCOMPARE(journal().size(), 1);
    QCOMPARE(cli({QStringLiteral("current")}).out, QStringLiteral("0002 (head)\n"));
}

void tst_CliUnmanaged::baselineRefusesDriftUnlessAccepted()
{
    makeSchema(1, {}, QStringLiteral("ALTER TABLE runs ADD COLUMN owner TEXT;"));
    const QStringList before = snapshot();
    CliResult r = cli({QStringLiteral("baseline"), QStringLiteral("0001")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(QLatin1String("refusing to baseline at 0001: the database's schema differs from what the migrations up to 0001 produce"))
                 && r.err.contains(QLatin1String("runs.owner")) && r.err.contains(QLatin1String("--accept-differences")),
             qPrintable(r.err));
    QCOMPARE(snapshot(), before);
    // At 0002 it differs too (events is not there).
    r = cli({QStringLiteral("baseline"), QStringLiteral("0002")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(QLatin1String("events")), qPrintable(r.err));
    QCOMPARE(snapshot(), before);

    r = cli({QStringLiteral("baseline"), QStringLiteral("0001"), QStringLiteral("--accept-differences")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
    QVERIFY2(r.out.contains(QLatin1String("accepted difference: ")) && r.out.contains(QLatin1String("runs.owner")), qPrintable(r.out));
    const QJsonObject entry = journal().first().toObject();
    QCOMPARE(entry.value(QStringLiteral("operation")).toString(), QStringLiteral("baseline"));
    QCOMPARE(entry.value(QStringLiteral("forced")).toBool(), true);
    QVERIFY(entry.value(QStringLiteral("detail")).toString().contains(QLatin1String("accepted 1 schema difference(s)")));
}

void tst_CliUnmanaged::countsLabelAlembicsTable()
{
    makeSchema(2, QStringLiteral("ae1027a6acf"));
    CliResult r = cli({QStringLiteral("counts")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains(QRegularExpression(QStringLiteral("\\nalembic_version \\(Alembic\\)\\s+1\\s"))), qPrintable(r.out));
    QVERIFY2(r.out.contains(QRegularExpression(QStringLiteral("\\nruns\\s+0\\s"))), qPrintable(r.out));
    r = cli({QStringLiteral("counts"), QStringLiteral("--format"), QStringLiteral("csv")});
    QVERIFY2(r.out.startsWith(QLatin1String("table,rows,indexes,dbdeck_owned,owner\r\n")), qPrintable(r.out));
    QVERIFY2(r.out.contains(QRegularExpression(QStringLiteral("\\nalembic_version,1,\\d+,false,Alembic\\r\\n"))), qPrintable(r.out));
    QVERIFY2(r.out.contains(QRegularExpression(QStringLiteral("\\nruns,0,\\d+,false,application\\r\\n"))), qPrintable(r.out));
    r = cli({QStringLiteral("counts"), QStringLiteral("--format"), QStringLiteral("json")});
    QHash<QString, QString> owners;
    for (const QJsonValue &v : QJsonDocument::fromJson(r.out.toUtf8()).array())
        owners.insert(v[QStringLiteral("table")].toString(), v[QStringLiteral("owner")].toString());
    QCOMPARE(owners.value(QStringLiteral("alembic_version")), QStringLiteral("Alembic"));
    QCOMPARE(owners.value(QStringLiteral("events")), QStringLiteral("application"));
    QCOMPARE(cli({QStringLiteral("baseline"), QStringLiteral("head")}).exitCode, 0);
    r = cli({QStringLiteral("counts"), QStringLiteral("--format"), QStringLiteral("csv")});
    QVERIFY2(r.out.contains(QRegularExpression(QStringLiteral("\\ndbdeck_schema_migrations,2,\\d+,true,dbdeck\\r\\n"))), qPrintable(r.out));
}

void tst_CliUnmanaged::healthWithoutApplicationTables()
{
    makeSchema(0, {}, QStringLiteral("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);"));
    const CliResult r = cli({QStringLiteral("health")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
    QVERIFY2(!r.out.contains(QLatin1String("MISSING")), qPrintable(r.out));
    QVERIFY2(r.out.contains(QLatin1String("application tables: runs, events not there (not migrated yet?")), qPrintable(r.out));
    if (m_pg) {
        QVERIFY2(!r.out.contains(QLatin1String(": ok")) && !r.out.contains(QLatin1String("check:   ok")), qPrintable(r.out));
        QVERIFY2(r.out.contains(QLatin1String("integrity check:   not checked on PostgreSQL")), qPrintable(r.out));
        QVERIFY2(r.out.contains(QLatin1String("foreign key check: not checked on PostgreSQL")), qPrintable(r.out));
    } else {
        QVERIFY2(r.out.contains(QLatin1String("integrity check:   ok")), qPrintable(r.out));
    }
    const QJsonObject json = QJsonDocument::fromJson(cli({QStringLiteral("health"), QStringLiteral("--format"), QStringLiteral("json")}).out.toUtf8()).object();
    QCOMPARE(json.value(QStringLiteral("healthy")).toBool(), true);
    QCOMPARE(json.value(QStringLiteral("integrity_checked")).toBool(), !m_pg);
    QCOMPARE(json.value(QStringLiteral("missing_tables")).toArray(), QJsonArray({QStringLiteral("runs"), QStringLiteral("events")}));
    QCOMPARE(json.value(QStringLiteral("not_checked")).toArray().size(), m_pg ? 2 : 0);
}

void tst_CliUnmanaged::healthOnACorruptFileExits7()
{
    if (m_pg)
        QSKIP("a damaged page is a SQLite file's");
    QCOMPARE(cli({QStringLiteral("upgrade")}).exitCode, 0);
    QCOMPARE(cli({QStringLiteral("sample-data"), QStringLiteral("--runs"), QStringLiteral("20"), QStringLiteral("--events"), QStringLiteral("3000")}).exitCode, 0);
    int root = 0;
    int pageSize = 0;
    {
        auto db = open();
        root = db->scalar(QStringLiteral("SELECT rootpage FROM sqlite_schema WHERE name = 'events'")).toInt();
        pageSize = db->scalar(QStringLiteral("PRAGMA page_size")).toInt();
        QVERIFY(db->scalar(QStringLiteral("PRAGMA page_count")).toInt() > root + 4);
    }
    // Overwrite the root page of events' b-tree with garbage (today's main then failed with exit 1
    // "database disk image is malformed" from the foreign key check).
    const QString file = m_dir->filePath(QStringLiteral("data/app.db"));
    QFile f(file);
    QVERIFY(f.open(QIODevice::ReadWrite));
    QVERIFY(f.seek(qint64(root - 1) * pageSize)); // pages count from 1
    QVERIFY(f.write(QByteArray(pageSize, '\xa5')) == pageSize);
    f.close();
    const CliResult r = cli({QStringLiteral("health")});
    QVERIFY2(r.exitCode == 7, qPrintable(QStringLiteral("exit %1\n").arg(r.exitCode) + r.out + r.err));
    QVERIFY2(r.out.startsWith(QLatin1String("integrity check:   ")) && !r.out.startsWith(QLatin1String("integrity check:   ok")), qPrintable(r.out));
    QVERIFY2(r.out.contains(QStringLiteral("Page %1: btreeInitPage() returns error code 11").arg(root)), qPrintable(r.out));
    QVERIFY2(r.out.contains(QLatin1String("foreign key check: the foreign key check could not finish: database disk image is malformed")),
             qPrintable(r.out));
    const CliResult json = cli({QStringLiteral("health"), QStringLiteral("--format"), QStringLiteral("json")});
    QCOMPARE(json.exitCode, 7);
    const QJsonObject report = QJsonDocument::fromJson(json.out.toUtf8()).object();
    QCOMPARE(report.value(QStringLiteral("healthy")).toBool(true), false);
    QVERIFY(!report.value(QStringLiteral("integrity")).toArray().isEmpty());
}

QTEST_GUILESS_MAIN(tst_CliUnmanaged)
#include "tst_cliunmanaged.moc"

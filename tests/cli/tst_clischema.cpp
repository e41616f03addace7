// dbdeck-cli schema, diff, revision --autogenerate and check --drift as a user runs them.
#include "clirunner.h"
#include "migrateddb.h"
#include "pgtestdatabase.h"
#include "testsupport.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QRegularExpression>
#include <QTest>

#include <unistd.h>

using dbdeck::test::CliResult;
using dbdeck::test::runCli;

namespace {

QByteArray readAll(const QString &path)
{
    QFile f(path);
    f.open(QIODevice::ReadOnly);
    return f.readAll();
}

} // namespace

class tst_CliSchema : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { DBDECK_SKIP_POSTGRES_RUN_WITHOUT_SERVER(); }
    void init();
    void shippedDeclaredSchemaEqualsMigrations();
    void schemaDumpRoundTripsAndReadsOnly();
    void diffReportsExactlyAndExits7();
    void autogenerateWritesAVerifiedMigrationThatUpgradeApplies();
    void autogenerateRebuildKeepsChildRows();
    void autogenerateWritesNothingWhenVerificationFails();
    void driftIsReportedWithNonZeroExit();

private:
    QStringList withUrl(const QStringList &args, const QString &url = {}) const
    {
        const QString u = url.isEmpty() ? (m_pg ? m_pg->url() : QString()) : url;
        return u.isEmpty() ? args : args + QStringList{QStringLiteral("--db-url"), u};
    }
    CliResult cli(const QStringList &args) { return runCli(m_dir->path(), withUrl(args)); }
    QString path(const QString &name) const { return m_dir->filePath(name); }
    void copyShipped(const QString &what)
    {
        QDir().mkpath(path(what));
        for (const QString &f : QDir(QStringLiteral(DBDECK_SOURCE_DIR "/") + what).entryList({QStringLiteral("*.sql")}))
            QFile::copy(QStringLiteral(DBDECK_SOURCE_DIR "/%1/%2").arg(what, f), path(what + QLatin1Char('/') + f));
    }
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<dbdeck::test::PgTestDatabase> m_pg;
};

void tst_CliSchema::init()
{
    m_pg.reset();
    if (dbdeck::test::testingPostgres())
        m_pg = std::make_unique<dbdeck::test::PgTestDatabase>(QStringLiteral("dbdeck_clischema"));
    m_dir = std::make_unique<QTemporaryDir>();
    copyShipped(QStringLiteral("migrations"));
    copyShipped(QStringLiteral("schema"));
}

void tst_CliSchema::shippedDeclaredSchemaEqualsMigrations()
{
    // The project's schema/ is what migrations/ produce: nothing to autogenerate.
    const CliResult r = cli({QStringLiteral("diff"), QStringLiteral("migrations"), QStringLiteral("declared")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
    QVERIFY(r.out.contains(QLatin1String("no differences")));
    const CliResult config = cli({QStringLiteral("config")});
    QVERIFY2(config.out.contains(QLatin1String("SCHEMA_DIR")) && config.out.contains(QLatin1String("./schema")), qPrintable(config.out));
}

void tst_CliSchema::schemaDumpRoundTripsAndReadsOnly()
{
    QCOMPARE(cli({QStringLiteral("upgrade")}).exitCode, 0);
    const QString db = path(QStringLiteral("data/app.db"));
    const QByteArray before = m_pg ? QByteArray() : readAll(db);
    const CliResult sql = cli({QStringLiteral("schema")});
    QCOMPARE(sql.exitCode, 0);
    QVERIFY(sql.out.contains(QLatin1String("CONSTRAINT ck_events_level CHECK")));
    QVERIFY(!sql.out.contains(QLatin1String("dbdeck_")));
    if (!m_pg)
        QCOMPARE(readAll(db), before); // looking never changes the file
    // The dump as a declared schema is the same schema; dumped again it is byte-identical.
    QDir(path(QStringLiteral("schema"))).removeRecursively();
    dbdeck::test::writeFile(path(QStringLiteral("dump.sql")), sql.out);
    const CliResult again = cli({QStringLiteral("schema"), QStringLiteral("--source"), QStringLiteral("declared"), QStringLiteral("--schema-dir"),
                                 path(QStringLiteral("dump.sql"))});
    QCOMPARE(again.exitCode, 0);
    QCOMPARE(again.out, sql.out);
    const CliResult json = cli({QStringLiteral("schema"), QStringLiteral("--format"), QStringLiteral("json")});
    const QJsonObject o = QJsonDocument::fromJson(json.out.toUtf8()).object();
    QCOMPARE(o.value(QStringLiteral("tables")).toArray().size(), 2);
    QCOMPARE(cli({QStringLiteral("schema"), QStringLiteral("--format"), QStringLiteral("xml")}).exitCode, 2);
    QCOMPARE(cli({QStringLiteral("schema"), QStringLiteral("--source"), QStringLiteral("nowhere")}).exitCode, 2);
}

void tst_CliSchema::diffReportsExactlyAndExits7()
{
    QFile file(path(QStringLiteral("schema/0002_events.sql")));
    QString text = QString::fromUtf8(readAll(file.fileName()));
    text.replace(QLatin1String("'warning', 'error'"), QLatin1String("'warning', 'error', 'fatal'"));
    dbdeck::test::writeFile(file.fileName(), text);
    const CliResult r = cli({QStringLiteral("diff")});
    QCOMPARE(r.exitCode, 7);
    const QString expected = m_pg
        ? QStringLiteral("events.level: CHECK ck_events_level differs: CHECK (level = ANY (ARRAY['debug'::text, 'info'::text, 'warning'::text, 'error'::text])) vs "
                         "CHECK (level = ANY (ARRAY['debug'::text, 'info'::text, 'warning'::text, 'error'::text, 'fatal'::text]))")
        : QStringLiteral("events.level: CHECK ck_events_level differs: CHECK (level IN ('debug', 'info', 'warning', 'error')) vs "
                         "CHECK (level IN ('debug', 'info', 'warning', 'error', 'fatal'))");
    QVERIFY2(r.out.contains(expected), qPrintable(r.out));
    const CliResult json = cli({QStringLiteral("diff"), QStringLiteral("migrations"), QStringLiteral("declared"), QStringLiteral("--format"), QStringLiteral("json")});
    QCOMPARE(json.exitCode, 7);
    QCOMPARE(QJsonDocument::fromJson(json.out.toUtf8()).object().value(QStringLiteral("differences")).toArray().size(), 1);
    const CliResult sql = cli({QStringLiteral("diff"), QStringLiteral("--format"), QStringLiteral("sql")});
    QVERIFY2(sql.out.contains(QLatin1String("'fatal'")), qPrintable(sql.out));
    QCOMPARE(cli({QStringLiteral("diff"), QStringLiteral("live")}).exitCode, 2);
}

void tst_CliSchema::autogenerateWritesAVerifiedMigrationThatUpgradeApplies()
{
    QCOMPARE(cli({QStringLiteral("upgrade")}).exitCode, 0);
    const QString file = path(QStringLiteral("schema/0001_runs.sql"));
    QString text = QString::fromUtf8(readAll(file));
    text.replace(QLatin1String("    updated_at TEXT NOT NULL,\n"), QLatin1String("    updated_at TEXT NOT NULL,\n    owner TEXT,\n"));
    text += QStringLiteral("CREATE INDEX ix_runs_owner ON runs (owner);\n");
    dbdeck::test::writeFile(file, text);
    const CliResult preview = cli({QStringLiteral("revision"), QStringLiteral("--autogenerate"), QStringLiteral("-m"), QStringLiteral("runs owner"), QStringLiteral("--sql")});
    QVERIFY2(preview.exitCode == 0, qPrintable(preview.out + preview.err));
    QVERIFY(preview.out.contains(QLatin1String("ADD COLUMN owner"), Qt::CaseInsensitive));
    QCOMPARE(QDir(path(QStringLiteral("migrations"))).entryList({QStringLiteral("*.sql")}).size(), 2); // --sql writes nothing
    const CliResult r = cli({QStringLiteral("revision"), QStringLiteral("--autogenerate"), QStringLiteral("-m"), QStringLiteral("runs owner")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
    QVERIFY2(QFile::exists(path(QStringLiteral("migrations/0003_runs_owner.sql"))), qPrintable(r.out));
    const CliResult up = cli({QStringLiteral("upgrade")});
    QVERIFY2(up.exitCode == 0, qPrintable(up.out + up.err));
    QCOMPARE(cli({QStringLiteral("diff"), QStringLiteral("live"), QStringLiteral("declared")}).exitCode, 0);
    QCOMPARE(cli({QStringLiteral("check"), QStringLiteral("--drift")}).exitCode, 0);
    const CliResult down = cli({QStringLiteral("downgrade"), QStringLiteral("-1")});
    QVERIFY2(down.exitCode == 0, qPrintable(down.out + down.err));
    QCOMPARE(cli({QStringLiteral("diff"), QStringLiteral("live"), QStringLiteral("migrations")}).exitCode, 7); // 0003 is still a file
    const CliResult same = cli({QStringLiteral("revision"), QStringLiteral("--autogenerate"), QStringLiteral("-m"), QStringLiteral("again")});
    QVERIFY(same.out.contains(QLatin1String("no changes")));
}

void tst_CliSchema::autogenerateRebuildKeepsChildRows()
{
    if (m_pg)
        QSKIP("SQLite's rebuild (PostgreSQL alters the constraint in place: the autogenerate table covers it)");
    QCOMPARE(cli({QStringLiteral("upgrade")}).exitCode, 0);
    QCOMPARE(cli({QStringLiteral("sample-data"), QStringLiteral("--runs"), QStringLiteral("3"), QStringLiteral("--events"), QStringLiteral("30")}).exitCode, 0);
    const QString file = path(QStringLiteral("schema/0001_runs.sql"));
    QString text = QString::fromUtf8(readAll(file));
    text.replace(QLatin1String("'failed', 'cancelled'"), QLatin1String("'failed', 'cancelled', 'paused'"));
    dbdeck::test::writeFile(file, text);
    const CliResult r = cli({QStringLiteral("revision"), QStringLiteral("--autogenerate"), QStringLiteral("-m"), QStringLiteral("paused runs")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
    const QString written = QString::fromUtf8(readAll(path(QStringLiteral("migrations/0003_paused_runs.sql"))));
    QVERIFY2(written.contains(QLatin1String("-- migrate:up foreign_keys:off")), qPrintable(written));
    QVERIFY(written.contains(QLatin1String("ALTER TABLE _dbdeck_new_runs RENAME TO runs")));
    // The Migrator runs the rebuild with foreign keys off and checks them before COMMIT.
    const CliResult up = cli({QStringLiteral("upgrade")});
    QVERIFY2(up.exitCode == 0, qPrintable(up.out + up.err));
    const CliResult counts = cli({QStringLiteral("counts"), QStringLiteral("--format"), QStringLiteral("json")});
    QVERIFY2(counts.out.contains(QLatin1String("30")), qPrintable(counts.out));
}

void tst_CliSchema::autogenerateWritesNothingWhenVerificationFails()
{
    // A declared schema the database refuses: the error names the file and the statement, and
    // no migration file is written. (verify() refusing a wrong draft is tst_autogenerator's.)
    dbdeck::test::writeFile(path(QStringLiteral("schema/0003_bad.sql")), "CREATE INDEX ix_nope ON runs (no_such_column);\n");
    const CliResult r = cli({QStringLiteral("revision"), QStringLiteral("--autogenerate"), QStringLiteral("-m"), QStringLiteral("bad")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(QLatin1String("0003_bad.sql")) && r.err.contains(QLatin1String("no_such_column")), qPrintable(r.err));
    QVERIFY2(r.err.count(QLatin1String("CREATE INDEX ix_nope")) == 1, qPrintable(r.err)); // the statement shown once
    QCOMPARE(QDir(path(QStringLiteral("migrations"))).entryList({QStringLiteral("*.sql")}).size(), 2);
    const CliResult missing = cli({QStringLiteral("diff"), QStringLiteral("--schema-dir"), path(QStringLiteral("nowhere"))});
    QCOMPARE(missing.exitCode, 1);
    QVERIFY2(missing.err.contains(QLatin1String("does not exist")), qPrintable(missing.err));
    // --sql only prints what --autogenerate would write; without it nothing is written.
    const CliResult sqlAlone = cli({QStringLiteral("revision"), QStringLiteral("-m"), QStringLiteral("x"), QStringLiteral("--sql")});
    QCOMPARE(sqlAlone.exitCode, 2);
    QVERIFY2(sqlAlone.err.contains(QLatin1String("--sql goes with --autogenerate")), qPrintable(sqlAlone.err));
    QCOMPARE(QDir(path(QStringLiteral("migrations"))).entryList({QStringLiteral("*.sql")}).size(), 2);
    if (::geteuid() != 0) { // root reads any folder
        QFile::setPermissions(path(QStringLiteral("schema")), QFileDevice::WriteOwner);
        const CliResult unreadable = cli({QStringLiteral("diff")});
        QFile::setPermissions(path(QStringLiteral("schema")), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
        QCOMPARE(unreadable.exitCode, 1);
        QVERIFY2(unreadable.err.contains(QLatin1String("cannot read the declared schema folder")), qPrintable(unreadable.err));
    }
}

void tst_CliSchema::driftIsReportedWithNonZeroExit()
{
    QCOMPARE(cli({QStringLiteral("upgrade")}).exitCode, 0);
    QCOMPARE(cli({QStringLiteral("check"), QStringLiteral("--drift")}).exitCode, 0);
    // Someone changed the database by hand: an extra column, a dropped index.
    {
        dbdeck::Database db(dbdeck::test::configFor(m_pg ? m_pg->url() : dbdeck::test::sqliteUrl(path(QStringLiteral("data/app.db")))));
        db.exec(QStringLiteral("ALTER TABLE runs ADD COLUMN hotfix TEXT"));
        db.exec(QStringLiteral("DROP INDEX ix_events_created_at"));
    }
    const CliResult r = cli({QStringLiteral("check"), QStringLiteral("--drift")});
    QCOMPARE(r.exitCode, 7);
    QVERIFY2(r.out.contains(QLatin1String("runs.hotfix: column only in the database")), qPrintable(r.out));
    QVERIFY2(r.out.contains(QLatin1String("events.ix_events_created_at: index only in migrations up to 0002")), qPrintable(r.out));
    QVERIFY2(!r.out.contains(QRegularExpression(QStringLiteral("^ok:"), QRegularExpression::MultilineOption)), qPrintable(r.out));
    QVERIFY2(r.err.contains(QLatin1String("problem: the database's schema has drifted")), qPrintable(r.err));
    const CliResult json = cli({QStringLiteral("check"), QStringLiteral("--drift"), QStringLiteral("--format"), QStringLiteral("json")});
    QCOMPARE(json.exitCode, 7);
    QCOMPARE(QJsonDocument::fromJson(json.out.toUtf8()).object().value(QStringLiteral("drifted")).toBool(), true);
    QCOMPARE(cli({QStringLiteral("check")}).exitCode, 0); // without --drift only the files are checked
}

QTEST_GUILESS_MAIN(tst_CliSchema)
#include "tst_clischema.moc"

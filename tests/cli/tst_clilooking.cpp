// Looking never changes a database: every command that only reads leaves the file byte-identical,
// and read-only files, folders and mode=ro URLs can be looked at. On PostgreSQL
// (tst_clilooking@postgres) the session is read-only: nothing changes, and a write is refused.
#include "clirunner.h"
#include "db/database.h"
#include "filesnapshot.h"
#include "migrateddb.h"
#include "testsupport.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <unistd.h>

using dbdeck::test::CliResult;
using dbdeck::test::FileSnapshot;
using dbdeck::test::journalHeaderBytes;
using dbdeck::test::runCli;

namespace {

const QString kMigrations = QStringLiteral(DBDECK_SOURCE_DIR "/migrations");

// Every command that only looks, with the exit codes it may give on a healthy database.
const QList<QStringList> &lookingCommands()
{
    static const QList<QStringList> commands{
        {QStringLiteral("config")},
        {QStringLiteral("pragmas")},
        {QStringLiteral("pragmas"), QStringLiteral("--connections"), QStringLiteral("3")},
        {QStringLiteral("status")},
        {QStringLiteral("status"), QStringLiteral("--format"), QStringLiteral("json")},
        {QStringLiteral("current")},
        {QStringLiteral("heads")},
        {QStringLiteral("history")},
        {QStringLiteral("check")},
        {QStringLiteral("check"), QStringLiteral("--drift")},
        {QStringLiteral("journal")},
        {QStringLiteral("lint")},
        {QStringLiteral("counts")},
        {QStringLiteral("counts"), QStringLiteral("--format"), QStringLiteral("json")},
        {QStringLiteral("health")},
        {QStringLiteral("recent"), QStringLiteral("runs")},
        {QStringLiteral("recent"), QStringLiteral("events")},
        {QStringLiteral("schema")},
        {QStringLiteral("diff"), QStringLiteral("live"), QStringLiteral("migrations")},
        {QStringLiteral("upgrade"), QStringLiteral("--sql")},
        {QStringLiteral("upgrade"), QStringLiteral("--preflight")},
        {QStringLiteral("downgrade"), QStringLiteral("base"), QStringLiteral("--sql")},
    };
    return commands;
}

class Folder
{
public:
    Folder() : path(m_dir.path()), db(m_dir.filePath(QStringLiteral("data/app.db"))) {}
    QList<QPair<QString, QString>> env(const QString &journalMode = {}) const
    {
        QList<QPair<QString, QString>> e{{QStringLiteral("MIGRATIONS_DIR"), kMigrations}};
        if (!journalMode.isEmpty())
            e.append({QStringLiteral("SQLITE_JOURNAL_MODE"), journalMode});
        return e;
    }
    // The application's schema and some runs and events, written in the given journal mode.
    bool populate(const QString &journalMode)
    {
        return runCli(path, {QStringLiteral("upgrade")}, env(journalMode)).exitCode == 0
            && runCli(path, {QStringLiteral("sample-data"), QStringLiteral("--runs"), QStringLiteral("3"), QStringLiteral("--events"),
                             QStringLiteral("60")}, env(journalMode)).exitCode == 0;
    }

private:
    QTemporaryDir m_dir;

public:
    const QString path;
    const QString db;
};

// Root may write anywhere: read-only cases run as "nobody" (who can read, not write).
QStringList unprivileged(const QString &folder)
{
    if (geteuid() != 0)
        return {};
    const QString setpriv = QStandardPaths::findExecutable(QStringLiteral("setpriv"));
    if (setpriv.isEmpty())
        return {};
    const auto open = QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner | QFileDevice::ReadGroup
                      | QFileDevice::ExeGroup | QFileDevice::ReadOther | QFileDevice::ExeOther;
    QFile::setPermissions(folder, open);
    return {setpriv, QStringLiteral("--reuid=65534"), QStringLiteral("--regid=65534"), QStringLiteral("--clear-groups")};
}

QString shown(const QStringList &args, const CliResult &r)
{
    return QStringLiteral("%1 -> exit %2\n%3\n%4").arg(args.join(QLatin1Char(' '))).arg(r.exitCode).arg(r.out.left(600), r.err.left(600));
}

} // namespace

class tst_CliLooking : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { DBDECK_SKIP_POSTGRES_RUN_WITHOUT_SERVER(); }
    void init();
    void everyLookingCommandLeavesARollbackFileByteIdentical();
    void lookingAtAWalFileConfiguredDeleteLeavesItWal();
    void pragmasSaysWhenTheJournalModeIsSwitched();
    void lookingAtAMissingDatabaseCreatesNothing();
    void readOnlyFileIsLookedAtAndWritesAreRefused();
    void readOnlyFolderIsLookedAtAndWritesAreRefused();
    void modeRoUrlIsLookedAtAndWritesAreRefused();
    void theFirstWriteSwitchesToTheConfiguredMode();
    void everyLookingCommandLeavesAPostgresDatabaseUnchanged();
    void aLookingCommandThatWouldWriteToPostgresIsRefused();
    void writersRefusedBeforeWritingLeaveARollbackFileByteIdentical();
};

void tst_CliLooking::init()
{
    if (const QString skipped = dbdeck::test::otherBackendsCase(); !skipped.isEmpty())
        QSKIP(qPrintable(skipped));
}

void tst_CliLooking::everyLookingCommandLeavesARollbackFileByteIdentical()
{
    Folder f;
    QVERIFY(f.populate(QStringLiteral("DELETE")));
    QCOMPARE(journalHeaderBytes(f.db), QByteArray("0101"));
    const FileSnapshot before = FileSnapshot::of(f.db);
    QTest::qWait(20); // a changed mtime would show
    for (const QStringList &args : lookingCommands()) {
        const CliResult r = runCli(f.path, args, f.env()); // configured: WAL
        QVERIFY2(r.exitCode == 0, qPrintable(shown(args, r)));
        const FileSnapshot after = FileSnapshot::of(f.db);
        QVERIFY2(after == before, qPrintable(shown(args, r) + QStringLiteral("\nchanged: ") + before.describe()
                                             + QStringLiteral(" -> ") + after.describe()));
    }
    QCOMPARE(journalHeaderBytes(f.db), QByteArray("0101"));
}

void tst_CliLooking::lookingAtAWalFileConfiguredDeleteLeavesItWal()
{
    Folder f;
    QVERIFY(f.populate(QStringLiteral("WAL")));
    QCOMPARE(journalHeaderBytes(f.db), QByteArray("0202"));
    const FileSnapshot before = FileSnapshot::of(f.db);
    for (const QStringList &args : lookingCommands()) {
        const CliResult r = runCli(f.path, args, f.env(QStringLiteral("DELETE")));
        QVERIFY2(r.exitCode == 0, qPrintable(shown(args, r)));
        QVERIFY2(FileSnapshot::of(f.db) == before, qPrintable(shown(args, r)));
    }
    QCOMPARE(journalHeaderBytes(f.db), QByteArray("0202"));
}

void tst_CliLooking::pragmasSaysWhenTheJournalModeIsSwitched()
{
    Folder f;
    QVERIFY(f.populate(QStringLiteral("DELETE")));
    const CliResult r = runCli(f.path, {QStringLiteral("pragmas")}, f.env());
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains(QRegularExpression(QStringLiteral("journal_mode\\s+WAL\\s+DELETE\\s+switched to WAL on the first write\n"))),
             qPrintable(r.out));
    QVERIFY2(r.out.contains(QStringLiteral("read-only: looking only")), qPrintable(r.out));
    QVERIFY(!r.out.contains(QLatin1String("MISMATCH")));
    QVERIFY(!r.out.contains(QLatin1String("warning:")));
}

void tst_CliLooking::lookingAtAMissingDatabaseCreatesNothing()
{
    Folder f;
    for (const QStringList &args : lookingCommands()) {
        const CliResult r = runCli(f.path, args, f.env());
        QVERIFY2(r.exitCode != -1, qPrintable(shown(args, r)));
        QVERIFY2(!QFileInfo::exists(f.path + QStringLiteral("/data")), qPrintable(shown(args, r)));
    }
    const CliResult pragmas = runCli(f.path, {QStringLiteral("pragmas")}, f.env());
    QCOMPARE(pragmas.exitCode, 0);
    QVERIFY2(pragmas.out.contains(QStringLiteral("the database does not exist yet; dbdeck creates it on the first write")),
             qPrintable(pragmas.out));
    const CliResult status = runCli(f.path, {QStringLiteral("status")}, f.env());
    QCOMPARE(status.exitCode, 0);
}

void tst_CliLooking::readOnlyFileIsLookedAtAndWritesAreRefused()
{
    Folder f;
    QVERIFY(f.populate(QStringLiteral("DELETE")));
    const QStringList prefix = unprivileged(f.path);
    if (geteuid() == 0 && prefix.isEmpty())
        QSKIP("setpriv (util-linux) is needed to test read-only files as root");
    QFile::setPermissions(f.path + QStringLiteral("/data"), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner
                                                              | QFileDevice::ReadOther | QFileDevice::ExeOther);
    QVERIFY(QFile::setPermissions(f.db, QFileDevice::ReadOwner | QFileDevice::ReadGroup | QFileDevice::ReadOther));
    const FileSnapshot before = FileSnapshot::of(f.db);
    for (const QStringList &args : lookingCommands()) {
        const CliResult r = runCli(f.path, args, f.env(), prefix);
        QVERIFY2(r.exitCode == 0, qPrintable(shown(args, r)));
    }
    const CliResult up = runCli(f.path, {QStringLiteral("stamp"), QStringLiteral("base")}, f.env(), prefix);
    QCOMPARE(up.exitCode, 1);
    QVERIFY2(up.err.contains(QStringLiteral("cannot write to the database: the file %1 is read-only").arg(f.db)), qPrintable(up.err));
    QVERIFY(FileSnapshot::of(f.db) == before);
}

void tst_CliLooking::readOnlyFolderIsLookedAtAndWritesAreRefused()
{
    Folder f;
    QVERIFY(f.populate(QStringLiteral("DELETE")));
    const QStringList prefix = unprivileged(f.path);
    if (geteuid() == 0 && prefix.isEmpty())
        QSKIP("setpriv (util-linux) is needed to test read-only folders as root");
    const QString folder = f.path + QStringLiteral("/data");
    if (geteuid() == 0) // nobody may write the file but not the folder
        QVERIFY(QFile::setPermissions(f.db, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadOther
                                                | QFileDevice::WriteOther));
    QVERIFY(QFile::setPermissions(folder, QFileDevice::ReadOwner | QFileDevice::ExeOwner | QFileDevice::ReadOther | QFileDevice::ExeOther));
    const FileSnapshot before = FileSnapshot::of(f.db);
    for (const QStringList &args : lookingCommands()) {
        const CliResult r = runCli(f.path, args, f.env(), prefix);
        QVERIFY2(r.exitCode == 0, qPrintable(shown(args, r)));
    }
    const CliResult up = runCli(f.path, {QStringLiteral("stamp"), QStringLiteral("base")}, f.env(), prefix);
    QCOMPARE(up.exitCode, 1);
    QVERIFY2(up.err.contains(QStringLiteral("cannot write to the database: the folder %1 is read-only").arg(folder)), qPrintable(up.err));
    QVERIFY(FileSnapshot::of(f.db) == before);
    QFile::setPermissions(folder, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
}

void tst_CliLooking::modeRoUrlIsLookedAtAndWritesAreRefused()
{
    Folder f;
    QVERIFY(f.populate(QStringLiteral("DELETE")));
    const FileSnapshot before = FileSnapshot::of(f.db);
    auto env = f.env();
    env.append({QStringLiteral("DB_URL"), QStringLiteral("sqlite:///file:data/app.db?mode=ro&uri=true")});
    for (const QStringList &args : lookingCommands()) {
        const CliResult r = runCli(f.path, args, env);
        QVERIFY2(r.exitCode == 0, qPrintable(shown(args, r)));
    }
    QVERIFY(!QFileInfo::exists(f.path + QStringLiteral("/file:data")));
    const CliResult up = runCli(f.path, {QStringLiteral("stamp"), QStringLiteral("base")}, env);
    QCOMPARE(up.exitCode, 1);
    QVERIFY2(up.err.contains(QStringLiteral("read-only")), qPrintable(up.err));
    QVERIFY(FileSnapshot::of(f.db) == before);
}

void tst_CliLooking::theFirstWriteSwitchesToTheConfiguredMode()
{
    Folder f;
    QVERIFY(f.populate(QStringLiteral("DELETE")));
    QCOMPARE(runCli(f.path, {QStringLiteral("status")}, f.env()).exitCode, 0);
    QCOMPARE(journalHeaderBytes(f.db), QByteArray("0101"));
    const CliResult write = runCli(f.path, {QStringLiteral("sample-data"), QStringLiteral("--runs"), QStringLiteral("1"),
                                            QStringLiteral("--events"), QStringLiteral("5")}, f.env());
    QCOMPARE(write.exitCode, 0);
    QCOMPARE(journalHeaderBytes(f.db), QByteArray("0202"));
}

// ---- PostgreSQL ----

namespace {

// What a looking command could change in a PostgreSQL database: every table's rows, the columns,
// indexes, schemas and sequences, and how many rows were ever written to each table (even by a
// transaction rolled back). The counters are read once no other session is connected, because a
// session reports them as it ends.
QString postgresFingerprint(dbdeck::Database &db)
{
    const QString name = db.scalar(QStringLiteral("SELECT current_database()")).toString();
    QElapsedTimer waited;
    waited.start();
    while (db.scalar(QStringLiteral("SELECT count(*) FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()"), {name}).toInt() > 0
           && waited.elapsed() < 10000)
        QThread::msleep(20);
    QStringList parts;
    for (const char *sql : {
             "SELECT string_agg(format('%s.%s.%s %s', table_schema, table_name, column_name, data_type), E'\\n' "
             "ORDER BY table_schema, table_name, ordinal_position) FROM information_schema.columns "
             "WHERE table_schema NOT IN ('pg_catalog', 'information_schema')",
             "SELECT string_agg(indexdef, E'\\n' ORDER BY indexdef) FROM pg_indexes WHERE schemaname <> 'pg_catalog'",
             "SELECT string_agg(nspname, ',' ORDER BY nspname) FROM pg_namespace",
             "SELECT string_agg(format('%s.%s=%s', schemaname, sequencename, last_value), ',' ORDER BY schemaname, sequencename) "
             "FROM pg_sequences",
             "SELECT string_agg(format('%s.%s written %s/%s/%s', schemaname, relname, n_tup_ins, n_tup_upd, n_tup_del), E'\\n' "
             "ORDER BY schemaname, relname) FROM pg_stat_user_tables"})
        parts << db.scalar(QString::fromLatin1(sql)).toString();
    QSqlQuery tables = db.exec(QStringLiteral("SELECT format('%I.%I', table_schema, table_name) FROM information_schema.tables "
                                              "WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema') "
                                              "ORDER BY 1"));
    QStringList names;
    while (tables.next())
        names << tables.value(0).toString();
    for (const QString &table : std::as_const(names))
        parts << table + QStringLiteral(": ")
                     + db.scalar(QStringLiteral("SELECT format('%s rows %s', count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), ''))) "
                                                "FROM %1 t").arg(table)).toString();
    return parts.join(QLatin1Char('\n'));
}

} // namespace

void tst_CliLooking::everyLookingCommandLeavesAPostgresDatabaseUnchanged()
{
    dbdeck::test::PgTestDatabase pg(QStringLiteral("dbdeck_clilooking"));
    QTemporaryDir dir;
    const QString migrations = dir.filePath(QStringLiteral("migrations"));
    QDir().mkpath(migrations);
    for (const QString &file : QDir(kMigrations).entryList({QStringLiteral("*.sql")}))
        QVERIFY(QFile::copy(kMigrations + QLatin1Char('/') + file, migrations + QLatin1Char('/') + file));
    const QList<QPair<QString, QString>> env{{QStringLiteral("DB_URL"), pg.url()}, {QStringLiteral("MIGRATIONS_DIR"), migrations}};
    QCOMPARE(runCli(dir.path(), {QStringLiteral("upgrade")}, env).exitCode, 0);
    QCOMPARE(runCli(dir.path(), {QStringLiteral("sample-data"), QStringLiteral("--runs"), QStringLiteral("3"), QStringLiteral("--events"),
                                 QStringLiteral("60")}, env).exitCode, 0);
    dbdeck::Database db(dbdeck::test::configFor(pg.url()));
    const QString before = postgresFingerprint(db);
    QVERIFY2(before.contains(QStringLiteral("public.events: 60 rows")), qPrintable(before));
    for (const QStringList &args : lookingCommands()) {
        const CliResult r = runCli(dir.path(), args, env);
        QVERIFY2(r.exitCode == 0, qPrintable(shown(args, r)));
        const QString after = postgresFingerprint(db);
        QVERIFY2(after == before, qPrintable(shown(args, r) + QStringLiteral("\nchanged:\n") + before + QStringLiteral("\n->\n") + after));
    }
    // A pending migration: the commands that look at what it would do (preflight builds it in a
    // scratch schema that is rolled back) change nothing either.
    dbdeck::test::writeFile(migrations + QStringLiteral("/0900_widgets.sql"),
                            "-- migrate:up\nCREATE TABLE widgets (id TEXT PRIMARY KEY);\n"
                            "INSERT INTO widgets (id) SELECT id FROM events;\n-- migrate:down\nDROP TABLE widgets;\n");
    for (const QStringList &args : QList<QStringList>{{QStringLiteral("status")},
                                                      {QStringLiteral("upgrade"), QStringLiteral("--sql")},
                                                      {QStringLiteral("upgrade"), QStringLiteral("--preflight")},
                                                      {QStringLiteral("check"), QStringLiteral("--drift")}}) {
        const CliResult r = runCli(dir.path(), args, env);
        QVERIFY2(r.exitCode != -1 && !r.err.contains(QLatin1String("error:")), qPrintable(shown(args, r)));
        QVERIFY2(postgresFingerprint(db) == before, qPrintable(shown(args, r)));
    }
    // Writing still writes, and the fingerprint sees it.
    const CliResult up = runCli(dir.path(), {QStringLiteral("upgrade")}, env);
    QVERIFY2(up.exitCode == 0, qPrintable(shown({QStringLiteral("upgrade")}, up)));
    const QString after = postgresFingerprint(db);
    QVERIFY(after != before);
    QVERIFY2(after.contains(QStringLiteral("public.widgets: 60 rows")), qPrintable(after));
}

void tst_CliLooking::aLookingCommandThatWouldWriteToPostgresIsRefused()
{
    // A view whose function writes: reading it through a looking command would change the
    // database, so the read-only session refuses it and says why.
    dbdeck::test::PgTestDatabase pg(QStringLiteral("dbdeck_clilooking"));
    QTemporaryDir dir;
    const QList<QPair<QString, QString>> env{{QStringLiteral("DB_URL"), pg.url()}, {QStringLiteral("MIGRATIONS_DIR"), kMigrations}};
    QCOMPARE(runCli(dir.path(), {QStringLiteral("upgrade")}, env).exitCode, 0);
    QCOMPARE(runCli(dir.path(), {QStringLiteral("sample-data"), QStringLiteral("--runs"), QStringLiteral("2"), QStringLiteral("--events"),
                                 QStringLiteral("2")}, env).exitCode, 0);
    dbdeck::Database db(dbdeck::test::configFor(pg.url()));
    db.exec(QStringLiteral("CREATE TABLE reads_seen (id SERIAL PRIMARY KEY)"));
    db.exec(QStringLiteral("CREATE FUNCTION note_read() RETURNS boolean LANGUAGE plpgsql AS "
                           "$$ BEGIN INSERT INTO reads_seen DEFAULT VALUES; RETURN true; END $$"));
    db.exec(QStringLiteral("ALTER TABLE runs RENAME TO runs_kept"));
    db.exec(QStringLiteral("CREATE VIEW runs AS SELECT * FROM runs_kept WHERE note_read()"));
    const QStringList args{QStringLiteral("recent"), QStringLiteral("runs")};
    const CliResult r = runCli(dir.path(), args, env);
    QVERIFY2(r.exitCode == 1, qPrintable(shown(args, r)));
    QVERIFY2(r.err.contains(QStringLiteral("error: dbdeck was only looking at postgresql://")), qPrintable(shown(args, r)));
    QVERIFY2(r.err.contains(QStringLiteral("read-only")), qPrintable(shown(args, r)));
    QCOMPARE(db.scalar(QStringLiteral("SELECT count(*) FROM reads_seen")).toInt(), 0);
}

// Writers open the database as looking commands do and switch it to WAL only at their first
// write: one refused before that (bad input, a bad migrations folder, a refused reset) leaves a
// rollback-journal file as it was, header included, and creates no -wal or -shm.
void tst_CliLooking::writersRefusedBeforeWritingLeaveARollbackFileByteIdentical()
{
    Folder f;
    QVERIFY(f.populate(QStringLiteral("DELETE")));
    QCOMPARE(journalHeaderBytes(f.db), QByteArray("0101"));
    dbdeck::test::writeFile(f.path + QStringLiteral("/not-json.jsonl"), QByteArray("not json\n"));
    dbdeck::test::writeFile(f.path + QStringLiteral("/no-kind.jsonl"), QByteArray("{\"type\": \"run\", \"id\": \"r1\"}\n"));
    const QString badMigrations = f.path + QStringLiteral("/bad-migrations");
    QDir().mkpath(badMigrations);
    dbdeck::test::writeFile(badMigrations + QStringLiteral("/0001_a.sql"), QByteArray("-- migrate:up\nCREATE TABLE a (id INTEGER);\n"));
    dbdeck::test::writeFile(badMigrations + QStringLiteral("/0001_b.sql"), QByteArray("-- migrate:up\nCREATE TABLE b (id INTEGER);\n"));
    const struct
    {
        QStringList args;
        int exitCode;
        QString error;
    } refused[] = {
        {{QStringLiteral("ingest"), QStringLiteral("not-json.jsonl")}, 5, QStringLiteral("line 1: invalid JSON")},
        {{QStringLiteral("ingest"), QStringLiteral("no-kind.jsonl")}, 5, QStringLiteral("line 1: a run needs \"kind\"")},
        {{QStringLiteral("upgrade"), QStringLiteral("--migrations"), badMigrations}, 1, QStringLiteral("version 0001 is also used by")},
        {{QStringLiteral("reset"), QStringLiteral("--confirm"), QStringLiteral("app")}, 1, QStringLiteral("reset is disabled")},
    };
    const FileSnapshot before = FileSnapshot::of(f.db);
    QTest::qWait(20); // a changed mtime would show
    for (const auto &writer : refused) {
        const CliResult r = runCli(f.path, writer.args, f.env()); // configured: WAL
        QVERIFY2(r.exitCode == writer.exitCode && r.err.contains(writer.error), qPrintable(shown(writer.args, r)));
        const FileSnapshot after = FileSnapshot::of(f.db);
        QVERIFY2(after == before, qPrintable(shown(writer.args, r) + QStringLiteral("\nchanged: ") + before.describe()
                                             + QStringLiteral(" -> ") + after.describe()));
    }
    QCOMPARE(journalHeaderBytes(f.db), QByteArray("0101"));
}

QTEST_GUILESS_MAIN(tst_CliLooking)
#include "tst_clilooking.moc"

#include "clirunner.h"
#include "migrateddb.h"
#include "pgtestdatabase.h"
#include "db/database.h"
#include "store/jsonvalue.h"
#include "store/sampledata.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

extern char **environ;

using dbdeck::test::CliResult;
using dbdeck::test::runCli;

namespace {

struct Measured
{
    int exitCode = -1;
    long peakKb = 0; // the child's own peak resident set, from wait4()
};

// Runs dbdeck-cli with output to files and returns its exit code and peak memory. wait4() gives
// this one child's figures (QProcess cannot).
Measured runMeasured(const QString &workingDir, const QStringList &args, const QString &outFile)
{
    QList<QByteArray> argv8{QByteArrayLiteral(DBDECK_CLI)};
    for (const QString &a : args)
        argv8 << a.toUtf8();
    std::vector<char *> argv;
    for (QByteArray &a : argv8)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    const QByteArray out = outFile.toUtf8();
    posix_spawn_file_actions_addopen(&actions, 1, out.constData(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    const QByteArray dir = workingDir.toUtf8();
    const QString cwd = QDir::currentPath();
    QDir::setCurrent(workingDir);
    pid_t pid = 0;
    const int rc = posix_spawn(&pid, DBDECK_CLI, &actions, nullptr, argv.data(), environ);
    QDir::setCurrent(cwd);
    posix_spawn_file_actions_destroy(&actions);
    Measured m;
    if (rc != 0)
        return m;
    int status = 0;
    rusage usage{};
    if (wait4(pid, &status, 0, &usage) != pid)
        return m;
    m.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    m.peakKb = usage.ru_maxrss;
    return m;
}

} // namespace

class tst_CliIngest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void sameOutputAsBefore_data();
    void sameOutputAsBefore();
    void neverMigratedDatabaseIsOneError();
    void sqliteCommandsDoNotLoadLibpq();
    void sampleDataOutputStreams();
    void memoryStaysFlat_data();
    void memoryStaysFlat();
    void noncharactersAreStoredAsGiven();

private:
    QStringList withUrl(const QStringList &args) const { return m_pg ? args + QStringList{QStringLiteral("--db-url"), m_pg->url()} : args; }
    CliResult cli(const QStringList &args, const QByteArray &input = {}) { return runCli(m_dir->path(), withUrl(args), {}, {}, input); }
    QString dump(const QString &dbPath);
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<dbdeck::test::PgTestDatabase> m_pg;
};

void tst_CliIngest::initTestCase()
{
    DBDECK_SKIP_POSTGRES_RUN_WITHOUT_SERVER();
}

void tst_CliIngest::init()
{
    m_pg.reset();
    if (dbdeck::test::testingPostgres())
        m_pg = std::make_unique<dbdeck::test::PgTestDatabase>(QStringLiteral("dbdeck_cliingest"));
    m_dir = std::make_unique<QTemporaryDir>();
}

QString tst_CliIngest::dump(const QString &dbPath)
{
    dbdeck::Database db(dbdeck::test::configFor(dbdeck::test::sqliteUrl(dbPath)));
    QString text;
    const auto rows = [&](const QString &sql) {
        QSqlQuery q = db.exec(sql);
        while (q.next())
            text += q.value(0).toString() + QLatin1Char('\n');
    };
    rows(QStringLiteral("SELECT quote(id)||','||quote(kind)||','||quote(status)||','||quote(params_json)||','||quote(error)||','||"
                        "quote(started_at)||','||quote(finished_at)||','||quote(created_at)||','||quote(updated_at) FROM runs ORDER BY id"));
    rows(QStringLiteral("SELECT quote(id)||','||quote(run_id)||','||quote(seq)||','||quote(level)||','||quote(kind)||','||quote(message)||','||"
                        "quote(message_original_length)||','||quote(payload_json)||','||quote(payload_uri)||','||quote(created_at) "
                        "FROM events ORDER BY id"));
    return text;
}

void tst_CliIngest::sameOutputAsBefore_data()
{
    QTest::addColumn<QString>("scenario");
    QTest::addColumn<QStringList>("options");
    QTest::newRow("stop, batches of 7") << "stop-batch-7" << QStringList{QStringLiteral("--batch-size"), QStringLiteral("7")};
    QTest::newRow("skip, batches of 7") << "skip-batch-7" << QStringList{QStringLiteral("--on-error=skip"), QStringLiteral("--batch-size"), QStringLiteral("7")};
    QTest::newRow("skip, batches of 1000") << "skip-batch-1000" << QStringList{QStringLiteral("--on-error=skip")};
    QTest::newRow("skip, batches of 1") << "skip-batch-1" << QStringList{QStringLiteral("--on-error=skip"), QStringLiteral("--batch-size"), QStringLiteral("1")};
}

void tst_CliIngest::sameOutputAsBefore()
{
    // tests/data/ingest_golden: what the serial ingest before the pipeline wrote (record.sh says how).
    if (m_pg)
        QSKIP("the recorded rows are SQLite's (quote()); the PostgreSQL run checks the same semantics in tst_ingestor");
    QFETCH(QString, scenario);
    QFETCH(QStringList, options);
    const QString golden = QStringLiteral(DBDECK_TEST_DATA "/ingest_golden/");
    QFile expectedFile(golden + scenario + QStringLiteral(".expected"));
    QVERIFY(expectedFile.open(QIODevice::ReadOnly));
    const QString expected = QString::fromUtf8(expectedFile.readAll());
    const QString db = m_dir->filePath(scenario + QStringLiteral(".db"));
    const QStringList url{QStringLiteral("--db-url"), dbdeck::test::sqliteUrl(db)};
    QCOMPARE(runCli(m_dir->path(), url + QStringList{QStringLiteral("--migrations"), QStringLiteral(DBDECK_SOURCE_DIR "/migrations"),
                                                     QStringLiteral("upgrade")}).exitCode, 0);
    const QStringList ingest = url + QStringList{QStringLiteral("ingest"), golden + QStringLiteral("input.jsonl")} + options;
    CliResult r = runCli(m_dir->path(), ingest);
    QString actual = QStringLiteral("exit %1\n--- stdout\n%2--- stderr\n%3--- rows\n%4").arg(r.exitCode).arg(r.out, r.err, dump(db));
    r = runCli(m_dir->path(), ingest);
    actual += QStringLiteral("--- again: exit %1\n%2--- rows\n%3").arg(r.exitCode).arg(r.out, dump(db));
    // The one intended difference: a foreign-key failure now names the run that does not exist.
    static const QRegularExpression foreignKey(QStringLiteral("no run has the id \"[^\"]*\" that \"run_id\" names: load the run first, "
                                                              "earlier in this file or in the same batch \\(foreign key fk_events_run_id_runs\\)"));
    actual.replace(foreignKey, QStringLiteral("a row in events refers to a row that does not exist, or a row that is still referenced "
                                              "would be removed (FOREIGN KEY constraint)"));
    if (actual != expected) {
        const QStringList a = actual.split(QLatin1Char('\n')), e = expected.split(QLatin1Char('\n'));
        for (qsizetype i = 0; i < std::max(a.size(), e.size()); ++i)
            QCOMPARE(a.value(i), e.value(i));
    }
}

void tst_CliIngest::neverMigratedDatabaseIsOneError()
{
    QFile feed(m_dir->filePath(QStringLiteral("feed.jsonl")));
    QVERIFY(feed.open(QIODevice::WriteOnly));
    for (int i = 0; i < 50; ++i)
        feed.write(QStringLiteral("{\"type\":\"run\",\"id\":\"r%1\",\"kind\":\"job\"}\n").arg(i).toUtf8());
    feed.close();
    const CliResult r = cli({QStringLiteral("ingest"), QStringLiteral("feed.jsonl")});
    QCOMPARE(r.exitCode, 1);
    QCOMPARE(r.out, QString());
    QCOMPARE(r.err.count(QLatin1Char('\n')), 1);
    QVERIFY2(r.err.startsWith(QStringLiteral("dbdeck-cli ingest: error: ")), qPrintable(r.err));
    QVERIFY2(r.err.endsWith(QStringLiteral(" has no runs and events tables: the database has not been migrated. Run `dbdeck-cli upgrade` first.\n")),
             qPrintable(r.err));
    if (!m_pg)
        QVERIFY(!QFileInfo::exists(m_dir->filePath(QStringLiteral("data/app.db"))));
    const CliResult sample = cli({QStringLiteral("sample-data"), QStringLiteral("--events"), QStringLiteral("10")});
    QCOMPARE(sample.exitCode, 1);
    QVERIFY(sample.err.contains(QStringLiteral("Run `dbdeck-cli upgrade` first.")));
}

void tst_CliIngest::sqliteCommandsDoNotLoadLibpq()
{
    // The dynamic loader lists every library it loads under LD_DEBUG=libs.
    const QList<QPair<QString, QString>> debug{{QStringLiteral("LD_DEBUG"), QStringLiteral("libs")}};
    const CliResult sqlite = runCli(m_dir->path(), {QStringLiteral("current")}, debug);
    QCOMPARE(sqlite.exitCode, 0);
    QVERIFY2(sqlite.err.contains(QStringLiteral("libsqlite3")), "LD_DEBUG gave no list of libraries");
    QVERIFY2(!sqlite.err.contains(QStringLiteral("libpq")), "a SQLite command loaded libpq");
    QVERIFY(!sqlite.err.contains(QStringLiteral("libssl")));
    // A PostgreSQL URL does load it (through Qt's QPSQL driver), even when no server answers.
    const CliResult pg = runCli(m_dir->path(), {QStringLiteral("current"), QStringLiteral("--db-url"),
                                                QStringLiteral("postgresql://nobody@127.0.0.1:1/none?connect_timeout=1")}, debug);
    QVERIFY(pg.exitCode != 0);
    QVERIFY2(pg.err.contains(QStringLiteral("libpq")), "the PostgreSQL side is not there to load");
}

void tst_CliIngest::sampleDataOutputStreams()
{
    const CliResult r = cli({QStringLiteral("sample-data"), QStringLiteral("--runs"), QStringLiteral("7"), QStringLiteral("--events"),
                             QStringLiteral("3000"), QStringLiteral("--seed"), QStringLiteral("42"), QStringLiteral("--output"), QStringLiteral("demo.jsonl")});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QStringLiteral("wrote 3,007 lines (7 runs, 3,000 events) to demo.jsonl\n"));
    QFile file(m_dir->filePath(QStringLiteral("demo.jsonl")));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = file.readAll().split('\n');
    QCOMPARE(lines.size(), 3008);
    QCOMPARE(lines.last(), QByteArray());
    // The same lines as generated in memory, apart from the clock they are placed by.
    const QList<QByteArray> again = dbdeck::SampleData::generate(7, 3000, 42);
    for (int i = 0; i < 3007; ++i) {
        const dbdeck::JsonValue a = dbdeck::JsonValue::parse(lines.at(i)), b = dbdeck::JsonValue::parse(again.at(i));
        QCOMPARE(a.value(QStringLiteral("type")).toString(), b.value(QStringLiteral("type")).toString());
        QCOMPARE(a.value(QStringLiteral("message")).toString(), b.value(QStringLiteral("message")).toString());
        QCOMPARE(a.value(QStringLiteral("payload")).canonical(), b.value(QStringLiteral("payload")).canonical());
        QCOMPARE(dbdeck::JsonValue::parse(lines.at(i)).canonical(), lines.at(i)); // canonical JSON, one per line
    }
    const CliResult load = cli({QStringLiteral("--migrations"), QStringLiteral(DBDECK_SOURCE_DIR "/migrations"), QStringLiteral("upgrade")});
    QCOMPARE(load.exitCode, 0);
    const CliResult ingest = cli({QStringLiteral("ingest"), QStringLiteral("demo.jsonl")});
    QCOMPARE(ingest.out, QStringLiteral("3,007 lines: 7 runs and 3,000 events added, 0 already present\n"));
}

void tst_CliIngest::memoryStaysFlat_data()
{
    QTest::addColumn<QString>("what");
    QTest::newRow("sample-data --output, 300,000 events") << "sample-data";
    QTest::newRow("ingest, 300 lines of 200 KB in one batch") << "ingest";
}

void tst_CliIngest::memoryStaysFlat()
{
    if (m_pg)
        QSKIP("memory is the same on both backends; measured on SQLite");
    QFETCH(QString, what);
    const QString db = dbdeck::test::sqliteUrl(m_dir->filePath(QStringLiteral("m.db")));
    QStringList args;
    if (what == QLatin1String("sample-data")) {
        args = {QStringLiteral("--db-url"), db, QStringLiteral("sample-data"), QStringLiteral("--runs"), QStringLiteral("30"),
                QStringLiteral("--events"), QStringLiteral("300000"), QStringLiteral("--output"), m_dir->filePath(QStringLiteral("big.jsonl"))};
    } else {
        QCOMPARE(runCli(m_dir->path(), {QStringLiteral("--db-url"), db, QStringLiteral("--migrations"),
                                        QStringLiteral(DBDECK_SOURCE_DIR "/migrations"), QStringLiteral("upgrade")}).exitCode, 0);
        QFile feed(m_dir->filePath(QStringLiteral("big.jsonl")));
        QVERIFY(feed.open(QIODevice::WriteOnly));
        feed.write("{\"type\":\"run\",\"id\":\"r\",\"kind\":\"job\"}\n");
        for (int i = 0; i < 300; ++i)
            feed.write("{\"type\":\"event\",\"id\":\"e" + QByteArray::number(i) + "\",\"run_id\":\"r\",\"kind\":\"log\",\"payload\":{\"blob\":\""
                       + QByteArray(200 * 1000, char('a' + i % 26)) + "\"}}\n");
        feed.close();
        args = {QStringLiteral("--db-url"), db, QStringLiteral("ingest"), m_dir->filePath(QStringLiteral("big.jsonl"))};
    }
    const Measured m = runMeasured(m_dir->path(), args, m_dir->filePath(QStringLiteral("out.txt")));
    QFile out(m_dir->filePath(QStringLiteral("out.txt")));
    out.open(QIODevice::ReadOnly);
    QVERIFY2(m.exitCode == 0, out.readAll().constData());
    QVERIFY2(m.peakKb < 64 * 1024, qPrintable(QStringLiteral("peak RSS %1 MB").arg(m.peakKb / 1024)));
}

void tst_CliIngest::noncharactersAreStoredAsGiven()
{
    QCOMPARE(cli({QStringLiteral("--migrations"), QStringLiteral(DBDECK_SOURCE_DIR "/migrations"), QStringLiteral("upgrade")}).exitCode, 0);
    const CliResult r = cli({QStringLiteral("ingest"), QStringLiteral("-")},
                            "{\"type\":\"run\",\"id\":\"r\",\"kind\":\"job\"}\n"
                            "{\"type\":\"event\",\"id\":\"e\",\"run_id\":\"r\",\"kind\":\"log\",\"message\":\"\\ufffe\xef\xbf\xbf\","
                            "\"payload\":{\"\\uffff\":\"\xef\xbf\xbe\"}}\n");
    QCOMPARE(r.exitCode, 0);
    // What the user reads back keeps them too (SQLite's own UTF-16 conversion would give U+FFFD).
    const CliResult recent = cli({QStringLiteral("recent"), QStringLiteral("events"), QStringLiteral("--format"), QStringLiteral("json")});
    QCOMPARE(recent.exitCode, 0);
    QVERIFY2(recent.out.contains(QStringLiteral("\"message\":\"") + QChar(0xfffe) + QChar(0xffff) + QLatin1Char('"')), qPrintable(recent.out));
    QVERIFY2(recent.out.contains(QStringLiteral("{\"") + QChar(0xffff) + QStringLiteral("\":\"") + QChar(0xfffe) + QStringLiteral("\"}")),
             qPrintable(recent.out));
    QVERIFY(!recent.out.contains(QChar(0xfffd)));
    if (m_pg)
        return;
    // hex() sees the stored bytes (reading text through Qt's SQLite driver would not).
    dbdeck::Database db(dbdeck::test::configFor(QStringLiteral("sqlite:///%1/data/app.db").arg(m_dir->path())));
    QCOMPARE(db.scalar(QStringLiteral("SELECT hex(message) FROM events")).toString(), QStringLiteral("EFBFBEEFBFBF"));
    QCOMPARE(db.scalar(QStringLiteral("SELECT hex(payload_json) FROM events")).toString(),
             QString::fromLatin1(QByteArray("{\"\xef\xbf\xbf\":\"\xef\xbf\xbe\"}").toHex().toUpper()));
}

QTEST_GUILESS_MAIN(tst_CliIngest)
#include "tst_cliingest.moc"

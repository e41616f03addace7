#include "clirunner.h"
#include "pgtestdatabase.h"

#include "testsupport.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace dbdeck;
using dbdeck::test::CliResult;
using dbdeck::test::PgTestDatabase;
using dbdeck::test::runCli;
using dbdeck::test::writeFile;

namespace {

const char *indexOnRuns = "-- migrate:up\nCREATE INDEX ix_runs_kind ON runs (kind);\nDELETE FROM events;\n-- migrate:down\nDROP INDEX ix_runs_kind;\n";
const char *varcharOnly = "-- migrate:up\nALTER TABLE runs ADD COLUMN note varchar(20);\n-- migrate:down\nSELECT 1;\n";

// A migrations folder "m" in dir with the shipped 0001 and 0002 and the given extra files.
QString migrationsWith(const QTemporaryDir &dir, const QList<QPair<QString, const char *>> &extra)
{
    const QString folder = dir.filePath(QStringLiteral("m"));
    QDir().mkpath(folder);
    for (const QString &name : {QStringLiteral("0001_create_runs.sql"), QStringLiteral("0002_create_events.sql")})
        QFile::copy(QStringLiteral(DBDECK_SOURCE_DIR "/migrations/") + name, folder + QLatin1Char('/') + name);
    for (const auto &[name, text] : extra)
        writeFile(folder + QLatin1Char('/') + name, text);
    return folder;
}

QStringList args(std::initializer_list<const char *> list)
{
    QStringList result;
    for (const char *a : list)
        result << QString::fromUtf8(a);
    return result;
}

QByteArray fileHash(const QString &path)
{
    QFile f(path);
    f.open(QIODevice::ReadOnly);
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
}

} // namespace

class tst_CliLint : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void textFormatAndExitCodes();
    void jsonFormat();
    void defaultIsWhatIsPending();
    void namedFilesAndBadArguments();
    void dialectOption();
    void projectSuppressionSetting();
    void checkFailsOnLintErrorsAndListsWarnings();
    void checkOnPostgresLintsForPostgres();
    void statusDoesNotLint();
    void listsRules();
};

void tst_CliLint::textFormatAndExitCodes()
{
    QTemporaryDir dir;
    migrationsWith(dir, {{QStringLiteral("0003_index.sql"), indexOnRuns}});
    const QStringList m{QStringLiteral("--migrations"), QStringLiteral("m")};
    // Named alone, 0003 runs on a database where runs and events exist and have rows.
    CliResult r = runCli(dir.path(), args({"lint", "m/0003_index.sql", "--dialect", "postgresql"}));
    QCOMPARE(r.exitCode, 7);
    const QStringList lines = r.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.value(0), QStringLiteral("m/0003_index.sql:2:1: error pg-index-not-concurrent: CREATE INDEX ix_runs_kind on existing "
                                            "table runs without CONCURRENTLY blocks all writes to runs while the index builds"));
    QVERIFY2(lines.value(1).startsWith(QStringLiteral("    hint: CREATE INDEX CONCURRENTLY ix_runs_kind ON runs ...")), qPrintable(r.out));
    QVERIFY(r.out.contains(QStringLiteral("m/0003_index.sql:2:1: warning pg-lock-timeout-missing: ")));
    QVERIFY(r.out.contains(QStringLiteral("m/0003_index.sql:3:1: error destructive-delete-without-where: DELETE FROM events without WHERE")));
    QCOMPARE(lines.last(), QStringLiteral("lint: 2 errors, 1 warning in 1 migration (postgresql)"));
    // In a run with 0001 and 0002 (a new database), runs and events are new: nothing to lock or lose.
    r = runCli(dir.path(), args({"lint", "--all", "--dialect", "postgresql"}) + m);
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QStringLiteral("lint: no findings in 3 migrations (postgresql)\n"));

    QTemporaryDir warnDir;
    migrationsWith(warnDir, {{QStringLiteral("0003_note.sql"), varcharOnly}});
    r = runCli(warnDir.path(), args({"lint", "--all"}) + m);
    QCOMPARE(r.exitCode, 0); // warnings do not fail
    QVERIFY2(r.out.startsWith(QStringLiteral("m/0003_note.sql:2:34: warning pg-varchar: runs.note is varchar(20)")), qPrintable(r.out));
    QVERIFY(r.out.endsWith(QStringLiteral("lint: 0 errors, 1 warning in 3 migrations (sqlite)\n")));

    QTemporaryDir cleanDir;
    migrationsWith(cleanDir, {});
    r = runCli(cleanDir.path(), args({"lint", "--all"}) + m);
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QStringLiteral("lint: no findings in 2 migrations (sqlite)\n"));
}

void tst_CliLint::jsonFormat()
{
    QTemporaryDir dir;
    migrationsWith(dir, {{QStringLiteral("0003_index.sql"), indexOnRuns}});
    const CliResult r = runCli(dir.path(), args({"lint", "m/0003_index.sql", "--dialect", "postgresql", "--format", "json"}));
    QCOMPARE(r.exitCode, 7);
    const QJsonObject root = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(root.value(QStringLiteral("dialect")).toString(), QStringLiteral("postgresql"));
    QCOMPARE(root.value(QStringLiteral("errors")).toInt(), 2);
    QCOMPARE(root.value(QStringLiteral("warnings")).toInt(), 1);
    QCOMPARE(root.value(QStringLiteral("ok")).toBool(true), false);
    QCOMPARE(root.value(QStringLiteral("migrations")).toArray().size(), 1);
    const QJsonObject first = root.value(QStringLiteral("findings")).toArray().at(0).toObject();
    QCOMPARE(first.value(QStringLiteral("file")).toString(), QStringLiteral("m/0003_index.sql"));
    QCOMPARE(first.value(QStringLiteral("version")).toInt(), 3);
    QCOMPARE(first.value(QStringLiteral("line")).toInt(), 2);
    QCOMPARE(first.value(QStringLiteral("column")).toInt(), 1);
    QCOMPARE(first.value(QStringLiteral("severity")).toString(), QStringLiteral("error"));
    QCOMPARE(first.value(QStringLiteral("rule")).toString(), QStringLiteral("pg-index-not-concurrent"));
    QVERIFY(first.value(QStringLiteral("message")).toString().contains(QStringLiteral("without CONCURRENTLY")));
    QVERIFY(first.value(QStringLiteral("hint")).toString().contains(QStringLiteral("transaction:false")));
}

void tst_CliLint::defaultIsWhatIsPending()
{
    QTemporaryDir dir;
    migrationsWith(dir, {});
    const QStringList m{QStringLiteral("--migrations"), QStringLiteral("m"), QStringLiteral("--dialect"), QStringLiteral("postgresql")};
    // A new database: everything is pending, and the database is not created by looking.
    CliResult r = runCli(dir.path(), args({"lint"}) + m);
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QStringLiteral("lint: no findings in 2 migrations (postgresql)\n"));
    QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("data/app.db"))));

    QCOMPARE(runCli(dir.path(), args({"upgrade", "--migrations", "m"})).exitCode, 0);
    r = runCli(dir.path(), args({"lint"}) + m);
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QStringLiteral("lint: no pending migrations (current 0002); dbdeck-cli lint --all lints every file\n"));

    writeFile(dir.filePath(QStringLiteral("m/0003_index.sql")), indexOnRuns);
    const QByteArray before = fileHash(dir.filePath(QStringLiteral("data/app.db")));
    r = runCli(dir.path(), args({"lint", "--format", "json"}) + m);
    QCOMPARE(r.exitCode, 7);
    const QJsonObject root = QJsonDocument::fromJson(r.out.toUtf8()).object();
    const QJsonArray migrations = root.value(QStringLiteral("migrations")).toArray();
    QCOMPARE(migrations.size(), 1); // only the pending one
    QCOMPARE(migrations.at(0).toObject().value(QStringLiteral("name")).toString(), QStringLiteral("0003_index"));
    QCOMPARE(migrations.at(0).toObject().value(QStringLiteral("errors")).toInt(), 2);
    QCOMPARE(fileHash(dir.filePath(QStringLiteral("data/app.db"))), before);
}

void tst_CliLint::namedFilesAndBadArguments()
{
    QTemporaryDir dir;
    const QString folder = migrationsWith(dir, {{QStringLiteral("0003_index.sql"), indexOnRuns}});
    // Named files are one run: alone, 0002's events references runs, an existing table.
    CliResult r = runCli(dir.path(), args({"lint", "m/0002_create_events.sql", "m/0003_index.sql", "--dialect", "postgresql"}));
    QCOMPARE(r.exitCode, 7);
    QVERIFY2(r.out.contains(QStringLiteral("m/0002_create_events.sql:5:1: warning pg-lock-timeout-missing")), qPrintable(r.out));
    QVERIFY(r.out.contains(QStringLiteral("in 2 migrations (postgresql)")));
    r = runCli(dir.path(), args({"lint", "m/0001_create_runs.sql", "m/0002_create_events.sql", "--dialect", "postgresql"}));
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QStringLiteral("lint: no findings in 2 migrations (postgresql)\n"));

    r = runCli(dir.path(), args({"lint", "m/0009_missing.sql"}));
    QCOMPARE(r.exitCode, 4);
    QVERIFY2(r.err.contains(QStringLiteral("cannot lint m/0009_missing.sql: there is no such file")), qPrintable(r.err));

    writeFile(folder + QStringLiteral("/0004_broken.sql"), "SELECT 1;\n");
    r = runCli(dir.path(), args({"lint", "m/0004_broken.sql"}));
    QCOMPARE(r.exitCode, 7);
    QVERIFY2(r.err.contains(QStringLiteral("problem: m/0004_broken.sql:1: text before the first marker")), qPrintable(r.err));

    r = runCli(dir.path(), args({"lint", "--all", "m/0003_index.sql"}));
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.err.contains(QStringLiteral("give either FILES or --all, not both")));
    r = runCli(dir.path(), args({"lint", "--all", "--dialect", "oracle"}));
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.err.contains(QStringLiteral("--dialect oracle is not known; allowed: sqlite, postgresql")));
    r = runCli(dir.path(), args({"lint", "--all", "--format", "table"}));
    QCOMPARE(r.exitCode, 2);
}

void tst_CliLint::dialectOption()
{
    QTemporaryDir dir;
    migrationsWith(dir, {{QStringLiteral("0003_index.sql"), indexOnRuns}});
    // The default is the backend of DB_URL: SQLite here, where a plain CREATE INDEX is fine.
    CliResult r = runCli(dir.path(), args({"lint", "m/0003_index.sql"}));
    QCOMPARE(r.exitCode, 7);
    QVERIFY(!r.out.contains(QStringLiteral("pg-index-not-concurrent")));
    QVERIFY(r.out.contains(QStringLiteral("error destructive-delete-without-where")));
    QVERIFY(r.out.contains(QStringLiteral("(sqlite)")));
    r = runCli(dir.path(), args({"lint", "m/0003_index.sql", "--dialect", "postgres"}));
    QVERIFY(r.out.contains(QStringLiteral("pg-index-not-concurrent")));
}

void tst_CliLint::projectSuppressionSetting()
{
    QTemporaryDir dir;
    migrationsWith(dir, {{QStringLiteral("0003_index.sql"), indexOnRuns}});
    const QStringList lint = args({"lint", "m/0003_index.sql", "--dialect", "postgresql"});
    CliResult r = runCli(dir.path(), lint, {{QStringLiteral("LINT_IGNORE"), QStringLiteral("pg-lock-timeout-missing,0003:destructive-delete-without-where")}});
    QCOMPARE(r.exitCode, 7);
    QVERIFY(r.out.endsWith(QStringLiteral("lint: 1 error, 0 warnings in 1 migration (postgresql)\n")));

    writeFile(dir.filePath(QStringLiteral(".env")), "LINT_IGNORE=0003:*\n");
    r = runCli(dir.path(), lint);
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QStringLiteral("lint: no findings in 1 migration (postgresql)\n"));
    QVERIFY(runCli(dir.path(), args({"lint", "--help"})).out.simplified().contains(QStringLiteral("NNNN:*, comma-separated (default: none)")));
    QVERIFY(runCli(dir.path(), args({"config"})).out.contains(QRegularExpression(QStringLiteral("LINT_IGNORE\\s+0003:\\*\\s+\\.env"))));

    writeFile(dir.filePath(QStringLiteral(".env")), "LINT_IGNORE=pg-index-not-concurent\n");
    r = runCli(dir.path(), lint);
    QCOMPARE(r.exitCode, 3);
    QVERIFY2(r.err.contains(QStringLiteral("LINT_IGNORE from .env %1/.env:1 has a bad entry \"pg-index-not-concurent\": there is no "
                                           "rule \"pg-index-not-concurent\"").arg(dir.path())), qPrintable(r.err));
    QCOMPARE(r.out, QString());
}

void tst_CliLint::checkFailsOnLintErrorsAndListsWarnings()
{
    QTemporaryDir dir;
    const QString folder = migrationsWith(dir, {{QStringLiteral("0003_note.sql"), varcharOnly}});
    const QStringList check = args({"check", "--migrations", "m"});
    CliResult r = runCli(dir.path(), check);
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.startsWith(QStringLiteral("ok: 3 migration(s), current base, 3 pending, 1 lint warning(s)\n"
                                             "m/0003_note.sql:2:34: warning pg-varchar:")), qPrintable(r.out));

    // On a database at 0003, events exists: dropping it is an error, the varchar a warning.
    QCOMPARE(runCli(dir.path(), args({"upgrade", "--migrations", "m"})).exitCode, 0);
    writeFile(folder + QStringLiteral("/0004_drop.sql"),
              "-- migrate:up\nDROP TABLE events;\nALTER TABLE runs ADD COLUMN x varchar(5);\n-- migrate:down\nSELECT 1;\n");
    r = runCli(dir.path(), check);
    QCOMPARE(r.exitCode, 7);
    QVERIFY2(r.out.contains(QStringLiteral("m/0004_drop.sql:2:1: error destructive-drop-table: DROP TABLE events loses all its rows")),
             qPrintable(r.out));
    QVERIFY(r.out.contains(QStringLiteral("m/0004_drop.sql:3:31: warning pg-varchar")));
    QVERIFY(r.err.contains(QStringLiteral("problem: lint found 1 error(s) in the pending migrations")));
    QVERIFY(!r.out.startsWith(QStringLiteral("ok:")));

    r = runCli(dir.path(), args({"check", "--migrations", "m", "--format", "json"}));
    QCOMPARE(r.exitCode, 7);
    const QJsonObject root = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(root.value(QStringLiteral("ok")).toBool(true), false);
    QCOMPARE(root.value(QStringLiteral("problems")).toArray().size(), 0);
    QCOMPARE(root.value(QStringLiteral("lint")).toObject().value(QStringLiteral("errors")).toInt(), 1);
    QCOMPARE(root.value(QStringLiteral("lint")).toObject().value(QStringLiteral("warnings")).toInt(), 1);

    // Acknowledged in the file, the drop passes and the warning is still listed.
    writeFile(folder + QStringLiteral("/0004_drop.sql"),
              "-- migrate:up\n-- dbdeck:ignore destructive-drop-table: replaced by archive\nDROP TABLE events;\n"
              "ALTER TABLE runs ADD COLUMN x varchar(5);\n-- migrate:down\nSELECT 1;\n");
    r = runCli(dir.path(), check);
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.startsWith(QStringLiteral("ok: 4 migration(s), current 0003, 1 pending, 1 lint warning(s)\n")), qPrintable(r.out));
    // Applied migrations are not linted again.
    QCOMPARE(runCli(dir.path(), args({"upgrade", "--migrations", "m"})).exitCode, 0);
    r = runCli(dir.path(), check);
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QStringLiteral("ok: 4 migration(s), current 0004 (head), 0 pending\n"));
}

void tst_CliLint::checkOnPostgresLintsForPostgres()
{
    if (PgTestDatabase::serverUrl().isEmpty())
        QSKIP("DBDECK_TEST_PG_URL is not set: the PostgreSQL run did not happen (scripts/test.sh starts a server)");
    PgTestDatabase pg(QStringLiteral("dbdeck_clilint"));
    QTemporaryDir dir;
    const QString folder = migrationsWith(dir, {});
    const QStringList m{QStringLiteral("--migrations"), QStringLiteral("m"), QStringLiteral("--db-url"), pg.url()};
    QCOMPARE(runCli(dir.path(), QStringList{QStringLiteral("upgrade")} + m).exitCode, 0);
    writeFile(folder + QStringLiteral("/0003_index.sql"), indexOnRuns);
    const CliResult r = runCli(dir.path(), QStringList{QStringLiteral("check")} + m);
    QCOMPARE(r.exitCode, 7);
    QVERIFY2(r.out.contains(QStringLiteral("m/0003_index.sql:2:1: error pg-index-not-concurrent")), qPrintable(r.out + r.err));
}

void tst_CliLint::statusDoesNotLint()
{
    QTemporaryDir dir;
    migrationsWith(dir, {{QStringLiteral("0003_index.sql"), indexOnRuns}});
    const CliResult r = runCli(dir.path(), args({"status", "--migrations", "m"}), {{QStringLiteral("LINT_IGNORE"), QStringLiteral("bogus")}});
    QCOMPARE(r.exitCode, 0); // not even a bad LINT_IGNORE matters to it
    QVERIFY(!r.out.contains(QStringLiteral("destructive")));
    QVERIFY(!r.out.contains(QStringLiteral("error")));
}

void tst_CliLint::listsRules()
{
    QTemporaryDir dir;
    CliResult r = runCli(dir.path(), args({"lint", "--rules"}));
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.contains(QRegularExpression(QStringLiteral("\\npg-index-not-concurrent\\s+off\\s+error\\s+CREATE INDEX"))));
    QVERIFY(r.out.contains(QStringLiteral("docs/migrations.md")));
    r = runCli(dir.path(), args({"lint", "--rules", "--format", "json"}));
    const QJsonArray rules = QJsonDocument::fromJson(r.out.toUtf8()).array();
    QVERIFY(rules.size() > 30);
    QCOMPARE(rules.at(0).toObject().value(QStringLiteral("id")).toString(), QStringLiteral("pg-index-not-concurrent"));
    QCOMPARE(rules.at(0).toObject().value(QStringLiteral("postgresql")).toString(), QStringLiteral("error"));
}

QTEST_GUILESS_MAIN(tst_CliLint)
#include "tst_clilint.moc"

#include "db/database.h"
#include "migrate/migrationlinter.h"
#include "migrate/migrator.h"

#include "testsupport.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace dbdeck;

namespace {

constexpr auto Sqlite = SqlSplitter::Dialect::Sqlite;
constexpr auto Postgres = SqlSplitter::Dialect::Postgres;

// An up section (wrapped with markers and a down section) or, when it starts with a marker, a whole file.
MigrationFile migration(const QString &text, qint64 version = 5)
{
    const QString body = text.startsWith(QLatin1String("-- migrate:"))
        ? text : QStringLiteral("-- migrate:up\n%1\n-- migrate:down\nSELECT 1;\n").arg(text);
    QList<MigrationProblem> problems;
    const auto file = MigrationFile::parse(QStringLiteral("/m/%1_x.sql").arg(version, 4, 10, QLatin1Char('0')), body, &problems);
    if (!file)
        qFatal("bad test migration: %s", qPrintable(problems.value(0).toString()));
    return *file;
}

QList<LintFinding> lint(const QList<MigrationFile> &files, SqlSplitter::Dialect dialect, const QString &ignore = {})
{
    LintOptions options;
    options.dialect = dialect;
    options.suppressions = LintSuppressions::fromSetting(ignore, QStringLiteral("test"));
    return MigrationLinter(options).lint(files).findings();
}

QList<LintFinding> lint(const QString &text, SqlSplitter::Dialect dialect, const QString &ignore = {})
{
    return lint(QList<MigrationFile>{migration(text)}, dialect, ignore);
}

QStringList rulesOf(const QList<LintFinding> &findings)
{
    QStringList rules;
    for (const LintFinding &f : findings)
        rules << f.rule;
    return rules;
}

QStringList rendered(const QList<LintFinding> &findings)
{
    QStringList lines;
    for (const LintFinding &f : findings)
        lines << f.toString();
    return lines;
}

struct RuleCase
{
    const char *name;
    const char *rule;
    SqlSplitter::Dialect dialect;
    const char *triggers;
    const char *at; // "line:column" of the finding
    const char *clean;
};

const QString transactionFalse = QStringLiteral("-- migrate:up transaction:false\n%1\n-- migrate:down\nSELECT 1;\n");

// One statement that triggers each rule and one that does not. "runs" and "events" are tables
// of earlier migrations: they exist and have rows.
const QList<RuleCase> &ruleCases()
{
    static const QList<RuleCase> cases{
        {"index on an existing table", "pg-index-not-concurrent", Postgres,
         "CREATE INDEX ix_runs_kind ON runs (kind);", "2:1",
         "CREATE TABLE w (id TEXT, CONSTRAINT pk_w PRIMARY KEY (id));\nCREATE INDEX ix_w_id ON w (id);"},
        {"concurrent index in a transaction", "pg-concurrently-in-transaction", Postgres,
         "CREATE INDEX CONCURRENTLY ix_runs_kind ON runs (kind);", "2:14",
         "-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY ix_runs_kind ON runs (kind);\n-- migrate:down\nDROP INDEX ix_runs_kind;"},
        {"drop index concurrently in a transaction", "pg-concurrently-in-transaction", Postgres,
         "DROP INDEX CONCURRENTLY ix_runs_created_at;", "2:12",
         "DROP INDEX ix_runs_created_at;"},
        {"not null without default (sqlite)", "not-null-without-default", Sqlite,
         "ALTER TABLE runs ADD COLUMN owner TEXT NOT NULL;", "2:18",
         "ALTER TABLE runs ADD COLUMN owner TEXT NOT NULL DEFAULT '';"},
        {"not null without default (postgresql)", "not-null-without-default", Postgres,
         "ALTER TABLE runs ADD owner TEXT NOT NULL;", "2:18",
         "CREATE TABLE w (id TEXT, CONSTRAINT pk_w PRIMARY KEY (id));\nALTER TABLE w ADD owner TEXT NOT NULL;"},
        {"non-constant default (sqlite)", "volatile-default", Sqlite,
         "ALTER TABLE runs ADD COLUMN seen_at TEXT DEFAULT CURRENT_TIMESTAMP;", "2:50",
         "ALTER TABLE runs ADD COLUMN seen_at TEXT DEFAULT '';"},
        {"volatile default (postgresql)", "volatile-default", Postgres,
         "ALTER TABLE runs ADD COLUMN token uuid DEFAULT gen_random_uuid();", "2:48",
         "ALTER TABLE runs ADD COLUMN seen_at timestamptz DEFAULT now();"},
        {"serial column added (postgresql)", "volatile-default", Postgres,
         "ALTER TABLE runs ADD COLUMN n bigserial;", "2:18",
         "ALTER TABLE runs ADD COLUMN n bigint;"},
        {"unique constraint added directly", "pg-unique-constraint", Postgres,
         "ALTER TABLE runs ADD CONSTRAINT uq_runs_kind UNIQUE (kind);", "2:18",
         "ALTER TABLE runs ADD CONSTRAINT uq_runs_kind UNIQUE USING INDEX uq_runs_kind;"},
        {"check without not valid", "pg-constraint-without-not-valid", Postgres,
         "ALTER TABLE runs ADD CONSTRAINT ck_runs_kind CHECK (kind <> '');", "2:18",
         "ALTER TABLE runs ADD CONSTRAINT ck_runs_kind CHECK (kind <> '') NOT VALID;"},
        {"foreign key without not valid", "pg-constraint-without-not-valid", Postgres,
         "ALTER TABLE events ADD CONSTRAINT fk_events_run_id_runs FOREIGN KEY (run_id) REFERENCES runs (id);", "2:20",
         "ALTER TABLE events ADD CONSTRAINT fk_events_run_id_runs FOREIGN KEY (run_id) REFERENCES runs (id) NOT VALID;"},
        {"column type changed", "pg-column-type-change", Postgres,
         "ALTER TABLE runs ALTER COLUMN kind TYPE varchar(100);", "2:18",
         "ALTER TABLE runs ALTER COLUMN kind SET DEFAULT 'x';"},
        {"set not null", "pg-set-not-null", Postgres,
         "ALTER TABLE runs ALTER COLUMN error SET NOT NULL;", "2:18",
         "ALTER TABLE runs ALTER COLUMN error DROP NOT NULL;"},
        {"column renamed", "rename-column", Sqlite,
         "ALTER TABLE runs RENAME COLUMN kind TO category;", "2:18",
         "ALTER TABLE runs ADD COLUMN category TEXT;"},
        {"table renamed", "rename-table", Sqlite,
         "ALTER TABLE runs RENAME TO jobs;", "2:18",
         "CREATE TABLE jobs_new (id TEXT, CONSTRAINT pk_jobs PRIMARY KEY (id));\nALTER TABLE jobs_new RENAME TO jobs;"},
        {"no lock_timeout", "pg-lock-timeout-missing", Postgres,
         "ALTER TABLE runs ADD COLUMN note TEXT;", "2:1",
         "SET LOCAL lock_timeout = '5s';\nSELECT set_config('statement_timeout', '5min', true);\nALTER TABLE runs ADD COLUMN note TEXT;"},
        {"varchar(n)", "pg-varchar", Sqlite,
         "ALTER TABLE runs ADD COLUMN name varchar(50);", "2:34",
         "ALTER TABLE runs ADD COLUMN name TEXT CONSTRAINT ck_runs_name_length CHECK (length(name) <= 50);"},
        {"char", "pg-varchar", Postgres,
         "ALTER TABLE runs ADD COLUMN flag char;", "2:34",
         "ALTER TABLE runs ADD COLUMN flag varchar;"},
        {"int key", "pg-int-key", Postgres,
         "CREATE TABLE w (id integer, CONSTRAINT pk_w PRIMARY KEY (id));", "2:20",
         "CREATE TABLE w (id bigint, CONSTRAINT pk_w PRIMARY KEY (id));"},
        {"int foreign key (sqlite)", "pg-int-key", Sqlite,
         "CREATE TABLE w (id TEXT, n INT CONSTRAINT fk_w_n_t REFERENCES t (id), CONSTRAINT pk_w PRIMARY KEY (id));", "2:28",
         "CREATE TABLE w (id TEXT, n TEXT CONSTRAINT fk_w_n_t REFERENCES t (id), CONSTRAINT pk_w PRIMARY KEY (id));"},
        {"timestamp", "pg-timestamp-without-time-zone", Sqlite,
         "ALTER TABLE runs ADD COLUMN seen_at timestamp;", "2:37",
         "ALTER TABLE runs ADD COLUMN seen_at TEXT;"},
        {"timestamp (postgresql)", "pg-timestamp-without-time-zone", Postgres,
         "ALTER TABLE runs ADD COLUMN seen_at timestamp without time zone;", "2:37",
         "ALTER TABLE runs ADD COLUMN seen_at timestamp with time zone;"},
        {"serial", "pg-serial", Postgres,
         "CREATE TABLE w (id serial, CONSTRAINT pk_w PRIMARY KEY (id));", "2:20",
         "CREATE TABLE w (id bigint GENERATED ALWAYS AS IDENTITY, CONSTRAINT pk_w PRIMARY KEY (id));"},
        {"insert or replace", "portable-insert-or-replace", Sqlite,
         "INSERT OR REPLACE INTO runs (id) VALUES ('x');", "2:1",
         "INSERT INTO runs (id) VALUES ('x') ON CONFLICT (id) DO NOTHING;"},
        {"replace into (postgresql)", "portable-insert-or-replace", Postgres,
         "REPLACE INTO runs (id) VALUES ('x');", "2:1",
         "INSERT INTO runs (id) VALUES ('x') ON CONFLICT (id) DO UPDATE SET kind = excluded.kind;"},
        {"autoincrement", "portable-autoincrement", Sqlite,
         "CREATE TABLE w (id INTEGER CONSTRAINT pk_w PRIMARY KEY AUTOINCREMENT);", "2:56",
         "CREATE TABLE w (id INTEGER CONSTRAINT pk_w PRIMARY KEY);"},
        {"rowid", "portable-rowid", Sqlite,
         "DELETE FROM runs WHERE rowid > 10;", "2:24",
         "DELETE FROM runs WHERE id > 'a';"},
        {"oid is PostgreSQL's own catalog column", "portable-rowid", Postgres,
         "DELETE FROM runs WHERE _rowid_ = 1;", "2:24",
         "SELECT oid FROM pg_class WHERE relname = 'runs';"},
        {"type outside the five", "portable-type", Sqlite,
         "ALTER TABLE runs ADD COLUMN flag BOOLEAN;", "2:34",
         "ALTER TABLE runs ADD COLUMN flag INTEGER;"},
        {"column without a type", "portable-type", Sqlite,
         "CREATE TABLE w (id TEXT, x, CONSTRAINT pk_w PRIMARY KEY (id));", "2:26",
         "CREATE TABLE w (id TEXT, x BLOB, CONSTRAINT pk_w PRIMARY KEY (id));"},
        {"enum type", "portable-enum", Postgres,
         "CREATE TYPE mood AS ENUM ('sad', 'ok');", "2:1",
         "CREATE TABLE w (id TEXT, mood TEXT NOT NULL DEFAULT 'ok', CONSTRAINT pk_w PRIMARY KEY (id),"
         " CONSTRAINT ck_w_mood CHECK (mood IN ('sad', 'ok')));"},
        {"enum-like default without check", "portable-enum", Sqlite,
         "ALTER TABLE runs ADD COLUMN priority TEXT NOT NULL DEFAULT 'normal';", "2:60",
         "ALTER TABLE runs ADD COLUMN priority TEXT NOT NULL DEFAULT 'normal' CONSTRAINT ck_runs_priority CHECK (priority IN ('low', 'normal'));"},
        {"sqlite-only function", "portable-sqlite-function", Sqlite,
         "UPDATE runs SET error = ifnull(error, '') WHERE id = 'x';", "2:25",
         "UPDATE runs SET error = coalesce(error, '') WHERE id = 'x';"},
        {"function named like a table", "portable-sqlite-function", Sqlite,
         "SELECT hex(id) FROM runs;", "2:8",
         "CREATE TABLE quote (id TEXT, CONSTRAINT pk_quote PRIMARY KEY (id));\nINSERT INTO quote (id) VALUES ('x');"},
        {"scalar max", "portable-sqlite-function", Postgres,
         "UPDATE runs SET updated_at = max(updated_at, created_at) WHERE id = 'x';", "2:30",
         "SELECT max(updated_at) FROM runs;"},
        {"without rowid", "portable-sqlite-syntax", Postgres,
         "CREATE TABLE w (id TEXT, CONSTRAINT pk_w PRIMARY KEY (id)) WITHOUT ROWID;", "2:60",
         "CREATE TABLE w (id TEXT, CONSTRAINT pk_w PRIMARY KEY (id));"},
        {"bracket quoting", "portable-sqlite-syntax", Sqlite,
         "UPDATE runs SET [error] = NULL WHERE id = 'x';", "2:17",
         "UPDATE runs SET \"error\" = NULL WHERE id = 'x';"},
        {"add constraint on sqlite", "sqlite-alter-table-unsupported", Sqlite,
         "ALTER TABLE runs ADD CONSTRAINT ck_runs_kind CHECK (kind <> '');", "2:18",
         "ALTER TABLE runs ADD COLUMN note TEXT;"},
        {"add unique column on sqlite", "sqlite-alter-table-unsupported", Sqlite,
         "ALTER TABLE runs ADD COLUMN code TEXT CONSTRAINT uq_runs_code UNIQUE;", "2:18",
         "ALTER TABLE runs ADD COLUMN code TEXT;\nCREATE UNIQUE INDEX uq_runs_code ON runs (code);"},
        {"drop table", "destructive-drop-table", Sqlite,
         "DROP TABLE events;", "2:1",
         "CREATE TABLE runs_new (id TEXT, CONSTRAINT pk_runs PRIMARY KEY (id));\nINSERT INTO runs_new (id) SELECT id FROM runs;\n"
         "DROP TABLE runs;\nALTER TABLE runs_new RENAME TO runs;"},
        {"rebuild that copies nothing", "destructive-drop-table", Sqlite,
         "CREATE TABLE runs_new (id TEXT, CONSTRAINT pk_runs PRIMARY KEY (id));\nDROP TABLE runs;\nALTER TABLE runs_new RENAME TO runs;",
         "3:1",
         "CREATE TABLE scratch (id TEXT, CONSTRAINT pk_scratch PRIMARY KEY (id));\nDROP TABLE scratch;"},
        {"drop column", "destructive-drop-column", Sqlite,
         "ALTER TABLE runs DROP COLUMN error;", "2:18",
         "ALTER TABLE runs ADD COLUMN tmp TEXT;\nALTER TABLE runs DROP COLUMN tmp;"},
        {"truncate", "destructive-truncate", Postgres,
         "TRUNCATE events;", "2:1",
         "CREATE TABLE w (id TEXT, CONSTRAINT pk_w PRIMARY KEY (id));\nTRUNCATE w;"},
        {"delete without where", "destructive-delete-without-where", Sqlite,
         "DELETE FROM events;", "2:1",
         "DELETE FROM events WHERE level = 'debug';"},
        {"update without where", "destructive-update-without-where", Sqlite,
         "UPDATE runs SET status = 'queued';", "2:1",
         "ALTER TABLE runs ADD COLUMN note TEXT;\nUPDATE runs SET note = 'x';"},
        {"no down section", "missing-down", Sqlite,
         "-- migrate:up\nSELECT 1;\n", "1:1",
         "-- migrate:up\nSELECT 1;\n-- migrate:down\nSELECT 1;\n"},
        {"unnamed primary key", "constraint-unnamed", Sqlite,
         "CREATE TABLE w (id TEXT PRIMARY KEY);", "2:25",
         "CREATE TABLE w (id TEXT CONSTRAINT pk_w PRIMARY KEY);"},
        {"unnamed index", "constraint-unnamed", Postgres,
         "CREATE INDEX CONCURRENTLY ON runs (kind);", "2:1",
         "CREATE INDEX CONCURRENTLY ix_runs_kind ON runs (kind);"},
        {"index name outside the convention", "constraint-name-convention", Sqlite,
         "CREATE INDEX idx_kind ON runs (kind);", "2:1",
         "CREATE INDEX ix_runs_kind ON runs (kind);"},
        {"foreign key name outside the convention", "constraint-name-convention", Sqlite,
         "CREATE TABLE w (id TEXT, run_id TEXT, CONSTRAINT pk_w PRIMARY KEY (id), CONSTRAINT w_run FOREIGN KEY (run_id) REFERENCES runs (id));",
         "2:73",
         "CREATE TABLE w (id TEXT, run_id TEXT, CONSTRAINT pk_w PRIMARY KEY (id), CONSTRAINT fk_w_run_id_runs FOREIGN KEY (run_id) REFERENCES runs (id));"},
        {"commit in a transactional migration", "transaction-control", Sqlite,
         "BEGIN;\nSELECT 1;\nCOMMIT;", "2:1",
         "-- migrate:up transaction:false\nBEGIN;\nSELECT 1;\nCOMMIT;\n-- migrate:down\nSELECT 1;"},
        {"rollback in a transactional migration", "transaction-control", Postgres,
         "ROLLBACK;", "2:1",
         "SAVEPOINT s;\nUPDATE runs SET kind = 'x' WHERE id = 'a';\nROLLBACK TO SAVEPOINT s;\nRELEASE s;"},
        {"pragma foreign_keys in a transaction", "pragma-in-transaction", Sqlite,
         "PRAGMA foreign_keys = OFF;", "2:1",
         "-- migrate:up transaction:false\nPRAGMA foreign_keys = OFF;\n-- migrate:down\nSELECT 1;"},
        {"vacuum in a transaction", "vacuum-in-transaction", Postgres,
         "VACUUM;", "2:1",
         "-- migrate:up transaction:false\nVACUUM;\n-- migrate:down\nSELECT 1;"},
        {"unterminated string", "sql-unterminated", Sqlite,
         "SELECT 'oops;\nSELECT 2;", "2:8",
         "SELECT 'fine';\nSELECT 2;"},
        {"ignore naming no rule", "ignore-unknown-rule", Sqlite,
         "-- dbdeck:ignore destructive-drop-tables\nSELECT 1;", "2:1",
         "-- dbdeck:ignore destructive-drop-table\nSELECT 1;"},
    };
    return cases;
}

} // namespace

class tst_MigrationLinter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyRuleHasACase();
    void rule_data();
    void rule();
    void severityDependsOnTheDialect_data();
    void severityDependsOnTheDialect();
    void rulesAreDocumented();
    void statementSuppression();
    void fileSuppressionOfMissingDown();
    void projectSuppression();
    void existingMeansNotCreatedEarlierInTheRun();
    void rebuiltTableStillExists();
    void downSectionsAreCheckedForWhatFails();
    void lockTimeoutIsReportedOncePerFile();
    void findingsAreInFileOrderWithFileAndVersion();
    void shippedMigrationsAreClean_data();
    void shippedMigrationsAreClean();
    void lintPendingReadsOnlyAndReportsPerMigration();
};

void tst_MigrationLinter::everyRuleHasACase()
{
    QSet<QString> covered;
    for (const RuleCase &c : ruleCases())
        covered.insert(QLatin1String(c.rule));
    for (const LintRule &r : LintRules::all())
        QVERIFY2(covered.contains(r.id), qPrintable(r.id));
    const QStringList ids = LintRules::ids();
    QCOMPARE(QSet<QString>(ids.cbegin(), ids.cend()).size(), ids.size()); // ids are unique
}

void tst_MigrationLinter::rule_data()
{
    QTest::addColumn<QString>("rule");
    QTest::addColumn<bool>("postgres");
    QTest::addColumn<QString>("triggers");
    QTest::addColumn<QString>("at");
    QTest::addColumn<QString>("clean");
    for (const RuleCase &c : ruleCases())
        QTest::newRow(c.name) << QString::fromLatin1(c.rule) << (c.dialect == Postgres) << QString::fromUtf8(c.triggers)
                              << QString::fromLatin1(c.at) << QString::fromUtf8(c.clean);
}

void tst_MigrationLinter::rule()
{
    QFETCH(QString, rule);
    QFETCH(bool, postgres);
    QFETCH(QString, triggers);
    QFETCH(QString, at);
    QFETCH(QString, clean);
    const auto dialect = postgres ? Postgres : Sqlite;
    const QList<LintFinding> found = lint(triggers, dialect);
    QStringList positions;
    for (const LintFinding &f : found) {
        if (f.rule == rule) {
            positions << QStringLiteral("%1:%2").arg(f.position.line).arg(f.position.column);
            QCOMPARE(f.severity, LintRules::find(rule)->severityFor(dialect));
            QVERIFY(!f.message.isEmpty());
            QVERIFY(!f.hint.isEmpty());
        }
    }
    QVERIFY2(positions.contains(at), qPrintable(rendered(found).join(QLatin1Char('\n'))));
    const QList<LintFinding> quiet = lint(clean, dialect);
    QVERIFY2(!rulesOf(quiet).contains(rule), qPrintable(rendered(quiet).join(QLatin1Char('\n'))));
}

void tst_MigrationLinter::severityDependsOnTheDialect_data()
{
    QTest::addColumn<QString>("sql");
    QTest::addColumn<QString>("rule");
    QTest::addColumn<QString>("onSqlite");
    QTest::addColumn<QString>("onPostgres");

    QTest::newRow("index: PostgreSQL only") << "CREATE INDEX ix_runs_kind ON runs (kind);" << "pg-index-not-concurrent" << "off" << "error";
    QTest::newRow("varchar: both, as a warning") << "ALTER TABLE runs ADD COLUMN n varchar(5);" << "pg-varchar" << "warning" << "warning";
    QTest::newRow("insert or replace: fails on PostgreSQL") << "INSERT OR IGNORE INTO runs (id) VALUES ('x');"
                                                           << "portable-insert-or-replace" << "warning" << "error";
    QTest::newRow("types: SQLite only") << "ALTER TABLE runs ADD COLUMN n jsonb;" << "portable-type" << "warning" << "off";
    QTest::newRow("alter table forms: SQLite only") << "ALTER TABLE runs ALTER COLUMN kind DROP DEFAULT;"
                                                    << "sqlite-alter-table-unsupported" << "error" << "off";
}

void tst_MigrationLinter::severityDependsOnTheDialect()
{
    QFETCH(QString, sql);
    QFETCH(QString, rule);
    QFETCH(QString, onSqlite);
    QFETCH(QString, onPostgres);
    const auto severityOf = [&](SqlSplitter::Dialect dialect) {
        for (const LintFinding &f : lint(sql, dialect)) {
            if (f.rule == rule)
                return severityName(f.severity);
        }
        return QStringLiteral("off");
    };
    QCOMPARE(severityOf(Sqlite), onSqlite);
    QCOMPARE(severityOf(Postgres), onPostgres);
}

void tst_MigrationLinter::rulesAreDocumented()
{
    QFile file(QStringLiteral(DBDECK_SOURCE_DIR "/docs/migrations.md"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QString doc = QString::fromUtf8(file.readAll());
    for (const LintRule &r : LintRules::all()) {
        const qsizetype at = doc.indexOf(QStringLiteral("#### `%1`\n").arg(r.id));
        QVERIFY2(at >= 0, qPrintable(QStringLiteral("docs/migrations.md has no section for %1").arg(r.id)));
        const QString section = doc.mid(at, doc.indexOf(QStringLiteral("\n#### "), at + 1) - at);
        QVERIFY2(section.contains(QStringLiteral("**What:**")) && section.contains(QStringLiteral("**Why:**"))
                     && section.contains(QStringLiteral("**Instead:**")),
                 qPrintable(r.id));
        // The severity table row lists the rule with its severities on each backend.
        const QRegularExpression row(QStringLiteral("\\n\\|[^\\n]*`%1`[^\\n]*\\| (\\w+) \\| (\\w+) \\|").arg(QRegularExpression::escape(r.id)));
        const auto m = row.match(doc);
        QVERIFY2(m.hasMatch(), qPrintable(QStringLiteral("no severity row for %1").arg(r.id)));
        QCOMPARE(m.captured(1), severityName(r.sqlite));
        QCOMPARE(m.captured(2), severityName(r.postgres));
    }
}

void tst_MigrationLinter::statementSuppression()
{
    const QString sql = QStringLiteral(
        "DROP TABLE events; -- dbdeck:ignore destructive-drop-table  contract step\n"
        "-- dbdeck:ignore destructive-truncate\n"
        "TRUNCATE runs;\n"
        "DELETE FROM runs /* dbdeck:ignore destructive-delete-without-where */;\n"
        "DELETE FROM events;\n"
        "-- dbdeck:ignore pg-varchar, portable-type\n"
        "ALTER TABLE runs ADD COLUMN a varchar(5);\n"
        "ALTER TABLE runs ADD COLUMN b varchar(5);\n");
    const QList<LintFinding> found = lint(sql, Sqlite);
    // Each comment quiets its own statement only, and only the rules it names.
    QCOMPARE(rendered(found), (QStringList{
        "/m/0005_x.sql:6:1: error destructive-delete-without-where: DELETE FROM events without WHERE deletes every row",
        "/m/0005_x.sql:9:31: warning pg-varchar: runs.b is varchar(5): PostgreSQL enforces the length (and changing it later "
        "locks or rewrites the table), SQLite ignores it"}));
}

void tst_MigrationLinter::fileSuppressionOfMissingDown()
{
    QCOMPARE(rulesOf(lint(QStringLiteral("-- migrate:up\nSELECT 1;\n"), Sqlite)), QStringList{QStringLiteral("missing-down")});
    QVERIFY(lint(QStringLiteral("-- migrate:up\n-- dbdeck:ignore missing-down: data migration, no way back\nSELECT 1;\n"), Sqlite).isEmpty());
    // Only before the first statement: later it is that statement's.
    QCOMPARE(rulesOf(lint(QStringLiteral("-- migrate:up\nSELECT 1;\n-- dbdeck:ignore missing-down\nSELECT 2;\n"), Sqlite)),
             QStringList{QStringLiteral("missing-down")});
}

void tst_MigrationLinter::projectSuppression()
{
    const QList<MigrationFile> files{migration(QStringLiteral("DROP TABLE a;\nALTER TABLE b ADD COLUMN c varchar(3);"), 3),
                                     migration(QStringLiteral("DROP TABLE d;\nALTER TABLE e ADD COLUMN f varchar(3);"), 4)};
    QCOMPARE(rulesOf(lint(files, Sqlite)),
             (QStringList{"destructive-drop-table", "pg-varchar", "destructive-drop-table", "pg-varchar"}));
    QCOMPARE(rulesOf(lint(files, Sqlite, QStringLiteral("pg-varchar"))),
             (QStringList{"destructive-drop-table", "destructive-drop-table"}));
    const QList<LintFinding> inOne = lint(files, Sqlite, QStringLiteral("0003:destructive-drop-table"));
    QCOMPARE(rulesOf(inOne), (QStringList{"pg-varchar", "destructive-drop-table", "pg-varchar"}));
    QCOMPARE(inOne.at(1).version, 4);
    QCOMPARE(rulesOf(lint(files, Sqlite, QStringLiteral("0004:*"))), (QStringList{"destructive-drop-table", "pg-varchar"}));
}

void tst_MigrationLinter::existingMeansNotCreatedEarlierInTheRun()
{
    const MigrationFile create = migration(QStringLiteral("CREATE TABLE w (id TEXT, CONSTRAINT pk_w PRIMARY KEY (id));"), 6);
    const MigrationFile index = migration(QStringLiteral("CREATE INDEX ix_w_id ON w (id);\nDROP TABLE w;"), 7);
    // Applied together, w is new and empty when 0007 runs.
    QVERIFY(lint(QList<MigrationFile>{index, create}, Postgres).isEmpty());
    // Alone, 0007 runs on a database where w exists and has rows.
    QCOMPARE(rulesOf(lint(QList<MigrationFile>{index}, Postgres)),
             (QStringList{"pg-index-not-concurrent", "pg-lock-timeout-missing", "destructive-drop-table"}));
}

void tst_MigrationLinter::rebuiltTableStillExists()
{
    // After a rebuild the table holds the old rows: a later migration of the run treats it as existing.
    const MigrationFile rebuild = migration(QStringLiteral(
        "CREATE TABLE runs_new (id TEXT, CONSTRAINT pk_runs PRIMARY KEY (id));\nINSERT INTO runs_new (id) SELECT id FROM runs;\n"
        "DROP TABLE runs;\nALTER TABLE runs_new RENAME TO runs;"), 3);
    const MigrationFile index = migration(QStringLiteral("CREATE INDEX ix_runs_id ON runs (id);"), 4);
    const QList<LintFinding> found = lint(QList<MigrationFile>{rebuild, index}, Postgres);
    QVERIFY(rulesOf(found).contains(QStringLiteral("pg-index-not-concurrent")));
    QVERIFY(!rulesOf(found).contains(QStringLiteral("destructive-drop-table")));
    QVERIFY(!rulesOf(found).contains(QStringLiteral("rename-table")));
}

void tst_MigrationLinter::downSectionsAreCheckedForWhatFails()
{
    const QList<LintFinding> found = lint(QStringLiteral(
        "-- migrate:up\nCREATE TABLE w (id TEXT, CONSTRAINT pk_w PRIMARY KEY (id));\n"
        "-- migrate:down\nDROP TABLE w;\nALTER TABLE runs RENAME COLUMN a TO b;\nINSERT OR REPLACE INTO runs (id) VALUES ('x');\n"), Sqlite);
    // Dropping what the up created and renaming back are what a down section is for.
    QCOMPARE(rendered(found), QStringList{"/m/0005_x.sql:6:1: warning portable-insert-or-replace: INSERT OR REPLACE is SQLite-only"});
}

void tst_MigrationLinter::lockTimeoutIsReportedOncePerFile()
{
    const QList<MigrationFile> files{migration(QStringLiteral("ALTER TABLE runs ADD COLUMN a TEXT;\nALTER TABLE runs ADD COLUMN b TEXT;"), 3),
                                     migration(QStringLiteral("SET lock_timeout = '1s';\nALTER TABLE runs ADD COLUMN c TEXT;"), 4)};
    const QList<LintFinding> found = lint(files, Postgres);
    QCOMPARE(rulesOf(found), (QStringList{"pg-lock-timeout-missing", "pg-lock-timeout-missing"}));
    QVERIFY(found.at(0).message.contains(QStringLiteral("no lock_timeout or statement_timeout")));
    QVERIFY(found.at(1).message.contains(QStringLiteral("no statement_timeout set"))); // a setting of 0003 does not carry over
    QCOMPARE(found.at(1).position.line, 3);
}

void tst_MigrationLinter::findingsAreInFileOrderWithFileAndVersion()
{
    const QList<LintFinding> found = lint(QStringLiteral(
        "-- migrate:down\nDROP TABLE w;\nSELECT ifnull(1, 2);\n-- migrate:up\nCREATE TABLE w (id TEXT PRIMARY KEY, n varchar(9));\n"), Sqlite);
    QStringList where;
    for (const LintFinding &f : found)
        where << QStringLiteral("%1 %2:%3 %4").arg(f.version).arg(f.position.line).arg(f.position.column).arg(f.rule);
    QCOMPARE(where, (QStringList{"5 3:8 portable-sqlite-function", "5 5:25 constraint-unnamed", "5 5:40 pg-varchar"}));
    QCOMPARE(found.first().file, QStringLiteral("/m/0005_x.sql"));
}

void tst_MigrationLinter::shippedMigrationsAreClean_data()
{
    QTest::addColumn<bool>("postgres");
    QTest::addColumn<bool>("eachAlone");
    QTest::newRow("sqlite, as a run") << false << false;
    QTest::newRow("sqlite, each file alone") << false << true;
    QTest::newRow("postgresql, as a run (a new database)") << true << false;
}

void tst_MigrationLinter::shippedMigrationsAreClean()
{
    QFETCH(bool, postgres);
    QFETCH(bool, eachAlone);
    const MigrationSet set = MigrationSet::load(QStringLiteral(DBDECK_SOURCE_DIR "/migrations"));
    QVERIFY(set.isValid());
    QVERIFY(set.files().size() >= 2);
    QList<QList<MigrationFile>> runs;
    if (eachAlone) {
        for (const MigrationFile &file : set.files())
            runs.append({file});
    } else {
        runs.append(set.files());
    }
    for (const QList<MigrationFile> &run : runs) {
        const QList<LintFinding> found = lint(run, postgres ? Postgres : Sqlite);
        QVERIFY2(found.isEmpty(), qPrintable(rendered(found).join(QLatin1Char('\n'))));
    }
}

void tst_MigrationLinter::lintPendingReadsOnlyAndReportsPerMigration()
{
    QTemporaryDir dir;
    const QString folder = dir.filePath(QStringLiteral("m"));
    QDir().mkpath(folder);
    for (const QString &name : {QStringLiteral("0001_create_runs.sql"), QStringLiteral("0002_create_events.sql")})
        QVERIFY(QFile::copy(QStringLiteral(DBDECK_SOURCE_DIR "/migrations/") + name, folder + QLatin1Char('/') + name));
    const QString dbPath = dir.filePath(QStringLiteral("app.db"));
    {
        Database db(test::configFor(test::sqliteUrl(dbPath)));
        Migrator(db, MigrationSet::load(folder)).upgrade({});
    }
    test::writeFile(folder + QStringLiteral("/0003_index_kind.sql"),
                    "-- migrate:up\nCREATE INDEX ix_runs_kind ON runs (kind);\nDELETE FROM events;\n");
    const auto hash = [&] {
        QFile f(dbPath);
        f.open(QIODevice::ReadOnly);
        return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
    };
    const QByteArray before = hash();
    Database db(test::configFor(test::sqliteUrl(dbPath)));
    LintOptions options = LintOptions::fromConfig(db.config(), Postgres);
    const LintReport report = MigrationLinter(options).lintPending(db, MigrationSet::load(folder));
    QCOMPARE(report.migrations.size(), 1); // only what is pending
    const MigrationLint *pending = report.find(3);
    QVERIFY(pending);
    QCOMPARE(pending->name, QStringLiteral("0003_index_kind"));
    QCOMPARE(rulesOf(pending->findings),
             (QStringList{"missing-down", "pg-index-not-concurrent", "pg-lock-timeout-missing", "destructive-delete-without-where"}));
    QCOMPARE(pending->errors(), 2);
    QCOMPARE(pending->warnings(), 2);
    QCOMPARE(report.errors(), 2);
    QVERIFY(!report.find(1));
    QCOMPARE(hash(), before); // looking never changes a database
}

QTEST_GUILESS_MAIN(tst_MigrationLinter)
#include "tst_migrationlinter.moc"

// SchemaDiff: every kind of difference, reported exactly, and no difference for mere spelling.
#include "schema/schemadiff.h"
#include "schema/scratchdatabase.h"

#include <QtTest>

using namespace dbdeck;

namespace {

Schema sqliteSchema(const QString &ddl)
{
    ScratchDatabase scratch(DbConfig::forUrl(QStringLiteral("sqlite:///x.db")));
    scratch.apply(ddl, QStringLiteral("test"));
    return scratch.read();
}

const char *const kBase =
    "CREATE TABLE runs (id TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'queued', CONSTRAINT pk_runs PRIMARY KEY (id));\n"
    "CREATE TABLE events (id TEXT NOT NULL, run_id TEXT NOT NULL, level TEXT NOT NULL DEFAULT 'info',\n"
    "  CONSTRAINT pk_events PRIMARY KEY (id),\n"
    "  CONSTRAINT fk_events_run_id_runs FOREIGN KEY (run_id) REFERENCES runs (id) ON DELETE CASCADE,\n"
    "  CONSTRAINT ck_events_level CHECK (level IN ('debug', 'info')));\n"
    "CREATE INDEX ix_events_level ON events (level);\n"
    "CREATE VIEW v AS SELECT id FROM runs;\n"
    "CREATE TRIGGER tr AFTER INSERT ON runs BEGIN SELECT 1; END;\n";

} // namespace

class TstSchemaDiff : public QObject
{
    Q_OBJECT

private slots:
    void difference_data();
    void difference();
    void spellingIsNoDifference();
};

void TstSchemaDiff::difference_data()
{
    QTest::addColumn<QString>("replace");
    QTest::addColumn<QString>("with");
    QTest::addColumn<QString>("expected");
    const auto row = [](const char *name, const char *replace, const char *with, const char *expected) {
        QTest::newRow(name) << QString::fromUtf8(replace) << QString::fromUtf8(with) << QString::fromUtf8(expected);
    };
    row("check", "'debug', 'info'", "'debug', 'info', 'error'",
        "events.level: CHECK ck_events_level differs: CHECK (level IN ('debug', 'info')) vs CHECK (level IN ('debug', 'info', 'error'))");
    row("column added", "level TEXT NOT NULL DEFAULT 'info',", "level TEXT NOT NULL DEFAULT 'info', source TEXT,",
        "events.source: column only in B (source TEXT)");
    row("column removed", ", status TEXT NOT NULL DEFAULT 'queued'", "", "runs.status: column only in A (status TEXT NOT NULL DEFAULT 'queued')");
    row("type", "status TEXT NOT NULL", "status DATETIME NOT NULL", "runs.status: type differs: TEXT vs DATETIME");
    row("not null", "status TEXT NOT NULL", "status TEXT", "runs.status: not null differs: NOT NULL vs NULL");
    row("default", "DEFAULT 'queued'", "DEFAULT 'new'", "runs.status: default differs: 'queued' vs 'new'");
    row("foreign key action", "ON DELETE CASCADE", "ON DELETE RESTRICT",
        "events.run_id: FOREIGN KEY fk_events_run_id_runs differs: FOREIGN KEY (run_id) REFERENCES runs (id) ON DELETE CASCADE vs "
        "FOREIGN KEY (run_id) REFERENCES runs (id) ON DELETE RESTRICT");
    row("constraint name", "CONSTRAINT pk_runs PRIMARY KEY", "CONSTRAINT pk_runs_x PRIMARY KEY",
        "runs.id: PRIMARY KEY pk_runs name differs: pk_runs vs pk_runs_x");
    row("index", "ON events (level)", "ON events (level DESC)", "events.ix_events_level: index ix_events_level differs: (level) vs (level DESC)");
    row("index removed", "CREATE INDEX ix_events_level ON events (level);\n", "", "events.ix_events_level: index only in A ((level))");
    row("view", "SELECT id FROM runs", "SELECT id, status FROM runs",
        "v: definition differs: CREATE VIEW v AS SELECT id FROM runs vs CREATE VIEW v AS SELECT id, status FROM runs");
    row("trigger", "SELECT 1; END", "SELECT 2; END",
        "runs.tr: trigger tr differs: CREATE TRIGGER tr AFTER INSERT ON runs BEGIN SELECT 1; END vs CREATE TRIGGER tr AFTER INSERT ON runs BEGIN SELECT 2; END");
    row("table option", "CONSTRAINT pk_runs PRIMARY KEY (id))", "CONSTRAINT pk_runs PRIMARY KEY (id)) WITHOUT ROWID",
        "runs: WITHOUT ROWID differs: (none) vs WITHOUT ROWID");
    row("table added", "CREATE VIEW v", "CREATE TABLE extra (x INTEGER);\nCREATE VIEW v", "extra: table only in B (1 column(s))");
}

void TstSchemaDiff::difference()
{
    QFETCH(QString, replace);
    QFETCH(QString, with);
    QFETCH(QString, expected);
    const QString base = QLatin1String(kBase);
    QVERIFY(base.contains(replace));
    const Schema a = sqliteSchema(base);
    const Schema b = sqliteSchema(QString(base).replace(replace, with));
    const QList<SchemaDifference> d = SchemaDiff::compare(a, b);
    QStringList lines;
    for (const SchemaDifference &x : d)
        lines << x.toString(QStringLiteral("A"), QStringLiteral("B"));
    QVERIFY2(lines.contains(expected), qPrintable(lines.join(QLatin1Char('\n'))));
    QVERIFY(SchemaDiff::compare(a, a).isEmpty());
    QCOMPARE(SchemaDiff::toJson(d).size(), d.size());
}

void TstSchemaDiff::spellingIsNoDifference()
{
    // Lower-case keywords, other spacing, quoted names, comments and another column order.
    const Schema a = sqliteSchema(QLatin1String(kBase));
    const Schema b = sqliteSchema(QStringLiteral(
        "create table \"runs\" (status text not null default 'queued', id text not null, constraint pk_runs primary key (\"id\"));\n"
        "create table events ( id text not null , run_id text not null, level text not null default ('info'), -- why\n"
        " constraint pk_events primary key (id), constraint fk_events_run_id_runs foreign key (run_id) references runs(id) on delete cascade,\n"
        " constraint ck_events_level check (level in ('debug','info')) );\n"
        "create index ix_events_level on events(level);\n"
        "create view v as select id from runs;\n"
        "create trigger tr after insert on runs begin select 1; end;\n"));
    const QList<SchemaDifference> d = SchemaDiff::compare(a, b);
    QVERIFY2(d.isEmpty(), qPrintable(d.isEmpty() ? QString() : d.first().toString(QStringLiteral("A"), QStringLiteral("B"))));
}

QTEST_GUILESS_MAIN(TstSchemaDiff)
#include "tst_schemadiff.moc"

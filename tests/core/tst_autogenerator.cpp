// Autogenerate, end to end, for a table of schema changes on both backends: the migration
// generated from a base schema to a changed declared schema is applied to a database holding rows
// (parents with children under ON DELETE CASCADE); the database must then equal the declared
// schema with every row and value kept, and its down must bring back the base schema.
#include "db/database.h"
#include "migrate/autogenerator.h"
#include "migrate/migratedschema.h"
#include "migrate/migrator.h"
#include "migrateddb.h"
#include "schema/ddlapplier.h"
#include "schema/declaredschema.h"
#include "schema/schemadiff.h"
#include "schema/schemaerror.h"
#include "schema/schemareader.h"
#include "testsupport.h"

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

using namespace dbdeck;
using namespace dbdeck::test;

namespace {

const char *const kBase = R"sql(
CREATE TABLE parent (
    id INTEGER NOT NULL,
    name TEXT NOT NULL,
    note TEXT,
    CONSTRAINT pk_parent PRIMARY KEY (id),
    CONSTRAINT uq_parent_name UNIQUE (name),
    CONSTRAINT ck_parent_name CHECK (length(name) > 0)
);
CREATE TABLE child (
    id INTEGER NOT NULL,
    parent_id INTEGER NOT NULL,
    qty INTEGER NOT NULL DEFAULT 1,
    label TEXT,
    CONSTRAINT pk_child PRIMARY KEY (id),
    CONSTRAINT fk_child_parent_id_parent FOREIGN KEY (parent_id) REFERENCES parent (id) ON DELETE CASCADE
);
CREATE TABLE spare (
    id INTEGER NOT NULL,
    parent_id INTEGER NOT NULL,
    spare_gone TEXT,
    CONSTRAINT pk_spare PRIMARY KEY (id)
);
CREATE INDEX ix_child_parent_id ON child (parent_id);
CREATE INDEX ix_child_label ON child (label);
CREATE INDEX ix_parent_note ON parent (note);
CREATE VIEW v_child AS SELECT c.id, c.qty, p.name FROM child c JOIN parent p ON p.id = c.parent_id;
{trigger}
)sql";

const char *const kSqliteTrigger =
    "CREATE TRIGGER tr_child_label AFTER INSERT ON child BEGIN UPDATE child SET label = 'new' WHERE id = NEW.id AND label IS NULL; END;";
const char *const kPostgresTrigger =
    "CREATE FUNCTION child_label() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.label := coalesce(NEW.label, 'new'); RETURN NEW; END $$;\n"
    "CREATE TRIGGER tr_child_label BEFORE INSERT ON child FOR EACH ROW EXECUTE FUNCTION child_label();";

QString baseSql()
{
    return QString::fromLatin1(kBase).replace(QLatin1String("{trigger}"),
                                              QLatin1String(testingPostgres() ? kPostgresTrigger : kSqliteTrigger));
}

enum Backends { Both, SqliteOnly, PostgresOnly };

// Rows of every table, common columns only, as text: what "data preserved" compares.
QStringList rowsOf(Database &db, const Schema &before, const Schema &after)
{
    QStringList rows;
    for (const SchemaTable &t : before.tables) {
        const SchemaTable *now = after.table(t.name);
        if (!now)
            continue;
        QStringList columns;
        for (const SchemaColumn &c : t.columns) {
            if (now->column(c.name) && c.generated.isEmpty() && now->column(c.name)->generated.isEmpty())
                columns << c.name;
        }
        QSqlQuery q = db.exec(QStringLiteral("SELECT %1 FROM %2 ORDER BY id").arg(columns.join(QStringLiteral(", ")), t.name));
        while (q.next()) {
            QStringList values;
            for (int i = 0; i < columns.size(); ++i)
                values << (q.value(i).isNull() ? QStringLiteral("NULL") : q.value(i).toString());
            rows << t.name + QLatin1Char(':') + values.join(QLatin1Char('|'));
        }
    }
    return rows;
}

} // namespace

class TstAutogenerator : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { DBDECK_SKIP_POSTGRES_RUN_WITHOUT_SERVER(); }
    void change_data();
    void change();
    void dependentObjects_data();
    void dependentObjects();
    void verificationRefusesWhatItCannotReach();
    void postgresIndexOnTableWithRowsIsConcurrent();
    void postgresGeneratedColumnBecomingPlainKeepsItsValues();

private:
    void runChange();
};

void TstAutogenerator::change_data()
{
    QTest::addColumn<int>("backends");
    QTest::addColumn<QString>("replace");  // a piece of the base schema ...
    QTest::addColumn<QString>("with");     // ... and what the declared schema says instead
    QTest::addColumn<QString>("expectInUp"); // a piece of SQL the up section must contain ("" : any)

    const auto row = [](const char *name, Backends b, const char *replace, const char *with, const char *expect = "") {
        QTest::newRow(name) << int(b) << QString::fromUtf8(replace) << QString::fromUtf8(with) << QString::fromUtf8(expect);
    };
    // tables
    row("add table", Both, "{end}", "CREATE TABLE extra (id INTEGER NOT NULL, CONSTRAINT pk_extra PRIMARY KEY (id));", "CREATE TABLE extra");
    row("drop table", Both, "CREATE TABLE spare (\n    id INTEGER NOT NULL,\n    parent_id INTEGER NOT NULL,\n    spare_gone TEXT,\n    CONSTRAINT pk_spare PRIMARY KEY (id)\n);", "", "DROP TABLE spare");
    // columns
    row("add nullable column", Both, "    note TEXT,\n", "    note TEXT,\n    extra TEXT,\n", "ADD COLUMN extra TEXT");
    row("add not-null column with default", Both, "    label TEXT,\n", "    label TEXT,\n    flag INTEGER NOT NULL DEFAULT 0,\n", "ADD COLUMN flag");
    row("add column with expression default (rebuild)", SqliteOnly, "    note TEXT,\n", "    note TEXT,\n    stamp TEXT DEFAULT (lower('X')),\n", "_dbdeck_new_parent");
    row("drop column", Both, "    spare_gone TEXT,\n", "", "DROP COLUMN spare_gone");
    row("drop indexed column", Both, "    note TEXT,\n|||CREATE INDEX ix_parent_note ON parent (note);\n", "|||", "DROP INDEX ix_parent_note");
    row("possible rename", Both, "    note TEXT,\n|||ON parent (note)", "    remark TEXT,\n|||ON parent (remark)", "possible rename of parent.note to parent.remark");
    row("change type", Both, "    label TEXT,\n", "    label VARCHAR(40),\n");
    row("set not null", Both, "    note TEXT,\n", "    note TEXT NOT NULL DEFAULT '',\n");
    row("drop not null", Both, "    qty INTEGER NOT NULL DEFAULT 1,\n", "    qty INTEGER DEFAULT 1,\n");
    row("change default", Both, "qty INTEGER NOT NULL DEFAULT 1", "qty INTEGER NOT NULL DEFAULT 2");
    row("drop default", Both, "qty INTEGER NOT NULL DEFAULT 1", "qty INTEGER NOT NULL");
    row("add default", Both, "    label TEXT,\n", "    label TEXT DEFAULT 'none',\n");
    row("column collation", SqliteOnly, "    name TEXT NOT NULL,\n", "    name TEXT NOT NULL COLLATE NOCASE,\n", "_dbdeck_new_parent");
    row("add virtual generated column", SqliteOnly, "    label TEXT,\n", "    label TEXT,\n    big INTEGER GENERATED ALWAYS AS (qty * 10) VIRTUAL,\n", "ADD COLUMN big");
    row("add stored generated column", Both, "    label TEXT,\n", "    label TEXT,\n    big INTEGER GENERATED ALWAYS AS (qty * 10) STORED,\n");
    // constraints
    row("add check", Both, "    CONSTRAINT pk_child PRIMARY KEY (id),\n", "    CONSTRAINT pk_child PRIMARY KEY (id),\n    CONSTRAINT ck_child_qty CHECK (qty > 0),\n");
    row("drop check", Both, ",\n    CONSTRAINT ck_parent_name CHECK (length(name) > 0)", "");
    row("change check (parent rebuilt, children kept)", Both, "CHECK (length(name) > 0)", "CHECK (length(name) > 0 AND length(name) < 100)");
    row("add unique", Both, "    CONSTRAINT pk_child PRIMARY KEY (id),\n", "    CONSTRAINT pk_child PRIMARY KEY (id),\n    CONSTRAINT uq_child_parent_id_id UNIQUE (parent_id, id),\n");
    row("drop unique", Both, "    CONSTRAINT uq_parent_name UNIQUE (name),\n", "");
    row("add foreign key", Both, "    CONSTRAINT pk_spare PRIMARY KEY (id)\n", "    CONSTRAINT pk_spare PRIMARY KEY (id),\n    CONSTRAINT fk_spare_parent_id_parent FOREIGN KEY (parent_id) REFERENCES parent (id)\n");
    row("drop foreign key", Both, ",\n    CONSTRAINT fk_child_parent_id_parent FOREIGN KEY (parent_id) REFERENCES parent (id) ON DELETE CASCADE", "");
    row("change foreign key action", Both, "ON DELETE CASCADE", "ON DELETE RESTRICT");
    row("change primary key", Both, "CONSTRAINT pk_spare PRIMARY KEY (id)", "CONSTRAINT pk_spare PRIMARY KEY (parent_id, id)");
    row("without rowid", SqliteOnly, "    CONSTRAINT pk_spare PRIMARY KEY (id)\n)", "    CONSTRAINT pk_spare PRIMARY KEY (id)\n) WITHOUT ROWID", "_dbdeck_new_spare");
    row("strict", SqliteOnly, "    CONSTRAINT pk_spare PRIMARY KEY (id)\n)", "    CONSTRAINT pk_spare PRIMARY KEY (id)\n) STRICT", "_dbdeck_new_spare");
    // indexes
    row("add index", Both, "{end}", "CREATE INDEX ix_child_qty ON child (qty);", "CREATE INDEX ix_child_qty");
    row("drop index", Both, "CREATE INDEX ix_child_parent_id ON child (parent_id);\n", "", "DROP INDEX ix_child_parent_id");
    row("change index columns", Both, "ix_child_parent_id ON child (parent_id)", "ix_child_parent_id ON child (parent_id, qty)");
    row("unique index", Both, "CREATE INDEX ix_child_parent_id ON child (parent_id)", "CREATE UNIQUE INDEX ix_child_parent_id ON child (parent_id, id)");
    row("partial index", Both, "{end}", "CREATE INDEX ix_child_big ON child (qty) WHERE qty > 1;");
    row("expression index", Both, "{end}", "CREATE INDEX ix_parent_lower_name ON parent (lower(name));");
    row("descending index", Both, "{end}", "CREATE INDEX ix_child_qty_desc ON child (qty DESC);");
    row("index collation", SqliteOnly, "{end}", "CREATE INDEX ix_parent_name_nocase ON parent (name COLLATE NOCASE);");
    // views and triggers
    row("add view", Both, "{end}", "CREATE VIEW v_parent AS SELECT id, name FROM parent;", "CREATE VIEW v_parent");
    row("drop view", Both, "CREATE VIEW v_child AS SELECT c.id, c.qty, p.name FROM child c JOIN parent p ON p.id = c.parent_id;\n", "",
        "DROP VIEW v_child");
    row("change view", Both, "SELECT c.id, c.qty, p.name FROM", "SELECT c.id, c.qty, c.label, p.name FROM");
    row("drop trigger", Both, "CREATE TRIGGER tr_child_label", "CREATE TRIGGER tr_child_label_renamed", "DROP TRIGGER tr_child_label");
    row("change trigger", SqliteOnly, "SET label = 'new'", "SET label = 'fresh'");
    row("change trigger timing", PostgresOnly, "BEFORE INSERT ON child", "BEFORE INSERT OR UPDATE ON child");
    // PostgreSQL objects
    row("add enum type and column", PostgresOnly, "    label TEXT,\n", "    label TEXT,\n    mood mood,\n",
        "CREATE TYPE mood");
    row("add sequence", PostgresOnly, "{end}", "CREATE SEQUENCE seq_tickets START WITH 100;", "CREATE SEQUENCE seq_tickets");
    row("add identity", PostgresOnly, "    id INTEGER NOT NULL,\n    parent_id INTEGER NOT NULL,\n    spare_gone",
        "    id INTEGER GENERATED BY DEFAULT AS IDENTITY NOT NULL,\n    parent_id INTEGER NOT NULL,\n    spare_gone", "ADD GENERATED BY DEFAULT AS IDENTITY");
}

void TstAutogenerator::change()
{
    try {
        runChange();
    } catch (const DbError &e) {
        QFAIL(qPrintable(e.message()));
    }
}

void TstAutogenerator::runChange()
{
    QFETCH(int, backends);
    QFETCH(QString, replace);
    QFETCH(QString, with);
    QFETCH(QString, expectInUp);
    if (backends == SqliteOnly && testingPostgres())
        QSKIP("a SQLite-only change (PostgreSQL has no such option or alters it in place)");
    if (backends == PostgresOnly && !testingPostgres())
        QSKIP("a PostgreSQL-only object");

    QTemporaryDir dir;
    QDir().mkpath(dir.filePath(QStringLiteral("migrations")));
    const QString base = baseSql() + QStringLiteral("\n{end}");
    writeFile(dir.filePath(QStringLiteral("migrations/0001_base.sql")),
              QStringLiteral("-- migrate:up\n") + QString(base).replace(QLatin1String("{end}"), QString()) + QStringLiteral("\n-- migrate:down\nSELECT 1;\n"));
    QString declared = base;
    const QStringList replaces = replace.split(QStringLiteral("|||"));
    const QStringList withs = with.split(QStringLiteral("|||"));
    QCOMPARE(replaces.size(), withs.size());
    for (qsizetype i = 0; i < replaces.size(); ++i) {
        QVERIFY2(declared.contains(replaces.at(i)), qPrintable(QStringLiteral("the row's text is not in the base schema: ") + replaces.at(i)));
        declared.replace(replaces.at(i), withs.at(i));
    }
    if (QTest::currentDataTag() == QLatin1String("add enum type and column"))
        declared.prepend(QStringLiteral("CREATE TYPE mood AS ENUM ('calm', 'busy');\n"));
    declared.replace(QLatin1String("{end}"), QString());
    writeFile(dir.filePath(QStringLiteral("schema.sql")), declared);

    // A live database at the base schema, holding parents with children and spare rows.
    const MigrationSet set = MigrationSet::load(dir.filePath(QStringLiteral("migrations")));
    QVERIFY2(set.isValid(), set.problems().isEmpty() ? "" : qPrintable(set.problems().first().toString()));
    auto live = std::make_unique<Database>(configFor(testDatabaseUrl(dir.filePath(QStringLiteral("live2.db")))));
    Migrator(*live, set).upgrade({});
    DdlApplier::apply(*live, QStringLiteral(
        "INSERT INTO parent (id, name, note) VALUES (1, 'one', 'n1'), (2, 'two', 'n2'), (3, 'three', 'n3');"
        "INSERT INTO child (id, parent_id, qty, label) VALUES (10, 1, 1, 'a'), (11, 1, 2, 'b'), (12, 2, 3, 'c'), (13, 2, 4, NULL), (14, 3, 5, 'e'), (15, 3, 6, 'f');"
        "INSERT INTO spare (id, parent_id, spare_gone) VALUES (100, 1, 'x'), (101, 2, NULL);"), QStringLiteral("test rows"), DdlApplier::Mode::Transaction);
    const Schema before = SchemaReader::create(*live)->read();
    const QStringList rowsBefore = rowsOf(*live, before, before);
    QCOMPARE(rowsBefore.size(), 11);

    const Autogenerator generator(live->config(), set, dir.filePath(QStringLiteral("schema.sql")));
    const AutogenerateResult result = generator.generate(QStringLiteral("change"));
    QVERIFY2(!result.drafts.isEmpty(), "the change was not noticed");
    QCOMPARE(result.drafts.size(), 1);
    const MigrationDraft &draft = result.drafts.first();
    if (!expectInUp.isEmpty())
        QVERIFY2(draft.text().contains(expectInUp, Qt::CaseInsensitive), qPrintable(draft.text()));
    generator.verify(result); // throws SchemaError when up or down misses

    const auto mode = [](bool fkOff) { return fkOff ? DdlApplier::Mode::ForeignKeysOff : DdlApplier::Mode::Transaction; };
    // Every row and value of the columns both schemas have: children of a rebuilt parent too.
    const QStringList expectedUp = rowsOf(*live, before, result.target);
    DdlApplier::apply(*live, draft.up, QStringLiteral("up"), mode(draft.upForeignKeysOff));
    const Schema after = SchemaReader::create(*live)->read();
    const QList<SchemaDifference> left = SchemaDiff::compare(after, result.target);
    QVERIFY2(left.isEmpty(), qPrintable(left.isEmpty() ? QString() : left.first().toString(QStringLiteral("after up"), QStringLiteral("declared"))));
    QCOMPARE(rowsOf(*live, before, after), expectedUp);
    QCOMPARE(expectedUp.size(), rowsBefore.size() - (after.table(QStringLiteral("spare")) ? 0 : 2));

    const QStringList expectedDown = rowsOf(*live, after, before);
    DdlApplier::apply(*live, draft.down, QStringLiteral("down"), mode(draft.downForeignKeysOff));
    const Schema back = SchemaReader::create(*live)->read();
    const QList<SchemaDifference> unreturned = SchemaDiff::compare(back, before);
    QVERIFY2(unreturned.isEmpty(), qPrintable(unreturned.isEmpty() ? QString() : unreturned.first().toString(QStringLiteral("after down"), QStringLiteral("before"))));
    QCOMPARE(rowsOf(*live, after, back), expectedDown);
}

void TstAutogenerator::dependentObjects_data()
{
    // Objects that depend on each other: each migration is written (verified) and upgrade reaches the declared schema.
    QTest::addColumn<int>("backends");
    QTest::addColumn<QString>("base");
    QTest::addColumn<QString>("declared");
    QTest::addColumn<QString>("expectNote");
    const auto row = [](const char *name, Backends b, const QString &base, const QString &declared, const char *note = "") { QTest::newRow(name) << int(b) << base << declared << QString::fromUtf8(note); };
    const QString kept = QStringLiteral("CREATE TABLE kept (id INTEGER NOT NULL, CONSTRAINT pk_kept PRIMARY KEY (id));\n");
    row("drop a parent and its child", Both, kept + QStringLiteral(
        "CREATE TABLE a_parent (id INTEGER NOT NULL, CONSTRAINT pk_a_parent PRIMARY KEY (id));\n"
        "CREATE TABLE b_child (id INTEGER NOT NULL, parent_id INTEGER, CONSTRAINT pk_b_child PRIMARY KEY (id),"
        " CONSTRAINT fk_b_child_parent_id_a_parent FOREIGN KEY (parent_id) REFERENCES a_parent (id));\n"), kept,
        "destructive: drops table a_parent and its rows");
    row("drop two tables that reference each other", PostgresOnly, kept + QStringLiteral(
        "CREATE TABLE x (id INTEGER NOT NULL, y_id INTEGER, CONSTRAINT pk_x PRIMARY KEY (id));\n"
        "CREATE TABLE y (id INTEGER NOT NULL, x_id INTEGER, CONSTRAINT pk_y PRIMARY KEY (id),"
        " CONSTRAINT fk_y_x_id_x FOREIGN KEY (x_id) REFERENCES x (id));\n"
        "ALTER TABLE x ADD CONSTRAINT fk_x_y_id_y FOREIGN KEY (y_id) REFERENCES y (id);\n"), kept);
    const QString items = QStringLiteral("CREATE TABLE items (id INTEGER NOT NULL, name TEXT NOT NULL, CONSTRAINT pk_items PRIMARY KEY (id),"
                                         " CONSTRAINT ck_items_name CHECK (length(name) > 0));\n");
    const QString views = QStringLiteral("CREATE VIEW v_items AS SELECT id, name FROM items;\nCREATE VIEW v_items_ids AS SELECT id FROM v_items;\n");
    row("rebuilt table read by a view that a view reads", Both, items + views, QString(items).replace(QLatin1String("> 0"), QLatin1String("> 1")) + views);
    row("changed view that a view reads", Both, items + views, items + QString(views).replace(QLatin1String("id, name FROM"), QLatin1String("id, name, 1 AS one FROM")));
    const QString viewTrigger = QStringLiteral("CREATE TRIGGER tr_v_items INSTEAD OF INSERT ON v_items BEGIN INSERT INTO items (id, name) VALUES (NEW.id, NEW.name); END;\n");
    row("rebuilt table under a view with a trigger", SqliteOnly, items + views + viewTrigger,
        QString(items).replace(QLatin1String("> 0"), QLatin1String("> 1")) + views + viewTrigger);
    const QString pgViewTrigger = QStringLiteral(
        "CREATE FUNCTION v_items_insert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO items (id, name) VALUES (NEW.id, NEW.name); RETURN NEW; END $$;\n"
        "CREATE TRIGGER tr_v_items INSTEAD OF INSERT ON v_items FOR EACH ROW EXECUTE FUNCTION v_items_insert();\n");
    row("altered table under a view with a trigger", PostgresOnly, items + views + pgViewTrigger,
        QString(items).replace(QLatin1String("> 0"), QLatin1String("> 1")) + views + pgViewTrigger);
    const QString priced = QStringLiteral("CREATE TABLE priced (id INTEGER NOT NULL, price NUMERIC(10,2), total NUMERIC GENERATED ALWAYS AS (price * 2) STORED,"
                                          " CONSTRAINT pk_priced PRIMARY KEY (id));\n");
    row("retype a column a generated column reads", Both, priced, QString(priced).replace(QLatin1String("(10,2)"), QLatin1String("(12,2)")));
    row("retype it and change the generated column", Both, priced,
        QString(priced).replace(QLatin1String("(10,2)"), QLatin1String("(12,2)")).replace(QLatin1String("* 2"), QLatin1String("* 3")));
    const QString moods = QStringLiteral("CREATE TYPE mood AS ENUM ('calm', 'busy', 'angry');\n"
                                         "CREATE TABLE m (id INTEGER NOT NULL, mood mood, CONSTRAINT pk_m PRIMARY KEY (id));\n");
    row("enum label removed", PostgresOnly, moods, QString(moods).replace(QLatin1String(", 'angry'"), QString()),
        "destructive: removes 'angry' from enum mood");
}

void TstAutogenerator::dependentObjects()
{
    QFETCH(int, backends);
    QFETCH(QString, base);
    QFETCH(QString, declared);
    QFETCH(QString, expectNote);
    if ((backends == SqliteOnly && testingPostgres()) || (backends == PostgresOnly && !testingPostgres()))
        QSKIP("not on this backend");
    QTemporaryDir dir;
    const QString migrations = dir.filePath(QStringLiteral("migrations"));
    QDir().mkpath(migrations);
    writeFile(migrations + QStringLiteral("/0001_base.sql"), QStringLiteral("-- migrate:up\n") + base + QStringLiteral("-- migrate:down\nSELECT 1;\n"));
    writeFile(dir.filePath(QStringLiteral("schema.sql")), declared);
    auto live = std::make_unique<Database>(configFor(testDatabaseUrl(dir.filePath(QStringLiteral("live.db")))));
    try {
        Migrator(*live, MigrationSet::load(migrations)).upgrade({});
        const Autogenerator generator(live->config(), MigrationSet::load(migrations), dir.filePath(QStringLiteral("schema.sql")));
        const AutogenerateResult result = generator.generate(QStringLiteral("change"));
        QCOMPARE(result.drafts.size(), 1);
        QCOMPARE(generator.write(result, QStringLiteral("change")).size(), 1); // verified: up reaches it, down returns
        if (!expectNote.isEmpty())
            QVERIFY2(result.drafts.first().text().contains(expectNote), qPrintable(result.drafts.first().text()));
        Migrator(*live, MigrationSet::load(migrations)).upgrade({});
        const QList<SchemaDifference> left = SchemaDiff::compare(SchemaReader::create(*live)->read(), result.target);
        QVERIFY2(left.isEmpty(), qPrintable(left.isEmpty() ? QString() : left.first().toString(QStringLiteral("after upgrade"), QStringLiteral("declared"))));
        const char *triggers = testingPostgres() ? "SELECT count(*) FROM pg_trigger WHERE tgname = 'tr_v_items'" : "SELECT count(*) FROM sqlite_master WHERE name = 'tr_v_items'";
        QCOMPARE(live->scalar(QLatin1String(triggers)).toInt(), declared.contains(QLatin1String("INSTEAD OF")) ? 1 : 0); // a view's trigger stays
    } catch (const DbError &e) {
        QFAIL(qPrintable(e.message()));
    }
}

void TstAutogenerator::verificationRefusesWhatItCannotReach()
{
    // A declared schema the scratch database refuses: the error names the file and statement.
    QTemporaryDir dir;
    QDir().mkpath(dir.filePath(QStringLiteral("migrations")));
    writeFile(dir.filePath(QStringLiteral("migrations/0001_base.sql")),
              "-- migrate:up\nCREATE TABLE t (id INTEGER NOT NULL, CONSTRAINT pk_t PRIMARY KEY (id));\n-- migrate:down\nDROP TABLE t;\n");
    writeFile(dir.filePath(QStringLiteral("schema.sql")), "CREATE TABLE t (id INTEGER NOT NULL, CONSTRAINT pk_t PRIMARY KEY (id));\nCREATE INDEX ix_nope ON t (nope);\n");
    auto db = std::make_unique<Database>(configFor(testDatabaseUrl(dir.filePath(QStringLiteral("x.db")))));
    const Autogenerator generator(db->config(), MigrationSet::load(dir.filePath(QStringLiteral("migrations"))), dir.filePath(QStringLiteral("schema.sql")));
    try {
        generator.generate(QStringLiteral("x"));
        QFAIL("a declared schema the database refuses was accepted");
    } catch (const SchemaError &e) {
        QVERIFY2(e.message().contains(QLatin1String("schema.sql")) && e.message().contains(QLatin1String("CREATE INDEX ix_nope")), qPrintable(e.message()));
    }

    // A draft that does not reach the target is refused by verify() and nothing is written.
    writeFile(dir.filePath(QStringLiteral("schema.sql")), "CREATE TABLE t (id INTEGER NOT NULL, extra TEXT, CONSTRAINT pk_t PRIMARY KEY (id));\n");
    AutogenerateResult result = generator.generate(QStringLiteral("x"));
    QCOMPARE(result.drafts.size(), 1);
    result.drafts[0].up = QStringLiteral("ALTER TABLE t ADD COLUMN other TEXT;");
    try {
        generator.write(result, QStringLiteral("x"));
        QFAIL("a migration that misses the declared schema was written");
    } catch (const SchemaError &e) {
        QVERIFY2(e.message().contains(QLatin1String("does not reach the declared schema")) && e.message().contains(QLatin1String("t.extra")),
                 qPrintable(e.message()));
    }
    result.drafts[0] = generator.generate(QStringLiteral("x")).drafts.first();
    result.drafts[0].down = QStringLiteral("SELECT 1;");
    try {
        generator.write(result, QStringLiteral("x"));
        QFAIL("a migration whose down does not return was written");
    } catch (const SchemaError &e) {
        QVERIFY2(e.message().contains(QLatin1String("down section does not return")), qPrintable(e.message()));
    }
    QCOMPARE(QDir(dir.filePath(QStringLiteral("migrations"))).entryList({QStringLiteral("*.sql")}).size(), 1);
}

void TstAutogenerator::postgresIndexOnTableWithRowsIsConcurrent()
{
    if (!testingPostgres())
        QSKIP("CREATE INDEX CONCURRENTLY is PostgreSQL's");
    Schema current;
    current.backend = Backend::Postgres;
    SchemaTable t;
    t.name = QStringLiteral("events");
    t.columns.append({QStringLiteral("id"), QStringLiteral("text"), true, {}, {}, {}, false, {}, 1});
    current.tables << t;
    Schema target = current;
    SchemaIndex index;
    index.name = QStringLiteral("ix_events_id");
    index.table = QStringLiteral("events");
    index.definition = QStringLiteral("CREATE INDEX ix_events_id ON events USING btree (id)");
    target.tables[0].indexes << index;
    const QList<MigrationDraft> empty = Autogenerator::draftsFor(current, target, QStringLiteral("m"));
    QCOMPARE(empty.size(), 1);
    QVERIFY(empty.first().transactional);
    QVERIFY(!empty.first().up.contains(QLatin1String("CONCURRENTLY")));
    const QList<MigrationDraft> busy = Autogenerator::draftsFor(current, target, QStringLiteral("m"), {QStringLiteral("events")});
    QCOMPARE(busy.size(), 1);
    QVERIFY(!busy.first().transactional);
    QVERIFY(busy.first().text().contains(QLatin1String("-- migrate:up transaction:false")));
    QVERIFY(busy.first().up.contains(QLatin1String("CREATE INDEX CONCURRENTLY ix_events_id ON events")));
    QVERIFY(busy.first().down.contains(QLatin1String("DROP INDEX CONCURRENTLY ix_events_id")));
}

// A generated column that becomes a plain one keeps the values it holds (DROP EXPRESSION); the
// way back, plain to generated, replaces them and is marked destructive.
void TstAutogenerator::postgresGeneratedColumnBecomingPlainKeepsItsValues()
{
    if (!testingPostgres())
        QSKIP("DROP EXPRESSION is PostgreSQL's (SQLite rebuilds the table, copying the values)");
    QTemporaryDir dir;
    Database db(configFor(testDatabaseUrl(dir.filePath(QStringLiteral("unused.db")))));
    const QString generated = QStringLiteral("CREATE TABLE priced (id INTEGER NOT NULL, price NUMERIC(10,2), "
                                             "total NUMERIC GENERATED ALWAYS AS (price * 2) STORED, CONSTRAINT pk_priced PRIMARY KEY (id));\n");
    const QString plain = QStringLiteral("CREATE TABLE priced (id INTEGER NOT NULL, price NUMERIC(10,2), total NUMERIC, "
                                         "CONSTRAINT pk_priced PRIMARY KEY (id));\n");
    DdlApplier::apply(db, generated, QStringLiteral("base"), DdlApplier::Mode::Transaction);
    db.exec(QStringLiteral("INSERT INTO priced (id, price) VALUES (1, 1.50), (2, 20.25), (3, NULL)"));
    const auto totals = [&] {
        QStringList values;
        QSqlQuery q = db.exec(QStringLiteral("SELECT coalesce(total::text, 'NULL') FROM priced ORDER BY id"));
        while (q.next())
            values << q.value(0).toString();
        return values;
    };
    const QStringList before = totals();
    QCOMPARE(before, (QStringList{QStringLiteral("3.00"), QStringLiteral("40.50"), QStringLiteral("NULL")}));
    const Schema current = SchemaReader::create(db)->read();
    const QString declared = dir.filePath(QStringLiteral("declared.sql"));
    writeFile(declared, plain);
    const Schema target = DeclaredSchema::load(declared, db.config());

    const QList<MigrationDraft> drafts = Autogenerator::draftsFor(current, target, QStringLiteral("plain total"), {QStringLiteral("priced")});
    QCOMPARE(drafts.size(), 1);
    QVERIFY2(drafts.first().up.contains(QLatin1String("ALTER TABLE priced ALTER COLUMN total DROP EXPRESSION;")), qPrintable(drafts.first().up));
    QVERIFY2(!drafts.first().up.contains(QLatin1String("DROP COLUMN")), qPrintable(drafts.first().up));
    QVERIFY2(drafts.first().down.contains(QLatin1String("DESTRUCTIVE: replaces the values of priced.total")), qPrintable(drafts.first().down));
    DdlApplier::apply(db, drafts.first().up, QStringLiteral("up"), DdlApplier::Mode::Transaction);
    QCOMPARE(totals(), before); // kept, not recomputed nor lost
    db.exec(QStringLiteral("UPDATE priced SET price = 100 WHERE id = 1"));
    QCOMPARE(totals(), before); // plain now: no longer follows price
    QVERIFY(SchemaDiff::compare(SchemaReader::create(db)->read(), target).isEmpty());
    DdlApplier::apply(db, drafts.first().down, QStringLiteral("down"), DdlApplier::Mode::Transaction);
    QCOMPARE(totals().first(), QStringLiteral("200.00")); // generated again, from the current price
}

QTEST_GUILESS_MAIN(TstAutogenerator)
#include "tst_autogenerator.moc"

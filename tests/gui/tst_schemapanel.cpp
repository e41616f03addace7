#include "clirunner.h"
#include "db/database.h"
#include "migrate/migrator.h"
#include "dbsession.h"
#include "guisupport.h"
#include "mainwindow.h"
#include "messagearea.h"
#include "schema/schemaddl.h"
#include "schema/schemareader.h"
#include "schemapanel.h"
#include "schematreemodel.h"
#include "testsupport.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QLineEdit>
#include <QListView>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

using namespace dbdeck;
using namespace dbdeck::gui;
using dbdeck::test::child;
using dbdeck::test::configFor;
using dbdeck::test::sqliteUrl;
using dbdeck::test::testingPostgres;

namespace {

QByteArray fileHash(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Copies every *.sql file of a folder of the source tree into a new folder.
void copySqlFiles(const QString &from, const QString &to)
{
    QDir().mkpath(to);
    for (const QString &name : QDir(from).entryList({QStringLiteral("*.sql")}, QDir::Files))
        QFile::copy(QDir(from).filePath(name), QDir(to).filePath(name));
}

// The texts a model shows in column 0 under parent (through the filter).
QStringList childTexts(const QAbstractItemModel *model, const QModelIndex &parent, int column = 0)
{
    QStringList texts;
    for (int row = 0; row < model->rowCount(parent); ++row)
        texts << model->index(row, column, parent).data().toString();
    return texts;
}

QModelIndex childNamed(const QAbstractItemModel *model, const QModelIndex &parent, const QString &text)
{
    for (int row = 0; row < model->rowCount(parent); ++row) {
        const QModelIndex index = model->index(row, 0, parent);
        if (index.data().toString() == text)
            return index;
    }
    return {};
}

QModelIndex startingWith(const QAbstractItemModel *model, const QModelIndex &parent, const QString &prefix)
{
    for (int row = 0; row < model->rowCount(parent); ++row) {
        const QModelIndex index = model->index(row, 0, parent);
        if (index.data().toString().startsWith(prefix))
            return index;
    }
    return {};
}

} // namespace

// What looking must leave as it was. SQLite: the file's bytes and the folder's listing (no -wal,
// -shm or journal left). PostgreSQL: the schema's DDL, the rows, and the server's list of schemas
// (no scratch schema left behind).
QStringList databaseSnapshot(const QString &url, const QString &path)
{
    if (!testingPostgres())
        return QStringList{QString::fromLatin1(fileHash(path).toHex())} + QDir(QFileInfo(path).path()).entryList(QDir::Files);
    Database db(configFor(url));
    QStringList snapshot{SchemaDdl::create(Backend::Postgres)->script(SchemaReader::create(db)->read())};
    for (const char *sql : {"SELECT string_agg(nspname, ',' ORDER BY nspname) FROM pg_namespace", "SELECT count(*) FROM runs",
                            "SELECT count(*) FROM events", "SELECT count(*) FROM dbdeck_schema_migrations"})
        snapshot << db.scalar(QString::fromLatin1(sql)).toString();
    return snapshot;
}

// The Schema tab as a user sees it: the tree, the DDL of the selection, the filter, row counts
// beside tables, Drift after a hand-made change, Autogenerate's preview and the file it writes
// (the same bytes as the CLI's), errors in the panel's message area, and a file left
// byte-identical by all that looking. Registered twice: SQLite and PostgreSQL.
class tst_SchemaPanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void treeShowsTablesWithTheirObjectsAndTheDdlOfTheSelection();
    void viewsAndTriggersAreShown();
    void filterKeepsTheTablesThatMatch();
    void rowCountsStandBesideTheTables();
    void driftListsAHandMadeChange();
    void autogeneratePreviewsThenWritesTheFileTheCliWrites();
    void autogenerateWritesNothingWhenTheDeclaredSchemaChangedSincePreview();
    void autogenerateErrorsAreShownInTheMessageArea();
    void browsingLeavesTheFileByteIdentical();
    void cancelStopsARunningDriftCheckAndTheNextOneRuns();
    void cancelledAutogenerateWritesNothing();

private:
    SchemaPanel *openWindow();
    QModelIndex tableIndex(SchemaPanel *panel, const QString &table);
    QThread *schemaThread() const;

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
    QString m_url; // m_path's SQLite URL, or a fresh PostgreSQL database on the PostgreSQL run
    QString m_migrations;
    QString m_schema;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<MainWindow> m_window;
};

void tst_SchemaPanel::initTestCase()
{
    DBDECK_SKIP_POSTGRES_RUN_WITHOUT_SERVER();
    QStandardPaths::setTestModeEnabled(true);
}

void tst_SchemaPanel::init()
{
    QSettings().clear();
    m_dir = std::make_unique<QTemporaryDir>();
    m_path = m_dir->filePath(QStringLiteral("app.db"));
    m_migrations = m_dir->filePath(QStringLiteral("migrations"));
    m_schema = m_dir->filePath(QStringLiteral("schema"));
    copySqlFiles(QStringLiteral(DBDECK_SOURCE_DIR "/migrations"), m_migrations);
    copySqlFiles(QStringLiteral(DBDECK_SOURCE_DIR "/schema"), m_schema);
    m_url = test::testDatabaseUrl(m_path);
    m_db = std::make_unique<Database>(configFor(m_url));
    Migrator(*m_db, MigrationSet::load(m_migrations)).upgrade({});
}

void tst_SchemaPanel::cleanup()
{
    m_window.reset();
    m_db.reset();
}

SchemaPanel *tst_SchemaPanel::openWindow()
{
    const QByteArray migrations = m_migrations.toUtf8(), schema = m_schema.toUtf8();
    m_window = std::make_unique<MainWindow>(
        configFor(m_url, {{"MIGRATIONS_DIR", migrations.constData()}, {"SCHEMA_DIR", schema.constData()}}), QString());
    m_window->show();
    m_window->showTab(QStringLiteral("schema"));
    auto *panel = m_window->findChild<SchemaPanel *>();
    if (!QTest::qWaitFor([&] { return panel->filteredModel()->rowCount() > 0 && panel->statusText().contains(QLatin1String("read at")); }, 30000))
        qFatal("the schema was not shown");
    return panel;
}

QThread *tst_SchemaPanel::schemaThread() const
{
    for (QThread *t : m_window->session()->findChildren<QThread *>()) {
        if (t->objectName() == QLatin1String("dbdeck-schema"))
            return t;
    }
    qFatal("no dbdeck-schema thread");
}

QModelIndex tst_SchemaPanel::tableIndex(SchemaPanel *panel, const QString &table)
{
    const QAbstractItemModel *model = panel->filteredModel();
    return childNamed(model, startingWith(model, {}, QStringLiteral("Tables")), table);
}

void tst_SchemaPanel::treeShowsTablesWithTheirObjectsAndTheDdlOfTheSelection()
{
    SchemaPanel *panel = openWindow();
    const QAbstractItemModel *model = panel->filteredModel();
    QCOMPARE(childTexts(model, {}), QStringList{QStringLiteral("Tables (2)")});
    const QModelIndex tables = model->index(0, 0);
    QCOMPARE(childTexts(model, tables), (QStringList{QStringLiteral("events"), QStringLiteral("runs")}));
    QVERIFY2(panel->statusText().startsWith(QStringLiteral("2 table(s), 0 view(s) · read at")), qPrintable(panel->statusText()));

    const QModelIndex events = tableIndex(panel, QStringLiteral("events"));
    QCOMPARE(childTexts(model, events), (QStringList{QStringLiteral("Columns (10)"), QStringLiteral("Keys (2)"), QStringLiteral("Indexes (1)"),
                                                     QStringLiteral("Foreign keys (1)"), QStringLiteral("Checks (2)")}));
    const QModelIndex columns = startingWith(model, events, QStringLiteral("Columns"));
    const QModelIndex level = childNamed(model, columns, QStringLiteral("level"));
    QVERIFY(level.isValid());
    // Each backend's canonical spelling (PostgreSQL's as pg_dump writes it).
    const QString levelDefinition = testingPostgres() ? QStringLiteral("text DEFAULT 'info'::text NOT NULL") : QStringLiteral("TEXT NOT NULL DEFAULT 'info'");
    QCOMPARE(level.siblingAtColumn(SchemaTreeModel::DefinitionColumn).data().toString(), levelDefinition);
    const QModelIndex fks = startingWith(model, events, QStringLiteral("Foreign keys"));
    QCOMPARE(childTexts(model, fks), QStringList{QStringLiteral("fk_events_run_id_runs")});
    QVERIFY(model->index(0, SchemaTreeModel::DefinitionColumn, fks).data().toString().contains(QLatin1String("REFERENCES runs")));
    QVERIFY(model->index(0, SchemaTreeModel::DefinitionColumn, fks).data().toString().contains(QLatin1String("ON DELETE CASCADE")));
    QCOMPARE(childTexts(model, startingWith(model, events, QStringLiteral("Checks"))),
             (QStringList{QStringLiteral("ck_events_level"), QStringLiteral("ck_events_message_length")}));

    auto *tree = child<QTreeView>(panel, "tree");
    auto *ddl = child<QPlainTextEdit>(panel, "ddlText");
    tree->setCurrentIndex(events);
    QVERIFY(ddl->toPlainText().startsWith(QLatin1String("CREATE TABLE events (")));
    QVERIFY(ddl->toPlainText().contains(QLatin1String("CONSTRAINT ck_events_level CHECK")));
    QVERIFY(ddl->toPlainText().contains(QLatin1String("CREATE INDEX ix_events_created_at ON events")));
    const QModelIndex index = model->index(0, 0, startingWith(model, events, QStringLiteral("Indexes")));
    tree->setCurrentIndex(index);
    QCOMPARE(ddl->toPlainText().trimmed(), testingPostgres() ? QStringLiteral("CREATE INDEX ix_events_created_at ON events USING btree (created_at);")
                                                             : QStringLiteral("CREATE INDEX ix_events_created_at ON events (created_at);"));
    tree->setCurrentIndex(level);
    QCOMPARE(ddl->toPlainText(), QStringLiteral("level ") + levelDefinition);
}

void tst_SchemaPanel::viewsAndTriggersAreShown()
{
    m_db->exec(QStringLiteral("CREATE VIEW v_failed_runs AS SELECT id, error FROM runs WHERE status = 'failed'"));
    if (testingPostgres()) {
        m_db->exec(QStringLiteral("CREATE FUNCTION touch_runs() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at := now()::text; RETURN NEW; END $$"));
        m_db->exec(QStringLiteral("CREATE TRIGGER tr_runs_touch AFTER UPDATE ON runs FOR EACH ROW EXECUTE FUNCTION touch_runs()"));
    } else {
        m_db->exec(QStringLiteral("CREATE TRIGGER tr_runs_touch AFTER UPDATE ON runs BEGIN UPDATE runs SET updated_at = NEW.updated_at WHERE id = NEW.id; END"));
    }
    SchemaPanel *panel = openWindow();
    const QAbstractItemModel *model = panel->filteredModel();
    QStringList groups{QStringLiteral("Tables (2)"), QStringLiteral("Views (1)")};
    if (testingPostgres())
        groups << QStringLiteral("Functions (1)"); // the trigger's
    QCOMPARE(childTexts(model, {}), groups);
    const QModelIndex views = model->index(1, 0);
    QCOMPARE(childTexts(model, views), QStringList{QStringLiteral("v_failed_runs")});
    const QModelIndex triggers = startingWith(model, tableIndex(panel, QStringLiteral("runs")), QStringLiteral("Triggers"));
    QCOMPARE(childTexts(model, triggers), QStringList{QStringLiteral("tr_runs_touch")});
    auto *tree = child<QTreeView>(panel, "tree");
    auto *ddl = child<QPlainTextEdit>(panel, "ddlText");
    tree->setCurrentIndex(model->index(0, 0, views));
    QVERIFY2(ddl->toPlainText().simplified().startsWith(QLatin1String("CREATE VIEW v_failed_runs AS SELECT")), qPrintable(ddl->toPlainText()));
    tree->setCurrentIndex(model->index(0, 0, triggers));
    QVERIFY2(ddl->toPlainText().startsWith(QLatin1String("CREATE TRIGGER tr_runs_touch AFTER UPDATE ON runs")), qPrintable(ddl->toPlainText()));
}

void tst_SchemaPanel::filterKeepsTheTablesThatMatch()
{
    SchemaPanel *panel = openWindow();
    const QAbstractItemModel *model = panel->filteredModel();
    auto *filter = child<QLineEdit>(panel, "filterEdit");
    QTest::keyClicks(filter, QStringLiteral("LEVEL")); // any case
    const QModelIndex tables = model->index(0, 0);
    QCOMPARE(childTexts(model, tables), QStringList{QStringLiteral("events")});
    const QModelIndex events = tableIndex(panel, QStringLiteral("events"));
    QCOMPARE(childTexts(model, events), (QStringList{QStringLiteral("Columns (10)"), QStringLiteral("Checks (2)")}));
    QCOMPARE(childTexts(model, startingWith(model, events, QStringLiteral("Columns"))), QStringList{QStringLiteral("level")});
    QVERIFY(child<QTreeView>(panel, "tree")->isExpanded(events)); // the matches are in view

    filter->clear();
    QTest::keyClicks(filter, QStringLiteral("status"));
    QCOMPARE(childTexts(model, tables), QStringList{QStringLiteral("runs")});
    QCOMPARE(childTexts(model, tableIndex(panel, QStringLiteral("runs"))),
             (QStringList{QStringLiteral("Columns (9)"), QStringLiteral("Indexes (2)"), QStringLiteral("Checks (1)")}));
    filter->clear();
    QTest::keyClicks(filter, QStringLiteral("runs"));
    QCOMPARE(childTexts(model, tables), (QStringList{QStringLiteral("events"), QStringLiteral("runs")}));
    QCOMPARE(childTexts(model, tableIndex(panel, QStringLiteral("events"))), QStringList{QStringLiteral("Foreign keys (1)")}); // fk_events_run_id_runs
    QCOMPARE(childTexts(model, tableIndex(panel, QStringLiteral("runs"))).size(), 4); // a matching table keeps everything
    filter->clear();
    QCOMPARE(childTexts(model, tables), (QStringList{QStringLiteral("events"), QStringLiteral("runs")}));
    QTest::keyClicks(filter, QStringLiteral("no_such_thing"));
    QCOMPARE(model->rowCount(tables), 0);
}

void tst_SchemaPanel::rowCountsStandBesideTheTables()
{
    test::insertBigRun(*m_db, QStringLiteral("r1"), 1500);
    SchemaPanel *panel = openWindow();
    const auto rowsOf = [&](const QString &table) {
        return tableIndex(panel, table).siblingAtColumn(SchemaTreeModel::RowsColumn).data().toString();
    };
    QTRY_COMPARE_WITH_TIMEOUT(rowsOf(QStringLiteral("events")), QLocale().toString(1500), 30000);
    QCOMPARE(rowsOf(QStringLiteral("runs")), QStringLiteral("1"));
    // The count follows the Tables tab's next count; the tree is not rebuilt for it.
    const QModelIndex columns = startingWith(panel->filteredModel(), tableIndex(panel, QStringLiteral("events")), QStringLiteral("Columns"));
    auto *tree = child<QTreeView>(panel, "tree");
    tree->setCurrentIndex(columns);
    test::appendEvents(*m_db, QStringLiteral("r1"), 1501, 5);
    m_window->showTab(QStringLiteral("tables"));
    child<QPushButton>(m_window.get(), "refreshButton")->click();
    QTRY_COMPARE_WITH_TIMEOUT(rowsOf(QStringLiteral("events")), QLocale().toString(1505), 30000);
    QCOMPARE(tree->currentIndex(), columns);
}

void tst_SchemaPanel::driftListsAHandMadeChange()
{
    SchemaPanel *panel = openWindow();
    auto *drift = child<QPushButton>(panel, "driftButton");
    auto *list = child<QListView>(panel, "driftList");
    drift->click();
    QTRY_COMPARE_WITH_TIMEOUT(panel->messageArea()->kind(), MessageArea::Kind::Positive, 30000);
    QVERIFY2(panel->messageArea()->text().startsWith(QLatin1String("No drift")), qPrintable(panel->messageArea()->text()));
    QCOMPARE(list->model()->rowCount(), 0);

    // A hand-made change no migration made, from another connection.
    m_db->exec(QStringLiteral("ALTER TABLE runs ADD COLUMN note TEXT"));
    m_db->exec(QStringLiteral("DROP INDEX ix_events_created_at"));
    QTRY_VERIFY_WITH_TIMEOUT(drift->isEnabled(), 30000);
    drift->click();
    QTRY_COMPARE_WITH_TIMEOUT(panel->messageArea()->kind(), MessageArea::Kind::Warning, 30000);
    QVERIFY2(panel->messageArea()->text().contains(QLatin1String("2 place(s)")), qPrintable(panel->messageArea()->text()));
    const QStringList lines = test::columnTexts(list->model(), 0);
    QCOMPARE(lines.size(), 2);
    QVERIFY2(lines.filter(QStringLiteral("runs.note")).size() == 1, qPrintable(lines.join(QLatin1Char('\n'))));
    QVERIFY2(lines.filter(QStringLiteral("ix_events_created_at")).size() == 1, qPrintable(lines.join(QLatin1Char('\n'))));
    QVERIFY(lines.filter(QStringLiteral("the database")).size() >= 1);
    // The tree follows the change after the pause that gathers a burst of commits.
    QTRY_VERIFY_WITH_TIMEOUT(childNamed(panel->filteredModel(), startingWith(panel->filteredModel(), tableIndex(panel, QStringLiteral("runs")), QStringLiteral("Columns")),
                                        QStringLiteral("note")).isValid(), 30000);
}

void tst_SchemaPanel::autogeneratePreviewsThenWritesTheFileTheCliWrites()
{
    // The declared schema gains a column and an index.
    QString declared = QString::fromUtf8(readAll(QDir(m_schema).filePath(QStringLiteral("0001_runs.sql"))));
    declared.replace(QStringLiteral("    error TEXT,\n"), QStringLiteral("    error TEXT,\n    owner TEXT,\n"));
    declared += QStringLiteral("CREATE INDEX ix_runs_owner ON runs (owner);\n");
    test::writeFile(QDir(m_schema).filePath(QStringLiteral("0001_runs.sql")), declared);
    // What the CLI writes for the same change, in a copy of the migrations.
    const QString cliMigrations = m_dir->filePath(QStringLiteral("cli-migrations"));
    copySqlFiles(m_migrations, cliMigrations);
    const test::CliResult cli = test::runCli(m_dir->path(), {QStringLiteral("revision"), QStringLiteral("--autogenerate"), QStringLiteral("-m"), QStringLiteral("runs owner")},
                                             {{QStringLiteral("DB_URL"), m_url}, {QStringLiteral("MIGRATIONS_DIR"), cliMigrations},
                                              {QStringLiteral("SCHEMA_DIR"), m_schema}});
    QVERIFY2(cli.exitCode == 0, qPrintable(cli.out + cli.err));
    const QByteArray cliFile = readAll(QDir(cliMigrations).filePath(QStringLiteral("0003_runs_owner.sql")));
    QVERIFY(!cliFile.isEmpty());

    SchemaPanel *panel = openWindow();
    auto *message = child<QLineEdit>(panel, "messageEdit");
    auto *preview = child<QPushButton>(panel, "previewButton");
    auto *write = child<QPushButton>(panel, "writeButton");
    auto *sql = child<QPlainTextEdit>(panel, "previewText");
    QVERIFY(!write->isEnabled());
    QTest::keyClicks(message, QStringLiteral("runs owner"));
    preview->click();
    QTRY_VERIFY_WITH_TIMEOUT(!sql->toPlainText().isEmpty(), 60000);
    const Qt::CaseSensitivity anyCase = Qt::CaseInsensitive; // PostgreSQL spells types in lower case
    QVERIFY2(sql->toPlainText().contains(QLatin1String("ALTER TABLE runs ADD COLUMN owner TEXT"), anyCase), qPrintable(sql->toPlainText()));
    QVERIFY(sql->toPlainText().contains(testingPostgres() ? QLatin1String("CREATE INDEX ix_runs_owner ON runs USING btree (owner)")
                                                          : QLatin1String("CREATE INDEX ix_runs_owner ON runs (owner)")));
    QVERIFY(sql->toPlainText().contains(QLatin1String("-- migrate:down")));
    const QStringList differences = test::columnTexts(child<QListView>(panel, "differencesList")->model(), 0);
    QCOMPARE(differences.size(), 2);
    QVERIFY(differences.filter(QStringLiteral("runs.owner")).size() == 1);
    QCOMPARE(QDir(m_migrations).entryList({QStringLiteral("*.sql")}).size(), 2); // a preview writes nothing
    QVERIFY(write->isEnabled());

    // Declined: nothing written.
    QString asked;
    panel->setConfirmWrite([&](const QString &question) { asked = question; return false; });
    write->click();
    QVERIFY(asked.contains(QDir::toNativeSeparators(m_migrations)));
    QCOMPARE(QDir(m_migrations).entryList({QStringLiteral("*.sql")}).size(), 2);

    panel->setConfirmWrite([](const QString &) { return true; });
    write->click();
    QTRY_COMPARE_WITH_TIMEOUT(panel->messageArea()->kind(), MessageArea::Kind::Positive, 60000);
    const QString written = QDir(m_migrations).filePath(QStringLiteral("0003_runs_owner.sql"));
    QVERIFY2(panel->messageArea()->text().contains(QDir::toNativeSeparators(written)), qPrintable(panel->messageArea()->text()));
    QCOMPARE(readAll(written), cliFile);               // exactly what the CLI writes
    QCOMPARE(readAll(written), sql->toPlainText().toUtf8()); // exactly what was previewed
    QVERIFY(!write->isEnabled()); // written once; a second click would need a new preview
}

void tst_SchemaPanel::autogenerateWritesNothingWhenTheDeclaredSchemaChangedSincePreview()
{
    const QString runsFile = QDir(m_schema).filePath(QStringLiteral("0001_runs.sql"));
    QString declared = QString::fromUtf8(readAll(runsFile));
    test::writeFile(runsFile, QString(declared).replace(QStringLiteral("    error TEXT,\n"), QStringLiteral("    error TEXT,\n    owner TEXT,\n")));
    SchemaPanel *panel = openWindow();
    QTest::keyClicks(child<QLineEdit>(panel, "messageEdit"), QStringLiteral("owner"));
    child<QPushButton>(panel, "previewButton")->click();
    auto *write = child<QPushButton>(panel, "writeButton");
    QTRY_VERIFY_WITH_TIMEOUT(write->isEnabled(), 60000);
    // Someone edits the declared schema after the preview was reviewed.
    test::writeFile(runsFile, QString(declared).replace(QStringLiteral("    error TEXT,\n"), QStringLiteral("    error TEXT,\n    owner INTEGER,\n")));
    panel->setConfirmWrite([](const QString &) { return true; });
    write->click();
    QTRY_COMPARE_WITH_TIMEOUT(panel->messageArea()->kind(), MessageArea::Kind::Error, 60000);
    QVERIFY2(panel->messageArea()->text().contains(QLatin1String("changed since the preview, so nothing was written")),
             qPrintable(panel->messageArea()->text()));
    QCOMPARE(QDir(m_migrations).entryList({QStringLiteral("*.sql")}).size(), 2);

    // Editing the message after the preview also makes Write wait for a new preview.
    child<QPushButton>(panel, "previewButton")->click();
    QTRY_VERIFY_WITH_TIMEOUT(write->isEnabled(), 60000);
    QTest::keyClicks(child<QLineEdit>(panel, "messageEdit"), QStringLiteral(" type"));
    QVERIFY(!write->isEnabled());
}

void tst_SchemaPanel::autogenerateErrorsAreShownInTheMessageArea()
{
    SchemaPanel *panel = openWindow();
    auto *preview = child<QPushButton>(panel, "previewButton");
    preview->click(); // no message yet
    QCOMPARE(panel->messageArea()->kind(), MessageArea::Kind::Error);
    QVERIFY(panel->messageArea()->text().contains(QLatin1String("Say what the migration does")));

    // Nothing differs: nothing to write.
    QTest::keyClicks(child<QLineEdit>(panel, "messageEdit"), QStringLiteral("nothing"));
    preview->click();
    QTRY_VERIFY_WITH_TIMEOUT(panel->messageArea()->text().startsWith(QLatin1String("No changes")), 60000);
    QVERIFY(!child<QPushButton>(panel, "writeButton")->isEnabled());

    // A declared schema the scratch database refuses: the error names the file.
    test::writeFile(QDir(m_schema).filePath(QStringLiteral("0003_broken.sql")), "CREATE TABLE broken (id INTEGER PRIMARY KEY,);\n");
    preview->click();
    QTRY_COMPARE_WITH_TIMEOUT(panel->messageArea()->kind(), MessageArea::Kind::Error, 60000);
    QVERIFY2(panel->messageArea()->text().contains(QLatin1String("0003_broken.sql")), qPrintable(panel->messageArea()->text()));
    QVERIFY(preview->isEnabled());
    QCOMPARE(QDir(m_migrations).entryList({QStringLiteral("*.sql")}).size(), 2);
}

void tst_SchemaPanel::browsingLeavesTheFileByteIdentical()
{
    test::insertBigRun(*m_db, QStringLiteral("r1"), 200);
    m_db.reset(); // on SQLite its connection would keep -wal and -shm
    const QStringList before = databaseSnapshot(m_url, m_path);
    {
        SchemaPanel *panel = openWindow();
        const QAbstractItemModel *model = panel->filteredModel();
        auto *tree = child<QTreeView>(panel, "tree");
        tree->setCurrentIndex(tableIndex(panel, QStringLiteral("events")));
        QTest::keyClicks(child<QLineEdit>(panel, "filterEdit"), QStringLiteral("run"));
        tree->setCurrentIndex(model->index(0, 0, tableIndex(panel, QStringLiteral("runs"))));
        child<QPushButton>(panel, "driftButton")->click();
        QTRY_COMPARE_WITH_TIMEOUT(panel->messageArea()->kind(), MessageArea::Kind::Positive, 30000);
        QTest::keyClicks(child<QLineEdit>(panel, "messageEdit"), QStringLiteral("nothing"));
        child<QPushButton>(panel, "previewButton")->click();
        QTRY_VERIFY_WITH_TIMEOUT(panel->messageArea()->text().startsWith(QLatin1String("No changes")), 60000);
        child<QPushButton>(panel, "reloadButton")->click();
        QTRY_VERIFY_WITH_TIMEOUT(panel->statusText().contains(QLatin1String("read at")), 30000);
        m_window.reset();
    }
    QCOMPARE(databaseSnapshot(m_url, m_path), before);
}

void tst_SchemaPanel::cancelStopsARunningDriftCheckAndTheNextOneRuns()
{
    // Enough applied migrations that replaying them takes a while (seconds, not milliseconds).
    for (int n = 3; n <= 802; ++n)
        test::writeFile(QDir(m_migrations).filePath(QStringLiteral("%1_table_%1.sql").arg(n, 4, 10, QLatin1Char('0'))),
                        QStringLiteral("-- migrate:up\nCREATE TABLE t_%1 (id INTEGER PRIMARY KEY, note TEXT);\nCREATE INDEX ix_t_%1_note ON t_%1 (note);\n"
                                       "-- migrate:down\nDROP TABLE t_%1;\n").arg(n));
    Migrator(*m_db, MigrationSet::load(m_migrations)).upgrade({});
    SchemaPanel *panel = openWindow();
    auto *drift = child<QPushButton>(panel, "driftButton");
    QElapsedTimer uncancelled;
    uncancelled.start();
    drift->click();
    QTRY_COMPARE_WITH_TIMEOUT(panel->messageArea()->kind(), MessageArea::Kind::Positive, 120000);
    const qint64 fullRun = uncancelled.elapsed();
    qInfo("an uncancelled drift check took %lld ms", fullRun);

    drift->click();
    QVERIFY(!drift->isEnabled());
    QTest::qWait(int(fullRun / 6)); // into the replay
    QVERIFY2(test::clickMessageAction(panel->messageArea(), QStringLiteral("Cancel")), qPrintable(panel->messageArea()->text()));
    QTRY_COMPARE_WITH_TIMEOUT(panel->messageArea()->text(), QStringLiteral("The drift check was cancelled."), 20000);
    QVERIFY(drift->isEnabled());
    QCOMPARE(child<QListView>(panel, "driftList")->model()->rowCount(), 0);

    // The Cancel before does not reach the next check.
    drift->click();
    QTRY_COMPARE_WITH_TIMEOUT(panel->messageArea()->kind(), MessageArea::Kind::Positive, 120000);
    QVERIFY2(panel->messageArea()->text().startsWith(QLatin1String("No drift")), qPrintable(panel->messageArea()->text()));
}

void tst_SchemaPanel::cancelledAutogenerateWritesNothing()
{
    const QString runsFile = QDir(m_schema).filePath(QStringLiteral("0001_runs.sql"));
    test::writeFile(runsFile, QString::fromUtf8(readAll(runsFile)).replace(QStringLiteral("    error TEXT,\n"), QStringLiteral("    error TEXT,\n    owner TEXT,\n")));
    SchemaPanel *panel = openWindow();
    QTest::keyClicks(child<QLineEdit>(panel, "messageEdit"), QStringLiteral("owner"));
    auto *preview = child<QPushButton>(panel, "previewButton");
    auto *write = child<QPushButton>(panel, "writeButton");
    preview->click();
    QTRY_VERIFY_WITH_TIMEOUT(write->isEnabled(), 60000);
    panel->setConfirmWrite([](const QString &) { return true; });
    {
        test::ThreadBlocker busy(schemaThread()); // the write waits in the queue: Cancel reaches it there
        write->click();
        QVERIFY(!write->isEnabled());
        QVERIFY(test::clickMessageAction(panel->messageArea(), QStringLiteral("Cancel")));
    }
    QTRY_COMPARE_WITH_TIMEOUT(panel->messageArea()->text(), QStringLiteral("Autogenerate was cancelled; nothing was written."), 60000);
    QCOMPARE(QDir(m_migrations).entryList({QStringLiteral("*.sql")}).size(), 2);
    QVERIFY(write->isEnabled()); // the preview still stands
    write->click();
    QTRY_COMPARE_WITH_TIMEOUT(panel->messageArea()->kind(), MessageArea::Kind::Positive, 60000);
    QCOMPARE(QDir(m_migrations).entryList({QStringLiteral("*.sql")}).size(), 3);
}

QTEST_MAIN(tst_SchemaPanel)
#include "tst_schemapanel.moc"

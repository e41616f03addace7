#include "celltablemodel.h"
#include "datatableview.h"
#include "db/database.h"
#include "dialoganswer.h"
#include "guisupport.h"
#include "healthpanel.h"
#include "mainwindow.h"
#include "messagearea.h"
#include "migrateddb.h"
#include "migrationspanel.h"
#include "pgtestdatabase.h"
#include "resetdialog.h"
#include "runspanel.h"
#include "eventsmodel.h"
#include "runsmodel.h"
#include "statusbadges.h"
#include "tablespanel.h"

#include "testsupport.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

using namespace dbdeck;
using namespace dbdeck::gui;
using dbdeck::test::child;
using dbdeck::test::columnTexts;
using dbdeck::test::configFor;
using dbdeck::test::sqliteUrl;
using dbdeck::test::writeFile;

// The inspector end to end on a real window: migrations, counts and export, reset, runs, PostgreSQL.
class tst_Inspector : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void applyPendingOnANewDatabase();
    void failingMigrationShowsItsErrorAndChangesNothing();
    void exportWritesExactlyTheExpectedCsvAndJson();
    void countsOfATableWhoseNameNeedsQuoting();
    void tablesAndHealthOfADatabaseWithoutTheApplicationsTables();
    void resetIsDisabledWithoutTheVariable();
    void resetWithTheRightNameBacksUpAndResets();
    void resetRefusesProduction();
    void resetFromTheMenuIsTheSameActionAndGuard();
    void runsUpdateLiveAndKeepTheSelection();
    void showsAPostgresDatabase();
    void openAnotherFileAndRememberIt();

private:
    DbConfig config() { return configFor(sqliteUrl(m_path), {{"MIGRATIONS_DIR", m_folderUtf8.constData()}}); }
    QString resetMessage(MainWindow &window) { return window.messageArea()->text(); }

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
    QString m_folder;
    QByteArray m_folderUtf8;
};

void tst_Inspector::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true); // QSettings (recent files, geometry) stay out of the user's
}

void tst_Inspector::init()
{
    qunsetenv("DBDECK_ALLOW_RESET");
    QSettings().clear();
    m_dir = std::make_unique<QTemporaryDir>();
    m_path = m_dir->filePath(QStringLiteral("data/app.db"));
    m_folder = m_dir->filePath(QStringLiteral("migrations"));
    m_folderUtf8 = m_folder.toUtf8();
    QDir().mkpath(m_folder);
    for (const QString &name : {QStringLiteral("0001_create_runs.sql"), QStringLiteral("0002_create_events.sql")})
        QVERIFY(QFile::copy(QStringLiteral(DBDECK_SOURCE_DIR "/migrations/") + name, m_folder + QLatin1Char('/') + name));
}

void tst_Inspector::applyPendingOnANewDatabase()
{
    MainWindow window(config(), QString());
    window.show();
    auto *panel = window.findChild<MigrationsPanel *>();
    auto *apply = child<QPushButton>(panel, "applyButton");
    QTRY_VERIFY(apply->isEnabled());
    QVERIFY(panel->headerText().contains(QStringLiteral("2 pending")));
    QVERIFY(panel->headerText().contains(QStringLiteral("new database")));
    QVERIFY(panel->messageArea()->text().contains(QStringLiteral("2 migration(s) pending")));
    QVERIFY(!QFile::exists(m_path)); // looking at a new database does not create it
    QTest::mouseClick(apply, Qt::LeftButton);
    QTRY_COMPARE(panel->messageArea()->text(), QStringLiteral("Applied 2 migration(s): 0001_create_runs, 0002_create_events."));
    QCOMPARE(panel->messageArea()->kind(), MessageArea::Kind::Positive);
    QTRY_VERIFY(panel->headerText().startsWith(QStringLiteral("Current 0002")));
    QVERIFY(!apply->isEnabled());
    QCOMPARE(columnTexts(panel->migrationsModel(), 2), (QStringList{QStringLiteral("applied"), QStringLiteral("applied")}));
    auto *counts = window.findChild<TablesPanel *>()->model();
    QTRY_VERIFY(columnTexts(counts, 0).contains(QStringLiteral("events")));
    Database other(configFor(sqliteUrl(m_path)));
    QCOMPARE(other.scalar(QStringLiteral("SELECT count(*) FROM dbdeck_schema_migrations")).toInt(), 2);
}

void tst_Inspector::failingMigrationShowsItsErrorAndChangesNothing()
{
    Migrator(*std::make_unique<Database>(configFor(sqliteUrl(m_path))), MigrationSet::load(m_folder)).upgrade({});
    writeFile(m_folder + QStringLiteral("/0003_broken.sql"),
              "-- migrate:up\nCREATE TABLE half (id INTEGER);\nINSERT INTO missing_table VALUES (1);\n");
    MainWindow window(config(), QString());
    window.show();
    auto *panel = window.findChild<MigrationsPanel *>();
    auto *apply = child<QPushButton>(panel, "applyButton");
    QTRY_VERIFY(apply->isEnabled());
    dbdeck::test::answerNextDialog(QStringLiteral("Yes")); // the preflight saw it fail: Apply asks first
    QTest::mouseClick(apply, Qt::LeftButton);
    MessageArea *messages = panel->messageArea();
    QTRY_VERIFY(messages->text().contains(QStringLiteral("failed at statement 2 of 2")));
    QCOMPARE(messages->kind(), MessageArea::Kind::Error);
    QVERIFY(messages->text().contains(QStringLiteral("0003_broken.sql")));
    QVERIFY(messages->text().contains(QStringLiteral("no such table: missing_table")));
    Database other(configFor(sqliteUrl(m_path)));
    QCOMPARE(other.scalar(QStringLiteral("SELECT max(version) FROM dbdeck_schema_migrations")).toInt(), 2);
    QCOMPARE(other.scalar(QStringLiteral("SELECT count(*) FROM sqlite_schema WHERE name = 'half'")).toInt(), 0);
    // The journal's newest row says it failed and names the migration that did.
    CellTableModel *journal = panel->journalModel();
    QTRY_VERIFY(journal->rowCount() >= 2 && journal->rowAt(0).cells.at(5).text == QLatin1String("failed"));
    QCOMPARE(journal->rowAt(0).cells.at(2).text, QStringLiteral("0003_broken"));
}

void tst_Inspector::exportWritesExactlyTheExpectedCsvAndJson()
{
    auto db = test::migratedDatabase(m_path);
    db->exec(QStringLiteral("INSERT INTO runs (id, kind, created_at, updated_at) VALUES ('a', 'k', 't', 't'), ('b', 'k', 't', 't')"));
    db.reset();
    MainWindow window(config(), QString());
    window.show();
    auto *panel = window.findChild<TablesPanel *>();
    auto *exportButton = child<QPushButton>(panel, "exportButton");
    QTRY_VERIFY(exportButton->isEnabled());
    const QString csv = m_dir->filePath(QStringLiteral("counts.csv"));
    const QString json = m_dir->filePath(QStringLiteral("counts.json"));
    panel->setExportTarget([&](QString *format) { *format = QStringLiteral("csv"); return csv; });
    QTest::mouseClick(exportButton, Qt::LeftButton);
    panel->setExportTarget([&](QString *format) { *format = QStringLiteral("json"); return json; });
    QTest::mouseClick(exportButton, Qt::LeftButton);
    QFile c(csv), j(json);
    QVERIFY(c.open(QIODevice::ReadOnly) && j.open(QIODevice::ReadOnly));
    QCOMPARE(c.readAll(), QByteArray("table,rows,indexes,dbdeck_owned,owner\r\n"
                                     "dbdeck_metadata,1,1,true,dbdeck\r\n"
                                     "dbdeck_migration_journal,1,0,true,dbdeck\r\n"
                                     "dbdeck_migration_lock,0,0,true,dbdeck\r\n"
                                     "dbdeck_schema_migrations,2,0,true,dbdeck\r\n"
                                     "events,0,3,false,application\r\n"
                                     "runs,2,3,false,application\r\n"));
    QCOMPARE(j.readAll(), QByteArray("[{\"dbdeck_owned\":true,\"indexes\":1,\"owner\":\"dbdeck\",\"rows\":1,\"table\":\"dbdeck_metadata\"},"
                                     "{\"dbdeck_owned\":true,\"indexes\":0,\"owner\":\"dbdeck\",\"rows\":1,\"table\":\"dbdeck_migration_journal\"},"
                                     "{\"dbdeck_owned\":true,\"indexes\":0,\"owner\":\"dbdeck\",\"rows\":0,\"table\":\"dbdeck_migration_lock\"},"
                                     "{\"dbdeck_owned\":true,\"indexes\":0,\"owner\":\"dbdeck\",\"rows\":2,\"table\":\"dbdeck_schema_migrations\"},"
                                     "{\"dbdeck_owned\":false,\"indexes\":3,\"owner\":\"application\",\"rows\":0,\"table\":\"events\"},"
                                     "{\"dbdeck_owned\":false,\"indexes\":3,\"owner\":\"application\",\"rows\":2,\"table\":\"runs\"}]\n"));
    QVERIFY(panel->messageArea()->text().startsWith(QStringLiteral("Exported 6 table count(s) to ")));
}

void tst_Inspector::countsOfATableWhoseNameNeedsQuoting()
{
    Database db(configFor(sqliteUrl(m_path)));
    db.exec(QStringLiteral("CREATE TABLE \"odd \"\"name\"\"; DROP TABLE x\" (v INTEGER)"));
    db.exec(QStringLiteral("INSERT INTO \"odd \"\"name\"\"; DROP TABLE x\" (v) VALUES (1), (2), (3)"));
    db.closeConnection();
    MainWindow window(config(), QString());
    window.show();
    CellTableModel *counts = window.findChild<TablesPanel *>()->model();
    QTRY_COMPARE(counts->rowCount(), 1);
    QCOMPARE(counts->text(0, 0), QStringLiteral("odd \"name\"; DROP TABLE x"));
    QCOMPARE(counts->text(0, 1), QStringLiteral("3"));
}

void tst_Inspector::tablesAndHealthOfADatabaseWithoutTheApplicationsTables()
{
    Database db(configFor(sqliteUrl(m_path)));
    db.exec(QStringLiteral("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)"));
    db.exec(QStringLiteral("INSERT INTO alembic_version VALUES ('ae1027a6acf')"));
    db.exec(QStringLiteral("CREATE TABLE notes (id INTEGER PRIMARY KEY)"));
    db.closeConnection();
    MainWindow window(config(), QString());
    window.show();
    CellTableModel *counts = window.findChild<TablesPanel *>()->model();
    QTRY_COMPARE(counts->rowCount(), 2);
    QCOMPARE(columnTexts(counts, 0), (QStringList{QStringLiteral("alembic_version"), QStringLiteral("notes")}));
    QCOMPARE(columnTexts(counts, 3), (QStringList{QStringLiteral("Alembic"), QStringLiteral("application")}));
    // Indexes of tables that are not there are not MISSING: the database is not migrated.
    auto *indexes = child<QAbstractItemView>(window.findChild<HealthPanel *>(), "indexesTable");
    QTRY_COMPARE(indexes->model()->rowCount(), 4);
    for (const QString &found : columnTexts(indexes, 2))
        QCOMPARE(found, QStringLiteral("no table (not migrated yet?)"));
}

void tst_Inspector::resetIsDisabledWithoutTheVariable()
{
    test::migratedDatabase(m_path);
    MainWindow window(config(), QString());
    window.show();
    auto *reset = child<QToolButton>(window.findChild<HealthPanel *>(), "resetButton");
    QTRY_VERIFY(reset->toolTip().contains(QStringLiteral("DBDECK_ALLOW_RESET=1")));
    QVERIFY(!reset->isEnabled());
    QVERIFY(child<QLabel>(window.findChild<HealthPanel *>(), "resetReason")->text().contains(QStringLiteral("DBDECK_ALLOW_RESET=1")));
}

void tst_Inspector::resetWithTheRightNameBacksUpAndResets()
{
    qputenv("DBDECK_ALLOW_RESET", "1");
    auto db = test::migratedDatabase(m_path);
    db->exec(QStringLiteral("INSERT INTO runs (id, kind, created_at, updated_at) VALUES ('a', 'k', 't', 't')"));
    db.reset();
    MainWindow window(config(), QString());
    window.show();
    auto *reset = child<QToolButton>(window.findChild<HealthPanel *>(), "resetButton");
    QTRY_VERIFY(reset->isEnabled());
    QTest::mouseClick(reset, Qt::LeftButton);
    ResetDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = window.findChild<ResetDialog *>()) != nullptr);
    QPushButton *ok = child<QDialogButtonBox>(dialog, "buttonBox")->button(QDialogButtonBox::Ok);
    QLineEdit *name = child<QLineEdit>(dialog, "nameEdit");
    QTest::keyClicks(name, QStringLiteral("ap"));
    QVERIFY(!ok->isEnabled()); // a wrong name does nothing
    QTest::keyClicks(name, QStringLiteral("p"));
    QVERIFY(ok->isEnabled());
    QTest::mouseClick(ok, Qt::LeftButton);
    // Wait for what the user sees — the reset reported done — before looking with a second
    // connection: while the reset runs, its tables are dropped and created again.
    QTRY_VERIFY_WITH_TIMEOUT(resetMessage(window).startsWith(QStringLiteral("Reset done")), 30000);
    QCOMPARE(window.messageArea()->kind(), MessageArea::Kind::Positive);
    const QString backups = m_dir->filePath(QStringLiteral("data/backups"));
    QCOMPARE(QDir(backups).entryList({QStringLiteral("app-*.db")}).size(), 1);
    QVERIFY(resetMessage(window).contains(QDir(backups).entryList({QStringLiteral("app-*.db")}).first()));
    Database other(configFor(sqliteUrl(m_path)));
    // The journal keeps its history (issue 10 §5): the first upgrade, the reset and the re-applied
    // migrations; the data is gone.
    QCOMPARE(other.scalar(QStringLiteral("SELECT group_concat(operation) FROM (SELECT operation FROM dbdeck_migration_journal ORDER BY id)")).toString(),
             QStringLiteral("upgrade,reset,upgrade"));
    QCOMPARE(other.scalar(QStringLiteral("SELECT count(*) FROM dbdeck_schema_migrations")).toInt(), 2);
    QCOMPARE(other.scalar(QStringLiteral("SELECT count(*) FROM runs")).toInt(), 0);
    Database backup(configFor(sqliteUrl(backups + QLatin1Char('/') + QDir(backups).entryList({QStringLiteral("app-*.db")}).first())));
    QCOMPARE(backup.scalar(QStringLiteral("SELECT count(*) FROM runs")).toInt(), 1);
}

void tst_Inspector::resetRefusesProduction()
{
    qputenv("DBDECK_ALLOW_RESET", "1");
    auto db = test::migratedDatabase(m_path, {{"APP_ENV", "production"}});
    db.reset();
    MainWindow window(config(), QString());
    window.show();
    auto *reset = child<QToolButton>(window.findChild<HealthPanel *>(), "resetButton");
    QTRY_VERIFY(reset->toolTip().contains(QStringLiteral("tagged production")));
    QVERIFY(!reset->isEnabled());
    QTRY_COMPARE(window.badges()->text(QStringLiteral("statusEnv")), QStringLiteral("env: production"));
}

void tst_Inspector::resetFromTheMenuIsTheSameActionAndGuard()
{
    test::migratedDatabase(m_path);
    MainWindow window(config(), QString());
    window.show();
    QAction *menuReset = nullptr;
    for (QAction *action : window.findChildren<QAction *>()) {
        if (action->text().remove(QLatin1Char('&')) == QStringLiteral("Reset database…"))
            menuReset = action;
    }
    QVERIFY(menuReset);
    auto *button = child<QToolButton>(window.findChild<HealthPanel *>(), "resetButton");
    QCOMPARE(button->defaultAction(), menuReset); // one action: its guard disables both
    QTRY_VERIFY(menuReset->toolTip().contains(QStringLiteral("DBDECK_ALLOW_RESET=1")));
    QVERIFY(!menuReset->isEnabled());
    QVERIFY(!button->isEnabled());
}

void tst_Inspector::runsUpdateLiveAndKeepTheSelection()
{
    auto db = test::migratedDatabase(m_path);
    db->exec(QStringLiteral("INSERT INTO runs (id, kind, created_at, updated_at) VALUES "
                            "('older', 'k', '2026-01-01 00:00:00.000000', 't'), ('newer', 'k', '2026-01-02 00:00:00.000000', 't')"));
    db->exec(QStringLiteral("INSERT INTO events (id, run_id, seq, kind, message, payload_json, created_at) VALUES "
                            "('e1', 'older', 1, 'log', 'hello', '{\"b\":1,\"a\":[true]}', '2026-01-01 00:00:01.000000')"));
    MainWindow window(config(), QString());
    window.show();
    auto *panel = window.findChild<RunsPanel *>();
    window.showTab(QStringLiteral("runs"));
    auto *runs = child<DataTableView>(panel, "runsTable");
    QTRY_COMPARE(runs->model()->rowCount(), 2);
    QTRY_COMPARE(panel->selectedRunId(), QStringLiteral("newer")); // the newest run is chosen at first
    QTest::mouseClick(runs->viewport(), Qt::LeftButton, {}, runs->visualRect(runs->model()->index(1, RunsModel::Id)).center());
    QCOMPARE(panel->selectedRunId(), QStringLiteral("older"));
    auto *events = child<DataTableView>(panel, "eventsTable");
    QTRY_COMPARE(events->model()->rowCount(), 1);
    QTest::mouseClick(events->viewport(), Qt::LeftButton, {}, events->visualRect(events->model()->index(0, 4)).center());
    QCOMPARE(child<QPlainTextEdit>(panel, "payloadView")->toPlainText(), QStringLiteral("{\n  \"a\": [\n    true\n  ],\n  \"b\": 1\n}"));
    // Another process writes: the view follows within a couple of seconds, selection kept.
    db->exec(QStringLiteral("INSERT INTO runs (id, kind, created_at, updated_at) VALUES ('newest', 'k', '2026-01-03 00:00:00.000000', 't')"));
    QTRY_COMPARE_WITH_TIMEOUT(runs->model()->rowCount(), 3, 10000);
    QCOMPARE(runs->model()->index(0, RunsModel::Id).data().toString(), QStringLiteral("newest"));
    QCOMPARE(panel->selectedRunId(), QStringLiteral("older"));
    QCOMPARE(panel->selectedEventId(), QStringLiteral("e1"));
}

void tst_Inspector::showsAPostgresDatabase()
{
    if (test::PgTestDatabase::serverUrl().isEmpty())
        QSKIP("DBDECK_TEST_PG_URL is not set: the PostgreSQL run did not happen (scripts/test.sh starts a server)");
    test::PgTestDatabase pg(QStringLiteral("dbdeck_gui"));
    {
        Database db(configFor(pg.url()));
        Migrator(db, MigrationSet::load(m_folder)).upgrade({});
        db.exec(QStringLiteral("INSERT INTO runs (id, kind, status, created_at, updated_at) VALUES ('pg-run', 'ingest', 'failed', '2026-01-01 00:00:00.000000', 't')"));
        for (int seq = 1; seq <= 3; ++seq)
            db.exec(QStringLiteral("INSERT INTO events (id, run_id, seq, kind, created_at) VALUES (?, 'pg-run', ?, 'log', 't')"),
                    {QStringLiteral("pg-e%1").arg(seq), seq});
    }
    MainWindow window(configFor(pg.url(), {{"MIGRATIONS_DIR", m_folderUtf8.constData()}}), QString());
    window.show();
    QTRY_VERIFY(window.findChild<MigrationsPanel *>()->headerText().startsWith(QStringLiteral("Current 0002")));
    QTRY_VERIFY(columnTexts(window.findChild<TablesPanel *>()->model(), 0).contains(QStringLiteral("runs")));
    auto *panel = window.findChild<RunsPanel *>();
    QTRY_COMPARE(panel->runsModel()->rowCount(), 1);
    QCOMPARE(panel->runsModel()->rowAt(0).id, QStringLiteral("pg-run"));
    QTRY_COMPARE(columnTexts(panel->eventsModel(), 0), (QStringList{QStringLiteral("3"), QStringLiteral("2"), QStringLiteral("1")}));
    QTRY_COMPARE(window.badges()->text(QStringLiteral("statusDriver")), QStringLiteral("PostgreSQL"));
    // Live: another connection's commit shows without Reload, as on SQLite.
    Database(configFor(pg.url())).exec(QStringLiteral("INSERT INTO runs (id, kind, status, created_at, updated_at) VALUES ('pg-newer', 'ingest', 'running', '2026-01-02 00:00:00.000000', 't')"));
    QTRY_COMPARE_WITH_TIMEOUT(panel->runsModel()->rowCount(), 2, 10000);
    QCOMPARE(panel->runsModel()->rowAt(0).id, QStringLiteral("pg-newer"));
}

void tst_Inspector::openAnotherFileAndRememberIt()
{
    test::migratedDatabase(m_path);
    const QString other = m_dir->filePath(QStringLiteral("other.db"));
    {
        Database db(configFor(sqliteUrl(other)));
        db.exec(QStringLiteral("CREATE TABLE only_here (x INTEGER)"));
    }
    MainWindow window(config(), QString());
    window.show();
    CellTableModel *counts = window.findChild<TablesPanel *>()->model();
    QTRY_VERIFY(columnTexts(counts, 0).contains(QStringLiteral("runs")));
    window.openFile(other);
    counts = window.findChild<TablesPanel *>()->model();
    QTRY_COMPARE(columnTexts(counts, 0), QStringList{QStringLiteral("only_here")});
    QVERIFY(window.windowTitle().contains(QStringLiteral("other.db")));
    const QStringList recent = QSettings().value(QStringLiteral("recentDatabases")).toStringList();
    QCOMPARE(recent.value(0), other);
    QCOMPARE(recent.value(1), m_path);
    QStringList shortcuts;
    for (QAction *action : window.findChildren<QAction *>())
        shortcuts << action->shortcut().toString();
    QVERIFY(shortcuts.contains(QStringLiteral("F5")));
    QVERIFY(shortcuts.contains(QStringLiteral("Ctrl+E")));
    QVERIFY(shortcuts.contains(QStringLiteral("Ctrl+U"))); // Apply pending
}

QTEST_MAIN(tst_Inspector)
#include "tst_inspector.moc"

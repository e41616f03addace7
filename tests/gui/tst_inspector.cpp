#include "db/database.h"
#include "healthpanel.h"
#include "mainwindow.h"
#include "migrateddb.h"
#include "pgtestdatabase.h"
#include "migrationspanel.h"
#include "resetdialog.h"
#include "runspanel.h"
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
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace dbdeck;
using namespace dbdeck::gui;
using dbdeck::test::configFor;
using dbdeck::test::sqliteUrl;

using dbdeck::test::writeFile;

namespace {

template<typename T>
T *child(QObject *parent, const char *name)
{
    T *found = parent->findChild<T *>(QLatin1String(name));
    if (!found)
        qFatal("no child %s", name);
    return found;
}

QStringList column(QTableWidget *table, int col)
{
    QStringList values;
    for (int row = 0; row < table->rowCount(); ++row)
        values << (table->item(row, col) ? table->item(row, col)->text() : QString());
    return values;
}

} // namespace

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
    void resetIsDisabledWithoutTheVariable();
    void resetWithTheRightNameBacksUpAndResets();
    void resetRefusesProduction();
    void runsUpdateLiveAndKeepTheSelection();
    void showsAPostgresDatabase();
    void openAnotherFileAndRememberIt();

private:
    DbConfig config() { return configFor(sqliteUrl(m_path), {{"MIGRATIONS_DIR", m_folderUtf8.constData()}}); }

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
    auto *version = child<QLabel>(panel, "versionLabel");
    QTRY_VERIFY(apply->isEnabled());
    QVERIFY(version->text().contains(QStringLiteral("2 pending")));
    QVERIFY(version->text().contains(QStringLiteral("new database")));
    QVERIFY(!QFile::exists(m_path)); // looking at a new database does not create it
    QTest::mouseClick(apply, Qt::LeftButton);
    QTRY_COMPARE(child<QLabel>(panel, "statusLabel")->text(), QStringLiteral("Applied 2 migration(s)."));
    QTRY_VERIFY(version->text().startsWith(QStringLiteral("Current 0002")));
    QVERIFY(!apply->isEnabled());
    QCOMPARE(column(child<QTableWidget>(panel, "migrationsTable"), 2), (QStringList{QStringLiteral("applied"), QStringLiteral("applied")}));
    auto *counts = child<QTableWidget>(window.findChild<TablesPanel *>(), "countsTable");
    QTRY_VERIFY(column(counts, 0).contains(QStringLiteral("events")));
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
    QTest::mouseClick(apply, Qt::LeftButton);
    auto *status = child<QLabel>(panel, "statusLabel");
    QTRY_VERIFY(status->text().contains(QStringLiteral("failed at statement 2 of 2")));
    QVERIFY(status->text().contains(QStringLiteral("0003_broken.sql")));
    QVERIFY(status->text().contains(QStringLiteral("no such table: missing_table")));
    Database other(configFor(sqliteUrl(m_path)));
    QCOMPARE(other.scalar(QStringLiteral("SELECT max(version) FROM dbdeck_schema_migrations")).toInt(), 2);
    QCOMPARE(other.scalar(QStringLiteral("SELECT count(*) FROM sqlite_schema WHERE name = 'half'")).toInt(), 0);
    auto *journal = child<QTableWidget>(panel, "journalTable");
    QTRY_VERIFY(journal->rowCount() >= 2 && journal->item(0, 4)->text() == QLatin1String("failed"));
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
    QCOMPARE(c.readAll(), QByteArray("table,rows,indexes,dbdeck_owned\r\n"
                                     "dbdeck_metadata,1,1,true\r\n"
                                     "dbdeck_migration_journal,1,0,true\r\n"
                                     "dbdeck_migration_lock,0,0,true\r\n"
                                     "dbdeck_schema_migrations,2,0,true\r\n"
                                     "events,0,3,false\r\n"
                                     "runs,2,3,false\r\n"));
    QCOMPARE(j.readAll(), QByteArray("[{\"dbdeck_owned\":true,\"indexes\":1,\"rows\":1,\"table\":\"dbdeck_metadata\"},"
                                     "{\"dbdeck_owned\":true,\"indexes\":0,\"rows\":1,\"table\":\"dbdeck_migration_journal\"},"
                                     "{\"dbdeck_owned\":true,\"indexes\":0,\"rows\":0,\"table\":\"dbdeck_migration_lock\"},"
                                     "{\"dbdeck_owned\":true,\"indexes\":0,\"rows\":2,\"table\":\"dbdeck_schema_migrations\"},"
                                     "{\"dbdeck_owned\":false,\"indexes\":3,\"rows\":0,\"table\":\"events\"},"
                                     "{\"dbdeck_owned\":false,\"indexes\":3,\"rows\":2,\"table\":\"runs\"}]\n"));
    QVERIFY(child<QLabel>(panel, "statusLabel")->text().startsWith(QStringLiteral("Exported 6 table counts")));
}

void tst_Inspector::countsOfATableWhoseNameNeedsQuoting()
{
    Database db(configFor(sqliteUrl(m_path)));
    db.exec(QStringLiteral("CREATE TABLE \"odd \"\"name\"\"; DROP TABLE x\" (v INTEGER)"));
    db.exec(QStringLiteral("INSERT INTO \"odd \"\"name\"\"; DROP TABLE x\" (v) VALUES (1), (2), (3)"));
    db.closeConnection();
    MainWindow window(config(), QString());
    window.show();
    auto *counts = child<QTableWidget>(window.findChild<TablesPanel *>(), "countsTable");
    QTRY_COMPARE(counts->rowCount(), 1);
    QCOMPARE(counts->item(0, 0)->text(), QStringLiteral("odd \"name\"; DROP TABLE x"));
    QCOMPARE(counts->item(0, 1)->text(), QStringLiteral("3"));
}

void tst_Inspector::resetIsDisabledWithoutTheVariable()
{
    test::migratedDatabase(m_path);
    MainWindow window(config(), QString());
    window.show();
    auto *reset = child<QPushButton>(window.findChild<HealthPanel *>(), "resetButton");
    QTRY_VERIFY(reset->toolTip().contains(QStringLiteral("DBDECK_ALLOW_RESET=1")));
    QVERIFY(!reset->isEnabled());
}

void tst_Inspector::resetWithTheRightNameBacksUpAndResets()
{
    qputenv("DBDECK_ALLOW_RESET", "1");
    auto db = test::migratedDatabase(m_path);
    db->exec(QStringLiteral("INSERT INTO runs (id, kind, created_at, updated_at) VALUES ('a', 'k', 't', 't')"));
    db.reset();
    MainWindow window(config(), QString());
    window.show();
    auto *reset = child<QPushButton>(window.findChild<HealthPanel *>(), "resetButton");
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
    const QString backups = m_dir->filePath(QStringLiteral("data/backups"));
    QTRY_COMPARE(QDir(backups).entryList({QStringLiteral("app-*.db")}).size(), 1);
    Database other(configFor(sqliteUrl(m_path)));
    // The journal keeps its history (issue 10 §5): the first upgrade, the reset and the re-applied
    // migrations; the data is gone.
    QTRY_COMPARE(other.scalar(QStringLiteral("SELECT group_concat(operation) FROM (SELECT operation FROM dbdeck_migration_journal ORDER BY id)")).toString(),
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
    auto *reset = child<QPushButton>(window.findChild<HealthPanel *>(), "resetButton");
    QTRY_VERIFY(reset->toolTip().contains(QStringLiteral("tagged production")));
    QVERIFY(!reset->isEnabled());
    QTRY_COMPARE(child<QLabel>(&window, "statusEnv")->text(), QStringLiteral("env: production"));
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
    auto *runs = child<QTableWidget>(panel, "runsTable");
    QTRY_COMPARE(runs->rowCount(), 2);
    runs->selectRow(1); // "older"
    QCOMPARE(panel->selectedRunId(), QStringLiteral("older"));
    auto *events = child<QTableWidget>(panel, "eventsTable");
    QTRY_COMPARE(events->rowCount(), 1);
    events->selectRow(0);
    QCOMPARE(child<QPlainTextEdit>(panel, "payloadView")->toPlainText(), QStringLiteral("{\n  \"a\": [\n    true\n  ],\n  \"b\": 1\n}"));
    // Another process writes: the view follows within a couple of seconds, selection kept.
    db->exec(QStringLiteral("INSERT INTO runs (id, kind, created_at, updated_at) VALUES ('newest', 'k', '2026-01-03 00:00:00.000000', 't')"));
    QTRY_COMPARE_WITH_TIMEOUT(runs->rowCount(), 3, 4000);
    QCOMPARE(runs->item(0, 3)->text(), QStringLiteral("newest"));
    QCOMPARE(panel->selectedRunId(), QStringLiteral("older"));
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
    }
    MainWindow window(configFor(pg.url(), {{"MIGRATIONS_DIR", m_folderUtf8.constData()}}), QString());
    window.show();
    QTRY_VERIFY(child<QLabel>(window.findChild<MigrationsPanel *>(), "versionLabel")->text().startsWith(QStringLiteral("Current 0002")));
    auto *counts = child<QTableWidget>(window.findChild<TablesPanel *>(), "countsTable");
    QTRY_VERIFY(column(counts, 0).contains(QStringLiteral("runs")));
    auto *runs = child<QTableWidget>(window.findChild<RunsPanel *>(), "runsTable");
    QTRY_COMPARE(runs->rowCount(), 1);
    QCOMPARE(runs->item(0, 3)->text(), QStringLiteral("pg-run"));
    QTRY_COMPARE(child<QLabel>(&window, "statusDriver")->text(), QStringLiteral("PostgreSQL"));
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
    auto *counts = child<QTableWidget>(window.findChild<TablesPanel *>(), "countsTable");
    QTRY_VERIFY(column(counts, 0).contains(QStringLiteral("runs")));
    window.openFile(other);
    QTRY_COMPARE(column(counts, 0), QStringList{QStringLiteral("only_here")});
    QVERIFY(window.windowTitle().contains(QStringLiteral("other.db")));
    const QStringList recent = QSettings().value(QStringLiteral("recentDatabases")).toStringList();
    QCOMPARE(recent.value(0), other);
    QCOMPARE(recent.value(1), m_path);
    QStringList shortcuts;
    for (QAction *action : window.findChildren<QAction *>())
        shortcuts << action->shortcut().toString();
    QVERIFY(shortcuts.contains(QStringLiteral("F5")));
    QVERIFY(shortcuts.contains(QStringLiteral("Ctrl+E")));
}

QTEST_MAIN(tst_Inspector)
#include "tst_inspector.moc"

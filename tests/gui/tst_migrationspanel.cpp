#include "celltablemodel.h"
#include "datatableview.h"
#include "db/database.h"
#include "dialoganswer.h"
#include "guisupport.h"
#include "mainwindow.h"
#include "messagearea.h"
#include "migrationspanel.h"
#include "migrate/migrationerror.h"
#include "migrationsqlview.h"
#include "testsupport.h"

#include <QAction>
#include <QDir>
#include <QMessageBox>
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

namespace {

// Changes an applied migration's up section, as a developer editing it after the fact would.
void editUpSection(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    QByteArray text = file.readAll();
    file.close();
    text.replace("-- migrate:up\n", "-- migrate:up\nCREATE INDEX ix_extra ON runs (kind);\n");
    writeFile(path, text);
}

} // namespace

// The Migrations tab: its header, its one message area for the current state and the actions
// that go with it, the failing statement highlighted, files noticed as they are saved.
class tst_MigrationsPanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void failedPartialIsInTheHeaderAndTheMessage();
    void runningAFailedPartialMigrationAgainAsksFirst();
    void failingStatementIsHighlighted();
    void newAndEditedFilesAreNoticedWithoutReload();
    void whyApplyIsDisabledIsInTheMessageArea();
    void aSuccessNoteGivesWayToANewProblem();
    void applyHasAShortcut();

private:
    MigrationsPanel *openWindow();
    QAction *actionNamed(const QString &text) const;

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
    QString m_folder;
    QByteArray m_folderUtf8;
    std::unique_ptr<MainWindow> m_window;
};

void tst_MigrationsPanel::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void tst_MigrationsPanel::init()
{
    QSettings().clear();
    m_dir = std::make_unique<QTemporaryDir>();
    m_path = m_dir->filePath(QStringLiteral("app.db"));
    m_folder = m_dir->filePath(QStringLiteral("migrations"));
    m_folderUtf8 = m_folder.toUtf8();
    QDir().mkpath(m_folder);
    for (const QString &name : {QStringLiteral("0001_create_runs.sql"), QStringLiteral("0002_create_events.sql")})
        QVERIFY(QFile::copy(QStringLiteral(DBDECK_SOURCE_DIR "/migrations/") + name, m_folder + QLatin1Char('/') + name));
    Database db(configFor(sqliteUrl(m_path)));
    Migrator(db, MigrationSet::load(m_folder)).upgrade({});
}

void tst_MigrationsPanel::cleanup()
{
    m_window.reset();
}

MigrationsPanel *tst_MigrationsPanel::openWindow()
{
    m_window = std::make_unique<MainWindow>(configFor(sqliteUrl(m_path), {{"MIGRATIONS_DIR", m_folderUtf8.constData()}}), QString());
    m_window->show();
    auto *panel = m_window->findChild<MigrationsPanel *>();
    if (!QTest::qWaitFor([&] { return panel->headerText().startsWith(QStringLiteral("Current")); }, 30000))
        qFatal("the migrations did not load");
    return panel;
}

QAction *tst_MigrationsPanel::actionNamed(const QString &text) const
{
    return test::messageAction(m_window->findChild<MigrationsPanel *>()->messageArea(), text);
}

void tst_MigrationsPanel::failedPartialIsInTheHeaderAndTheMessage()
{
    writeFile(m_folder + QStringLiteral("/0003_backfill.sql"),
              "-- migrate:up transaction:false\nCREATE TABLE t1 (x INTEGER);\nINSERT INTO nope VALUES (1);\nCREATE TABLE t2 (x INTEGER);\n");
    {
        Database db(configFor(sqliteUrl(m_path)));
        QVERIFY_THROWS_EXCEPTION(MigrationError, Migrator(db, MigrationSet::load(m_folder)).upgrade({}));
    }
    MigrationsPanel *panel = openWindow();
    QTRY_VERIFY(panel->headerText().contains(QStringLiteral("0003")));
    // Not "0 pending" while a migration is left part-way below.
    QVERIFY2(!panel->headerText().contains(QStringLiteral("pending")), qPrintable(panel->headerText()));
    QVERIFY2(panel->headerText().contains(QRegularExpression(QStringLiteral("1 (failed-partial|interrupted)"))), qPrintable(panel->headerText()));
    MessageArea *messages = panel->messageArea();
    QCOMPARE(messages->kind(), MessageArea::Kind::Error);
    QVERIFY2(messages->text().contains(QStringLiteral("0003_backfill")), qPrintable(messages->text()));
    QVERIFY(messages->text().contains(QStringLiteral("1 of 3 statements ran and were not undone")));
    QVERIFY(actionNamed(QStringLiteral("Run it again…")));
    QVERIFY(actionNamed(QStringLiteral("Show the statement")));
    // The migration left part-way is the one shown, its next statement highlighted.
    auto *sql = child<MigrationSqlView>(panel, "sqlView");
    QTRY_COMPARE(sql->highlightedLines(), (QPair<int, int>(3, 3)));
    QVERIFY(sql->toPlainText().contains(QStringLiteral("INSERT INTO nope")));
}

void tst_MigrationsPanel::runningAFailedPartialMigrationAgainAsksFirst()
{
    writeFile(m_folder + QStringLiteral("/0003_backfill.sql"),
              "-- migrate:up transaction:false\nCREATE TABLE IF NOT EXISTS t1 (x INTEGER);\nINSERT INTO nope VALUES (1);\n");
    Database db(configFor(sqliteUrl(m_path)));
    QVERIFY_THROWS_EXCEPTION(MigrationError, Migrator(db, MigrationSet::load(m_folder)).upgrade({}));
    const int attempts = db.scalar(QStringLiteral("SELECT count(*) FROM dbdeck_migration_journal")).toInt();
    MigrationsPanel *panel = openWindow();
    QTRY_VERIFY(actionNamed(QStringLiteral("Run it again…")));
    QString asked;
    panel->setConfirmation([&](const QString &question) {
        asked = question;
        return false;
    });
    QTest::mouseClick(panel->messageArea()->buttonFor(actionNamed(QStringLiteral("Run it again…"))), Qt::LeftButton);
    QVERIFY(asked.contains(QStringLiteral("1 of 2 statements ran before")));
    QTest::qWait(300);
    QCOMPARE(db.scalar(QStringLiteral("SELECT count(*) FROM dbdeck_migration_journal")).toInt(), attempts); // declined: nothing ran
    db.exec(QStringLiteral("CREATE TABLE nope (x INTEGER)")); // the user fixed what it needs
    panel->setConfirmation([](const QString &) { return true; });
    QTest::mouseClick(panel->messageArea()->buttonFor(actionNamed(QStringLiteral("Run it again…"))), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(panel->headerText().contains(QStringLiteral("up to date")), 30000);
    QCOMPARE(db.scalar(QStringLiteral("SELECT state FROM dbdeck_schema_migrations WHERE version = 3")).toString(), QStringLiteral("applied"));
    QCOMPARE(db.scalar(QStringLiteral("SELECT count(*) FROM nope")).toInt(), 1);
    QCOMPARE(db.scalar(QStringLiteral("SELECT outcome FROM dbdeck_migration_journal ORDER BY id DESC LIMIT 1")).toString(), QStringLiteral("succeeded"));
}

void tst_MigrationsPanel::failingStatementIsHighlighted()
{
    writeFile(m_folder + QStringLiteral("/0003_broken.sql"),
              "-- migrate:up\nCREATE TABLE half (id INTEGER);\nINSERT INTO missing_table\n  VALUES (1);\nCREATE TABLE after (x INTEGER);\n");
    MigrationsPanel *panel = openWindow();
    auto *apply = child<QPushButton>(panel, "applyButton");
    QTRY_VERIFY(apply->isEnabled());
    // The preflight already saw it fail on a scratch database: Apply asks first.
    QString asked;
    dbdeck::test::answerNextDialog(QStringLiteral("Yes"), [&](QDialog *dialog) { asked = qobject_cast<QMessageBox *>(dialog)->text(); });
    QTest::mouseClick(apply, Qt::LeftButton);
    QVERIFY2(asked.contains(QStringLiteral("0003_broken fails on a database built from the migrations")), qPrintable(asked));
    QTRY_VERIFY(panel->messageArea()->text().contains(QStringLiteral("failed at statement 2 of 3")));
    auto *sql = child<MigrationSqlView>(panel, "sqlView");
    QTRY_COMPARE(sql->highlightedLines(), (QPair<int, int>(3, 4)));
    QVERIFY(actionNamed(QStringLiteral("Retry")));
    auto *table = child<DataTableView>(panel, "migrationsTable");
    QCOMPARE(table->selectionModel()->currentIndex().data(CellTableModel::KeyRole).toString(), QStringLiteral("0003"));
}

void tst_MigrationsPanel::newAndEditedFilesAreNoticedWithoutReload()
{
    MigrationsPanel *panel = openWindow();
    QTRY_VERIFY(panel->headerText().contains(QStringLiteral("up to date")));
    writeFile(m_folder + QStringLiteral("/0003_widgets.sql"), "-- migrate:up\nCREATE TABLE widgets (id INTEGER);\n");
    QTRY_VERIFY_WITH_TIMEOUT(panel->headerText().contains(QStringLiteral("1 pending")), 10000);
    QCOMPARE(columnTexts(panel->migrationsModel(), 1).last(), QStringLiteral("0003_widgets"));
    // Editing an applied migration shows it as modified, again without F5.
    editUpSection(m_folder + QStringLiteral("/0001_create_runs.sql"));
    QTRY_VERIFY_WITH_TIMEOUT(panel->headerText().contains(QStringLiteral("1 modified")), 10000);
}

void tst_MigrationsPanel::whyApplyIsDisabledIsInTheMessageArea()
{
    writeFile(m_folder + QStringLiteral("/0003_widgets.sql"), "-- migrate:up\nCREATE TABLE widgets (id INTEGER);\n");
    editUpSection(m_folder + QStringLiteral("/0001_create_runs.sql"));
    MigrationsPanel *panel = openWindow();
    QTRY_COMPARE(panel->messageArea()->kind(), MessageArea::Kind::Warning);
    QVERIFY(panel->messageArea()->text().startsWith(QStringLiteral("Apply pending is disabled because the check fails:")));
    QVERIFY(panel->messageArea()->text().contains(QStringLiteral("0001_create_runs")));
    QVERIFY(!child<QPushButton>(panel, "applyButton")->isEnabled());
    QVERIFY(panel->applyAction()->toolTip().startsWith(QStringLiteral("Disabled: check fails:")));
}

void tst_MigrationsPanel::aSuccessNoteGivesWayToANewProblem()
{
    writeFile(m_folder + QStringLiteral("/0003_widgets.sql"), "-- migrate:up\nCREATE TABLE widgets (id INTEGER);\n");
    MigrationsPanel *panel = openWindow();
    auto *apply = child<QPushButton>(panel, "applyButton");
    QTRY_VERIFY(apply->isEnabled());
    QTest::mouseClick(apply, Qt::LeftButton);
    QTRY_COMPARE(panel->messageArea()->text(), QStringLiteral("Applied 1 migration(s): 0003_widgets."));
    QFile applied(m_folder + QStringLiteral("/0003_widgets.sql"));
    QVERIFY(applied.open(QIODevice::Append));
    applied.write("CREATE INDEX ix_widgets ON widgets (id);\n");
    applied.close();
    QTRY_COMPARE_WITH_TIMEOUT(panel->messageArea()->kind(), MessageArea::Kind::Warning, 10000);
    QVERIFY(!panel->messageArea()->text().contains(QStringLiteral("Applied")));
}

void tst_MigrationsPanel::applyHasAShortcut()
{
    writeFile(m_folder + QStringLiteral("/0003_widgets.sql"), "-- migrate:up\nCREATE TABLE widgets (id INTEGER);\n");
    MigrationsPanel *panel = openWindow();
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    QTRY_VERIFY(panel->applyAction()->isEnabled());
    QCOMPARE(panel->applyAction()->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_U));
    QTest::keyClick(m_window.get(), Qt::Key_U, Qt::ControlModifier);
    QTRY_VERIFY_WITH_TIMEOUT(panel->headerText().contains(QStringLiteral("up to date")), 30000);
}

QTEST_MAIN(tst_MigrationsPanel)
#include "tst_migrationspanel.moc"

#include "aboutdialog.h"
#include "celltablemodel.h"
#include "connectionpanel.h"
#include "datatableview.h"
#include "db/database.h"
#include "eventsmodel.h"
#include "guisupport.h"
#include "mainwindow.h"
#include "messagearea.h"
#include "migrationspanel.h"
#include "readablecolour.h"
#include "runsmodel.h"
#include "runspanel.h"
#include "statusbadges.h"
#include "tablespanel.h"
#include "testsupport.h"

#include <QDir>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QProcess>
#include <QScreen>
#include <QSettings>
#include <QSplitter>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace dbdeck;
using namespace dbdeck::gui;
using dbdeck::test::child;
using dbdeck::test::columnTexts;
using dbdeck::test::configFor;
using dbdeck::test::sqliteUrl;
using dbdeck::test::writeFile;

// The window as a whole: settings and PRAGMAs, every transition between states (configuration
// errors, files that are not databases or go away, databases migrated by someone else), the
// desktop conventions, a dark theme and a scale factor of 2.
class tst_MainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void showsSettingsAndEffectivePragmas();
    void highlightsPragmaMismatch();
    void configErrorIsShownAndNoDatabaseTouched();
    void badConfigurationThenFixThenF5();
    void dotEnvWarningsAreShownInTheConnectionTab();
    void badConfigurationThenOpenRecentFile();
    void databaseDeletedWhileOpen();
    void fileThatIsNotADatabase();
    void databaseMigratedByAnotherProcessMeanwhile();
    void fileSizesFollowWrites();
    void helpAndVersionWithoutADisplay();
    void titleNamesTheApplicationOnce();
    void menusHaveUniqueMnemonics();
    void everySplitterKeepsItsOwnLayout();
    void aboutShowsVersionsAndWhereSettingsCameFrom();
    void darkPaletteKeepsStatesReadable();
    void windowOpensWithinTheScreen();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
};

void tst_MainWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void tst_MainWindow::init()
{
    QSettings().clear();
    m_dir = std::make_unique<QTemporaryDir>();
    m_path = m_dir->filePath(QStringLiteral("app.db"));
}

void tst_MainWindow::showsSettingsAndEffectivePragmas()
{
    Database(configFor(sqliteUrl(m_path))).connection(); // an existing (empty) database
    MainWindow window(configFor(sqliteUrl(m_path)), QString());
    window.show();
    CellTableModel *settings = window.findChild<ConnectionPanel *>()->settingsModel();
    CellTableModel *pragmas = window.findChild<ConnectionPanel *>()->pragmaModel();
    QCOMPARE(settings->text(0, 0), QStringLiteral("DB_URL"));
    QCOMPARE(settings->text(0, 1), sqliteUrl(m_path));
    QCOMPARE(settings->text(0, 2), QStringLiteral("flag --db-url"));
    QTRY_COMPARE(pragmas->rowCount(), 4);
    QStringList rows;
    for (int row = 0; row < pragmas->rowCount(); ++row)
        rows << pragmas->text(row, 1) + QLatin1Char('=') + pragmas->text(row, 3);
    QCOMPARE(rows, (QStringList{QStringLiteral("busy_timeout=5000"), QStringLiteral("journal_mode=WAL"),
                                QStringLiteral("synchronous=NORMAL"), QStringLiteral("foreign_keys=ON")}));
    QTRY_VERIFY(window.badges()->text(QStringLiteral("statusDriver")).startsWith(QStringLiteral("SQLite 3.")));
    QVERIFY(window.badges()->text(QStringLiteral("statusUrl")).startsWith(sqliteUrl(m_path)));
    QVERIFY(window.windowTitle().contains(sqliteUrl(m_path)));
    QVERIFY(window.errorText().isEmpty());
}

void tst_MainWindow::highlightsPragmaMismatch()
{
    MainWindow window(configFor(QStringLiteral("sqlite:///:memory:")), QString());
    window.show();
    auto *panel = window.findChild<ConnectionPanel *>();
    QTRY_COMPARE(panel->pragmaModel()->rowCount(), 4);
    QCOMPARE(panel->pragmaModel()->text(1, 3), QStringLiteral("MEMORY"));
    const QModelIndex cell = panel->pragmaModel()->index(1, 3);
    QVERIFY(cell.data(Qt::ToolTipRole).toString().startsWith(QStringLiteral("Mismatch")));
    QVERIFY(cell.data(Qt::BackgroundRole).isValid());
    QVERIFY(panel->messageArea()->text().contains(QStringLiteral("PRAGMA journal_mode is MEMORY, not the configured WAL")));
    QCOMPARE(panel->messageArea()->kind(), MessageArea::Kind::Warning);
}

void tst_MainWindow::configErrorIsShownAndNoDatabaseTouched()
{
    MainWindow window(std::nullopt, QStringLiteral("SQLITE_JOURNAL_MODE from environment has a bad value \"wall\""));
    window.show();
    QVERIFY(window.errorText().contains(QStringLiteral("SQLITE_JOURNAL_MODE from environment has a bad value \"wall\"")));
    QVERIFY(window.errorText().contains(QStringLiteral("no database was opened")));
    QCOMPARE(window.findChild<ConnectionPanel *>()->pragmaModel()->rowCount(), 0);
    QVERIFY(window.findChild<QTabWidget *>(QStringLiteral("tabs"))->isEnabled()); // the Connection tab stays usable
    QVERIFY(!window.session());
}

void tst_MainWindow::badConfigurationThenFixThenF5()
{
    Database(configFor(sqliteUrl(m_path))).connection();
    const QString env = m_dir->filePath(QStringLiteral(".env"));
    writeFile(env, QStringLiteral("DB_URL=%1\nSQLITE_JOURNAL_MODE=wall\n").arg(sqliteUrl(m_path)));
    ConfigInputs inputs;
    inputs.environment = QProcessEnvironment();
    inputs.envFile = env;
    MainWindow window(ConfigSource::fromInputs(inputs));
    window.show();
    QVERIFY(window.errorText().contains(QStringLiteral("SQLITE_JOURNAL_MODE from .env %1:2 has a bad value \"wall\"").arg(env)));
    // The Connection tab shows every setting's source, the bad one marked with its problem.
    CellTableModel *settings = window.findChild<ConnectionPanel *>()->settingsModel();
    const int row = settings->rowOfKey(QStringLiteral("SQLITE_JOURNAL_MODE"));
    QVERIFY(row >= 0);
    QCOMPARE(settings->text(row, 1), QStringLiteral("wall"));
    QCOMPARE(settings->text(row, 2), QStringLiteral(".env %1:2").arg(env));
    QVERIFY(settings->index(row, 1).data(Qt::BackgroundRole).isValid());
    QVERIFY(settings->index(row, 1).data(Qt::ToolTipRole).toString().contains(QStringLiteral("allowed are DELETE")));
    QCOMPARE(settings->text(settings->rowOfKey(QStringLiteral("DB_URL")), 2), QStringLiteral(".env %1:1").arg(env));
    // The user fixes .env and presses F5: the configuration is read again and the database opens.
    writeFile(env, QStringLiteral("DB_URL=%1\nSQLITE_JOURNAL_MODE=delete\n").arg(sqliteUrl(m_path)));
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    QTest::keyClick(&window, Qt::Key_F5);
    QVERIFY(window.session());
    QVERIFY(window.errorText().isEmpty());
    CellTableModel *pragmas = window.findChild<ConnectionPanel *>()->pragmaModel();
    QTRY_COMPARE(pragmas->rowCount(), 4);
    // Looking leaves the WAL file as it is; the configured DELETE waits for the first write.
    QCOMPARE(pragmas->text(1, 3), QStringLiteral("WAL"));
    QCOMPARE(pragmas->text(1, 4), QStringLiteral("switched to DELETE on the first write"));
    QCOMPARE(settings->text(settings->rowOfKey(QStringLiteral("SQLITE_JOURNAL_MODE")), 1), QStringLiteral("DELETE"));
}

void tst_MainWindow::dotEnvWarningsAreShownInTheConnectionTab()
{
    Database(configFor(sqliteUrl(m_path))).connection();
    const QString env = m_dir->filePath(QStringLiteral(".env"));
    // python-dotenv skips a statement it cannot parse, and so does dbdeck: the database opens,
    // and the Connection tab says which line was skipped, beside what the connection reports.
    writeFile(env, QStringLiteral("DB_URL=%1\nthis is not an assignment\nAPP_ENV=development\n").arg(sqliteUrl(m_path)));
    ConfigInputs inputs;
    inputs.environment = QProcessEnvironment();
    inputs.envFile = env;
    MainWindow window(ConfigSource::fromInputs(inputs));
    window.show();
    auto *panel = window.findChild<ConnectionPanel *>();
    QTRY_COMPARE(panel->pragmaModel()->rowCount(), 4); // opened: the connection's report came too
    QVERIFY(window.errorText().isEmpty());
    QCOMPARE(panel->messageArea()->kind(), MessageArea::Kind::Warning);
    QVERIFY2(panel->messageArea()->text().contains(QStringLiteral("%1:2: skipped a statement").arg(env)),
             qPrintable(panel->messageArea()->text()));
    QVERIFY(panel->messageArea()->text().contains(QStringLiteral("this is not an assignment")));
    // Fixed and reloaded (F5): the warning goes.
    writeFile(env, QStringLiteral("DB_URL=%1\nAPP_ENV=development\n").arg(sqliteUrl(m_path)));
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    QTest::keyClick(&window, Qt::Key_F5);
    QTRY_COMPARE(panel->pragmaModel()->rowCount(), 4);
    QTRY_VERIFY(panel->messageArea()->text().isEmpty());
}

void tst_MainWindow::badConfigurationThenOpenRecentFile()
{
    {
        auto db = test::migratedDatabase(m_path);
        db->exec(QStringLiteral("INSERT INTO runs (id, kind, created_at, updated_at) VALUES ('r1', 'k', '2026-01-01 00:00:00.000000', 't')"));
    }
    QSettings().setValue(QStringLiteral("recentDatabases"), QStringList{m_path});
    ConfigInputs inputs;
    inputs.environment = QProcessEnvironment();
    inputs.readDotEnv = false;
    inputs.flags.insert(QStringLiteral("SQLITE_JOURNAL_MODE"), QStringLiteral("wall"));
    inputs.flags.insert(QStringLiteral("MIGRATIONS_DIR"), QStringLiteral(DBDECK_SOURCE_DIR "/migrations"));
    MainWindow window(ConfigSource::fromInputs(inputs));
    window.show();
    QVERIFY(!window.errorText().isEmpty());
    // File > Open recent > the entry (it used to crash here).
    QMenu *recent = nullptr;
    for (QMenu *menu : window.findChildren<QMenu *>()) {
        if (menu->title().remove(QLatin1Char('&')) == QLatin1String("Open recent"))
            recent = menu;
    }
    QVERIFY(recent && recent->isEnabled());
    QCOMPARE(recent->actions().size(), 1);
    recent->actions().first()->trigger();
    QVERIFY(window.session());
    QVERIFY(window.messageArea()->text().contains(QStringLiteral("SQLITE_JOURNAL_MODE")));
    QCOMPARE(window.messageArea()->kind(), MessageArea::Kind::Warning);
    auto *runs = window.findChild<RunsPanel *>();
    QTRY_COMPARE(runs->runsModel()->rowCount(), 1);
    QTRY_VERIFY(window.findChild<MigrationsPanel *>()->headerText().startsWith(QStringLiteral("Current 0002")));
}

void tst_MainWindow::databaseDeletedWhileOpen()
{
    auto db = test::migratedDatabase(m_path);
    db->exec(QStringLiteral("INSERT INTO runs (id, kind, created_at, updated_at) VALUES ('r1', 'k', '2026-01-01 00:00:00.000000', 't')"));
    db.reset();
    MainWindow window(configFor(sqliteUrl(m_path), {{"MIGRATIONS_DIR", DBDECK_SOURCE_DIR "/migrations"}}), QString());
    window.show();
    QTRY_COMPARE(window.findChild<RunsPanel *>()->runsModel()->rowCount(), 1);
    for (const QString &suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")})
        QFile::remove(m_path + suffix);
    QTRY_VERIFY_WITH_TIMEOUT(window.messageArea()->text().contains(QStringLiteral("was deleted or moved while it was open")), 10000);
    QCOMPARE(window.messageArea()->kind(), MessageArea::Kind::Warning);
    // Reload shows what is at that path now: nothing, a new database, not created by looking.
    window.reload();
    QTRY_VERIFY(window.findChild<MigrationsPanel *>()->headerText().contains(QStringLiteral("new database")));
    QTRY_VERIFY(window.badges()->text(QStringLiteral("statusUrl")).endsWith(QStringLiteral("(new)")));
    QVERIFY(!QFile::exists(m_path));
}

void tst_MainWindow::fileThatIsNotADatabase()
{
    const QString text = m_dir->filePath(QStringLiteral("notes.db"));
    writeFile(text, QByteArray("these are my notes, not a database\n").repeated(200));
    MainWindow window(configFor(sqliteUrl(text)), QString());
    window.show();
    QTRY_VERIFY(window.errorText().contains(QStringLiteral("is not a SQLite database")));
    QVERIFY(window.errorText().contains(QStringLiteral("could not be opened")));
    // The window stays usable: another file opens.
    Database(configFor(sqliteUrl(m_path))).exec(QStringLiteral("CREATE TABLE fine (x INTEGER)"));
    window.openFile(m_path);
    QTRY_COMPARE(columnTexts(window.findChild<TablesPanel *>()->model(), 0), QStringList{QStringLiteral("fine")});
    QVERIFY(window.errorText().isEmpty());
    QCOMPARE(QFile(text).size(), qint64(35 * 200)); // and the notes are untouched
}

void tst_MainWindow::databaseMigratedByAnotherProcessMeanwhile()
{
    const QString folder = m_dir->filePath(QStringLiteral("migrations"));
    QDir().mkpath(folder);
    QFile::copy(QStringLiteral(DBDECK_SOURCE_DIR "/migrations/0001_create_runs.sql"), folder + QStringLiteral("/0001_create_runs.sql"));
    {
        Database db(configFor(sqliteUrl(m_path)));
        Migrator(db, MigrationSet::load(folder)).upgrade({});
    }
    QFile::copy(QStringLiteral(DBDECK_SOURCE_DIR "/migrations/0002_create_events.sql"), folder + QStringLiteral("/0002_create_events.sql"));
    const QByteArray folderUtf8 = folder.toUtf8();
    MainWindow window(configFor(sqliteUrl(m_path), {{"MIGRATIONS_DIR", folderUtf8.constData()}}), QString());
    window.show();
    auto *migrations = window.findChild<MigrationsPanel *>();
    QTRY_VERIFY(migrations->headerText().contains(QStringLiteral("1 pending")));
    auto *runs = window.findChild<RunsPanel *>();
    QTRY_VERIFY(child<DataTableView>(runs, "runsTable")->overlayText().contains(QStringLiteral("no runs and events tables yet")));
    // Another process migrates the database and writes a run: the window follows, no F5.
    Database other(configFor(sqliteUrl(m_path)));
    Migrator(other, MigrationSet::load(folder)).upgrade({});
    other.exec(QStringLiteral("INSERT INTO runs (id, kind, created_at, updated_at) VALUES ('r1', 'k', '2026-01-01 00:00:00.000000', 't')"));
    QTRY_VERIFY_WITH_TIMEOUT(migrations->headerText().startsWith(QStringLiteral("Current 0002")), 10000);
    QVERIFY(migrations->headerText().contains(QStringLiteral("up to date")));
    QTRY_COMPARE_WITH_TIMEOUT(runs->runsModel()->rowCount(), 1, 10000);
    QVERIFY(window.errorText().isEmpty());
}

void tst_MainWindow::fileSizesFollowWrites()
{
    auto db = test::migratedDatabase(m_path);
    MainWindow window(configFor(sqliteUrl(m_path)), QString());
    window.show();
    QTRY_VERIFY(window.badges()->text(QStringLiteral("statusSizes")).startsWith(QStringLiteral("file ")));
    const QString before = window.badges()->text(QStringLiteral("statusSizes"));
    test::insertBigRun(*db, QStringLiteral("grow"), 20000);
    QTRY_VERIFY_WITH_TIMEOUT(window.badges()->text(QStringLiteral("statusSizes")) != before, 10000);
}

void tst_MainWindow::helpAndVersionWithoutADisplay()
{
    for (const QString &option : {QStringLiteral("--help"), QStringLiteral("--version")}) {
        QProcess process;
        QProcessEnvironment environment;
        environment.insert(QStringLiteral("PATH"), qEnvironmentVariable("PATH"));
        environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("xcb")); // and no DISPLAY
        process.setProcessEnvironment(environment);
        process.start(QStringLiteral(DBDECK_GUI), {option});
        QVERIFY(process.waitForFinished(60000));
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(process.exitCode(), 0);
        const QString out = QString::fromUtf8(process.readAllStandardOutput());
        QVERIFY2(option == QLatin1String("--help") ? out.contains(QStringLiteral("--db-url")) : out == QStringLiteral("dbdeck 0.1.0\n"), qPrintable(out));
    }
}

void tst_MainWindow::titleNamesTheApplicationOnce()
{
    // Qt adds the application's display name to the title; the window must not add it again.
    MainWindow window(configFor(sqliteUrl(m_path)), QString());
    QVERIFY(!window.windowTitle().contains(QStringLiteral("dbdeck"), Qt::CaseInsensitive));
    MainWindow broken(std::nullopt, QStringLiteral("bad"));
    QVERIFY(!broken.windowTitle().contains(QStringLiteral("dbdeck"), Qt::CaseInsensitive));
}

void tst_MainWindow::menusHaveUniqueMnemonics()
{
    MainWindow window(configFor(sqliteUrl(m_path)), QString());
    const auto mnemonic = [](const QString &text) {
        const qsizetype at = text.indexOf(QRegularExpression(QStringLiteral("&[^&]")));
        return at < 0 ? QChar() : text.at(at + 1).toLower();
    };
    QList<QChar> bar;
    for (QAction *menuAction : window.menuBar()->actions()) {
        const QChar key = mnemonic(menuAction->text());
        QVERIFY2(!key.isNull() && !bar.contains(key), qPrintable(menuAction->text()));
        bar << key;
        QList<QChar> items;
        for (QAction *item : menuAction->menu()->actions()) {
            if (item->isSeparator() || menuAction->menu()->title().contains(QStringLiteral("recent")))
                continue;
            const QChar itemKey = mnemonic(item->text());
            QVERIFY2(!itemKey.isNull() && !items.contains(itemKey), qPrintable(menuAction->text() + QStringLiteral(" > ") + item->text()));
            items << itemKey;
        }
    }
    QStringList tabs;
    QList<QChar> tabKeys;
    auto *tabWidget = window.findChild<QTabWidget *>(QStringLiteral("tabs"));
    for (int i = 0; i < tabWidget->count(); ++i) {
        const QChar key = mnemonic(tabWidget->tabText(i));
        QVERIFY2(!key.isNull() && !tabKeys.contains(key), qPrintable(tabWidget->tabText(i)));
        tabKeys << key;
    }
}

void tst_MainWindow::everySplitterKeepsItsOwnLayout()
{
    QStringList keys;
    {
        MainWindow window(configFor(sqliteUrl(m_path)), QString());
        window.show();
        window.showTab(QStringLiteral("runs"));
        auto *runs = child<QSplitter>(window.findChild<RunsPanel *>(), "runsSplitter");
        runs->setSizes({111, 333});
        window.close(); // saves the layout
        for (const QString &key : QSettings().allKeys()) {
            if (key.startsWith(QStringLiteral("splitters/")))
                keys << key;
        }
        QCOMPARE(keys.size(), window.findChildren<QSplitter *>().size());
    }
    keys.removeDuplicates();
    QVERIFY(keys.contains(QStringLiteral("splitters/RunsPanel/runsSplitter")));
    MainWindow again(configFor(sqliteUrl(m_path)), QString());
    again.show();
    again.showTab(QStringLiteral("runs"));
    QTest::qWait(50);
    const QList<int> sizes = child<QSplitter>(again.findChild<RunsPanel *>(), "runsSplitter")->sizes();
    const double ratio = double(sizes.value(1)) / std::max(1, sizes.value(0));
    QVERIFY2(ratio > 2.5 && ratio < 3.5, qPrintable(QStringLiteral("%1 %2").arg(sizes.value(0)).arg(sizes.value(1))));
}

void tst_MainWindow::aboutShowsVersionsAndWhereSettingsCameFrom()
{
    const QString versions = AboutDialog::versionsText();
    QVERIFY(versions.contains(QStringLiteral("dbdeck 0.1.0")));
    QVERIFY(versions.contains(QStringLiteral("Qt %1").arg(QLatin1String(qVersion()))));
    QVERIFY(versions.contains(QStringLiteral("SQLite 3.")));
    AboutDialog about(configFor(sqliteUrl(m_path)).values());
    QVERIFY(about.settingsText().contains(QStringLiteral("DB_URL=%1 (flag --db-url)").arg(sqliteUrl(m_path))));
    QVERIFY(about.settingsText().contains(QStringLiteral("SQLITE_JOURNAL_MODE=WAL (default)")));
    MainWindow window(configFor(sqliteUrl(m_path)), QString());
    auto *docs = window.findChild<QAction *>(QStringLiteral("documentationAction"));
    QVERIFY(docs && QFileInfo::exists(docs->data().toString()));
    QCOMPARE(docs->shortcut(), QKeySequence(QKeySequence::HelpContents));
}

void tst_MainWindow::darkPaletteKeepsStatesReadable()
{
    const QPalette original = QApplication::palette();
    QApplication::setPalette(test::darkPalette());
    const auto restore = qScopeGuard([&] { QApplication::setPalette(original); });
    auto db = test::migratedDatabase(m_path);
    db->exec(QStringLiteral("INSERT INTO runs (id, kind, status, created_at, updated_at) VALUES ('r1', 'k', 'failed', '2026-01-01 00:00:00.000000', 't')"));
    int seq = 0;
    for (const QString &level : Event::levels())
        test::appendEvents(*db, QStringLiteral("r1"), ++seq, 1, level);
    MainWindow window(configFor(sqliteUrl(m_path)), QString());
    window.show();
    EventsModel *events = window.findChild<RunsPanel *>()->eventsModel();
    QTRY_COMPARE(events->rowCount(), 4);
    const QColor base = test::darkPalette().color(QPalette::Base);
    for (int row = 0; row < events->rowCount(); ++row) {
        const QColor colour = events->index(row, EventsModel::Level).data(Qt::ForegroundRole).value<QColor>();
        const QString level = events->index(row, EventsModel::Level).data().toString();
        const double needed = level == QLatin1String("debug") ? 3.0 : ReadableColour::minimumContrast; // debug is meant to be quiet
        QVERIFY2(ReadableColour::contrast(colour, base) >= needed,
                 qPrintable(QStringLiteral("%1 %2 on %3: %4").arg(level, colour.name(), base.name()).arg(ReadableColour::contrast(colour, base))));
    }
    // The window's message area: its text reads against its own background.
    window.messageArea()->showMessage(MessageArea::Kind::Information, QStringLiteral("hello"));
    auto *text = child<QLabel>(window.messageArea(), "messageText");
    const QColor background = window.messageArea()->grab().toImage().pixelColor(3, 3);
    QVERIFY2(ReadableColour::contrast(text->palette().color(QPalette::WindowText), background) >= ReadableColour::minimumContrast,
             qPrintable(background.name()));
}

void tst_MainWindow::windowOpensWithinTheScreen()
{
    // Run a second time by ctest with QT_SCALE_FACTOR=2 (gui/tst_mainwindow@scale2).
    QSettings().setValue(QStringLiteral("window/geometry"), QByteArray()); // no saved geometry
    MainWindow window(configFor(sqliteUrl(m_path)), QString());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    const QRect screen = window.screen()->availableGeometry();
    QVERIFY2(screen.contains(window.frameGeometry()),
             qPrintable(QStringLiteral("window %1,%2 %3x%4 on screen %5x%6 (scale %7)")
                            .arg(window.frameGeometry().x()).arg(window.frameGeometry().y()).arg(window.frameGeometry().width())
                            .arg(window.frameGeometry().height()).arg(screen.width()).arg(screen.height()).arg(window.devicePixelRatio())));
}

QTEST_MAIN(tst_MainWindow)
#include "tst_mainwindow.moc"

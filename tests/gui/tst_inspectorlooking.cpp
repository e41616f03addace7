// The inspector only looks until the user asks for a write: browsing every tab leaves the file
// byte-identical, the status bar says so, and on a database that cannot be written the write
// actions are disabled with the reason.
#include "connectionpanel.h"
#include "celltablemodel.h"
#include "db/database.h"
#include "filesnapshot.h"
#include "guisupport.h"
#include "mainwindow.h"
#include "migrate/migrator.h"
#include "migrationspanel.h"
#include "pgtestdatabase.h"
#include "statusbadges.h"
#include "store/store.h"
#include "testsupport.h"

#include <QAction>
#include <QDir>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace dbdeck;
using namespace dbdeck::gui;
using dbdeck::test::child;
using dbdeck::test::configFor;
using dbdeck::test::FileSnapshot;
using dbdeck::test::journalHeaderBytes;
using dbdeck::test::sqliteUrl;
using dbdeck::test::writeFile;

namespace {

// Shows each tab in turn, long enough for its first read; false if the window has no tabs.
bool visitEveryTab(MainWindow &window)
{
    auto *tabs = window.findChild<QTabWidget *>(QStringLiteral("tabs"));
    if (!tabs)
        return false;
    for (int i = 0; i < tabs->count(); ++i) {
        tabs->setCurrentIndex(i);
        QTest::qWait(300);
    }
    return true;
}

} // namespace

class tst_InspectorLooking : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void browsingEveryTabLeavesTheFileByteIdentical();
    void applyPendingOpensTheDatabaseForWriting();
    void aReadOnlyUrlDisablesWritesWithTheReason();
    void onPostgresItLooksReadOnlyUntilApplyPending();

private:
    DbConfig lookingConfig(const QString &url) const;

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
    QString m_folder;
    QByteArray m_folderUtf8;
};

void tst_InspectorLooking::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    qputenv("DBDECK_ALLOW_RESET", "1");
}

void tst_InspectorLooking::init()
{
    QSettings().clear();
    m_dir = std::make_unique<QTemporaryDir>();
    m_path = m_dir->filePath(QStringLiteral("app.db"));
    m_folder = m_dir->filePath(QStringLiteral("migrations"));
    m_folderUtf8 = m_folder.toUtf8();
    QDir().mkpath(m_folder);
    for (const QString &name : {QStringLiteral("0001_create_runs.sql"), QStringLiteral("0002_create_events.sql")})
        QVERIFY(QFile::copy(QStringLiteral(DBDECK_SOURCE_DIR "/migrations/") + name, m_folder + QLatin1Char('/') + name));
    // Written in a rollback journal mode; the inspector is configured for WAL.
    Database db(configFor(sqliteUrl(m_path), {{"SQLITE_JOURNAL_MODE", "DELETE"}, {"MIGRATIONS_DIR", m_folderUtf8.constData()}}));
    Migrator(db, MigrationSet::load(m_folder)).upgrade({});
    Store store(db);
    NewRun newRun;
    newRun.kind = QStringLiteral("import");
    const Run run = store.startRun(newRun);
    NewEvent event;
    event.kind = QStringLiteral("step");
    event.message = QStringLiteral("first");
    store.appendEvents(run.id, {event, event});
}

DbConfig tst_InspectorLooking::lookingConfig(const QString &url) const
{
    return configFor(url, {{"MIGRATIONS_DIR", m_folderUtf8.constData()}});
}

void tst_InspectorLooking::browsingEveryTabLeavesTheFileByteIdentical()
{
    QCOMPARE(journalHeaderBytes(m_path), QByteArray("0101"));
    const FileSnapshot before = FileSnapshot::of(m_path);
    {
        MainWindow window(lookingConfig(sqliteUrl(m_path)), QString());
        window.show();
        QTRY_COMPARE(window.badges()->text(QStringLiteral("statusAccess")), QStringLiteral("looking · read-only"));
        QVERIFY(visitEveryTab(window));
        auto *panel = window.findChild<ConnectionPanel *>();
        QTRY_VERIFY(panel->pragmaModel()->rowCount() >= 4);
        bool noted = false;
        for (int row = 0; row < panel->pragmaModel()->rowCount(); ++row) {
            if (panel->pragmaModel()->text(row, 1) == QLatin1String("journal_mode")) {
                QCOMPARE(panel->pragmaModel()->text(row, 3), QStringLiteral("DELETE"));
                QCOMPARE(panel->pragmaModel()->text(row, 4), QStringLiteral("switched to WAL on the first write"));
                noted = true;
            }
        }
        QVERIFY(noted);
        for (QAction *action : window.findChildren<QAction *>()) {
            if (action->shortcut() == QKeySequence(Qt::Key_F5))
                action->trigger();
        }
        QTest::qWait(1500);
        QCOMPARE(window.badges()->text(QStringLiteral("statusAccess")), QStringLiteral("looking · read-only"));
    }
    const FileSnapshot after = FileSnapshot::of(m_path);
    QVERIFY2(after == before, qPrintable(before.describe() + QStringLiteral(" -> ") + after.describe()));
    QCOMPARE(journalHeaderBytes(m_path), QByteArray("0101"));
}

void tst_InspectorLooking::applyPendingOpensTheDatabaseForWriting()
{
    writeFile(m_folder + QStringLiteral("/0003_widgets.sql"), "-- migrate:up\nCREATE TABLE widgets (id INTEGER PRIMARY KEY);\n");
    MainWindow window(lookingConfig(sqliteUrl(m_path)), QString());
    window.show();
    auto *panel = window.findChild<MigrationsPanel *>();
    auto *apply = child<QPushButton>(panel, "applyButton");
    QTRY_VERIFY(apply->isEnabled());
    QCOMPARE(window.badges()->text(QStringLiteral("statusAccess")), QStringLiteral("looking · read-only"));
    QCOMPARE(journalHeaderBytes(m_path), QByteArray("0101"));
    QTest::mouseClick(apply, Qt::LeftButton);
    QTRY_VERIFY(panel->headerText().contains(QStringLiteral("up to date")));
    QCOMPARE(window.badges()->text(QStringLiteral("statusAccess")), QStringLiteral("read-write"));
    QCOMPARE(journalHeaderBytes(m_path), QByteArray("0202")); // the configured WAL, now that it wrote
    Database other(configFor(sqliteUrl(m_path)), Database::Access::LookFirst);
    QVERIFY(other.hasTable(QStringLiteral("widgets")));
}

void tst_InspectorLooking::aReadOnlyUrlDisablesWritesWithTheReason()
{
    writeFile(m_folder + QStringLiteral("/0003_widgets.sql"), "-- migrate:up\nCREATE TABLE widgets (id INTEGER PRIMARY KEY);\n");
    const FileSnapshot before = FileSnapshot::of(m_path);
    MainWindow window(lookingConfig(QStringLiteral("sqlite:///file:%1?mode=ro&uri=true").arg(m_path)), QString());
    window.show();
    const QString reason = QStringLiteral("the URL opens %1 read-only (mode=ro or immutable=1)").arg(m_path);
    QTRY_COMPARE(window.badges()->text(QStringLiteral("statusAccess")), QStringLiteral("read-only"));
    QCOMPARE(window.badges()->badge(QStringLiteral("statusAccess"))->toolTip(), QStringLiteral("Write actions are disabled: ") + reason);
    auto *panel = window.findChild<MigrationsPanel *>();
    QTRY_VERIFY(panel->headerText().contains(QStringLiteral("1 pending")));
    QTRY_VERIFY(panel->applyAction()->toolTip().contains(reason));
    QVERIFY(!child<QPushButton>(panel, "applyButton")->isEnabled());
    QAction *reset = nullptr;
    for (QAction *action : window.findChildren<QAction *>()) {
        if (action->text() == QStringLiteral("Re&set database…"))
            reset = action;
    }
    QVERIFY(reset);
    QTRY_VERIFY2(reset->toolTip().contains(reason), qPrintable(reset->toolTip()));
    QVERIFY(!reset->isEnabled());
    QVERIFY(FileSnapshot::of(m_path) == before);
}

void tst_InspectorLooking::onPostgresItLooksReadOnlyUntilApplyPending()
{
    if (test::PgTestDatabase::serverUrl().isEmpty())
        QSKIP("DBDECK_TEST_PG_URL is not set: the PostgreSQL run did not happen (scripts/test.sh starts a server)");
    test::PgTestDatabase pg(QStringLiteral("dbdeck_gui_looking"));
    {
        Database db(configFor(pg.url()));
        Migrator(db, MigrationSet::load(m_folder)).upgrade({});
    }
    writeFile(m_folder + QStringLiteral("/0003_widgets.sql"), "-- migrate:up\nCREATE TABLE widgets (id INTEGER PRIMARY KEY);\n");
    MainWindow window(lookingConfig(pg.url()), QString());
    window.show();
    QTRY_COMPARE(window.badges()->text(QStringLiteral("statusAccess")), QStringLiteral("looking · read-only"));
    QVERIFY(visitEveryTab(window));
    for (const MessageArea *area : window.findChildren<MessageArea *>())
        QVERIFY2(!area->text().contains(QStringLiteral("read-only")), qPrintable(area->text()));
    auto *panel = window.findChild<MigrationsPanel *>();
    auto *apply = child<QPushButton>(panel, "applyButton");
    QTRY_VERIFY(apply->isEnabled());
    QTest::mouseClick(apply, Qt::LeftButton);
    QTRY_VERIFY(panel->headerText().contains(QStringLiteral("up to date")));
    QCOMPARE(window.badges()->text(QStringLiteral("statusAccess")), QStringLiteral("read-write"));
    Database other(configFor(pg.url()));
    QVERIFY(other.hasTable(QStringLiteral("widgets")));
}

QTEST_MAIN(tst_InspectorLooking)
#include "tst_inspectorlooking.moc"

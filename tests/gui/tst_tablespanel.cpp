#include "celltablemodel.h"
#include "datatableview.h"
#include "db/database.h"
#include "guisupport.h"
#include "mainwindow.h"
#include "messagearea.h"
#include "tablespanel.h"
#include "testsupport.h"

#include <QDir>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace dbdeck;
using namespace dbdeck::gui;
using dbdeck::test::child;
using dbdeck::test::columnTexts;
using dbdeck::test::configFor;
using dbdeck::test::sqliteUrl;

// The Tables tab: the application's tables first, sortable, counts that say when they were
// taken and follow other processes' writes, and Export with the usual file conventions.
class tst_TablesPanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void applicationTablesComeFirstAndHeadersSort();
    void countsFollowWritesOfAnotherProcess();
    void slowCountsSayTheDatabaseChangedSince();
    void exportAddsTheSuffixAndRemembersTheFolder();

private:
    TablesPanel *openWindow();

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<MainWindow> m_window;
};

void tst_TablesPanel::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void tst_TablesPanel::init()
{
    QSettings().clear();
    m_dir = std::make_unique<QTemporaryDir>();
    m_path = m_dir->filePath(QStringLiteral("app.db"));
    m_db = test::migratedDatabase(m_path);
    test::insertBigRun(*m_db, QStringLiteral("r1"), 500);
}

void tst_TablesPanel::cleanup()
{
    m_window.reset();
    m_db.reset();
}

TablesPanel *tst_TablesPanel::openWindow()
{
    m_window = std::make_unique<MainWindow>(configFor(sqliteUrl(m_path)), QString());
    m_window->show();
    m_window->showTab(QStringLiteral("tables"));
    auto *panel = m_window->findChild<TablesPanel *>();
    if (!QTest::qWaitFor([&] { return panel->model()->rowCount() == 6; }, 30000))
        qFatal("no counts");
    return panel;
}

void tst_TablesPanel::applicationTablesComeFirstAndHeadersSort()
{
    TablesPanel *panel = openWindow();
    auto *view = child<DataTableView>(panel, "countsTable");
    QCOMPARE(columnTexts(view, 0), (QStringList{QStringLiteral("events"), QStringLiteral("runs"), QStringLiteral("dbdeck_metadata"),
                                                QStringLiteral("dbdeck_migration_journal"), QStringLiteral("dbdeck_migration_lock"),
                                                QStringLiteral("dbdeck_schema_migrations")}));
    QHeaderView *header = view->horizontalHeader();
    const auto clickHeader = [&](int section) {
        QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, QPoint(header->sectionViewportPosition(section) + 8, header->height() / 2));
    };
    clickHeader(1); // Rows
    const QStringList ascending = columnTexts(view, 1);
    clickHeader(1);
    const QStringList descending = columnTexts(view, 1);
    QCOMPARE(descending.first(), QStringLiteral("500"));
    QCOMPARE(ascending.last(), QStringLiteral("500"));
    QCOMPARE(columnTexts(view, 0).first(), QStringLiteral("events"));
}

void tst_TablesPanel::countsFollowWritesOfAnotherProcess()
{
    TablesPanel *panel = openWindow();
    QVERIFY(panel->statusText().contains(QStringLiteral("counted at")));
    CellTableModel *model = panel->model();
    QCOMPARE(model->text(model->rowOfKey(QStringLiteral("runs")), 1), QStringLiteral("1"));
    m_db->exec(QStringLiteral("INSERT INTO runs (id, kind, created_at, updated_at) VALUES ('r2', 'k', 't', 't')"));
    // The Tables tab no longer says 1 while the Runs tab lists 2: it counts again after a pause.
    QTRY_COMPARE_WITH_TIMEOUT(model->text(model->rowOfKey(QStringLiteral("runs")), 1), QStringLiteral("2"), 15000);
}

void tst_TablesPanel::slowCountsSayTheDatabaseChangedSince()
{
    TablesPanel *panel = openWindow();
    panel->setRecountBelowMs(0); // as if counting took long: do not count again on every change
    m_db->exec(QStringLiteral("INSERT INTO runs (id, kind, created_at, updated_at) VALUES ('r2', 'k', 't', 't')"));
    QTRY_VERIFY_WITH_TIMEOUT(panel->statusText().contains(QStringLiteral("the database changed since")), 10000);
    CellTableModel *model = panel->model();
    QCOMPARE(model->text(model->rowOfKey(QStringLiteral("runs")), 1), QStringLiteral("1"));
    QTest::mouseClick(child<QPushButton>(panel, "refreshButton"), Qt::LeftButton);
    QTRY_COMPARE(model->text(model->rowOfKey(QStringLiteral("runs")), 1), QStringLiteral("2"));
    QVERIFY(!panel->statusText().contains(QStringLiteral("changed since")));
}

void tst_TablesPanel::exportAddsTheSuffixAndRemembersTheFolder()
{
    TablesPanel *panel = openWindow();
    QCOMPARE(TablesPanel::defaultExportPath(QStringLiteral("csv")),
             QDir(QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation)).filePath(QStringLiteral("table-counts.csv")));
    const QString folder = m_dir->filePath(QStringLiteral("exports"));
    QDir().mkpath(folder);
    panel->setExportTarget([&](QString *format) {
        *format = QStringLiteral("json");
        return folder + QStringLiteral("/counts"); // typed without a suffix
    });
    QTest::mouseClick(child<QPushButton>(panel, "exportButton"), Qt::LeftButton);
    QFile json(folder + QStringLiteral("/counts.json"));
    QVERIFY(json.open(QIODevice::ReadOnly));
    const QByteArray bytes = json.readAll();
    QVERIFY(bytes.startsWith("[{\"dbdeck_owned\":"));
    QVERIFY(bytes.endsWith("]\n"));
    QVERIFY(!QFile::exists(folder + QStringLiteral("/counts")));
    QCOMPARE(TablesPanel::defaultExportPath(QStringLiteral("csv")), QDir(folder).filePath(QStringLiteral("table-counts.csv")));
    QCOMPARE(panel->messageArea()->kind(), MessageArea::Kind::Positive);
}

QTEST_MAIN(tst_TablesPanel)
#include "tst_tablespanel.moc"

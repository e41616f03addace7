#include "datatableview.h"
#include "dbsession.h"
#include "db/database.h"
#include "eventsmodel.h"
#include "guisupport.h"
#include "healthpanel.h"
#include "mainwindow.h"
#include "messagearea.h"
#include "runsmodel.h"
#include "runspanel.h"
#include "testsupport.h"

#include <QComboBox>
#include <QHeaderView>
#include <QLabel>
#include <QMutex>
#include <QPushButton>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace dbdeck;
using namespace dbdeck::gui;
using dbdeck::test::child;
using dbdeck::test::configFor;
using dbdeck::test::sqliteUrl;

namespace {

QMutex g_sqlMutex;
QStringList g_sql; // statements logged under dbdeck.sql while a test listens

void captureSql(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (context.category && QLatin1String(context.category) == QLatin1String("dbdeck.sql")) {
        QMutexLocker lock(&g_sqlMutex);
        g_sql << message;
        return;
    }
    if (type == QtFatalMsg)
        abort();
}

} // namespace

// The Runs tab on a run of 100,000 events: the newest first, in pages, the total shown, filters
// in SQL, live appends inserted without losing the selection, and quick reads that neither wait
// behind long jobs nor for requests the user has already moved on from.
class tst_RunsPanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void showsTheNewestEventsFirstAndTheTotal();
    void scrollingFetchesTheNextPage();
    void levelFilterIsAppliedInSql();
    void liveAppendInsertsRowsAndKeepsTheSelection();
    void clickingSeqShowsTheOldestFirst();
    void quickReadsAreNotStuckBehindALongJob();
    void obsoleteRequestsAreDropped();

private:
    void openWindow(std::initializer_list<std::pair<const char *, const char *>> settings = {});
    void clickRun(const QString &runId);
    QThread *thread(const QString &name) const;

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<MainWindow> m_window;
    RunsPanel *m_panel = nullptr;
};

void tst_RunsPanel::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates)); // "100,000"
}

void tst_RunsPanel::init()
{
    QSettings().clear();
    m_dir = std::make_unique<QTemporaryDir>();
    m_path = m_dir->filePath(QStringLiteral("app.db"));
    m_db = test::migratedDatabase(m_path);
    test::insertBigRun(*m_db, QStringLiteral("big"), 100000, QStringLiteral("2026-01-02 00:00:00.000000"));
    test::insertBigRun(*m_db, QStringLiteral("small"), 30, QStringLiteral("2026-01-01 00:00:00.000000"));
    test::insertBigRun(*m_db, QStringLiteral("tiny"), 3, QStringLiteral("2025-12-31 00:00:00.000000"));
}

void tst_RunsPanel::cleanup()
{
    m_window.reset();
    m_db.reset();
    qInstallMessageHandler(nullptr);
}

void tst_RunsPanel::openWindow(std::initializer_list<std::pair<const char *, const char *>> settings)
{
    m_window = std::make_unique<MainWindow>(configFor(sqliteUrl(m_path), settings), QString());
    m_window->resize(1100, 760);
    m_window->show();
    m_window->showTab(QStringLiteral("runs"));
    m_panel = m_window->findChild<RunsPanel *>();
    QTRY_COMPARE(m_panel->runsModel()->rowCount(), 3);
}

void tst_RunsPanel::clickRun(const QString &runId)
{
    auto *runs = child<DataTableView>(m_panel, "runsTable");
    const int row = m_panel->runsModel()->rowOfKey(runId);
    QVERIFY(row >= 0);
    QTest::mouseClick(runs->viewport(), Qt::LeftButton, {}, runs->visualRect(runs->model()->index(row, RunsModel::Id)).center());
    QCOMPARE(m_panel->selectedRunId(), runId);
}

QThread *tst_RunsPanel::thread(const QString &name) const
{
    for (QThread *t : m_window->session()->findChildren<QThread *>()) {
        if (t->objectName() == name)
            return t;
    }
    qFatal("no thread %s", qPrintable(name));
}

void tst_RunsPanel::showsTheNewestEventsFirstAndTheTotal()
{
    openWindow();
    clickRun(QStringLiteral("big"));
    EventsModel *events = m_panel->eventsModel();
    QTRY_VERIFY(events->rowCount() > 0);
    QCOMPARE(events->index(0, EventsModel::Seq).data().toString(), QStringLiteral("100000")); // the newest, where a new error shows
    QCOMPARE(events->index(1, EventsModel::Seq).data().toString(), QStringLiteral("99999"));
    QCOMPARE(events->rowCount(), RunsPanel::pageSize); // one page, not 100,000 rows
    auto *title = child<QLabel>(m_panel, "eventsTitle");
    QCOMPARE(title->text(), QStringLiteral("Events of run big: 100,000 in all, newest first"));
    // ... and it can be read: the label has the room for it (a layout once gave it none).
    QVERIFY2(title->isVisible() && title->width() >= title->fontMetrics().horizontalAdvance(title->text()),
             qPrintable(QStringLiteral("the title is %1 px wide").arg(title->width())));
    auto *view = child<DataTableView>(m_panel, "eventsTable");
    QVERIFY(view->visualRect(events->index(0, 0)).intersects(view->viewport()->rect())); // on screen
    QCOMPARE(child<QLabel>(m_panel, "runsTotal")->text(), QStringLiteral("3 run(s)"));
}

void tst_RunsPanel::scrollingFetchesTheNextPage()
{
    openWindow();
    clickRun(QStringLiteral("big"));
    EventsModel *events = m_panel->eventsModel();
    QTRY_COMPARE(events->rowCount(), RunsPanel::pageSize);
    auto *view = child<DataTableView>(m_panel, "eventsTable");
    // The user scrolls to the end (again, as a user would, if the view was still being laid out
    // when they first did: its scroll range is only known once the rows are shown).
    const auto scrollToEnd = [&] {
        view->verticalScrollBar()->setValue(view->verticalScrollBar()->maximum());
        return events->rowCount();
    };
    QTRY_COMPARE_WITH_TIMEOUT(scrollToEnd(), 2 * RunsPanel::pageSize, 30000);
    for (int row = 0; row < events->rowCount(); ++row)
        QCOMPARE(events->rowAt(row).seq, qint64(100000 - row)); // no gap, no repeat between pages
}

void tst_RunsPanel::levelFilterIsAppliedInSql()
{
    openWindow();
    clickRun(QStringLiteral("big"));
    QTRY_VERIFY(m_panel->eventsModel()->rowCount() > 0);
    auto *level = child<QComboBox>(m_panel, "levelFilter");
    level->setCurrentIndex(level->findData(QStringLiteral("error")));
    QTRY_COMPARE(child<QLabel>(m_panel, "eventsTitle")->text(), QStringLiteral("Events of run big: 2,000 in all, newest first"));
    EventsModel *events = m_panel->eventsModel();
    QTRY_COMPARE(events->rowCount(), RunsPanel::pageSize);
    QCOMPARE(events->rowAt(0).seq, 100000);
    for (int row = 0; row < events->rowCount(); ++row)
        QCOMPARE(events->rowAt(row).level, QStringLiteral("error"));
}

void tst_RunsPanel::liveAppendInsertsRowsAndKeepsTheSelection()
{
    openWindow();
    clickRun(QStringLiteral("big"));
    EventsModel *events = m_panel->eventsModel();
    QTRY_COMPARE(events->rowCount(), RunsPanel::pageSize);
    auto *view = child<DataTableView>(m_panel, "eventsTable");
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->visualRect(events->index(3, EventsModel::Message)).center());
    QCOMPARE(m_panel->selectedEventId(), QStringLiteral("big-99997"));
    QSignalSpy resets(events, &QAbstractItemModel::modelReset);
    QSignalSpy inserts(events, &QAbstractItemModel::rowsInserted);
    test::appendEvents(*m_db, QStringLiteral("big"), 100001, 5, QStringLiteral("error")); // another process appends
    QTRY_COMPARE_WITH_TIMEOUT(events->rowAt(0).seq, 100005, 10000);
    QCOMPARE(events->rowAt(4).seq, 100001);
    QCOMPARE(m_panel->selectedEventId(), QStringLiteral("big-99997")); // still the event the user chose
    QCOMPARE(view->selectionModel()->selectedRows().size(), 1);
    QCOMPARE(view->selectionModel()->selectedRows().first().row(), 8);
    QTRY_COMPARE(child<QLabel>(m_panel, "eventsTitle")->text(), QStringLiteral("Events of run big: 100,005 in all, newest first"));
    QCOMPARE(resets.size(), 0); // inserted, not rebuilt
    QVERIFY(inserts.size() >= 1);
    QCOMPARE(m_panel->selectedRunId(), QStringLiteral("big"));
}

void tst_RunsPanel::clickingSeqShowsTheOldestFirst()
{
    openWindow();
    clickRun(QStringLiteral("big"));
    QTRY_COMPARE(m_panel->eventsModel()->rowCount(), RunsPanel::pageSize);
    auto *view = child<DataTableView>(m_panel, "eventsTable");
    QHeaderView *header = view->horizontalHeader();
    QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, QPoint(header->sectionViewportPosition(EventsModel::Seq) + 5, header->height() / 2));
    QTRY_COMPARE(m_panel->eventsModel()->rowCount(), RunsPanel::pageSize);
    QTRY_COMPARE(m_panel->eventsModel()->rowAt(0).seq, 1);
    QVERIFY(child<QLabel>(m_panel, "eventsTitle")->text().endsWith(QStringLiteral("oldest first")));
}

void tst_RunsPanel::quickReadsAreNotStuckBehindALongJob()
{
    openWindow();
    test::ThreadBlocker longJob(thread(QStringLiteral("dbdeck-long-jobs"))); // as if a 20 s integrity check ran
    m_window->showTab(QStringLiteral("health"));
    auto *health = m_window->findChild<HealthPanel *>();
    QTest::mouseClick(child<QPushButton>(health, "integrityButton"), Qt::LeftButton);
    QCOMPARE(health->messageArea()->text(), QStringLiteral("Running the integrity check…"));
    m_window->showTab(QStringLiteral("runs"));
    clickRun(QStringLiteral("small"));
    QTRY_COMPARE(m_panel->eventsModel()->rowCount(), 30); // while the long job still runs
    QCOMPARE(m_panel->eventsModel()->rowAt(0).id, QStringLiteral("small-30"));
    longJob.release();
    QTRY_COMPARE_WITH_TIMEOUT(health->messageArea()->text(), QStringLiteral("integrity check: ok"), 30000);
}

void tst_RunsPanel::obsoleteRequestsAreDropped()
{
    qInstallMessageHandler(captureSql);
    openWindow({{"ECHO_SQL", "true"}});
    clickRun(QStringLiteral("big"));
    QTRY_COMPARE(m_panel->eventsModel()->rowCount(), RunsPanel::pageSize);
    {
        test::ThreadBlocker reads(thread(QStringLiteral("dbdeck-worker")));
        {
            QMutexLocker lock(&g_sqlMutex);
            g_sql.clear();
        }
        clickRun(QStringLiteral("small"));
        clickRun(QStringLiteral("tiny"));
        clickRun(QStringLiteral("big"));
        clickRun(QStringLiteral("tiny"));
        // The view says it waits (after a short delay, so that quick answers never flicker).
        QTRY_COMPARE(child<DataTableView>(m_panel, "eventsTable")->overlayText(), QStringLiteral("Loading the events of run tiny…"));
    }
    QTRY_COMPARE(m_panel->eventsModel()->rowCount(), 3);
    QCOMPARE(m_panel->eventsModel()->rowAt(0).id, QStringLiteral("tiny-3"));
    QTest::qWait(200); // anything still queued would have run by now: the queue was empty behind tiny's page
    QMutexLocker lock(&g_sqlMutex);
    QStringList eventPages;
    for (const QString &sql : std::as_const(g_sql)) {
        // A page of events (its select list may read text columns as stored bytes: CAST(id AS BLOB)).
        if (sql.startsWith(QStringLiteral("SELECT ")) && sql.contains(QStringLiteral("run_id")) && sql.contains(QStringLiteral(" FROM events"))
            && !sql.contains(QStringLiteral("count(*)")) && sql.contains(QStringLiteral("-- params:")))
            eventPages << sql.section(QStringLiteral("-- params: "), 1).section(QLatin1Char(','), 0, 0);
    }
    QCOMPARE(eventPages, QStringList{QStringLiteral("tiny")}); // small's, tiny's and big's obsolete requests never ran
}

QTEST_MAIN(tst_RunsPanel)
#include "tst_runspanel.moc"

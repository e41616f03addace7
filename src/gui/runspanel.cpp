#include "runspanel.h"

#include "datatableview.h"
#include "dbsession.h"
#include "eventsmodel.h"
#include "messagearea.h"
#include "runsmodel.h"
#include "stateicons.h"
#include "ui_runspanel.h"

#include <QFontDatabase>
#include <QHeaderView>
#include <QLocale>
#include <QTimer>

namespace dbdeck::gui {

RunsPanel::RunsPanel(QWidget *parent) : SessionPanel(parent), ui(std::make_unique<Ui::RunsPanel>())
{
    ui->setupUi(this);
    m_runs = new RunsModel(this);
    m_events = new EventsModel(this);
    ui->runsTable->setModel(m_runs);
    ui->eventsTable->setModel(m_events);
    ui->runsTable->setColumnWidthsInCharacters({19, 10, 12, 36});
    ui->eventsTable->setColumnWidthsInCharacters({7, 23, 8, 10});
    ui->runsTable->setPlaceholderText(tr("No runs"));
    ui->eventsTable->setPlaceholderText(tr("Select a run to see its events"));
    // Runs are always the newest first; events sort by seq either way (a new query each time).
    ui->runsTable->horizontalHeader()->setSortIndicator(RunsModel::Created, Qt::DescendingOrder);
    ui->runsTable->horizontalHeader()->setSortIndicatorShown(true);
    ui->eventsTable->horizontalHeader()->setSortIndicator(EventsModel::Seq, Qt::DescendingOrder);
    ui->eventsTable->setSortingEnabled(true); // EventsModel::sort: a new query in the other order
    connect(ui->eventsTable->horizontalHeader(), &QHeaderView::sortIndicatorChanged, this, [this](int column) {
        if (column != EventsModel::Seq && column != EventsModel::Created) {
            // Only the order events happened in can be paged through quickly.
            const QSignalBlocker block(ui->eventsTable->horizontalHeader());
            ui->eventsTable->horizontalHeader()->setSortIndicator(EventsModel::Seq, m_events->oldestFirst() ? Qt::AscendingOrder : Qt::DescendingOrder);
        }
    });
    connect(m_events, &EventsModel::orderChanged, this, &RunsPanel::startEvents);

    ui->statusFilter->addItem(tr("any"), QString());
    for (const QString &status : Run::statuses())
        ui->statusFilter->addItem(StateIcons::icon(status), status, status);
    ui->levelFilter->addItem(tr("any"), QString());
    for (const QString &level : Event::levels())
        ui->levelFilter->addItem(StateIcons::icon(level), level, level);
    ui->payloadView->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    ui->payloadView->setPlaceholderText(tr("Select an event to see its payload"));
    ui->payloadView->setMinimumSize(120, 60);
    // The title takes the room beside the level filter (the layout stretches it), but a long run id
    // does not widen the window: its size hint is ignored.
    ui->eventsTitle->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    ui->runsSplitter->setStretchFactor(0, 2);
    ui->runsSplitter->setStretchFactor(1, 3);
    ui->eventsSplitter->setStretchFactor(0, 3);
    ui->eventsSplitter->setStretchFactor(1, 2);

    // Typing in the filters waits for a pause before asking the worker.
    auto *debounce = new QTimer(this);
    debounce->setSingleShot(true);
    debounce->setInterval(250);
    connect(debounce, &QTimer::timeout, this, &RunsPanel::reload);
    connect(ui->kindFilter, &QLineEdit::textChanged, debounce, qOverload<>(&QTimer::start));
    connect(ui->searchEdit, &QLineEdit::textChanged, debounce, qOverload<>(&QTimer::start));
    connect(ui->statusFilter, &QComboBox::currentIndexChanged, this, &RunsPanel::reload);
    connect(ui->levelFilter, &QComboBox::currentIndexChanged, this, &RunsPanel::startEvents);
    // The selection changes after the current row: follow the selection.
    connect(ui->runsTable->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        if (selectedRunId() != m_events->runId())
            startEvents();
    });
    connect(ui->eventsTable->selectionModel(), &QItemSelectionModel::selectionChanged, this, &RunsPanel::showPayload);
    connect(m_runs, &RunsModel::moreWanted, this, [this](const QString &afterRunId) {
        if (!m_session)
            return m_runs->pageFailed();
        RunQuery query = runQuery();
        query.olderThan = afterRunId;
        m_session->loadRuns(PageKind::More, query);
    });
    connect(m_events, &EventsModel::moreWanted, this, [this](qint64 seq) { requestEvents(PageKind::More, seq); });
    setSession(nullptr);
}

RunsPanel::~RunsPanel() = default;

MessageArea *RunsPanel::messageArea() const
{
    return ui->messages;
}

void RunsPanel::setSession(DbSession *session)
{
    if (m_session)
        disconnect(m_session, nullptr, this, nullptr);
    m_session = session;
    m_runs->clear();
    m_events->start(QString(), m_events->oldestFirst());
    m_choseRun = false;
    m_runsRefreshing = m_eventsRefreshing = false;
    ui->messages->clearMessage();
    ui->payloadView->clear();
    const bool live = session && session->config().backend() == Backend::Sqlite && !session->config().url().isMemory();
    ui->liveLabel->setText(live ? tr("● live") : QString());
    ui->liveLabel->setToolTip(tr("Follows other processes' writes (checked every second)"));
    ui->liveLabel->setForegroundRole(QPalette::Link);
    updateTitles();
    if (!session) {
        ui->runsTable->setPlaceholderText(tr("No database is open"));
        return;
    }
    ui->runsTable->setPlaceholderText(tr("No runs"));
    connect(session, &DbSession::runsLoaded, this, &RunsPanel::showRunsPage);
    connect(session, &DbSession::eventsLoaded, this, &RunsPanel::showEventsPage);
    connect(session, &DbSession::failed, this, &RunsPanel::showFailure);
    connect(session, &DbSession::dataChanged, this, &RunsPanel::liveUpdate);
}

RunQuery RunsPanel::runQuery() const
{
    RunQuery query;
    query.limit = pageSize;
    query.status = ui->statusFilter->currentData().toString();
    query.kind = ui->kindFilter->text().trimmed();
    query.text = ui->searchEdit->text().trimmed();
    return query;
}

void RunsPanel::reload()
{
    if (!m_session)
        return;
    ui->runsTable->setLoading(true, tr("Loading runs…"));
    m_runsRefreshing = false;
    m_session->loadRuns(PageKind::First, runQuery());
    if (!m_events->runId().isEmpty())
        startEvents();
}

void RunsPanel::liveUpdate()
{
    if (!m_session)
        return;
    if (!m_runsRefreshing && !ui->runsTable->isLoading()) {
        m_runsRefreshing = true;
        RunQuery query = runQuery();
        if (m_runs->rowCount() > 0) {
            // The range shown, from the newest down to the last run shown, and what came since.
            query.downTo = m_runs->rows().last().id;
            query.limit = m_runs->rowCount() + pageSize;
        }
        m_session->loadRuns(m_runs->rowCount() > 0 ? PageKind::Refresh : PageKind::First, query);
    }
    const bool tailVisible = !m_events->oldestFirst() || !m_events->hasMore();
    if (!m_events->runId().isEmpty() && !m_eventsRefreshing && !ui->eventsTable->isLoading() && tailVisible) {
        m_eventsRefreshing = true;
        requestEvents(PageKind::Newer, m_events->highestSeq());
    }
}

void RunsPanel::showRunsPage(const RunsPage &page)
{
    if (!m_session || !m_session->isCurrent(View::Runs, page.generation))
        return;
    ui->runsTable->setLoading(false);
    if (page.kind == PageKind::Refresh || (page.kind == PageKind::First && m_runsRefreshing))
        m_runsRefreshing = false;
    if (page.tablesMissing) {
        m_runs->showFirstPage({}, false);
        ui->runsTable->setPlaceholderText(tr("This database has no runs and events tables yet: apply the migrations (Migrations tab)."));
        m_runs->setTotal(-1);
        updateTitles();
        return;
    }
    ui->runsTable->setPlaceholderText(tr("No runs"));
    if (ui->messages->kind() == MessageArea::Kind::Error)
        ui->messages->clearMessage(); // the reads work again
    m_runs->setTotal(page.total);
    if (page.kind == PageKind::More)
        m_runs->appendPage(page.runs, page.hasMore);
    else if (page.kind == PageKind::Refresh)
        m_runs->merge(page.runs);
    else
        m_runs->showFirstPage(page.runs, page.hasMore);
    if (!m_choseRun && selectedRunId().isEmpty() && m_runs->rowCount() > 0) {
        m_choseRun = true; // nothing chosen yet: show the newest run's events
        ui->runsTable->selectRow(0);
    }
    if (selectedRunId().isEmpty() && !m_events->runId().isEmpty())
        startEvents(); // the selected run went (filtered out, deleted)
    updateTitles();
}

QString RunsPanel::selectedRunId() const
{
    const QModelIndex current = ui->runsTable->selectionModel()->currentIndex();
    if (!current.isValid() || !ui->runsTable->selectionModel()->isRowSelected(current.row(), {}))
        return {};
    return current.data(RunsModel::KeyRole).toString();
}

bool RunsPanel::selectRun(const QString &runId)
{
    const int row = m_runs->rowOfKey(runId);
    if (row < 0)
        return false;
    ui->runsTable->selectRow(row);
    return true;
}

QString RunsPanel::selectedEventId() const
{
    const QModelIndex current = ui->eventsTable->selectionModel()->currentIndex();
    return current.isValid() ? current.data(EventsModel::KeyRole).toString() : QString();
}

void RunsPanel::startEvents()
{
    const QString run = selectedRunId();
    m_events->start(run, m_events->oldestFirst());
    m_eventsRefreshing = false;
    ui->payloadView->clear();
    updateTitles();
    if (run.isEmpty() || !m_session) {
        ui->eventsTable->setLoading(false);
        return;
    }
    ui->eventsTable->setLoading(true, tr("Loading the events of run %1…").arg(run));
    requestEvents(PageKind::First);
}

void RunsPanel::requestEvents(PageKind kind, qint64 cursor)
{
    if (!m_session)
        return m_events->pageFailed();
    EventQuery query;
    query.limit = pageSize;
    query.runId = m_events->runId();
    query.minLevel = ui->levelFilter->currentData().toString();
    query.oldestFirst = m_events->oldestFirst();
    if (kind == PageKind::Newer || (kind == PageKind::More && query.oldestFirst))
        query.afterSeq = cursor;
    else if (kind == PageKind::More)
        query.beforeSeq = cursor;
    m_session->loadEvents(kind, query, m_events->total());
}

void RunsPanel::showEventsPage(const EventsPage &page)
{
    if (!m_session || !m_session->isCurrent(View::Events, page.generation) || page.runId != m_events->runId())
        return;
    ui->eventsTable->setLoading(false);
    if (page.kind == PageKind::Newer) {
        m_eventsRefreshing = false;
        if (page.startOver) {
            requestEvents(PageKind::First); // merged into what is shown: the selection stays if it is still there
            return;
        }
        m_events->addNewer(page.events, page.total);
    } else if (page.kind == PageKind::More) {
        m_events->appendPage(page.events, page.hasMore);
    } else {
        m_events->showFirstPage(page.events, page.total, page.hasMore);
    }
    ui->eventsTable->setPlaceholderText(tr("No events"));
    updateTitles();
}

void RunsPanel::showFailure(const QString &operation, const QString &message)
{
    if (operation == QLatin1String("runs")) {
        ui->runsTable->setLoading(false);
        m_runs->pageFailed();
        m_runsRefreshing = false;
    } else if (operation == QLatin1String("events")) {
        ui->eventsTable->setLoading(false);
        m_events->pageFailed();
        m_eventsRefreshing = false;
    } else {
        return;
    }
    ui->messages->showMessage(MessageArea::Kind::Error, tr("Could not read the %1: %2").arg(operation, message));
}

void RunsPanel::updateTitles()
{
    const QLocale locale;
    if (m_runs->total() < 0)
        ui->runsTotal->clear();
    else if (m_runs->rowCount() < m_runs->total())
        ui->runsTotal->setText(tr("%1 of %2 runs").arg(locale.toString(m_runs->rowCount()), locale.toString(m_runs->total())));
    else
        ui->runsTotal->setText(tr("%n run(s)", nullptr, int(m_runs->total())));
    const QString run = m_events->runId();
    if (run.isEmpty()) {
        ui->eventsTitle->setText(tr("Events of the selected run"));
        ui->eventsTable->setPlaceholderText(tr("Select a run to see its events"));
    } else if (m_events->total() < 0) {
        ui->eventsTitle->setText(tr("Events of run %1").arg(run));
    } else {
        const QString order = m_events->oldestFirst() ? tr("oldest first") : tr("newest first");
        ui->eventsTitle->setText(tr("Events of run %1: %2 in all, %3").arg(run, locale.toString(m_events->total()), order));
    }
}

void RunsPanel::showPayload()
{
    const QModelIndex current = ui->eventsTable->selectionModel()->currentIndex();
    if (!current.isValid()) {
        ui->payloadView->clear();
        return;
    }
    const Event &e = m_events->rowAt(current.row());
    QString text;
    if (e.payload) {
        try {
            text = e.payload->pretty();
        } catch (const JsonError &error) {
            text = error.message();
        }
    }
    if (!e.payloadUri.isEmpty())
        text += (text.isEmpty() ? QString() : QStringLiteral("\n\n")) + tr("payload stored at %1").arg(e.payloadUri);
    if (e.messageOriginalLength)
        text += (text.isEmpty() ? QString() : QStringLiteral("\n\n")) + tr("message truncated from %1 characters").arg(*e.messageOriginalLength);
    ui->payloadView->setPlainText(text.isEmpty() ? tr("(no payload)") : text);
}

} // namespace dbdeck::gui

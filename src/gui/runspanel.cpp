#include "runspanel.h"

#include "stateicons.h"
#include "tablecell.h"
#include "ui_runspanel.h"

#include <QFontDatabase>
#include <QHeaderView>
#include <QTimer>

namespace dbdeck::gui {

RunsPanel::RunsPanel(QWidget *parent) : QWidget(parent), ui(std::make_unique<Ui::RunsPanel>())
{
    ui->setupUi(this);
    ui->statusFilter->addItem(tr("any"), QString());
    for (const QString &status : Run::statuses())
        ui->statusFilter->addItem(StateIcons::icon(status), status, status);
    for (const QString &level : Event::levels())
        ui->levelFilter->addItem(StateIcons::icon(level), level, level);
    ui->payloadView->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    ui->payloadView->setPlaceholderText(tr("Select an event to see its payload"));
    ui->runsTable->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    ui->runsTable->setWordWrap(false);
    ui->eventsTable->setWordWrap(false);
    ui->eventsTable->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    // Typing in the filters waits for a pause before asking the worker.
    auto *debounce = new QTimer(this);
    debounce->setSingleShot(true);
    debounce->setInterval(250);
    connect(debounce, &QTimer::timeout, this, &RunsPanel::reload);
    connect(ui->kindFilter, &QLineEdit::textChanged, debounce, qOverload<>(&QTimer::start));
    connect(ui->searchEdit, &QLineEdit::textChanged, debounce, qOverload<>(&QTimer::start));
    connect(ui->statusFilter, &QComboBox::currentIndexChanged, this, &RunsPanel::reload);
    connect(ui->levelFilter, &QComboBox::currentIndexChanged, this, &RunsPanel::requestEvents);
    connect(ui->runsTable, &QTableWidget::itemSelectionChanged, this, [this] {
        if (selectedRunId() != m_eventsRun)
            requestEvents();
    });
    connect(ui->eventsTable, &QTableWidget::itemSelectionChanged, this, &RunsPanel::showPayload);
}

RunsPanel::~RunsPanel() = default;

void RunsPanel::setLive(bool live)
{
    ui->liveLabel->setText(live ? tr("● live") : QString());
    ui->liveLabel->setToolTip(tr("Updates when another process writes (checked every second)"));
}

QString RunsPanel::selectedRunId() const
{
    const int row = ui->runsTable->currentRow();
    const QTableWidgetItem *item = row >= 0 ? ui->runsTable->item(row, 3) : nullptr;
    return item ? item->text() : QString();
}

void RunsPanel::reload()
{
    Q_EMIT runsRequested(ui->statusFilter->currentData().toString(), ui->kindFilter->text().trimmed(), ui->searchEdit->text().trimmed());
}

void RunsPanel::requestEvents()
{
    const QString run = selectedRunId();
    if (run.isEmpty()) {
        m_eventsRun.clear();
        showEvents(QString(), {});
        return;
    }
    m_eventsRun = run;
    Q_EMIT eventsRequested(run, ui->levelFilter->currentData().toString());
}

void RunsPanel::showRuns(const QList<Run> &runs)
{
    const QString keep = selectedRunId();
    ui->runsTable->setUpdatesEnabled(false);
    const QSignalBlocker block(ui->runsTable);
    ui->runsTable->setRowCount(int(runs.size()));
    int keepRow = -1;
    for (int row = 0; row < runs.size(); ++row) {
        const Run &r = runs.at(row);
        auto *status = tableCell(r.status);
        status->setIcon(StateIcons::icon(r.status));
        status->setForeground(StateIcons::colour(r.status));
        ui->runsTable->setItem(row, 0, tableCell(r.createdAt.toDb().left(19)));
        ui->runsTable->setItem(row, 1, status);
        ui->runsTable->setItem(row, 2, tableCell(r.kind));
        ui->runsTable->setItem(row, 3, tableCell(r.id));
        ui->runsTable->setItem(row, 4, tableCell(r.error));
        if (r.id == keep)
            keepRow = row;
    }
    if (keepRow < 0 && keep.isEmpty() && !runs.isEmpty())
        keepRow = 0; // nothing chosen yet: show the newest run's events
    if (keepRow >= 0)
        ui->runsTable->selectRow(keepRow);
    else
        ui->runsTable->clearSelection();
    ui->runsTable->setUpdatesEnabled(true);
    requestEvents(); // refresh the selected run's events too (new ones may have arrived)
}

void RunsPanel::showEvents(const QString &runId, const QList<Event> &events)
{
    if (runId != m_eventsRun)
        return; // an answer for a run no longer selected
    const QString keepId = ui->eventsTable->currentRow() >= 0 && ui->eventsTable->currentRow() < m_events.size()
        ? m_events.at(ui->eventsTable->currentRow()).id : QString();
    m_events = events;
    ui->eventsTitle->setText(runId.isEmpty() ? tr("Events of the selected run") : tr("Events of run %1 (%2)").arg(runId).arg(events.size()));
    ui->eventsTable->setUpdatesEnabled(false);
    const QSignalBlocker block(ui->eventsTable);
    ui->eventsTable->setRowCount(int(events.size()));
    int keepRow = -1;
    for (int row = 0; row < events.size(); ++row) {
        const Event &e = events.at(row);
        auto *level = tableCell(e.level);
        level->setIcon(StateIcons::icon(e.level));
        level->setForeground(StateIcons::colour(e.level));
        ui->eventsTable->setItem(row, 0, tableCell(QString::number(e.seq)));
        ui->eventsTable->setItem(row, 1, tableCell(e.createdAt.toDb().left(23)));
        ui->eventsTable->setItem(row, 2, level);
        ui->eventsTable->setItem(row, 3, tableCell(e.kind));
        ui->eventsTable->setItem(row, 4, tableCell(e.message));
        if (e.id == keepId)
            keepRow = row;
    }
    if (keepRow >= 0)
        ui->eventsTable->selectRow(keepRow);
    ui->eventsTable->setUpdatesEnabled(true);
    showPayload();
}

void RunsPanel::showPayload()
{
    const int row = ui->eventsTable->currentRow();
    if (row < 0 || row >= m_events.size()) {
        ui->payloadView->clear();
        return;
    }
    const Event &e = m_events.at(row);
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

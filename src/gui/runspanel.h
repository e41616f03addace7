#pragma once

#include "store/records.h"

#include <QWidget>

#include <memory>

namespace Ui {
class RunsPanel;
}

namespace dbdeck::gui {

// Recent runs (status coloured; filter by status and kind; text search), the selected run's
// events in order (filter by level) and the selected event's payload, pretty-printed. Updates
// in place when another process writes, keeping the selection.
class RunsPanel : public QWidget
{
    Q_OBJECT

public:
    explicit RunsPanel(QWidget *parent = nullptr);
    ~RunsPanel() override;

    void showRuns(const QList<Run> &runs);
    void showEvents(const QString &runId, const QList<Event> &events);
    QString selectedRunId() const;
    void setLive(bool live);

public Q_SLOTS:
    void reload(); // asks for the runs with the current filters (and the selected run's events)

Q_SIGNALS:
    void runsRequested(const QString &status, const QString &kind, const QString &text);
    void eventsRequested(const QString &runId, const QString &minLevel);

private:
    void requestEvents();
    void showPayload();

    std::unique_ptr<Ui::RunsPanel> ui;
    QList<Event> m_events;
    QString m_eventsRun;
};

} // namespace dbdeck::gui

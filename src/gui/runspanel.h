#pragma once

#include "sessionpanel.h"
#include "workertypes.h"

#include <QPointer>

#include <memory>

namespace Ui {
class RunsPanel;
}

namespace dbdeck::gui {

class EventsModel;
class RunsModel;

// The runs (newest first; filter by status and kind; search), the selected run's events (the
// newest first, or the oldest: click Seq; filter by minimum level) and the selected event's
// payload. Both lists come in pages as they scroll, say how many there are in all, and follow
// other processes' writes without losing the selection: new runs and events are inserted,
// nothing is rebuilt.
class RunsPanel : public SessionPanel
{
    Q_OBJECT

public:
    static constexpr int pageSize = 200;

    explicit RunsPanel(QWidget *parent = nullptr);
    ~RunsPanel() override;

    QString title() const override { return tr("R&uns && events"); }
    void setSession(DbSession *session) override;
    void reload() override;
    MessageArea *messageArea() const override;

    QString selectedRunId() const;
    bool selectRun(const QString &runId); // false when the run is not in the list
    QString selectedEventId() const;
    RunsModel *runsModel() const { return m_runs; }
    EventsModel *eventsModel() const { return m_events; }

public Q_SLOTS:
    void liveUpdate(); // another connection committed: fetch what is new

private:
    RunQuery runQuery() const;
    void startEvents();
    void requestEvents(PageKind kind, qint64 cursor = 0);
    void showRunsPage(const RunsPage &page);
    void showEventsPage(const EventsPage &page);
    void showFailure(const QString &operation, const QString &message);
    void showPayload();
    void updateTitles();

    std::unique_ptr<Ui::RunsPanel> ui;
    QPointer<DbSession> m_session;
    RunsModel *m_runs = nullptr;
    EventsModel *m_events = nullptr;
    bool m_runsRefreshing = false;  // a live refresh of the runs is on its way
    bool m_eventsRefreshing = false; // a live tail of the events is on its way
    bool m_choseRun = false;         // the newest run was selected automatically once
};

} // namespace dbdeck::gui

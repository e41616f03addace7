#pragma once

#include "config/dbconfig.h"
#include "dbworker.h"

#include <QMainWindow>
#include <QPointer>
#include <QThread>

#include <memory>
#include <optional>

class QLabel;
class QMenu;

namespace Ui {
class MainWindow;
}

namespace dbdeck::gui {

class ConnectionPanel;
class HealthPanel;
class MigrationsPanel;
class ResetDialog;
class RunsPanel;
class TablesPanel;

// Assembles the panels, runs the DB worker on its own thread and routes requests and results
// between them. It runs no SQL itself.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    // With no config (loading it failed), the window shows configError and touches no database.
    MainWindow(std::optional<DbConfig> config, const QString &configError, QWidget *parent = nullptr);
    ~MainWindow() override;

    QString errorText() const;
    void openDatabase(const DbConfig &config);
    void openFile(const QString &path);
    void showTab(const QString &name); // "migrations", "tables", "runs", "health", "connection"

Q_SIGNALS:
    // Requests to the worker (queued to its thread).
    void requestOpen();
    void requestMigrations();
    void requestApply();
    void requestCounts();
    void requestRuns(const QString &status, const QString &kind, const QString &text);
    void requestEvents(const QString &runId, const QString &minLevel);
    void requestHealth(const QString &check);
    void requestResetAllowed();
    void requestReset(const QString &confirmName, bool reapply);
    void requestWatch(int intervalMs);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void buildMenus();
    void stopWorker();
    void showError(const QString &message);
    void showOpened(const ConnectionSummary &summary);
    void routeFailure(const QString &operation, const QString &message);
    void refreshAll();
    void askReset();
    void rememberRecent(const QString &path);
    void rebuildRecentMenu();

    std::unique_ptr<Ui::MainWindow> ui;
    std::optional<DbConfig> m_config;
    MigrationsPanel *m_migrations = nullptr;
    TablesPanel *m_tables = nullptr;
    RunsPanel *m_runs = nullptr;
    HealthPanel *m_health = nullptr;
    ConnectionPanel *m_connection = nullptr;
    QLabel *m_urlLabel = nullptr;
    QLabel *m_driverLabel = nullptr;
    QLabel *m_sizeLabel = nullptr;
    QLabel *m_envLabel = nullptr;
    QMenu *m_recentMenu = nullptr;
    QThread *m_workerThread = nullptr;
    DbWorker *m_worker = nullptr;
    QString m_resetName;
    QPointer<ResetDialog> m_resetDialog;
};

} // namespace dbdeck::gui

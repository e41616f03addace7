#pragma once

#include "config/dbconfig.h"
#include "dbworker.h"

#include <QMainWindow>
#include <QThread>

#include <memory>
#include <optional>

namespace Ui {
class MainWindow;
}

namespace dbdeck::gui {

class ConnectionPanel;

// Assembles the panels, starts the DB worker thread and shows where the database stands.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    // With no config (loading it failed), the window shows configError and touches no database.
    MainWindow(std::optional<DbConfig> config, const QString &configError, QWidget *parent = nullptr);
    ~MainWindow() override;

    QString errorText() const;

Q_SIGNALS:
    void requestOpen();

private:
    void showError(const QString &message);
    void showOpened(const ConnectionSummary &summary);

    std::unique_ptr<Ui::MainWindow> ui;
    std::optional<DbConfig> m_config;
    ConnectionPanel *m_connectionPanel = nullptr;
    QThread m_workerThread;
    DbWorker *m_worker = nullptr;
};

} // namespace dbdeck::gui

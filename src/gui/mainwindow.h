#pragma once

#include "configsource.h"
#include "workertypes.h"

#include <QMainWindow>

#include <memory>
#include <optional>

class QAction;

namespace Ui {
class MainWindow;
}

namespace dbdeck::gui {

class ConnectionPanel;
class DbSession;
class HealthPanel;
class MessageArea;
class MigrationsPanel;
class RecentFiles;
class ResetController;
class RunsPanel;
class SessionPanel;
class StatusBadges;
class TablesPanel;

// Assembles the panels and the status bar's badges, opens the configured database as a
// DbSession and hands it to every panel, and owns what belongs to the whole window: the menus,
// the window's message area (a configuration that does not load, a database that cannot be
// opened or was deleted while open, the outcome of a reset), recent files, geometry. It runs no
// SQL itself.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    // With no config (loading it failed), the window shows configError and touches no database.
    MainWindow(std::optional<DbConfig> config, const QString &configError, QWidget *parent = nullptr);
    // Reload (F5) reads the configuration again from the source.
    explicit MainWindow(ConfigSource source, QWidget *parent = nullptr);
    ~MainWindow() override;

    QString errorText() const; // the window message area's text when it shows an error
    MessageArea *messageArea() const;
    StatusBadges *badges() const { return m_badges; }
    DbSession *session() const { return m_session.get(); }
    QList<SessionPanel *> panels() const { return m_panels; }

    void openDatabase(const DbConfig &config);
    void openFile(const QString &path);
    void showTab(const QString &name); // "migrations", "tables", "runs", "health", "connection"
    void addPanel(SessionPanel *panel);

public Q_SLOTS:
    void reload(); // F5: reads the configuration again; reopens if it changed, else reloads every panel

protected:
    void closeEvent(QCloseEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    void buildMenus();
    void loadConfiguration();
    void closeSession();
    void refreshPanels();
    void showConfigError(const QString &message);
    void showOpenFailure(const QString &message);
    void showOpened(const ConnectionSummary &summary);
    void showAccess(const ConnectionSummary &summary);
    void showSizes(const FileSizes &sizes);
    void chooseFile();
    void showAbout();
    void restoreLayout();
    void saveLayout();
    void fitIntoScreen();

    std::unique_ptr<Ui::MainWindow> ui;
    ConfigSource m_source;
    std::optional<DbConfig> m_config;
    QString m_openedFile; // a file opened in the window instead of the configured database
    std::unique_ptr<DbSession> m_session;
    QList<SessionPanel *> m_panels;
    MigrationsPanel *m_migrations = nullptr;
    TablesPanel *m_tables = nullptr;
    RunsPanel *m_runs = nullptr;
    HealthPanel *m_health = nullptr;
    ConnectionPanel *m_connection = nullptr;
    StatusBadges *m_badges = nullptr;
    ResetController *m_reset = nullptr;
    RecentFiles *m_recent = nullptr;
    QAction *m_reloadAction = nullptr;
    QAction *m_openAction = nullptr;
    bool m_fitted = false;
};

} // namespace dbdeck::gui

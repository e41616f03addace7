#include "mainwindow.h"

#include "connectionpanel.h"
#include "db/errors.h"
#include "healthpanel.h"
#include "migrationspanel.h"
#include "resetdialog.h"
#include "runspanel.h"
#include "tablespanel.h"
#include "ui_mainwindow.h"

#include <QCloseEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QLocale>
#include <QMenuBar>
#include <QSettings>
#include <QSplitter>

namespace dbdeck::gui {

MainWindow::MainWindow(std::optional<DbConfig> config, const QString &configError, QWidget *parent)
    : QMainWindow(parent), ui(std::make_unique<Ui::MainWindow>())
{
    ui->setupUi(this);
    m_migrations = new MigrationsPanel(this);
    m_tables = new TablesPanel(this);
    m_runs = new RunsPanel(this);
    m_health = new HealthPanel(this);
    m_connection = new ConnectionPanel(this);
    ui->tabs->addTab(m_migrations, tr("Migrations"));
    ui->tabs->addTab(m_tables, tr("Tables"));
    ui->tabs->addTab(m_runs, tr("Runs && events"));
    ui->tabs->addTab(m_health, tr("Health"));
    ui->tabs->addTab(m_connection, tr("Connection"));
    const QList<QPair<QLabel **, QString>> labels{{&m_urlLabel, QStringLiteral("statusUrl")}, {&m_driverLabel, QStringLiteral("statusDriver")},
                                                  {&m_sizeLabel, QStringLiteral("statusSizes")}, {&m_envLabel, QStringLiteral("statusEnv")}};
    for (const auto &[label, name] : labels) {
        *label = new QLabel(this);
        (*label)->setObjectName(name);
        (*label)->setContentsMargins(6, 0, 6, 0);
        statusBar()->addPermanentWidget(*label);
    }
    buildMenus();

    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    for (QSplitter *splitter : findChildren<QSplitter *>())
        splitter->restoreState(settings.value(QStringLiteral("splitters/") + splitter->objectName()).toByteArray());

    if (!config) {
        setWindowTitle(tr("dbdeck — configuration error"));
        showError(tr("The configuration has a bad value; no database was opened.\n\n%1").arg(configError));
        ui->tabs->setEnabled(false);
        return;
    }
    openDatabase(*config);
}

MainWindow::~MainWindow()
{
    stopWorker();
}

void MainWindow::buildMenus()
{
    QMenu *file = ui->menuFile;
    QAction *open = new QAction(tr("&Open SQLite file…"), this);
    open->setShortcut(QKeySequence::Open);
    connect(open, &QAction::triggered, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Open a SQLite database"), QString(),
                                                          tr("SQLite databases (*.db *.sqlite *.sqlite3);;All files (*)"));
        if (!path.isEmpty())
            openFile(path);
    });
    m_recentMenu = new QMenu(tr("Open &recent"), this);
    QAction *reset = new QAction(tr("&Reset database…"), this);
    connect(reset, &QAction::triggered, this, &MainWindow::askReset);
    file->insertAction(ui->actionQuit, open);
    file->insertMenu(ui->actionQuit, m_recentMenu);
    file->insertSeparator(ui->actionQuit);
    file->insertAction(ui->actionQuit, reset);
    file->insertSeparator(ui->actionQuit);
    connect(ui->actionQuit, &QAction::triggered, this, &QWidget::close);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    QAction *refresh = view->addAction(tr("&Refresh"), this, &MainWindow::refreshAll);
    refresh->setShortcut(QKeySequence::Refresh); // F5
    QAction *exportCounts = view->addAction(tr("&Export counts…"), m_tables, &TablesPanel::exportCounts);
    exportCounts->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    rebuildRecentMenu();
}

void MainWindow::showTab(const QString &name)
{
    for (int i = 0; i < ui->tabs->count(); ++i) {
        if (ui->tabs->tabText(i).remove(QLatin1Char('&')).startsWith(name, Qt::CaseInsensitive))
            ui->tabs->setCurrentIndex(i);
    }
}

void MainWindow::openFile(const QString &path)
{
    try {
        openDatabase(m_config->withDatabaseUrl(QStringLiteral("sqlite:///") + QFileInfo(path).absoluteFilePath(),
                                               QStringLiteral("opened in the inspector")));
    } catch (const ConfigError &error) {
        showError(error.message());
    }
}

void MainWindow::openDatabase(const DbConfig &config)
{
    stopWorker();
    m_config = config;
    ui->tabs->setEnabled(true);
    ui->errorBanner->setVisible(false);
    setWindowTitle(tr("dbdeck — %1").arg(config.url().redacted()));
    m_urlLabel->setText(config.url().redacted());
    m_connection->showSettings(config.values(), config.backend());
    statusBar()->showMessage(tr("Opening…"));
    if (config.backend() == Backend::Sqlite && !config.url().isMemory())
        rememberRecent(config.url().sqliteFilePath());

    m_workerThread = new QThread(this);
    m_workerThread->setObjectName(QStringLiteral("dbdeck-worker"));
    m_worker = new DbWorker(config);
    m_worker->moveToThread(m_workerThread);
    connect(m_workerThread, &QThread::finished, m_worker, &QObject::deleteLater);
    DbWorker *w = m_worker;
    connect(this, &MainWindow::requestOpen, w, &DbWorker::open);
    connect(this, &MainWindow::requestMigrations, w, &DbWorker::refreshMigrations);
    connect(this, &MainWindow::requestApply, w, &DbWorker::applyPending);
    connect(this, &MainWindow::requestCounts, w, &DbWorker::countTables);
    connect(this, &MainWindow::requestRuns, w, &DbWorker::loadRuns);
    connect(this, &MainWindow::requestEvents, w, &DbWorker::loadEvents);
    connect(this, &MainWindow::requestHealth, w, &DbWorker::checkHealth);
    connect(this, &MainWindow::requestResetAllowed, w, &DbWorker::checkResetAllowed);
    connect(this, &MainWindow::requestReset, w, &DbWorker::reset);
    connect(this, &MainWindow::requestWatch, w, &DbWorker::startWatching);

    connect(w, &DbWorker::opened, this, &MainWindow::showOpened);
    connect(w, &DbWorker::failed, this, &MainWindow::routeFailure);
    connect(w, &DbWorker::migrationsLoaded, m_migrations, &MigrationsPanel::showView);
    connect(w, &DbWorker::migrationProgress, m_migrations, &MigrationsPanel::showProgress);
    connect(w, &DbWorker::migrationsApplied, this, [this](const QStringList &done, bool cancelled) {
        m_migrations->showApplied(done, cancelled);
        Q_EMIT requestOpen();
        Q_EMIT requestCounts();
        m_runs->reload();
        Q_EMIT requestHealth(QString());
    });
    connect(w, &DbWorker::countsProgress, m_tables, &TablesPanel::showProgress);
    connect(w, &DbWorker::countsReady, m_tables, &TablesPanel::showCounts);
    connect(w, &DbWorker::runsLoaded, m_runs, &RunsPanel::showRuns);
    connect(w, &DbWorker::eventsLoaded, m_runs, &RunsPanel::showEvents);
    connect(w, &DbWorker::healthReady, m_health, &HealthPanel::showReport);
    connect(w, &DbWorker::resetAllowed, this, [this](const QString &refusal, const QString &name) {
        m_resetName = name;
        m_health->setResetAllowed(refusal);
    });
    connect(w, &DbWorker::resetDone, this, [this](const QString &backup, int dropped, int applied) {
        statusBar()->showMessage(tr("Reset: dropped %1 tables, applied %2 migration(s); backup at %3").arg(dropped).arg(applied).arg(backup));
        m_health->showFailure(tr("Reset done. Backup: %1").arg(backup));
        refreshAll();
    });
    connect(w, &DbWorker::dataChanged, this, [this] {
        m_runs->reload();
        Q_EMIT requestMigrations();
    });

    // Panels' requests. Cancel is a direct call: the worker is busy, its queue would wait.
    connect(m_migrations, &MigrationsPanel::applyRequested, this, &MainWindow::requestApply);
    connect(m_migrations, &MigrationsPanel::cancelRequested, this, [w] { w->cancel(); });
    connect(m_tables, &TablesPanel::countRequested, this, &MainWindow::requestCounts);
    connect(m_tables, &TablesPanel::cancelRequested, this, [w] { w->cancel(); });
    connect(m_runs, &RunsPanel::runsRequested, this, &MainWindow::requestRuns);
    connect(m_runs, &RunsPanel::eventsRequested, this, &MainWindow::requestEvents);
    connect(m_health, &HealthPanel::checkRequested, this, &MainWindow::requestHealth);
    connect(m_health, &HealthPanel::cancelRequested, this, [w] { w->cancel(); });
    connect(m_health, &HealthPanel::resetRequested, this, &MainWindow::askReset, Qt::UniqueConnection);

    m_workerThread->start();
    refreshAll(); // opens, then loads every panel
    Q_EMIT requestWatch(1000);
    m_runs->setLive(config.backend() == Backend::Sqlite);
}

void MainWindow::refreshAll()
{
    if (!m_worker)
        return;
    Q_EMIT requestOpen();
    Q_EMIT requestMigrations();
    m_tables->refresh();
    m_runs->reload();
    Q_EMIT requestHealth(QString());
    Q_EMIT requestResetAllowed();
}

void MainWindow::stopWorker()
{
    if (!m_workerThread)
        return;
    disconnect(this, nullptr, m_worker, nullptr);
    for (QObject *panel : std::initializer_list<QObject *>{m_migrations, m_tables, m_runs, m_health})
        disconnect(panel, nullptr, this, nullptr);
    m_worker->cancel();
    m_workerThread->quit();
    m_workerThread->wait();
    delete m_workerThread;
    m_workerThread = nullptr;
    m_worker = nullptr;
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    for (QSplitter *splitter : findChildren<QSplitter *>())
        settings.setValue(QStringLiteral("splitters/") + splitter->objectName(), splitter->saveState());
    QMainWindow::closeEvent(event);
}

QString MainWindow::errorText() const
{
    return ui->errorBanner->isVisibleTo(this) ? ui->errorBanner->text() : QString();
}

void MainWindow::showError(const QString &message)
{
    ui->errorBanner->setText(message);
    ui->errorBanner->setVisible(true);
    statusBar()->showMessage(tr("Error"));
}

void MainWindow::routeFailure(const QString &operation, const QString &message)
{
    if (operation == QLatin1String("apply"))
        m_migrations->showFailure(message);
    else if (operation == QLatin1String("counts"))
        m_tables->showFailure(message);
    else if (operation == QLatin1String("health") || operation == QLatin1String("reset"))
        m_health->showFailure(message);
    else if (operation == QLatin1String("runs") || operation == QLatin1String("events"))
        statusBar()->showMessage(message, 10000);
    else
        showError(message);
}

void MainWindow::showOpened(const ConnectionSummary &summary)
{
    ui->errorBanner->setVisible(false);
    statusBar()->clearMessage();
    m_connection->showConnection(summary);
    const QLocale locale;
    m_urlLabel->setText(summary.displayUrl + (summary.isNew ? tr(" (new)") : QString()));
    m_driverLabel->setText(summary.driver);
    QStringList sizes;
    if (summary.fileBytes >= 0)
        sizes << tr("file %1").arg(locale.formattedDataSize(summary.fileBytes));
    if (summary.walBytes >= 0)
        sizes << tr("WAL %1").arg(locale.formattedDataSize(summary.walBytes));
    m_sizeLabel->setText(sizes.join(QStringLiteral(", ")));
    m_envLabel->setText(tr("env: %1").arg(summary.environment));
    m_envLabel->setStyleSheet(summary.environment == QLatin1String("production") ? QStringLiteral("QLabel { color: #c62828; font-weight: 600; }") : QString());
}

void MainWindow::askReset()
{
    if (!m_worker || m_resetName.isEmpty() || m_resetDialog)
        return;
    m_resetDialog = new ResetDialog(m_resetName, m_config->url().redacted(), this);
    m_resetDialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_resetDialog, &QDialog::accepted, this, [this] {
        Q_EMIT requestReset(m_resetDialog->typedName(), m_resetDialog->reapplyMigrations());
    });
    m_resetDialog->open();
}

void MainWindow::rememberRecent(const QString &path)
{
    QSettings settings;
    QStringList recent = settings.value(QStringLiteral("recentDatabases")).toStringList();
    recent.removeAll(path);
    recent.prepend(path);
    settings.setValue(QStringLiteral("recentDatabases"), recent.mid(0, 10));
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = QSettings().value(QStringLiteral("recentDatabases")).toStringList();
    for (const QString &path : recent)
        m_recentMenu->addAction(path, this, [this, path] { openFile(path); });
    m_recentMenu->setEnabled(!recent.isEmpty());
}

} // namespace dbdeck::gui

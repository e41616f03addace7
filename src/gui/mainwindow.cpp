#include "mainwindow.h"

#include "aboutdialog.h"
#include "connectionpanel.h"
#include "db/errors.h"
#include "dbsession.h"
#include "healthpanel.h"
#include "messagearea.h"
#include "migrationspanel.h"
#include "recentfiles.h"
#include "resetcontroller.h"
#include "runspanel.h"
#include "schemapanel.h"
#include "statusbadges.h"
#include "tablespanel.h"
#include "ui_mainwindow.h"

#include <QCloseEvent>
#include <QDesktopServices>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QLocale>
#include <QMenuBar>
#include <QScreen>
#include <QSettings>
#include <QSplitter>
#include <QUrl>

namespace dbdeck::gui {

namespace {

// One settings key per splitter, from its place in the window ("RunsPanel/runsSplitter"), so
// that no two splitters overwrite each other's layout.
QString splitterKey(const QSplitter *splitter)
{
    QStringList path;
    for (const QObject *o = splitter; o && !o->inherits("QMainWindow"); o = o->parent()) {
        if (!o->objectName().isEmpty() && (o == splitter || o->inherits("dbdeck::gui::SessionPanel")))
            path.prepend(o->objectName());
    }
    return QStringLiteral("splitters/") + path.join(QLatin1Char('/'));
}

bool sameSettings(const DbConfig &a, const DbConfig &b)
{
    const QList<SettingValue> x = a.values();
    const QList<SettingValue> y = b.values();
    if (x.size() != y.size())
        return false;
    for (int i = 0; i < x.size(); ++i) {
        if (x.at(i).name != y.at(i).name || x.at(i).value != y.at(i).value || x.at(i).origin != y.at(i).origin)
            return false;
    }
    return true;
}

} // namespace

MainWindow::MainWindow(std::optional<DbConfig> config, const QString &configError, QWidget *parent)
    : MainWindow(ConfigSource::fixed(std::move(config), configError), parent)
{
}

MainWindow::MainWindow(ConfigSource source, QWidget *parent)
    : QMainWindow(parent), ui(std::make_unique<Ui::MainWindow>()), m_source(std::move(source))
{
    ui->setupUi(this);
    m_migrations = new MigrationsPanel(this);
    m_tables = new TablesPanel(this);
    m_runs = new RunsPanel(this);
    m_health = new HealthPanel(this);
    m_connection = new ConnectionPanel(this);
    for (SessionPanel *panel : std::initializer_list<SessionPanel *>{m_migrations, m_tables, new SchemaPanel(this), m_runs, m_health, m_connection})
        addPanel(panel);
    m_badges = new StatusBadges(statusBar());
    m_badges->add(QStringLiteral("statusUrl"), 60);
    m_badges->add(QStringLiteral("statusDriver"), 16);
    m_badges->add(QStringLiteral("statusSizes"), 40); // "file 760.85 MiB, WAL 3.97 MiB": digits are wider than average
    m_badges->add(QStringLiteral("statusEnv"), 24);
    m_badges->add(QStringLiteral("statusAccess"), 20);
    m_reset = new ResetController(this, ui->windowMessages);
    connect(m_reset, &ResetController::resetFinished, this, &MainWindow::refreshPanels);
    m_health->setResetAction(m_reset->action());
    buildMenus();
    restoreLayout();
    loadConfiguration();
}

MainWindow::~MainWindow()
{
    closeSession();
}

void MainWindow::addPanel(SessionPanel *panel)
{
    m_panels << panel;
    ui->tabs->addTab(panel, panel->title());
    panel->setSession(m_session.get());
}

MessageArea *MainWindow::messageArea() const
{
    return ui->windowMessages;
}

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    m_openAction = file->addAction(tr("&Open SQLite file…"), this, &MainWindow::chooseFile);
    m_openAction->setShortcut(QKeySequence::Open);
    QMenu *recent = file->addMenu(tr("Open &recent"));
    m_recent = new RecentFiles(recent);
    connect(m_recent, &RecentFiles::chosen, this, &MainWindow::openFile);
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    m_reloadAction = view->addAction(tr("&Reload"), this, &MainWindow::reload);
    m_reloadAction->setShortcut(QKeySequence::Refresh); // F5
    m_reloadAction->setToolTip(tr("Read the configuration again and reload every tab (F5)"));
    for (int i = 0; i < m_panels.size(); ++i) {
        QAction *tab = view->addAction(m_panels.at(i)->title(), this, [this, i] { ui->tabs->setCurrentIndex(i); });
        tab->setShortcut(QKeySequence(Qt::ALT | Qt::Key(Qt::Key_1 + i)));
    }

    QMenu *database = menuBar()->addMenu(tr("&Database"));
    database->addAction(m_migrations->applyAction());
    database->addAction(tr("&Count tables"), this, [this] {
        ui->tabs->setCurrentWidget(m_tables);
        m_tables->reload();
    });
    QAction *exportCounts = database->addAction(tr("E&xport counts…"), m_tables, &TablesPanel::exportCounts);
    exportCounts->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    database->addAction(tr("&Integrity check"), this, [this] {
        ui->tabs->setCurrentWidget(m_health);
        m_health->startCheck(QStringLiteral("integrity"));
    });
    database->addAction(tr("&Foreign key check"), this, [this] {
        ui->tabs->setCurrentWidget(m_health);
        m_health->startCheck(QStringLiteral("foreign keys"));
    });
    database->addSeparator();
    database->addAction(m_reset->action());

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    QAction *docs = help->addAction(tr("&Documentation"), this, [] { QDesktopServices::openUrl(QUrl::fromLocalFile(AboutDialog::documentationFile())); });
    docs->setObjectName(QStringLiteral("documentationAction"));
    docs->setShortcut(QKeySequence::HelpContents);
    docs->setData(AboutDialog::documentationFile());
    QAction *about = help->addAction(tr("&About dbdeck"), this, &MainWindow::showAbout);
    about->setObjectName(QStringLiteral("aboutAction"));
}

void MainWindow::showTab(const QString &name)
{
    for (int i = 0; i < ui->tabs->count(); ++i) {
        if (ui->tabs->tabText(i).remove(QLatin1Char('&')).startsWith(name, Qt::CaseInsensitive))
            ui->tabs->setCurrentIndex(i);
    }
}

void MainWindow::loadConfiguration()
{
    try {
        QStringList replaced;
        const DbConfig config = m_openedFile.isEmpty() ? m_source.load() : m_source.forFile(m_openedFile, &replaced);
        if (m_session && m_config && sameSettings(*m_config, config)) {
            refreshPanels();
            return;
        }
        openDatabase(config);
    } catch (const ConfigError &error) {
        showConfigError(error.message());
    }
}

void MainWindow::reload()
{
    loadConfiguration();
}

void MainWindow::openFile(const QString &path)
{
    QStringList replaced;
    DbConfig config = DbConfig::forUrl(QStringLiteral("sqlite:///:memory:"));
    try {
        config = m_source.forFile(path, &replaced);
    } catch (const ConfigError &error) {
        showOpenFailure(error.message());
        return;
    }
    m_openedFile = QFileInfo(path).absoluteFilePath();
    openDatabase(config);
    if (!replaced.isEmpty())
        ui->windowMessages->showMessage(MessageArea::Kind::Warning,
                                        tr("The configuration has bad values (%1); %2 was opened with their defaults instead. "
                                           "Fix the configuration and press F5 to apply it.")
                                            .arg(replaced.join(QStringLiteral(", ")), QDir::toNativeSeparators(m_openedFile)));
}

void MainWindow::chooseFile()
{
    const QString start = m_config && m_config->backend() == Backend::Sqlite ? QFileInfo(m_config->url().sqliteFilePath()).absolutePath() : QString();
    const QString path = QFileDialog::getOpenFileName(this, tr("Open a SQLite database"), start,
                                                      tr("SQLite databases (*.db *.sqlite *.sqlite3);;All files (*)"));
    if (!path.isEmpty())
        openFile(path);
}

void MainWindow::closeSession()
{
    // Panels let go first, then the session stops its threads (cancelling what runs).
    for (SessionPanel *panel : std::as_const(m_panels))
        panel->setSession(nullptr);
    m_reset->setSession(nullptr);
    m_session.reset();
}

void MainWindow::openDatabase(const DbConfig &config)
{
    closeSession();
    m_config = config;
    ui->windowMessages->clearMessage();
    setWindowTitle(config.url().redacted()); // Qt adds the application's name
    m_badges->set(QStringLiteral("statusUrl"), config.url().redacted());
    m_badges->set(QStringLiteral("statusDriver"), QString());
    m_badges->set(QStringLiteral("statusSizes"), QString());
    m_badges->set(QStringLiteral("statusEnv"), QString());
    m_badges->set(QStringLiteral("statusAccess"), QString());
    statusBar()->showMessage(tr("Opening…"));
    if (config.backend() == Backend::Sqlite && !config.url().isMemory())
        m_recent->remember(config.url().sqliteFilePath());

    m_session = std::make_unique<DbSession>(config);
    DbSession *s = m_session.get();
    connect(s, &DbSession::opened, this, &MainWindow::showOpened);
    connect(s, &DbSession::failed, this, [this](const QString &operation, const QString &message) {
        if (operation == QLatin1String("open"))
            showOpenFailure(message);
    });
    connect(s, &DbSession::fileSizesChanged, this, &MainWindow::showSizes);
    connect(s, &DbSession::writeRequested, this, [this](const QString &action) {
        if (!m_badges->text(QStringLiteral("statusAccess")).isEmpty())
            m_badges->set(QStringLiteral("statusAccess"), tr("read-write"), StatusBadges::Tone::Normal,
                          tr("Opened for writing in this session (%1)").arg(action));
    });
    connect(s, &DbSession::databaseGone, this, [this](const QString &path) {
        ui->windowMessages->showMessage(MessageArea::Kind::Warning,
                                        tr("%1 was deleted or moved while it was open: what you see is its last state. "
                                           "Reload to open what is at that path now.").arg(QDir::toNativeSeparators(path)),
                                        {m_reloadAction});
    });
    connect(s, &DbSession::databaseAppeared, this, &MainWindow::refreshPanels);
    for (SessionPanel *panel : std::as_const(m_panels))
        panel->setSession(s);
    m_reset->setSession(s);
    refreshPanels();
    s->watch(1000);
}

void MainWindow::refreshPanels()
{
    if (!m_session)
        return;
    m_session->open();
    for (SessionPanel *panel : std::as_const(m_panels))
        panel->reload();
    m_session->checkResetAllowed();
}

void MainWindow::showConfigError(const QString &message)
{
    closeSession();
    m_config.reset();
    setWindowTitle(tr("Configuration error"));
    for (const QString &badge : {QStringLiteral("statusUrl"), QStringLiteral("statusDriver"), QStringLiteral("statusSizes"),
                                 QStringLiteral("statusEnv"), QStringLiteral("statusAccess")})
        m_badges->set(badge, QString());
    // The Connection tab shows every setting's source, the bad one marked: what the user needs now.
    m_connection->showSettings(m_source.describe(), Backend::Sqlite);
    ui->windowMessages->showMessage(MessageArea::Kind::Error,
                                    tr("The configuration has a bad value; no database was opened.\n\n%1\n\n"
                                       "Fix it and press F5 to read it again, or open a SQLite file.").arg(message),
                                    {m_reloadAction, m_openAction});
    statusBar()->showMessage(tr("Configuration error"));
}

void MainWindow::showOpenFailure(const QString &message)
{
    ui->windowMessages->showMessage(MessageArea::Kind::Error, tr("The database could not be opened: %1").arg(message), {m_reloadAction, m_openAction});
    statusBar()->showMessage(tr("Error"));
}

QString MainWindow::errorText() const
{
    const MessageArea *area = ui->windowMessages;
    return area->kind() == MessageArea::Kind::Error ? area->text() : QString();
}

void MainWindow::showOpened(const ConnectionSummary &summary)
{
    if (errorText().startsWith(tr("The database could not be opened")))
        ui->windowMessages->clearMessage(); // opened after all (Reload)
    statusBar()->clearMessage();
    m_badges->set(QStringLiteral("statusUrl"), summary.displayUrl + (summary.isNew ? tr(" (new)") : QString()));
    m_badges->set(QStringLiteral("statusDriver"), summary.driver);
    showSizes(summary.sizes);
    showAccess(summary);
    const bool production = summary.environment == QLatin1String("production");
    m_badges->set(QStringLiteral("statusEnv"), tr("env: %1").arg(summary.environment), production ? StatusBadges::Tone::Attention : StatusBadges::Tone::Normal,
                  tr("The environment recorded in the database (APP_ENV when it was migrated)"));
}

void MainWindow::showAccess(const ConnectionSummary &summary)
{
    const QString badge = QStringLiteral("statusAccess");
    if (!summary.writeAccess.possible)
        m_badges->set(badge, tr("read-only"), StatusBadges::Tone::Attention,
                      tr("Write actions are disabled: %1").arg(summary.writeAccess.reason));
    else if (m_badges->text(badge) == tr("read-write"))
        return; // this session has asked for a write: reloads do not make it read-only again
    else if (summary.lookingOnly)
        m_badges->set(badge, tr("looking · read-only"), StatusBadges::Tone::Normal,
                      tr("Opened read-only: looking never changes the database. It is opened for writing when you ask "
                         "for a write (Apply pending, Reset)."));
    else
        m_badges->set(badge, QString()); // :memory:
}

void MainWindow::showSizes(const FileSizes &sizes)
{
    const QLocale locale;
    QStringList parts;
    if (sizes.fileBytes >= 0)
        parts << tr("file %1").arg(locale.formattedDataSize(sizes.fileBytes));
    if (sizes.walBytes >= 0)
        parts << tr("WAL %1").arg(locale.formattedDataSize(sizes.walBytes));
    m_badges->set(QStringLiteral("statusSizes"), parts.join(QStringLiteral(", ")));
}

void MainWindow::showAbout()
{
    QList<SettingValue> settings = m_config ? m_config->values() : m_source.describe();
    AboutDialog dialog(settings, this);
    dialog.exec();
}

void MainWindow::restoreLayout()
{
    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    for (QSplitter *splitter : findChildren<QSplitter *>())
        splitter->restoreState(settings.value(splitterKey(splitter)).toByteArray());
}

void MainWindow::saveLayout()
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    for (QSplitter *splitter : findChildren<QSplitter *>())
        settings.setValue(splitterKey(splitter), splitter->saveState());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveLayout();
    QMainWindow::closeEvent(event);
}

void MainWindow::showEvent(QShowEvent *event)
{
    QMainWindow::showEvent(event);
    if (!m_fitted) {
        m_fitted = true;
        fitIntoScreen();
    }
}

void MainWindow::fitIntoScreen()
{
    // A saved geometry from a bigger screen, or the default size at a scale factor of 2, must
    // not put the window (or its title bar) beyond the screen.
    const QScreen *screen = this->screen();
    if (!screen)
        return;
    const QRect available = screen->availableGeometry();
    const QMargins frame(frameGeometry().left() - geometry().left(), frameGeometry().top() - geometry().top(),
                         frameGeometry().right() - geometry().right(), frameGeometry().bottom() - geometry().bottom());
    const QSize room = available.size() - QSize(frame.left() + frame.right(), frame.top() + frame.bottom());
    QSize size = this->size();
    if (size.width() > room.width() || size.height() > room.height())
        size = size.boundedTo(room * 0.95).expandedTo(minimumSizeHint().boundedTo(room));
    resize(size);
    QRect frameRect = frameGeometry();
    if (!available.contains(frameRect)) {
        frameRect.moveCenter(available.center());
        frameRect.moveTop(std::max(frameRect.top(), available.top()));
        frameRect.moveLeft(std::max(frameRect.left(), available.left()));
        move(frameRect.topLeft());
    }
}

} // namespace dbdeck::gui

#include "mainwindow.h"

#include "connectionpanel.h"
#include "ui_mainwindow.h"

#include <QLabel>
#include <QLocale>

namespace dbdeck::gui {

MainWindow::MainWindow(std::optional<DbConfig> config, const QString &configError, QWidget *parent)
    : QMainWindow(parent), ui(std::make_unique<Ui::MainWindow>()), m_config(std::move(config))
{
    ui->setupUi(this);
    connect(ui->actionQuit, &QAction::triggered, this, &QWidget::close);
    m_connectionPanel = new ConnectionPanel(this);
    ui->tabs->addTab(m_connectionPanel, tr("Connection"));

    if (!m_config) {
        setWindowTitle(tr("dbdeck — configuration error"));
        showError(tr("The configuration has a bad value; no database was opened.\n\n%1").arg(configError));
        return;
    }
    setWindowTitle(tr("dbdeck — %1").arg(m_config->url().redacted()));
    m_connectionPanel->showSettings(m_config->values(), m_config->backend());
    statusBar()->showMessage(tr("Opening %1…").arg(m_config->url().redacted()));

    m_workerThread.setObjectName(QStringLiteral("dbdeck-worker"));
    m_worker = new DbWorker(*m_config);
    m_worker->moveToThread(&m_workerThread);
    connect(&m_workerThread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(this, &MainWindow::requestOpen, m_worker, &DbWorker::open);
    connect(m_worker, &DbWorker::opened, this, &MainWindow::showOpened);
    connect(m_worker, &DbWorker::failed, this, &MainWindow::showError);
    m_workerThread.start();
    Q_EMIT requestOpen();
}

MainWindow::~MainWindow()
{
    m_workerThread.quit();
    m_workerThread.wait();
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

void MainWindow::showOpened(const ConnectionSummary &summary)
{
    ui->errorBanner->setVisible(false);
    m_connectionPanel->showConnection(summary);
    const QLocale locale;
    QStringList parts{summary.displayUrl, summary.driver};
    if (summary.fileBytes >= 0)
        parts << tr("file %1").arg(locale.formattedDataSize(summary.fileBytes));
    if (summary.walBytes >= 0)
        parts << tr("WAL %1").arg(locale.formattedDataSize(summary.walBytes));
    parts << tr("env: %1").arg(m_config->appEnv());
    statusBar()->showMessage(parts.join(QStringLiteral("  ·  ")));
}

} // namespace dbdeck::gui

#include "healthpanel.h"

#include "celltablemodel.h"
#include "datatableview.h"
#include "dbsession.h"
#include "messagearea.h"
#include "ui_healthpanel.h"

#include <QAction>

namespace dbdeck::gui {

HealthPanel::HealthPanel(QWidget *parent) : SessionPanel(parent), ui(std::make_unique<Ui::HealthPanel>())
{
    ui->setupUi(this);
    m_indexes = new CellTableModel({tr("Needed for"), tr("Table (columns)"), tr("Index")}, this);
    ui->indexesTable->setSortableModel(m_indexes, CellTableModel::SortRole);
    ui->indexesTable->setColumnWidthsInCharacters({20, 20}); // the Index column stays in view at 1200 px
    ui->indexesTable->setPlaceholderText(tr("No database is open"));
    ui->resultView->setPlaceholderText(tr("Run a check to see its findings here"));
    ui->resultView->setMinimumSize(120, 60);
    connect(ui->integrityButton, &QPushButton::clicked, this, [this] { startCheck(QStringLiteral("integrity")); });
    connect(ui->foreignKeyButton, &QPushButton::clicked, this, [this] { startCheck(QStringLiteral("foreign keys")); });
    connect(ui->cancelButton, &QPushButton::clicked, this, [this] {
        ui->cancelButton->setEnabled(false);
        if (m_session)
            m_session->cancelLongJob();
    });
    setSession(nullptr);
}

HealthPanel::~HealthPanel() = default;

MessageArea *HealthPanel::messageArea() const
{
    return ui->messages;
}

QString HealthPanel::resultText() const
{
    return ui->resultView->toPlainText();
}

void HealthPanel::setResetAction(QAction *reset)
{
    m_reset = reset;
    ui->resetButton->setDefaultAction(reset);
    const auto sync = [this] {
        // The action's tooltip is its guard's verdict: why it is disabled, or what it does.
        ui->resetReason->setText(m_reset->toolTip());
    };
    connect(reset, &QAction::changed, this, sync);
    sync();
}

void HealthPanel::setSession(DbSession *session)
{
    if (m_session)
        disconnect(m_session, nullptr, this, nullptr);
    m_session = session;
    m_indexes->clear();
    ui->resultView->clear();
    ui->messages->clearMessage();
    finishCheck();
    ui->integrityButton->setEnabled(session);
    ui->foreignKeyButton->setEnabled(session);
    ui->indexesTable->setPlaceholderText(session ? tr("No indexes to check") : tr("No database is open"));
    if (!session)
        return;
    connect(session, &DbSession::healthReady, this, &HealthPanel::showReport);
    connect(session, &DbSession::indexesLoaded, this, &HealthPanel::showIndexes);
    connect(session, &DbSession::failed, this, &HealthPanel::showFailure);
    connect(session, &DbSession::cancelled, this, [this](const QString &operation) {
        if (operation != QLatin1String("health"))
            return;
        finishCheck();
        ui->messages->showMessage(MessageArea::Kind::Information, tr("The check was cancelled."));
    });
}

void HealthPanel::reload()
{
    if (!m_session)
        return;
    ui->indexesTable->setLoading(true);
    m_session->loadIndexes();
}

void HealthPanel::startCheck(const QString &check)
{
    if (!m_session)
        return;
    ui->integrityButton->setEnabled(false);
    ui->foreignKeyButton->setEnabled(false);
    ui->cancelButton->setEnabled(true);
    ui->progressBar->setRange(0, 0); // busy: SQLite reports no progress for these
    ui->progressBar->setVisible(true);
    ui->resultView->clear();
    ui->messages->showMessage(MessageArea::Kind::Information, tr("Running the %1 check…").arg(check));
    m_session->checkHealth(check);
}

void HealthPanel::finishCheck()
{
    ui->integrityButton->setEnabled(m_session);
    ui->foreignKeyButton->setEnabled(m_session);
    ui->cancelButton->setEnabled(false);
    ui->progressBar->setVisible(false);
}

void HealthPanel::showReport(const HealthReport &report)
{
    finishCheck();
    if (m_session && m_session->config().backend() != Backend::Sqlite) {
        ui->messages->showMessage(MessageArea::Kind::Information, tr("PostgreSQL has no %1 check; the server keeps its own consistency.").arg(report.check));
        ui->resultView->setPlainText(tr("%1 check: not checked on PostgreSQL").arg(report.check));
        return;
    }
    if (report.findings.isEmpty()) {
        ui->messages->showMessage(MessageArea::Kind::Positive, tr("%1 check: ok").arg(report.check));
        ui->resultView->setPlainText(tr("%1 check: ok").arg(report.check));
        return;
    }
    ui->messages->showMessage(MessageArea::Kind::Error, tr("The %1 check found %n problem(s); they are listed below.", nullptr, int(report.findings.size())).arg(report.check));
    ui->resultView->setPlainText(report.findings.join(QLatin1Char('\n')));
}

void HealthPanel::showIndexes(const QList<CriticalIndex> &indexes)
{
    ui->indexesTable->setLoading(false);
    QList<TableRow> rows;
    for (const CriticalIndex &i : indexes) {
        // A table that is not there (not migrated yet) is said so, not failed as a missing index.
        TableCell found(i.present() ? i.foundName : i.tableExists ? tr("MISSING") : tr("no table (not migrated yet?)"));
        found.state = i.present() ? QStringLiteral("applied") : i.missing() ? QStringLiteral("failed") : QStringLiteral("pending");
        const QString target = QStringLiteral("%1 (%2)").arg(i.table, i.columns.join(QStringLiteral(", ")));
        rows << TableRow{target, {TableCell(i.purpose), TableCell(target), found}};
    }
    m_indexes->setRows(rows);
}

void HealthPanel::showFailure(const QString &operation, const QString &message)
{
    if (operation == QLatin1String("indexes")) {
        ui->indexesTable->setLoading(false);
        ui->messages->showMessage(MessageArea::Kind::Error, tr("Could not read the indexes: %1").arg(message));
    } else if (operation == QLatin1String("health")) {
        finishCheck();
        ui->messages->showMessage(MessageArea::Kind::Error, message);
    }
}

} // namespace dbdeck::gui

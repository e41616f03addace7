#include "healthpanel.h"

#include "stateicons.h"
#include "ui_healthpanel.h"

#include <QHeaderView>

namespace dbdeck::gui {

HealthPanel::HealthPanel(QWidget *parent) : QWidget(parent), ui(std::make_unique<Ui::HealthPanel>())
{
    ui->setupUi(this);
    ui->indexesTable->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    ui->resultView->setPlaceholderText(tr("Run a check to see its result here"));
    connect(ui->integrityButton, &QPushButton::clicked, this, [this] { start(QStringLiteral("integrity")); });
    connect(ui->foreignKeyButton, &QPushButton::clicked, this, [this] { start(QStringLiteral("foreign keys")); });
    connect(ui->cancelButton, &QPushButton::clicked, this, [this] {
        ui->cancelButton->setEnabled(false);
        Q_EMIT cancelRequested();
    });
    connect(ui->resetButton, &QPushButton::clicked, this, &HealthPanel::resetRequested);
    setResetAllowed(tr("checking…"));
}

HealthPanel::~HealthPanel() = default;

QString HealthPanel::resultText() const
{
    return ui->resultView->toPlainText();
}

void HealthPanel::start(const QString &check)
{
    ui->integrityButton->setEnabled(false);
    ui->foreignKeyButton->setEnabled(false);
    ui->cancelButton->setEnabled(true);
    ui->progressBar->setRange(0, 0); // busy: SQLite reports no progress for these
    ui->progressBar->setVisible(true);
    ui->resultView->setPlainText(tr("Running the %1 check…").arg(check));
    Q_EMIT checkRequested(check);
}

void HealthPanel::showReport(const HealthReport &report)
{
    ui->integrityButton->setEnabled(true);
    ui->foreignKeyButton->setEnabled(true);
    ui->cancelButton->setEnabled(false);
    ui->progressBar->setVisible(false);
    if (!report.check.isEmpty())
        ui->resultView->setPlainText(report.findings.isEmpty() ? tr("%1 check: ok").arg(report.check)
                                                               : tr("%1 check found %2 problem(s):\n%3")
                                                                     .arg(report.check).arg(report.findings.size())
                                                                     .arg(report.findings.join(QLatin1Char('\n'))));
    ui->indexesTable->setRowCount(int(report.indexes.size()));
    for (int row = 0; row < report.indexes.size(); ++row) {
        const CriticalIndex &i = report.indexes.at(row);
        auto *found = new QTableWidgetItem(i.present() ? i.foundName : tr("MISSING"));
        found->setIcon(StateIcons::icon(i.present() ? QStringLiteral("applied") : QStringLiteral("failed")));
        ui->indexesTable->setItem(row, 0, new QTableWidgetItem(i.purpose));
        ui->indexesTable->setItem(row, 1, new QTableWidgetItem(QStringLiteral("%1 (%2)").arg(i.table, i.columns.join(QStringLiteral(", ")))));
        ui->indexesTable->setItem(row, 2, found);
    }
}

void HealthPanel::showFailure(const QString &message)
{
    ui->integrityButton->setEnabled(true);
    ui->foreignKeyButton->setEnabled(true);
    ui->cancelButton->setEnabled(false);
    ui->progressBar->setVisible(false);
    ui->resultView->setPlainText(message);
}

void HealthPanel::setResetAllowed(const QString &refusal)
{
    ui->resetButton->setEnabled(refusal.isEmpty());
    ui->resetButton->setToolTip(refusal.isEmpty() ? tr("Back up, drop every table and re-apply the migrations") : refusal);
    ui->resetReason->setText(refusal.isEmpty() ? tr("Reset is allowed (DBDECK_ALLOW_RESET=1): a backup is taken first.") : refusal);
}

} // namespace dbdeck::gui

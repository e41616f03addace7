#include "migrationspanel.h"

#include "stateicons.h"
#include "tablecell.h"
#include "ui_migrationspanel.h"

#include <QFile>
#include <QFontDatabase>
#include <QHeaderView>

namespace dbdeck::gui {

namespace {

QString v(qint64 version)
{
    return MigrationFile::formatVersion(version);
}

} // namespace

MigrationsPanel::MigrationsPanel(QWidget *parent) : QWidget(parent), ui(std::make_unique<Ui::MigrationsPanel>())
{
    ui->setupUi(this);
    ui->sqlView->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    ui->migrationsTable->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    ui->journalTable->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    connect(ui->applyButton, &QPushButton::clicked, this, [this] {
        m_applying = true;
        ui->applyButton->setEnabled(false);
        ui->cancelButton->setEnabled(true);
        ui->progressBar->setValue(0);
        ui->progressBar->setVisible(true);
        ui->statusLabel->setText(tr("Applying…"));
        Q_EMIT applyRequested();
    });
    connect(ui->cancelButton, &QPushButton::clicked, this, [this] {
        ui->cancelButton->setEnabled(false);
        ui->statusLabel->setText(tr("Cancelling after the current migration…"));
        Q_EMIT cancelRequested();
    });
    connect(ui->migrationsTable, &QTableWidget::itemSelectionChanged, this, &MigrationsPanel::showSelectedSql);
}

MigrationsPanel::~MigrationsPanel() = default;

QString MigrationsPanel::statusText() const
{
    return ui->statusLabel->text();
}

void MigrationsPanel::showView(const MigrationView &view)
{
    m_view = view;
    const StatusReport &st = view.status;
    const int pending = st.count(MigrationState::Pending);
    ui->versionLabel->setText(tr("Current %1  ·  head %2  ·  %3 pending%4")
                                  .arg(v(st.current), st.head ? v(st.head) : tr("none"))
                                  .arg(pending)
                                  .arg(st.databaseExists ? QString() : tr("  ·  new database (not created yet)")));
    const QString selected = ui->migrationsTable->currentRow() >= 0 && ui->migrationsTable->item(ui->migrationsTable->currentRow(), 0)
        ? ui->migrationsTable->item(ui->migrationsTable->currentRow(), 0)->text() : QString();
    ui->migrationsTable->setRowCount(int(st.migrations.size()));
    for (int row = 0; row < st.migrations.size(); ++row) {
        const MigrationStatus &m = st.migrations.at(row);
        QString state = stateName(m.state);
        if (m.state == MigrationState::FailedPartial)
            state += QStringLiteral(" (%1/%2)").arg(m.statementsDone).arg(m.statementsTotal);
        auto *stateItem = tableCell(state);
        stateItem->setIcon(StateIcons::icon(stateName(m.state)));
        stateItem->setForeground(StateIcons::colour(stateName(m.state)));
        ui->migrationsTable->setItem(row, 0, tableCell(v(m.version)));
        ui->migrationsTable->setItem(row, 1, tableCell(m.name));
        ui->migrationsTable->setItem(row, 2, stateItem);
        ui->migrationsTable->setItem(row, 3, tableCell(m.appliedAt.left(19)));
        ui->migrationsTable->setItem(row, 4, tableCell(m.appliedAt.isEmpty() ? QString() : tr("%1 ms").arg(m.executionMs)));
        if (v(m.version) == selected)
            ui->migrationsTable->selectRow(row);
    }
    if (selected.isEmpty() && !st.migrations.isEmpty()) {
        // Show the first pending migration's SQL, or else the newest one's.
        int first = int(st.migrations.size()) - 1;
        for (int row = 0; row < st.migrations.size(); ++row) {
            if (st.migrations.at(row).state == MigrationState::Pending) {
                first = row;
                break;
            }
        }
        ui->migrationsTable->selectRow(first);
    }
    ui->journalTable->setRowCount(int(view.journal.size()));
    for (int row = 0; row < view.journal.size(); ++row) {
        const JournalEntry &e = view.journal.at(row);
        auto *outcome = tableCell(e.outcome);
        outcome->setForeground(StateIcons::colour(e.outcome == QLatin1String("succeeded") ? QStringLiteral("applied") : e.outcome == QLatin1String("failed") ? QStringLiteral("failed") : QStringLiteral("warning")));
        ui->journalTable->setItem(row, 0, tableCell(e.startedAt.left(19)));
        ui->journalTable->setItem(row, 1, tableCell(e.operation + (e.forced ? tr(" (forced)") : QString())));
        ui->journalTable->setItem(row, 2, tableCell(e.fromVersion ? v(*e.fromVersion) : QString()));
        ui->journalTable->setItem(row, 3, tableCell(e.toVersion ? v(*e.toVersion) : QString()));
        ui->journalTable->setItem(row, 4, outcome);
        ui->journalTable->setItem(row, 5, tableCell(e.runBy));
        ui->journalTable->setItem(row, 6, tableCell(e.error.isEmpty() ? e.detail : e.error));
    }
    if (!m_applying) {
        ui->applyButton->setEnabled(view.applyBlockedReason.isEmpty());
        ui->applyButton->setToolTip(view.applyBlockedReason.isEmpty() ? tr("Apply %1 pending migration(s)").arg(pending)
                                                                      : tr("Disabled: %1").arg(view.applyBlockedReason));
        if (!view.applyBlockedReason.isEmpty() && ui->statusLabel->text().isEmpty())
            ui->statusLabel->setText(view.applyBlockedReason);
    }
    showSelectedSql();
}

void MigrationsPanel::showSelectedSql()
{
    const int row = ui->migrationsTable->currentRow();
    if (row < 0 || row >= m_view.status.migrations.size()) {
        ui->sqlView->clear();
        return;
    }
    const MigrationStatus &m = m_view.status.migrations.at(row);
    QFile file(m.path);
    if (m.path.isEmpty() || !file.open(QIODevice::ReadOnly)) {
        ui->sqlView->setPlainText(tr("-- %1: the file is missing (applied %2 by %3)").arg(m.name, m.appliedAt, m.appliedBy));
        return;
    }
    ui->sqlView->setPlainText(QString::fromUtf8(file.readAll()));
}

void MigrationsPanel::showProgress(int index, int total, const QString &name, bool finished)
{
    ui->progressBar->setMaximum(total);
    ui->progressBar->setValue(finished ? index : index - 1);
    ui->statusLabel->setText(finished ? tr("%1 applied (%2 of %3)").arg(name).arg(index).arg(total)
                                      : tr("Applying %1 (%2 of %3)…").arg(name).arg(index).arg(total));
}

void MigrationsPanel::showApplied(const QStringList &done, bool cancelled)
{
    m_applying = false;
    ui->cancelButton->setEnabled(false);
    ui->progressBar->setVisible(false);
    ui->statusLabel->setStyleSheet(QString());
    ui->statusLabel->setText(cancelled ? tr("Cancelled after %1 migration(s).").arg(done.size())
                                       : done.isEmpty() ? tr("Nothing to apply.") : tr("Applied %1 migration(s).").arg(done.size()));
}

void MigrationsPanel::showFailure(const QString &message)
{
    m_applying = false;
    ui->cancelButton->setEnabled(false);
    ui->progressBar->setVisible(false);
    ui->statusLabel->setStyleSheet(QStringLiteral("QLabel { color: #c62828; }"));
    ui->statusLabel->setText(message);
}

} // namespace dbdeck::gui

#include "tablespanel.h"

#include "admin/countsexport.h"
#include "countbardelegate.h"
#include "db/errors.h"
#include "ui_tablespanel.h"

#include <QFileDialog>
#include <QHeaderView>
#include <QLocale>

namespace dbdeck::gui {

TablesPanel::TablesPanel(QWidget *parent) : QWidget(parent), ui(std::make_unique<Ui::TablesPanel>())
{
    ui->setupUi(this);
    ui->countsTable->setItemDelegateForColumn(1, new CountBarDelegate(ui->countsTable));
    ui->countsTable->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    ui->countsTable->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Interactive);
    ui->countsTable->setColumnWidth(1, 260);
    connect(ui->refreshButton, &QPushButton::clicked, this, &TablesPanel::refresh);
    connect(ui->cancelButton, &QPushButton::clicked, this, [this] {
        ui->cancelButton->setEnabled(false);
        Q_EMIT cancelRequested();
    });
    connect(ui->exportButton, &QPushButton::clicked, this, &TablesPanel::exportCounts);
    m_askTarget = [this](QString *format) {
        QString filter;
        const QString path = QFileDialog::getSaveFileName(this, tr("Export counts"), QStringLiteral("table-counts.csv"),
                                                          tr("CSV (*.csv);;JSON (*.json)"), &filter);
        *format = filter.startsWith(QLatin1String("JSON")) || path.endsWith(QLatin1String(".json")) ? QStringLiteral("json") : QStringLiteral("csv");
        return path;
    };
}

TablesPanel::~TablesPanel() = default;

QString TablesPanel::statusText() const
{
    return ui->statusLabel->text();
}

void TablesPanel::refresh()
{
    ui->refreshButton->setEnabled(false);
    ui->cancelButton->setEnabled(true);
    ui->progressBar->setValue(0);
    ui->progressBar->setVisible(true);
    ui->statusLabel->setStyleSheet(QString());
    ui->statusLabel->setText(tr("Counting…"));
    Q_EMIT countRequested();
}

void TablesPanel::showProgress(int done, int total, const QString &table)
{
    ui->progressBar->setMaximum(std::max(1, total));
    ui->progressBar->setValue(done);
    if (!table.isEmpty())
        ui->statusLabel->setText(tr("Counting %1 (%2 of %3)…").arg(table).arg(done + 1).arg(total));
}

void TablesPanel::showCounts(const QList<TableCount> &counts)
{
    m_counts = counts;
    qint64 largest = 1;
    qint64 total = 0;
    for (const TableCount &c : counts) {
        largest = std::max(largest, c.rows);
        total += c.rows;
    }
    const QLocale locale;
    ui->countsTable->setUpdatesEnabled(false);
    ui->countsTable->setSortingEnabled(false);
    ui->countsTable->setRowCount(int(counts.size()));
    for (int row = 0; row < counts.size(); ++row) {
        const TableCount &c = counts.at(row);
        auto *name = new QTableWidgetItem(c.table);
        auto *rows = new QTableWidgetItem(c.estimate >= 0 ? tr("%1  (estimate ~%2)").arg(locale.toString(c.rows), locale.toString(c.estimate))
                                                          : locale.toString(c.rows));
        if (c.estimate >= 0)
            rows->setToolTip(tr("Exact count %1; PostgreSQL's planner estimate (pg_class.reltuples) is %2")
                                 .arg(locale.toString(c.rows), locale.toString(c.estimate)));
        rows->setData(Qt::UserRole, double(c.rows) / double(largest));
        rows->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        auto *indexes = new QTableWidgetItem(QString::number(c.indexes));
        indexes->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        auto *owner = new QTableWidgetItem(c.dbdeckOwned ? tr("dbdeck") : tr("application"));
        if (c.dbdeckOwned) {
            for (QTableWidgetItem *item : {name, owner})
                item->setForeground(palette().color(QPalette::Disabled, QPalette::Text));
            name->setToolTip(tr("dbdeck's own table"));
        }
        ui->countsTable->setItem(row, 0, name);
        ui->countsTable->setItem(row, 1, rows);
        ui->countsTable->setItem(row, 2, indexes);
        ui->countsTable->setItem(row, 3, owner);
    }
    ui->countsTable->setUpdatesEnabled(true);
    ui->refreshButton->setEnabled(true);
    ui->cancelButton->setEnabled(false);
    ui->exportButton->setEnabled(!counts.isEmpty());
    ui->progressBar->setVisible(false);
    ui->statusLabel->setText(tr("%1 tables, %2 rows").arg(counts.size()).arg(locale.toString(total)));
}

void TablesPanel::showFailure(const QString &message)
{
    ui->refreshButton->setEnabled(true);
    ui->cancelButton->setEnabled(false);
    ui->progressBar->setVisible(false);
    ui->statusLabel->setStyleSheet(message.startsWith(QLatin1String("cancelled")) ? QString() : QStringLiteral("QLabel { color: #c62828; }"));
    ui->statusLabel->setText(message);
}

void TablesPanel::exportCounts()
{
    if (m_counts.isEmpty())
        return;
    QString format = QStringLiteral("csv");
    const QString path = m_askTarget(&format);
    if (path.isEmpty())
        return;
    try {
        CountsExport::write(path, m_counts, format);
        ui->statusLabel->setStyleSheet(QString());
        ui->statusLabel->setText(tr("Exported %1 table counts to %2").arg(m_counts.size()).arg(path));
    } catch (const DbError &error) {
        showFailure(error.message());
    }
}

} // namespace dbdeck::gui

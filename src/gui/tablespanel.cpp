#include "tablespanel.h"

#include "admin/countsexport.h"
#include "celltablemodel.h"
#include "countbardelegate.h"
#include "datatableview.h"
#include "dbsession.h"
#include "messagearea.h"
#include "ui_tablespanel.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QLocale>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QTimer>

namespace dbdeck::gui {

namespace {

const QString kLastFolderKey = QStringLiteral("export/lastFolder");

} // namespace

TablesPanel::TablesPanel(QWidget *parent) : SessionPanel(parent), ui(std::make_unique<Ui::TablesPanel>())
{
    ui->setupUi(this);
    m_model = new CellTableModel({tr("Table"), tr("Rows"), tr("Indexes"), tr("Owner")}, this);
    m_sorted = ui->countsTable->setSortableModel(m_model, CellTableModel::SortRole, 0); // the application's tables first
    ui->countsTable->setItemDelegateForColumn(1, new CountBarDelegate(ui->countsTable));
    ui->countsTable->setColumnWidthsInCharacters({32, 34, 8});
    ui->countsTable->setPlaceholderText(tr("No tables"));
    m_recount = new QTimer(this);
    m_recount->setSingleShot(true);
    m_recount->setInterval(3000); // a burst of writes gives one recount, after it
    connect(m_recount, &QTimer::timeout, this, &TablesPanel::reload);
    connect(ui->refreshButton, &QPushButton::clicked, this, &TablesPanel::reload);
    connect(ui->cancelButton, &QPushButton::clicked, this, [this] {
        ui->cancelButton->setEnabled(false);
        if (m_session)
            m_session->cancelLongJob();
    });
    connect(ui->exportButton, &QPushButton::clicked, this, &TablesPanel::exportCounts);
    m_askTarget = [this](QString *format) {
        QString filter;
        const QString path = QFileDialog::getSaveFileName(this, tr("Export counts"), defaultExportPath(QStringLiteral("csv")),
                                                          tr("CSV (*.csv);;JSON (*.json)"), &filter);
        *format = filter.startsWith(QLatin1String("JSON")) || path.endsWith(QLatin1String(".json")) ? QStringLiteral("json") : QStringLiteral("csv");
        return path;
    };
    setSession(nullptr);
}

TablesPanel::~TablesPanel() = default;

MessageArea *TablesPanel::messageArea() const
{
    return ui->messages;
}

QString TablesPanel::statusText() const
{
    return ui->statusLabel->text();
}

void TablesPanel::setSession(DbSession *session)
{
    if (m_session)
        disconnect(m_session, nullptr, this, nullptr);
    m_session = session;
    m_recount->stop();
    m_model->clear();
    m_report = {};
    m_counting = m_changedSince = false;
    ui->messages->clearMessage();
    ui->progressBar->setVisible(false);
    ui->cancelButton->setEnabled(false);
    ui->refreshButton->setEnabled(session);
    ui->exportButton->setEnabled(false);
    ui->statusLabel->clear();
    ui->countsTable->setPlaceholderText(session ? tr("No tables") : tr("No database is open"));
    if (!session)
        return;
    connect(session, &DbSession::countsProgress, this, &TablesPanel::showProgress);
    connect(session, &DbSession::countsReady, this, &TablesPanel::showCounts);
    connect(session, &DbSession::failed, this, &TablesPanel::showFailure);
    connect(session, &DbSession::dataChanged, this, &TablesPanel::noteChange);
}

void TablesPanel::reload()
{
    if (!m_session)
        return;
    m_recount->stop();
    m_counting = true;
    ui->refreshButton->setEnabled(false);
    ui->cancelButton->setEnabled(true);
    ui->progressBar->setValue(0);
    ui->progressBar->setVisible(true);
    ui->countsTable->setLoading(true, tr("Counting…"));
    ui->statusLabel->setText(tr("Counting…"));
    m_session->countTables();
}

void TablesPanel::noteChange()
{
    if (m_counting || !m_report.takenAt.isValid())
        return;
    if (m_report.elapsedMs < m_recountBelowMs) {
        m_recount->start();
    } else {
        m_changedSince = true;
        updateStatus();
    }
}

void TablesPanel::showProgress(int done, int total, const QString &table)
{
    ui->progressBar->setMaximum(std::max(1, total));
    ui->progressBar->setValue(done);
    if (!table.isEmpty())
        ui->statusLabel->setText(tr("Counting %1 (%2 of %3)…").arg(table).arg(done + 1).arg(total));
}

void TablesPanel::showCounts(const CountsReport &report)
{
    m_report = report;
    m_counting = false;
    m_changedSince = false;
    qint64 largest = 1;
    for (const TableCount &c : report.counts)
        largest = std::max(largest, c.rows);
    const QLocale locale;
    QList<TableRow> rows;
    for (const TableCount &c : report.counts) {
        TableRow row;
        row.key = c.table;
        const bool application = c.owner.isEmpty() || c.owner == QLatin1String("application");
        TableCell name(c.table);
        name.sortValue = QStringLiteral("%1 %2").arg(application ? 0 : 1).arg(c.table); // the application's tables first
        name.dim = !application;
        name.toolTip = c.dbdeckOwned ? tr("%1: dbdeck's own table").arg(c.table)
            : application ? c.table : tr("%1: %2's table, not the application's").arg(c.table, c.owner);
        TableCell count(c.estimate >= 0 ? tr("%1  (estimate ~%2)").arg(locale.toString(c.rows), locale.toString(c.estimate)) : locale.toString(c.rows));
        if (c.estimate >= 0)
            count.toolTip = tr("Exact count %1; PostgreSQL's planner estimate (pg_class.reltuples) is %2").arg(locale.toString(c.rows), locale.toString(c.estimate));
        count.sortValue = c.rows;
        count.alignRight = true;
        count.bar = double(c.rows) / double(largest);
        TableCell indexes(QString::number(c.indexes));
        indexes.sortValue = c.indexes;
        indexes.alignRight = true;
        TableCell owner(application ? tr("application") : c.owner);
        owner.dim = !application;
        owner.sortValue = application ? 0 : c.dbdeckOwned ? 1 : 2;
        row.cells = {name, count, indexes, owner};
        rows << row;
    }
    m_model->setRows(rows);
    ui->countsTable->setLoading(false);
    ui->refreshButton->setEnabled(true);
    ui->cancelButton->setEnabled(false);
    ui->exportButton->setEnabled(!report.counts.isEmpty());
    ui->progressBar->setVisible(false);
    if (report.complete)
        ui->messages->clearMessage();
    else
        ui->messages->showMessage(MessageArea::Kind::Information,
                                  tr("Counting was cancelled (%1); the tables counted before are shown.").arg(report.note));
    updateStatus();
}

void TablesPanel::updateStatus()
{
    const QLocale locale;
    qint64 total = 0;
    for (const TableCount &c : m_report.counts)
        total += c.rows;
    QString text = tr("%n table(s), %1 rows", nullptr, int(m_report.counts.size())).arg(locale.toString(total));
    if (m_report.takenAt.isValid())
        text += tr(" · counted at %1 UTC in %2 s").arg(m_report.takenAt.toString(QStringLiteral("HH:mm:ss")), locale.toString(m_report.elapsedMs / 1000.0, 'f', 1));
    if (m_changedSince)
        text += tr(" · the database changed since: Count again to update");
    ui->statusLabel->setText(text);
}

void TablesPanel::showFailure(const QString &operation, const QString &message)
{
    if (operation != QLatin1String("counts"))
        return;
    m_counting = false;
    ui->countsTable->setLoading(false);
    ui->refreshButton->setEnabled(true);
    ui->cancelButton->setEnabled(false);
    ui->progressBar->setVisible(false);
    ui->statusLabel->clear();
    ui->messages->showMessage(MessageArea::Kind::Error, tr("Counting failed: %1").arg(message));
}

QString TablesPanel::defaultExportPath(const QString &format)
{
    QString folder = QSettings().value(kLastFolderKey).toString();
    if (folder.isEmpty() || !QFileInfo(folder).isDir())
        folder = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    return QDir(folder).filePath(QStringLiteral("table-counts.") + format);
}

void TablesPanel::exportCounts()
{
    if (m_report.counts.isEmpty())
        return;
    QString format = QStringLiteral("csv");
    QString path = m_askTarget(&format);
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += QLatin1Char('.') + format; // "counts" saved as JSON is counts.json
    try {
        CountsExport::write(path, m_report.counts, format);
        QSettings().setValue(kLastFolderKey, QFileInfo(path).absolutePath());
        ui->messages->showMessage(MessageArea::Kind::Positive,
                                  tr("Exported %n table count(s) to %1", nullptr, int(m_report.counts.size())).arg(QDir::toNativeSeparators(path)));
    } catch (const DbError &error) {
        ui->messages->showMessage(MessageArea::Kind::Error, error.message());
    }
}

} // namespace dbdeck::gui

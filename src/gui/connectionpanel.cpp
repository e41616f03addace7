#include "connectionpanel.h"

#include "celltablemodel.h"
#include "datatableview.h"
#include "dbsession.h"
#include "messagearea.h"
#include "ui_connectionpanel.h"

namespace dbdeck::gui {

ConnectionPanel::ConnectionPanel(QWidget *parent) : SessionPanel(parent), ui(std::make_unique<Ui::ConnectionPanel>())
{
    ui->setupUi(this);
    m_settings = new CellTableModel({tr("Setting"), tr("Value"), tr("Source")}, this);
    m_pragmas = new CellTableModel({tr("Connection"), tr("PRAGMA"), tr("Configured"), tr("Effective"), tr("Note")}, this);
    ui->settingsTable->setSortableModel(m_settings, CellTableModel::SortRole);
    ui->pragmaTable->setSortableModel(m_pragmas, CellTableModel::SortRole);
    ui->settingsTable->setColumnWidthsInCharacters({24, 40});
    ui->pragmaTable->setColumnWidthsInCharacters({36, 14, 12, 12});
    ui->pragmaTable->setPlaceholderText(tr("No database is open"));
}

ConnectionPanel::~ConnectionPanel() = default;

MessageArea *ConnectionPanel::messageArea() const
{
    return ui->messages;
}

void ConnectionPanel::setSession(DbSession *session)
{
    if (m_session)
        disconnect(m_session, nullptr, this, nullptr);
    m_session = session;
    m_pragmas->clear();
    m_configWarnings.clear();
    ui->messages->clearMessage();
    ui->pragmaTable->setPlaceholderText(session ? tr("Opening…") : tr("No database is open"));
    if (!session)
        return;
    showSettings(session->config().values(), session->config().backend());
    // What the configuration's reading noticed (a .env line that does not parse, a BOM) is shown
    // at once, and stays beside what opening the connection reports.
    m_configWarnings = session->config().warnings();
    showWarnings({});
    connect(session, &DbSession::opened, this, &ConnectionPanel::showConnection);
}

void ConnectionPanel::showWarnings(const QStringList &connectionWarnings)
{
    const QStringList all = m_configWarnings + connectionWarnings;
    if (all.isEmpty())
        ui->messages->clearMessage();
    else
        ui->messages->showMessage(MessageArea::Kind::Warning, all.join(QLatin1Char('\n')));
}

void ConnectionPanel::showSettings(const QList<SettingValue> &settings, Backend backend)
{
    QList<TableRow> rows;
    for (const SettingValue &s : settings) {
        QString source = s.origin;
        if (s.ignored)
            source += backend == Backend::Sqlite ? tr(" (ignored on SQLite)") : tr(" (ignored on PostgreSQL)");
        QList<TableCell> cells{TableCell(s.name), TableCell(s.value), TableCell(source)};
        for (TableCell &cell : cells) {
            cell.dim = s.ignored;
            cell.alert = !s.problem.isEmpty();
            if (!s.problem.isEmpty())
                cell.toolTip = s.problem;
        }
        rows << TableRow{s.name, cells};
    }
    m_settings->setRows(rows);
}

void ConnectionPanel::showConnection(const ConnectionSummary &summary)
{
    QList<TableRow> rows;
    for (const ConnectionInfo &info : summary.connections) {
        for (const PragmaReading &pragma : info.pragmas) {
            const QString connection = info.readOnly ? tr("%1 (read-only)").arg(info.name) : info.name;
            const QString note = pragma.deferred ? pragma.note : pragma.matches() ? QString() : tr("mismatch");
            QList<TableCell> cells{TableCell(connection), TableCell(pragma.name), TableCell(pragma.configured),
                                   TableCell(pragma.effective), TableCell(note)};
            if (pragma.deferred) {
                for (TableCell &cell : cells)
                    cell.toolTip = tr("The file is %1 now. Looking does not change it; dbdeck switches it to %2 when it "
                                      "first writes.").arg(pragma.effective, pragma.configured);
            } else if (!pragma.matches()) {
                for (TableCell &cell : cells) {
                    cell.alert = true;
                    cell.toolTip = tr("Mismatch: configured %1, effective %2").arg(pragma.configured, pragma.effective);
                }
            }
            rows << TableRow{info.name + QLatin1Char('/') + pragma.name, cells};
        }
    }
    m_pragmas->setRows(rows);
    ui->pragmaTable->setPlaceholderText(summary.isNew ? tr("The database does not exist yet: the configured PRAGMAs are "
                                                           "applied when the first write creates it")
                                                        : tr("No connection has been opened yet"));
    showWarnings(summary.warnings);
}

} // namespace dbdeck::gui

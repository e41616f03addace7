#include "connectionpanel.h"

#include "tablecell.h"
#include "ui_connectionpanel.h"

#include <QHeaderView>

namespace dbdeck::gui {

ConnectionPanel::ConnectionPanel(QWidget *parent) : QWidget(parent), ui(std::make_unique<Ui::ConnectionPanel>())
{
    ui->setupUi(this);
    ui->settingsTable->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    ui->pragmaTable->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
}

ConnectionPanel::~ConnectionPanel() = default;

void ConnectionPanel::showSettings(const QList<SettingValue> &settings, Backend backend)
{
    ui->settingsTable->setRowCount(int(settings.size()));
    for (int row = 0; row < settings.size(); ++row) {
        const SettingValue &s = settings.at(row);
        QString source = s.origin;
        if (s.ignored)
            source += backend == Backend::Sqlite ? tr(" (ignored on SQLite)") : tr(" (ignored on PostgreSQL)");
        ui->settingsTable->setItem(row, 0, tableCell(s.name));
        ui->settingsTable->setItem(row, 1, tableCell(s.value));
        ui->settingsTable->setItem(row, 2, tableCell(source));
        if (s.ignored) {
            for (int column = 0; column < 3; ++column)
                ui->settingsTable->item(row, column)->setForeground(palette().color(QPalette::Disabled, QPalette::Text));
        }
    }
}

void ConnectionPanel::showConnection(const ConnectionSummary &summary)
{
    int rows = 0;
    for (const ConnectionInfo &info : summary.connections)
        rows += int(info.pragmas.size());
    ui->pragmaTable->setRowCount(rows);
    int row = 0;
    for (const ConnectionInfo &info : summary.connections) {
        for (const PragmaReading &pragma : info.pragmas) {
            ui->pragmaTable->setItem(row, 0, tableCell(info.name));
            ui->pragmaTable->setItem(row, 1, tableCell(pragma.name));
            ui->pragmaTable->setItem(row, 2, tableCell(pragma.configured));
            ui->pragmaTable->setItem(row, 3, tableCell(pragma.effective));
            if (!pragma.matches()) {
                for (int column = 0; column < 4; ++column) {
                    ui->pragmaTable->item(row, column)->setBackground(QColor(0xfd, 0xe7, 0xe9));
                    ui->pragmaTable->item(row, column)->setToolTip(tr("Mismatch: configured %1, effective %2")
                                                                      .arg(pragma.configured, pragma.effective));
                }
            }
            ++row;
        }
    }
    ui->warningsLabel->setVisible(!summary.warnings.isEmpty());
    ui->warningsLabel->setText(summary.warnings.join(QLatin1Char('\n')));
}

} // namespace dbdeck::gui

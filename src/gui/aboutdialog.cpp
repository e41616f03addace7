#include "aboutdialog.h"

#include "celltablemodel.h"
#include "datatableview.h"
#include "ui_aboutdialog.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QPushButton>

#include <sqlite3.h>

namespace dbdeck::gui {

AboutDialog::AboutDialog(const QList<SettingValue> &settings, QWidget *parent) : QDialog(parent), ui(std::make_unique<Ui::AboutDialog>())
{
    ui->setupUi(this);
    ui->versionsLabel->setText(tr("<b>dbdeck</b>: inspect and migrate the application's database.<br>%1").arg(versionsText().toHtmlEscaped()));
    auto *model = new CellTableModel({tr("Setting"), tr("Value"), tr("Source")}, this);
    QList<TableRow> rows;
    for (const SettingValue &s : settings) {
        QList<TableCell> cells{TableCell(s.name), TableCell(s.value), TableCell(s.origin)};
        for (TableCell &cell : cells) {
            cell.dim = s.ignored;
            cell.alert = !s.problem.isEmpty();
        }
        rows << TableRow{s.name, cells};
    }
    model->setRows(rows);
    ui->settingsTable->setSortableModel(model, CellTableModel::SortRole);
    ui->settingsTable->setColumnWidthsInCharacters({24, 36});
    ui->settingsTable->setPlaceholderText(tr("The configuration could not be read"));
    connect(ui->buttonBox, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

AboutDialog::~AboutDialog() = default;

QString AboutDialog::versionsText()
{
    return tr("dbdeck %1 · Qt %2 · SQLite %3").arg(QStringLiteral(DBDECK_VERSION), QLatin1String(qVersion()), QLatin1String(sqlite3_libversion()));
}

QString AboutDialog::settingsText() const
{
    QStringList lines;
    const QAbstractItemModel *model = ui->settingsTable->model();
    for (int row = 0; row < model->rowCount(); ++row)
        lines << QStringLiteral("%1=%2 (%3)").arg(model->index(row, 0).data().toString(), model->index(row, 1).data().toString(),
                                                 model->index(row, 2).data().toString());
    return lines.join(QLatin1Char('\n'));
}

} // namespace dbdeck::gui

namespace dbdeck::gui {

QString AboutDialog::documentationFile()
{
    const QStringList candidates{QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("../share/doc/dbdeck/README.md")),
                                 QStringLiteral(DBDECK_DOC_DIR "/README.md"), QStringLiteral(DBDECK_SOURCE_DIR "/README.md")};
    for (const QString &path : candidates) {
        if (QFileInfo::exists(path))
            return QFileInfo(path).canonicalFilePath();
    }
    return candidates.at(1);
}

} // namespace dbdeck::gui

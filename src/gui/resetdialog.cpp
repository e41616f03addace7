#include "resetdialog.h"

#include "ui_resetdialog.h"

#include <QPushButton>

namespace dbdeck::gui {

ResetDialog::ResetDialog(const QString &databaseName, const QString &location, QWidget *parent)
    : QDialog(parent), ui(std::make_unique<Ui::ResetDialog>())
{
    ui->setupUi(this);
    ui->messageLabel->setText(tr("<b>This drops every table of the database \"%1\"</b> (%2).<br>A backup is written to its "
                                 "backups folder first.<br><br>Type <b>%1</b> to confirm:")
                                  .arg(databaseName.toHtmlEscaped(), location.toHtmlEscaped()));
    QPushButton *ok = ui->buttonBox->button(QDialogButtonBox::Ok);
    ok->setText(tr("Reset"));
    ok->setEnabled(false);
    connect(ui->nameEdit, &QLineEdit::textChanged, this, [ok, databaseName](const QString &text) { ok->setEnabled(text == databaseName); });
    connect(ui->buttonBox, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(ui->buttonBox, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

ResetDialog::~ResetDialog() = default;

QString ResetDialog::typedName() const
{
    return ui->nameEdit->text();
}

bool ResetDialog::reapplyMigrations() const
{
    return ui->reapplyCheck->isChecked();
}

} // namespace dbdeck::gui

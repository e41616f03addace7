#pragma once

#include <QDialog>

#include <memory>

namespace Ui {
class ResetDialog;
}

namespace dbdeck::gui {

// Names the database and enables OK only once its name has been typed exactly.
class ResetDialog : public QDialog
{
    Q_OBJECT

public:
    ResetDialog(const QString &databaseName, const QString &location, QWidget *parent = nullptr);
    ~ResetDialog() override;

    QString typedName() const;
    bool reapplyMigrations() const;

private:
    std::unique_ptr<Ui::ResetDialog> ui;
};

} // namespace dbdeck::gui

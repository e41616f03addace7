#pragma once

#include "config/dbconfig.h"

#include <QDialog>

#include <memory>

namespace Ui {
class AboutDialog;
}

namespace dbdeck::gui {

// Help > About: dbdeck's, Qt's and SQLite's versions, and where each setting came from.
class AboutDialog : public QDialog
{
    Q_OBJECT

public:
    AboutDialog(const QList<SettingValue> &settings, QWidget *parent = nullptr);
    ~AboutDialog() override;

    static QString versionsText(); // "dbdeck 0.1.0 · Qt 6.4.2 · SQLite 3.40.1"
    QString settingsText() const;  // the settings table as text
    // Help > Documentation: the installed README, or the source tree's in a build tree.
    static QString documentationFile();

private:
    std::unique_ptr<Ui::AboutDialog> ui;
};

} // namespace dbdeck::gui

#pragma once

#include "config/dbconfig.h"
#include "dbworker.h"

#include <QWidget>

#include <memory>

namespace Ui {
class ConnectionPanel;
}

namespace dbdeck::gui {

// The effective settings with their sources, and each connection's PRAGMAs, mismatches marked.
class ConnectionPanel : public QWidget
{
    Q_OBJECT

public:
    explicit ConnectionPanel(QWidget *parent = nullptr);
    ~ConnectionPanel() override;

    void showSettings(const QList<SettingValue> &settings, Backend backend);
    void showConnection(const ConnectionSummary &summary);

private:
    std::unique_ptr<Ui::ConnectionPanel> ui;
};

} // namespace dbdeck::gui

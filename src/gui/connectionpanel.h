#pragma once

#include "config/dbconfig.h"
#include "sessionpanel.h"
#include "workertypes.h"

#include <QPointer>

#include <memory>

namespace Ui {
class ConnectionPanel;
}

namespace dbdeck::gui {

class CellTableModel;

// Every setting with its value and source — also when the configuration does not load, with the
// bad value marked, since that is when the sources matter most — and each connection's
// PRAGMAs, configured vs effective, mismatches marked.
class ConnectionPanel : public SessionPanel
{
    Q_OBJECT

public:
    explicit ConnectionPanel(QWidget *parent = nullptr);
    ~ConnectionPanel() override;

    QString title() const override { return tr("C&onnection"); }
    void setSession(DbSession *session) override;
    void reload() override {} // the session's opened() brings the connection; settings come with the configuration
    MessageArea *messageArea() const override;

    void showSettings(const QList<SettingValue> &settings, Backend backend);
    CellTableModel *settingsModel() const { return m_settings; }
    CellTableModel *pragmaModel() const { return m_pragmas; }

private:
    void showConnection(const ConnectionSummary &summary);
    void showWarnings(const QStringList &connectionWarnings);

    std::unique_ptr<Ui::ConnectionPanel> ui;
    QPointer<DbSession> m_session;
    CellTableModel *m_settings = nullptr;
    CellTableModel *m_pragmas = nullptr;
    QStringList m_configWarnings;
};

} // namespace dbdeck::gui

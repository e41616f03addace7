#pragma once

#include "sessionpanel.h"
#include "workertypes.h"

#include <QPointer>

#include <memory>

class QAction;

namespace Ui {
class HealthPanel;
}

namespace dbdeck::gui {

class CellTableModel;

// Integrity and foreign key checks on demand (on the long-jobs worker, cancellable), the indexes
// the application needs, and the window's one Reset database… action with the reason it is
// disabled, where the user looks for it.
class HealthPanel : public SessionPanel
{
    Q_OBJECT

public:
    explicit HealthPanel(QWidget *parent = nullptr);
    ~HealthPanel() override;

    QString title() const override { return tr("&Health"); }
    void setSession(DbSession *session) override;
    void reload() override;
    MessageArea *messageArea() const override;

    void setResetAction(QAction *reset); // the window's action: one action, one guard
    QString resultText() const;
    CellTableModel *indexesModel() const { return m_indexes; }

public Q_SLOTS:
    void startCheck(const QString &check); // "integrity" or "foreign keys"

private:
    void showReport(const HealthReport &report);
    void showIndexes(const QList<CriticalIndex> &indexes);
    void showFailure(const QString &operation, const QString &message);
    void finishCheck();

    std::unique_ptr<Ui::HealthPanel> ui;
    QPointer<DbSession> m_session;
    CellTableModel *m_indexes = nullptr;
    QPointer<QAction> m_reset;
};

} // namespace dbdeck::gui

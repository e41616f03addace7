#pragma once

#include "sessionpanel.h"
#include "workertypes.h"

#include <QPointer>

#include <functional>
#include <memory>

class QSortFilterProxyModel;
class QTimer;

namespace Ui {
class TablesPanel;
}

namespace dbdeck::gui {

class CellTableModel;

// Every table with its row and index counts (counted on the long-jobs worker, cancellable; the
// tables counted before Cancel stay), the application's tables before dbdeck's own, a bar
// showing relative sizes, when the counts were taken, and Export counts… to CSV or JSON. When
// another process writes, the counts are taken again after a pause if that is quick, or are
// marked as changed since.
class TablesPanel : public SessionPanel
{
    Q_OBJECT

public:
    // Counts that took longer than this are not retaken on every change, only marked stale.
    void setRecountBelowMs(int ms) { m_recountBelowMs = ms; }

    explicit TablesPanel(QWidget *parent = nullptr);
    ~TablesPanel() override;

    QString title() const override { return tr("&Tables"); }
    void setSession(DbSession *session) override;
    void reload() override;
    MessageArea *messageArea() const override;

    QString statusText() const;
    CellTableModel *model() const { return m_model; }
    // Asks where to export; returns an empty path to cancel. Replaceable for tests.
    void setExportTarget(std::function<QString(QString *format)> ask) { m_askTarget = std::move(ask); }
    // Where the save dialog starts: the folder used last, else the user's documents folder.
    static QString defaultExportPath(const QString &format);

public Q_SLOTS:
    void exportCounts();

private:
    void showProgress(int done, int total, const QString &table);
    void showCounts(const CountsReport &report);
    void showFailure(const QString &operation, const QString &message);
    void noteChange();
    void updateStatus();

    std::unique_ptr<Ui::TablesPanel> ui;
    QPointer<DbSession> m_session;
    CellTableModel *m_model = nullptr;
    QSortFilterProxyModel *m_sorted = nullptr;
    QTimer *m_recount = nullptr;
    CountsReport m_report;
    bool m_counting = false;
    bool m_changedSince = false;
    int m_recountBelowMs = 2000;
    std::function<QString(QString *format)> m_askTarget;
};

} // namespace dbdeck::gui

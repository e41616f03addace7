#pragma once

#include "admin/tablecounter.h"

#include <QWidget>

#include <functional>
#include <memory>

namespace Ui {
class TablesPanel;
}

namespace dbdeck::gui {

// Every table with its row and index counts (counted on the worker, cancellable), dbdeck's own
// tables marked, a bar showing relative sizes, and Export counts… to CSV or JSON.
class TablesPanel : public QWidget
{
    Q_OBJECT

public:
    explicit TablesPanel(QWidget *parent = nullptr);
    ~TablesPanel() override;

    void showProgress(int done, int total, const QString &table);
    void showCounts(const QList<TableCount> &counts);
    void showFailure(const QString &message); // includes "cancelled"
    QString statusText() const;
    // Asks where to export; returns an empty path to cancel. Replaceable for tests.
    void setExportTarget(std::function<QString(QString *format)> ask) { m_askTarget = std::move(ask); }

public Q_SLOTS:
    void refresh();
    void exportCounts();

Q_SIGNALS:
    void countRequested();
    void cancelRequested();

private:
    std::unique_ptr<Ui::TablesPanel> ui;
    QList<TableCount> m_counts;
    std::function<QString(QString *format)> m_askTarget;
};

} // namespace dbdeck::gui

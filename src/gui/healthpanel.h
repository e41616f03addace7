#pragma once

#include "dbworker.h"

#include <QWidget>

#include <memory>

namespace Ui {
class HealthPanel;
}

namespace dbdeck::gui {

// Integrity and foreign key checks on demand (on the worker, cancellable), the indexes the
// application needs, and the guarded reset button.
class HealthPanel : public QWidget
{
    Q_OBJECT

public:
    explicit HealthPanel(QWidget *parent = nullptr);
    ~HealthPanel() override;

    void showReport(const HealthReport &report);
    void showFailure(const QString &message);
    void setResetAllowed(const QString &refusal);
    QString resultText() const;

Q_SIGNALS:
    void checkRequested(const QString &check);
    void cancelRequested();
    void resetRequested();

private:
    void start(const QString &check);

    std::unique_ptr<Ui::HealthPanel> ui;
};

} // namespace dbdeck::gui

#pragma once

#include "dbworker.h"

#include <QWidget>

#include <memory>

namespace Ui {
class MigrationsPanel;
}

namespace dbdeck::gui {

// Current vs head, every migration with its state, the selected one's SQL, Apply pending with
// progress and cancel, and the journal.
class MigrationsPanel : public QWidget
{
    Q_OBJECT

public:
    explicit MigrationsPanel(QWidget *parent = nullptr);
    ~MigrationsPanel() override;

    void showView(const MigrationView &view);
    void showProgress(int index, int total, const QString &name, bool finished);
    void showApplied(const QStringList &done, bool cancelled);
    void showFailure(const QString &message);
    QString statusText() const;

Q_SIGNALS:
    void applyRequested();
    void cancelRequested();

private:
    void showSelectedSql();

    std::unique_ptr<Ui::MigrationsPanel> ui;
    MigrationView m_view;
    bool m_applying = false;
};

} // namespace dbdeck::gui

#pragma once

#include "sessionpanel.h"
#include "migrationfindings.h"
#include "workertypes.h"

#include <QPointer>

#include <functional>
#include <memory>
#include <optional>

class QAction;
class QFileSystemWatcher;
class QSortFilterProxyModel;
class QTimer;

namespace Ui {
class MigrationsPanel;
}

namespace dbdeck::gui {

class CellTableModel;
class MigrationJobs;
class RecoveryController;
class AdoptController;

// Current vs head and what is not applied, every migration with its state, the selected one's
// SQL (the failing statement highlighted), Apply pending with progress and cancel, and the
// journal. One message area says what the state is and what to do about it, with the actions
// for it: why Apply is disabled, what failed and where, retry, and the recovery of migrations
// left part-way (RecoveryController). Pending migrations show their lint and preflight findings
// before Apply. New and edited migration files are noticed as they are saved.
class MigrationsPanel : public SessionPanel
{
    Q_OBJECT

public:
    explicit MigrationsPanel(QWidget *parent = nullptr);
    ~MigrationsPanel() override;

    QString title() const override { return tr("&Migrations"); }
    void setSession(DbSession *session) override;
    void reload() override;
    MessageArea *messageArea() const override;

    QAction *applyAction() const { return m_apply; } // also in the window's Database menu
    QString headerText() const;
    CellTableModel *migrationsModel() const { return m_migrations; }
    CellTableModel *journalModel() const { return m_journal; }
    // Asks before a recovery action; replaceable for tests. Returns true to go ahead.
    void setConfirmation(std::function<bool(const QString &question)> confirm);
    // Lint and preflight of the pending migrations, once checked (for the current pending files).
    const std::optional<PendingFindings> &findings() const { return m_findings.findings(); }

private:
    void showView(const MigrationView &view);
    void showProgress(int index, int total, const QString &name, bool finished);
    void showApplied(const ApplyOutcome &outcome);
    void showFailure(const QString &operation, const QString &message);
    void startApply(bool retryPartial);
    void showSelectedSql();
    void selectVersion(qint64 version);
    void updateMessage();
    void updateApply();
    void showFindings();
    bool findingsCurrent() const;
    void watchFiles(const MigrationView &view);
    const MigrationStatus *partlyApplied() const;

    std::unique_ptr<Ui::MigrationsPanel> ui;
    QPointer<DbSession> m_session;
    CellTableModel *m_migrations = nullptr;
    CellTableModel *m_journal = nullptr;
    QSortFilterProxyModel *m_sortedMigrations = nullptr;
    QSortFilterProxyModel *m_sortedJournal = nullptr;
    QFileSystemWatcher *m_watcher = nullptr;
    QTimer *m_filesChanged = nullptr;
    std::optional<MigrationView> m_view;
    std::optional<ApplyFailure> m_failure; // the last Apply's failure, until the next Apply
    QStringList m_applied;                 // what the last Apply applied
    bool m_applying = false;
    bool m_cancelled = false;              // the last Apply was cancelled
    QString m_progressText;
    QAction *m_apply = nullptr;
    QAction *m_cancel = nullptr;
    QAction *m_retry = nullptr;         // Apply again after a failure
    QAction *m_showFailing = nullptr;   // select the failing migration, its statement highlighted
    RecoveryController *m_recovery = nullptr;
    AdoptController *m_adopt = nullptr;
    MigrationJobs *m_jobs = nullptr;    // the recovery and the findings, per session
    FindingsTracker m_findings;         // lint and preflight of the pending migrations
};

} // namespace dbdeck::gui

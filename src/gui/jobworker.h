#pragma once

#include "workerbase.h"

namespace dbdeck::gui {

// The long jobs, on a thread and connection of their own so that quick reads never wait for
// them: table counts, integrity and foreign-key checks, applying migrations, reset. Each can be
// cancelled with cancel(); recover() and checkPending() stop only between statements.
class JobWorker : public WorkerBase
{
    Q_OBJECT

public:
    using WorkerBase::WorkerBase;

    void countTables(quint64 generation);
    void checkHealth(const QString &check); // "integrity" or "foreign keys"
    void applyPending(bool retryPartial);
    void reset(const QString &confirmName, bool reapplyMigrations);
    // The CLI's resume / mark-applied / mark-not-applied, journaled by the core.
    void recover(const dbdeck::gui::RecoveryRequest &request);
    void adopt(const dbdeck::gui::AdoptRequest &request); // baseline, see AdoptController
    // Lint and preflight of the pending migrations (reads only; the preflight counts rows).
    void checkPending(quint64 generation);

Q_SIGNALS:
    void countsProgress(int done, int total, const QString &table);
    void countsReady(const dbdeck::gui::CountsReport &report);
    void healthReady(const dbdeck::gui::HealthReport &report);
    void migrationProgress(int index, int total, const QString &name, bool finished);
    void migrationsApplied(const dbdeck::gui::ApplyOutcome &outcome);
    void resetDone(const QString &backupPath, int droppedTables, int migrationsApplied);
    void recovered(const dbdeck::gui::RecoveryOutcome &outcome);
    void adopted(const dbdeck::gui::AdoptOutcome &outcome);
    void pendingChecked(const dbdeck::gui::PendingFindings &findings);
};

} // namespace dbdeck::gui

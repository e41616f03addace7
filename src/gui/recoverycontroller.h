#pragma once

#include "migrate/sqlsplitter.h"
#include "workertypes.h"

#include <QObject>
#include <QPointer>

#include <functional>
#include <optional>

class QAction;
class QWidget;

namespace dbdeck::gui {

class MigrationJobs;

// The inspector's recovery of a transaction:false migration left part-way (failed-partial or
// interrupted), the same as the CLI's: run it again from its first statement (`upgrade
// --retry-partial`), resume from a statement (`resume VERSION --from K`), mark it applied or not
// applied (`mark-applied`, `mark-not-applied`). Each asks first; resume and the marks run on the
// MigrationJobs worker and are journaled by the core.
class RecoveryController : public QObject
{
    Q_OBJECT

public:
    explicit RecoveryController(QWidget *dialogParent);

    void setJobs(MigrationJobs *jobs, SqlSplitter::Dialect dialect); // nullptr: no database
    // Asks before a recovery action; replaceable for tests. Returns true to go ahead.
    void setConfirmation(std::function<bool(const QString &question)> confirm) { m_confirm = std::move(confirm); }

    // The message and its actions for a migration left part-way.
    QString message(const MigrationStatus &m) const;
    QList<QAction *> actions(const MigrationStatus &m) const;
    void setTarget(const std::optional<MigrationStatus> &m) { m_target = m; }
    // Why the database cannot be written (a read-only file, folder or URL), or empty: the
    // actions are then disabled with it as their tooltip.
    void setWriteRefusal(const QString &reason) { m_writeRefusal = reason; }

    bool isBusy() const { return m_busy; }
    QString busyText() const { return m_busyText; }
    QAction *cancelAction() const { return m_cancel; }
    // The last action's outcome, until the next one (or forget()).
    const std::optional<RecoveryOutcome> &outcome() const { return m_outcome; }
    void forget() { m_outcome.reset(); }

Q_SIGNALS:
    void retryPartialConfirmed(); // the panel applies with retryPartial
    void changed();               // busy, or an outcome arrived: the message area is out of date
    void recovered();             // an action finished: reload the status and the journal

private:
    void askResume();
    void askMark(bool applied);
    void start(const RecoveryRequest &request, const QString &text);
    void finish(const RecoveryOutcome &outcome);

    QWidget *m_parent = nullptr;
    QPointer<MigrationJobs> m_jobs;
    SqlSplitter::Dialect m_dialect = SqlSplitter::Dialect::Sqlite;
    std::optional<MigrationStatus> m_target;
    std::optional<RecoveryOutcome> m_outcome;
    bool m_busy = false;
    QString m_writeRefusal;
    QString m_busyText;
    QAction *m_retryPartial = nullptr;
    QAction *m_resume = nullptr;
    QAction *m_markApplied = nullptr;
    QAction *m_markNotApplied = nullptr;
    QAction *m_cancel = nullptr;
    std::function<bool(const QString &)> m_confirm;
};

} // namespace dbdeck::gui

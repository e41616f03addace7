#pragma once

#include "workertypes.h"

#include <QObject>
#include <QPointer>

#include <functional>
#include <optional>

class QAction;
class QWidget;

namespace dbdeck::gui {

class MigrationJobs;

// Adopting a database dbdeck does not manage (application tables and no dbdeck history, e.g. one
// migrated by Alembic), the same as `dbdeck-cli baseline VERSION [--accept-differences]`: the user
// picks the version the database is at, confirms, and the migrations up to it are recorded as
// applied without running (journaled by the core). A schema that differs from what those
// migrations produce is refused with the differences listed; *Adopt anyway…* accepts them.
class AdoptController : public QObject
{
    Q_OBJECT

public:
    explicit AdoptController(QWidget *dialogParent);

    void setJobs(MigrationJobs *jobs); // nullptr: no database
    // Asks before adopting; replaceable for tests. Returns true to go ahead.
    void setConfirmation(std::function<bool(const QString &question)> confirm) { m_confirm = std::move(confirm); }
    // Picks the version among the migration names (newest last); replaceable for tests. Returns
    // the chosen name, or empty to cancel.
    void setVersionChooser(std::function<QString(const QStringList &names)> choose) { m_choose = std::move(choose); }
    void setWriteRefusal(const QString &reason) { m_writeRefusal = reason; }

    // The message and actions for an unmanaged database (status.ownership.unmanaged()).
    QString message(const StatusReport &status) const;
    QList<QAction *> actions(const StatusReport &status);
    // After a refusal because the schema differs: adopt anyway, accepting the differences.
    QAction *anywayAction() const { return m_anyway; }

    bool isBusy() const { return m_busy; }
    QString busyText() const { return m_busyText; }
    const std::optional<AdoptOutcome> &outcome() const { return m_outcome; }
    void forget() { m_outcome.reset(); }

Q_SIGNALS:
    void changed(); // busy, or an outcome arrived
    void adopted(); // finished (either way): reload the status and the journal

private:
    void askAdopt();
    void askAnyway();
    void start(const AdoptRequest &request);
    void finish(const AdoptOutcome &outcome);

    QWidget *m_parent = nullptr;
    QPointer<MigrationJobs> m_jobs;
    QStringList m_names;
    std::optional<AdoptOutcome> m_outcome;
    bool m_busy = false;
    QString m_busyText;
    QString m_writeRefusal;
    QAction *m_adopt = nullptr;
    QAction *m_anyway = nullptr;
    std::function<bool(const QString &)> m_confirm;
    std::function<QString(const QStringList &)> m_choose;
};

} // namespace dbdeck::gui

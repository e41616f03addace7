#include "adoptcontroller.h"

#include "migrationjobs.h"

#include <QAction>
#include <QInputDialog>
#include <QMessageBox>
#include <QWidget>

namespace dbdeck::gui {

AdoptController::AdoptController(QWidget *dialogParent) : QObject(dialogParent), m_parent(dialogParent)
{
    m_adopt = new QAction(tr("Adopt (baseline)…"), this);
    m_adopt->setToolTip(tr("Record the migrations up to the version this database is at as applied, running nothing "
                           "(dbdeck-cli baseline VERSION)"));
    connect(m_adopt, &QAction::triggered, this, &AdoptController::askAdopt);
    m_anyway = new QAction(tr("Adopt anyway…"), this);
    m_anyway->setToolTip(tr("Accept the differences listed and adopt (dbdeck-cli baseline VERSION --accept-differences)"));
    connect(m_anyway, &QAction::triggered, this, &AdoptController::askAnyway);
    m_confirm = [this](const QString &question) {
        return QMessageBox::question(m_parent, tr("Adopt the database"), question, QMessageBox::Yes | QMessageBox::Cancel,
                                     QMessageBox::Cancel)
            == QMessageBox::Yes;
    };
    m_choose = [this](const QStringList &names) {
        bool ok = false;
        const QString chosen = QInputDialog::getItem(m_parent, tr("Adopt the database"),
                                                     tr("The migration this database's schema is at (the ones up to it are "
                                                        "recorded as applied, none runs):"),
                                                     names, int(names.size()) - 1, false, &ok);
        return ok ? chosen : QString();
    };
}

void AdoptController::setJobs(MigrationJobs *jobs)
{
    if (m_jobs)
        disconnect(m_jobs, nullptr, this, nullptr);
    m_jobs = jobs;
    m_outcome.reset();
    m_busy = false;
    if (jobs)
        connect(jobs, &MigrationJobs::adopted, this, &AdoptController::finish);
}

QString AdoptController::message(const StatusReport &status) const
{
    return tr("This database is %1: it has the application's tables (%2) but no dbdeck history, so Apply pending would "
              "fail on tables that already exist. Adopt it at the migration its schema is at; after that, Apply runs only "
              "the newer ones. %3")
        .arg(status.ownership.describe(), status.ownership.applicationTables().join(QStringLiteral(", ")),
             status.ownership.advice());
}

QList<QAction *> AdoptController::actions(const StatusReport &status)
{
    m_names.clear();
    for (const MigrationStatus &m : status.migrations) {
        if (!m.name.isEmpty())
            m_names << m.name;
    }
    const bool enabled = m_jobs && !m_busy && m_writeRefusal.isEmpty() && !m_names.isEmpty();
    for (QAction *action : {m_adopt, m_anyway}) {
        action->setEnabled(enabled);
        if (!m_writeRefusal.isEmpty())
            action->setToolTip(tr("Disabled: the database cannot be written: %1").arg(m_writeRefusal));
    }
    return {m_adopt};
}

void AdoptController::askAdopt()
{
    if (m_busy || m_names.isEmpty())
        return;
    const QString name = m_choose(m_names);
    if (name.isEmpty())
        return;
    const QString version = name.section(QLatin1Char('_'), 0, 0);
    if (!m_confirm(tr("Record the migrations up to %1 as applied, running none of them?\n\nDo this only when the database's "
                      "schema is what they produce: dbdeck compares it first and refuses if it differs. Nothing else "
                      "changes (an alembic_version table stays).").arg(name)))
        return;
    start({version, false});
}

void AdoptController::askAnyway()
{
    if (m_busy || !m_outcome || !m_outcome->drift)
        return;
    if (!m_confirm(tr("Adopt at %1 although its schema differs as listed?\n\nThe differences stay; `dbdeck-cli check --drift` "
                      "will keep reporting them until a migration or a fix by hand removes them.")
                       .arg(m_outcome->request.version)))
        return;
    start({m_outcome->request.version, true});
}

void AdoptController::start(const AdoptRequest &request)
{
    if (!m_jobs)
        return;
    m_busy = true;
    m_busyText = tr("Adopting the database at %1…").arg(request.version);
    m_outcome.reset();
    m_jobs->adopt(request);
    Q_EMIT changed();
}

void AdoptController::finish(const AdoptOutcome &outcome)
{
    m_busy = false;
    m_outcome = outcome;
    Q_EMIT changed();
    Q_EMIT adopted();
}

} // namespace dbdeck::gui

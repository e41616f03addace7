#include "recoverycontroller.h"

#include "migrationjobs.h"
#include "resumedialog.h"

#include <QAction>
#include <QMessageBox>
#include <QWidget>

namespace dbdeck::gui {

namespace {

QString v(qint64 version)
{
    return MigrationFile::formatVersion(version);
}

} // namespace

RecoveryController::RecoveryController(QWidget *dialogParent) : QObject(dialogParent), m_parent(dialogParent)
{
    m_retryPartial = new QAction(tr("Run it again…"), this);
    m_retryPartial->setToolTip(tr("Run it again from its first statement (dbdeck-cli upgrade --retry-partial)"));
    connect(m_retryPartial, &QAction::triggered, this, [this] {
        if (m_target && m_confirm(tr("Run %1 again from its first statement?\n\n%2 of %3 statements ran before and were not undone: "
                                     "they run again. Make sure they can (IF NOT EXISTS, …) or undo them first.")
                                      .arg(m_target->name).arg(m_target->statementsDone).arg(m_target->statementsTotal)))
            Q_EMIT retryPartialConfirmed();
    });
    m_resume = new QAction(tr("Resume…"), this);
    m_resume->setToolTip(tr("Run the rest from a statement you choose (dbdeck-cli resume VERSION --from K)"));
    connect(m_resume, &QAction::triggered, this, &RecoveryController::askResume);
    m_markApplied = new QAction(tr("Mark applied…"), this);
    m_markApplied->setToolTip(tr("You finished it by hand: record it as applied, running nothing (dbdeck-cli mark-applied VERSION)"));
    connect(m_markApplied, &QAction::triggered, this, [this] { askMark(true); });
    m_markNotApplied = new QAction(tr("Mark not applied…"), this);
    m_markNotApplied->setToolTip(tr("You undid it by hand: record it as not applied, running nothing (dbdeck-cli mark-not-applied VERSION)"));
    connect(m_markNotApplied, &QAction::triggered, this, [this] { askMark(false); });
    m_cancel = new QAction(tr("Cancel"), this);
    connect(m_cancel, &QAction::triggered, this, [this] {
        if (m_jobs)
            m_jobs->cancel();
    });
    m_confirm = [this](const QString &question) {
        return QMessageBox::question(m_parent, tr("Recover a migration"), question, QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel)
            == QMessageBox::Yes;
    };
}

void RecoveryController::setJobs(MigrationJobs *jobs, SqlSplitter::Dialect dialect)
{
    if (m_jobs)
        disconnect(m_jobs, nullptr, this, nullptr);
    m_jobs = jobs;
    m_dialect = dialect;
    m_target.reset();
    m_outcome.reset();
    m_busy = false;
    if (jobs)
        connect(jobs, &MigrationJobs::recovered, this, &RecoveryController::finish);
}

QString RecoveryController::message(const MigrationStatus &m) const
{
    const QString what = tr("Resume runs the rest from a statement you choose; Mark applied and Mark not applied record what you "
                            "did by hand, running nothing. Each is journaled.");
    if (m.state == MigrationState::FailedPartial)
        return tr("%1 failed part-way: %2 of %3 statements ran and were not undone (it runs without a transaction). "
                  "Nothing after it is applied until it is recovered: run it again from its first statement, or look at "
                  "the database first. %4")
            .arg(m.name).arg(m.statementsDone).arg(m.statementsTotal).arg(what);
    return tr("%1. Nothing after it is applied until it is recovered. %2").arg(m.interruptionText().chopped(m.recoveryHint().size() + 2), what);
}

QList<QAction *> RecoveryController::actions(const MigrationStatus &m) const
{
    QList<QAction *> list;
    if (m.state == MigrationState::FailedPartial)
        list << m_retryPartial;
    list << m_resume << m_markApplied << m_markNotApplied;
    for (QAction *action : std::as_const(list)) {
        action->setEnabled(!m_busy && m_jobs && m_writeRefusal.isEmpty());
        if (!action->property("usualToolTip").isValid())
            action->setProperty("usualToolTip", action->toolTip());
        action->setToolTip(m_writeRefusal.isEmpty() ? action->property("usualToolTip").toString()
                                                    : tr("Disabled: the database cannot be written: %1").arg(m_writeRefusal));
    }
    return list;
}

void RecoveryController::askResume()
{
    if (!m_target || m_busy)
        return;
    ResumeDialog dialog(*m_target, m_dialect, m_parent);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const int from = dialog.fromStatement();
    start({RecoveryRequest::Action::Resume, m_target->version, from}, tr("Resuming %1 from statement %2…").arg(m_target->name).arg(from));
}

void RecoveryController::askMark(bool applied)
{
    if (!m_target || m_busy)
        return;
    const MigrationStatus &m = *m_target;
    const QString ran = tr("Statements 1 to %1 of %2 ran.").arg(m.statementsDone).arg(m.statementsTotal);
    const QString question = applied
        ? tr("Record %1 as applied, running nothing?\n\n%2 Do this only after you finished the rest by hand: dbdeck will "
             "never run it again.").arg(m.name, ran)
        : tr("Record %1 as not applied, running nothing?\n\n%2 Do this only after you undid them by hand: the next Apply "
             "runs it again from its first statement.").arg(m.name, ran);
    if (!m_confirm(question))
        return;
    start({applied ? RecoveryRequest::Action::MarkApplied : RecoveryRequest::Action::MarkNotApplied, m.version, 0},
          applied ? tr("Marking %1 as applied…").arg(v(m.version)) : tr("Marking %1 as not applied…").arg(v(m.version)));
}

void RecoveryController::start(const RecoveryRequest &request, const QString &text)
{
    if (!m_jobs)
        return;
    m_busy = true;
    m_busyText = text;
    m_outcome.reset();
    m_jobs->recover(request);
    Q_EMIT changed();
}

void RecoveryController::finish(const RecoveryOutcome &outcome)
{
    m_busy = false;
    m_outcome = outcome;
    Q_EMIT changed();
    Q_EMIT recovered();
}

} // namespace dbdeck::gui

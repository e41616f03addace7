#include "resetcontroller.h"

#include "dbsession.h"
#include "messagearea.h"
#include "resetdialog.h"

#include <QAction>

namespace dbdeck::gui {

ResetController::ResetController(QWidget *window, MessageArea *messages)
    : QObject(window), m_window(window), m_messages(messages), m_action(new QAction(tr("Re&set database…"), this))
{
    m_action->setObjectName(QStringLiteral("resetAction"));
    connect(m_action, &QAction::triggered, this, &ResetController::ask);
    setRefusal(tr("No database is open."), QString());
}

void ResetController::setSession(DbSession *session)
{
    if (m_session)
        disconnect(m_session, nullptr, this, nullptr);
    m_session = session;
    if (m_dialog)
        m_dialog->reject();
    setRefusal(session ? tr("Checking whether reset is allowed…") : tr("No database is open."), QString());
    if (!session)
        return;
    connect(session, &DbSession::resetAllowed, this, &ResetController::setRefusal);
    connect(session, &DbSession::resetDone, this, [this](const QString &backup, int dropped, int applied) {
        m_messages->showMessage(MessageArea::Kind::Positive,
                                tr("Reset done: dropped %n table(s), applied %1 migration(s). Backup: %2", nullptr, dropped)
                                    .arg(applied).arg(backup.isEmpty() ? tr("none") : backup));
        Q_EMIT resetFinished();
    });
    connect(session, &DbSession::failed, this, [this](const QString &operation, const QString &message) {
        if (operation == QLatin1String("reset")) {
            m_messages->showMessage(MessageArea::Kind::Error, tr("Reset failed: %1").arg(message));
            Q_EMIT resetFinished();
        }
    });
}

void ResetController::setRefusal(const QString &refusal, const QString &databaseName)
{
    m_databaseName = databaseName;
    const bool allowed = refusal.isEmpty() && !databaseName.isEmpty();
    m_action->setEnabled(allowed);
    m_action->setToolTip(allowed ? tr("Reset is allowed (DBDECK_ALLOW_RESET=1): back up, drop every table and re-apply the migrations.")
                                 : refusal);
    m_action->setStatusTip(m_action->toolTip());
}

void ResetController::ask()
{
    if (!m_session || m_databaseName.isEmpty() || m_dialog)
        return;
    m_dialog = new ResetDialog(m_databaseName, m_session->config().url().redacted(), m_window);
    m_dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_dialog, &QDialog::accepted, this, [this] {
        if (!m_session)
            return;
        m_messages->showMessage(MessageArea::Kind::Information, tr("Resetting %1…").arg(m_databaseName));
        m_action->setEnabled(false);
        m_session->reset(m_dialog->typedName(), m_dialog->reapplyMigrations());
    });
    m_dialog->open();
}

} // namespace dbdeck::gui

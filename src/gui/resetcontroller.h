#pragma once

#include <QObject>
#include <QPointer>

class QAction;
class QWidget;

namespace dbdeck::gui {

class DbSession;
class MessageArea;
class ResetDialog;

// The one Reset database… action (File menu and Health tab alike) and its one guard: disabled,
// with the refusal as its tooltip, unless the worker says reset is allowed. It asks for the
// database's name, runs the reset on the long-jobs worker and reports the outcome in the
// window's message area, which shows above every tab.
class ResetController : public QObject
{
    Q_OBJECT

public:
    ResetController(QWidget *window, MessageArea *messages);

    QAction *action() const { return m_action; }
    void setSession(DbSession *session);

Q_SIGNALS:
    void resetFinished(); // the database changed under every panel: reload them

private:
    void setRefusal(const QString &refusal, const QString &databaseName);
    void ask();

    QWidget *m_window;
    MessageArea *m_messages;
    QAction *m_action;
    QPointer<DbSession> m_session;
    QString m_databaseName;
    QPointer<ResetDialog> m_dialog;
};

} // namespace dbdeck::gui

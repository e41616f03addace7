#pragma once

#include <QWidget>

namespace dbdeck::gui {

class DbSession;
class MessageArea;

// A tab of the inspector. MainWindow only assembles panels: it gives each the open session
// (or none, when nothing could be opened) and asks it to reload on F5. A panel sends its own
// requests to the session, shows its own results, and says what is going on in its own inline
// message area. Adding a panel is: subclass, add it in MainWindow's constructor.
class SessionPanel : public QWidget
{
    Q_OBJECT

public:
    using QWidget::QWidget;

    virtual QString title() const = 0; // the tab's title, with its mnemonic
    // The session to show; nullptr when none is open (a configuration error, a failed open).
    // The panel disconnects from the previous one and forgets what it showed of it.
    virtual void setSession(DbSession *session) = 0;
    virtual void reload() = 0; // F5
    virtual MessageArea *messageArea() const = 0;
};

} // namespace dbdeck::gui

#pragma once

#include <QFrame>
#include <QList>

class QAction;
class QHBoxLayout;
class QLabel;
class QToolButton;

namespace dbdeck::gui {

// An inline message above a panel's content, like KDE's KMessageWidget: an icon, a word-wrapped
// (selectable) text and buttons for what the user can do about it. It shows one message, the
// current state: showing another replaces it, so a stale note never sits beside a new problem.
// Colours are mixed from the palette, so the text stays readable in light and dark themes.
class MessageArea : public QFrame
{
    Q_OBJECT

public:
    enum class Kind { Positive, Information, Warning, Error };
    Q_ENUM(Kind)

    explicit MessageArea(QWidget *parent = nullptr);

    // Shows the message with these actions as buttons (the area does not own them).
    void showMessage(Kind kind, const QString &text, const QList<QAction *> &actions = {});
    void clearMessage();

    Kind kind() const { return m_kind; }
    QString text() const; // empty when hidden
    QList<QAction *> actions() const { return m_actions; }
    QToolButton *buttonFor(const QAction *action) const;

    // The accent colour of a kind, adjusted to be readable on the given background.
    static QColor accent(Kind kind, const QColor &background);

protected:
    void changeEvent(QEvent *event) override;

private:
    void applyColours();

    Kind m_kind = Kind::Information;
    QLabel *m_icon = nullptr;
    QLabel *m_text = nullptr;
    QHBoxLayout *m_buttons = nullptr;
    QList<QAction *> m_actions;
    QList<QToolButton *> m_buttonWidgets;
    bool m_applying = false;
};

} // namespace dbdeck::gui

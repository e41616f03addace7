#pragma once

#include <QHash>
#include <QObject>

class QLabel;
class QStatusBar;

namespace dbdeck::gui {

// The status bar's permanent badges (database, driver, sizes, environment, …), each a label
// found by name. Adding a badge is one call; a badge shortens its text (…) when the window is
// narrow rather than widening it, and a tone colours it from the palette (a production
// database, a read-only one).
class StatusBadges : public QObject
{
    Q_OBJECT

public:
    enum class Tone { Normal, Attention };

    explicit StatusBadges(QStatusBar *bar);

    QLabel *add(const QString &name, int maxCharacters = 40);
    QLabel *badge(const QString &name) const { return m_badges.value(name); }
    void set(const QString &name, const QString &text, Tone tone = Tone::Normal, const QString &toolTip = {});
    QString text(const QString &name) const; // the whole text, even when shown shortened

private:
    QStatusBar *m_bar;
    QHash<QString, QLabel *> m_badges;
};

} // namespace dbdeck::gui

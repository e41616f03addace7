#pragma once

#include <QObject>
#include <QStringList>

class QMenu;

namespace dbdeck::gui {

// File > Open recent: the last ten SQLite files opened, kept with QSettings, newest first,
// each with a number as its mnemonic.
class RecentFiles : public QObject
{
    Q_OBJECT

public:
    static constexpr int kept = 10;

    explicit RecentFiles(QMenu *menu);

    void remember(const QString &path);
    QStringList paths() const;

Q_SIGNALS:
    void chosen(const QString &path);

private:
    void rebuild();

    QMenu *m_menu;
};

} // namespace dbdeck::gui

#include "recentfiles.h"

#include <QDir>
#include <QMenu>
#include <QSettings>

namespace dbdeck::gui {

namespace {

const QString kKey = QStringLiteral("recentDatabases");

} // namespace

RecentFiles::RecentFiles(QMenu *menu) : QObject(menu), m_menu(menu)
{
    rebuild();
}

QStringList RecentFiles::paths() const
{
    return QSettings().value(kKey).toStringList();
}

void RecentFiles::remember(const QString &path)
{
    QStringList recent = paths();
    recent.removeAll(path);
    recent.prepend(path);
    QSettings().setValue(kKey, recent.mid(0, kept));
    rebuild();
}

void RecentFiles::rebuild()
{
    m_menu->clear();
    const QStringList recent = paths();
    for (int i = 0; i < recent.size(); ++i) {
        const QString path = recent.at(i);
        // "&1 /path/app.db" … "1&0 …": a digit to pick it, and an & in a path is not a mnemonic.
        const QString number = i < 9 ? QStringLiteral("&%1").arg(i + 1) : QStringLiteral("1&0");
        QString shown = QDir::toNativeSeparators(path);
        shown.replace(QLatin1Char('&'), QStringLiteral("&&"));
        QAction *action = m_menu->addAction(QStringLiteral("%1  %2").arg(number, shown));
        action->setData(path);
        connect(action, &QAction::triggered, this, [this, path] { Q_EMIT chosen(path); });
    }
    m_menu->setEnabled(!recent.isEmpty());
}

} // namespace dbdeck::gui

#pragma once

#include "migrate/migrationstatus.h"

#include <QColor>
#include <QIcon>
#include <QPalette>

namespace dbdeck::gui {

// Colours and icons for states (migration states, run statuses, event levels, journal
// outcomes). Colours are readable on the palette's Base colour (the background of tables) in
// light and dark themes; neutral states ("info") use the palette's own text colour. Icons are
// drawn at 1x and 2x so they stay sharp on high-DPI screens, without an SVG plugin.
class StateIcons
{
public:
    static QColor colour(const QString &state); // against the application's palette
    static QColor colour(const QString &state, const QPalette &palette);
    static QIcon icon(const QString &state);
    static QString label(MigrationState state) { return stateName(state); }
};

} // namespace dbdeck::gui

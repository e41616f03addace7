#pragma once

#include "migrate/migrationstatus.h"

#include <QColor>
#include <QIcon>

namespace dbdeck::gui {

// Colours and icons for states (migration states, run statuses, event levels). Icons are drawn
// at 1x and 2x so they stay sharp on high-DPI screens, without an SVG plugin.
class StateIcons
{
public:
    static QColor colour(const QString &state); // "applied", "failed", "warning", ...
    static QIcon icon(const QString &state);
    static QString label(MigrationState state) { return stateName(state); }
};

} // namespace dbdeck::gui

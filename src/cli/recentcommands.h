#pragma once

#include "command.h"

#include <QList>

namespace dbdeck::cli {

// recent runs|events: the newest runs, or the newest events of one run or of all.
QList<Command> recentCommands();

} // namespace dbdeck::cli

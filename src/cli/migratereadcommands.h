#pragma once

#include "command.h"

namespace dbdeck::cli {

// status, current, heads, history, check, journal: they read and never write.
QList<Command> migrateReadCommands();

} // namespace dbdeck::cli

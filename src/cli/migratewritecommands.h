#pragma once

#include "command.h"

namespace dbdeck::cli {

// revision, upgrade, downgrade, stamp.
QList<Command> migrateWriteCommands();

} // namespace dbdeck::cli

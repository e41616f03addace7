#pragma once

#include "command.h"

namespace dbdeck::cli {

// resume, mark-applied, mark-not-applied: recovering an interrupted transaction:false migration.
QList<Command> recoveryCommands();

} // namespace dbdeck::cli

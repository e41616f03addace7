#pragma once

#include "command.h"

namespace dbdeck::cli {

// counts, health, reset.
QList<Command> adminCommands();

} // namespace dbdeck::cli

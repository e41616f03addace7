#pragma once

#include "command.h"

#include <QList>

namespace dbdeck::cli {

// `config` (effective settings and their sources) and `pragmas` (configured vs effective).
QList<Command> configCommands();

} // namespace dbdeck::cli

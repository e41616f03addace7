#pragma once

#include "command.h"

namespace dbdeck::cli {

// ingest, sample-data: loading the application's runs and events.
QList<Command> dataCommands();

} // namespace dbdeck::cli

#pragma once

#include "command.h"

namespace dbdeck::cli {

// baseline VERSION [--accept-differences]: adopt a database dbdeck does not manage.
Command baselineCommand();

} // namespace dbdeck::cli

#include "migrate/migrationlogging.h"

namespace dbdeck {
Q_LOGGING_CATEGORY(lcMigrate, "dbdeck.migrate", QtInfoMsg)
}

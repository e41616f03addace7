#include "db/logging.h"

namespace dbdeck {
Q_LOGGING_CATEGORY(lcSql, "dbdeck.sql", QtInfoMsg)
Q_LOGGING_CATEGORY(lcDb, "dbdeck.db", QtInfoMsg)
} // namespace dbdeck

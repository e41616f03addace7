#pragma once

#include <QLoggingCategory>

namespace dbdeck {
Q_DECLARE_LOGGING_CATEGORY(lcSql) // "dbdeck.sql": every statement, when ECHO_SQL is on
Q_DECLARE_LOGGING_CATEGORY(lcDb)  // "dbdeck.db": connections, PRAGMAs, retries
} // namespace dbdeck

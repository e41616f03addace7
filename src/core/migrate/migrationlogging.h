#pragma once

#include <QLoggingCategory>

namespace dbdeck {
Q_DECLARE_LOGGING_CATEGORY(lcMigrate) // "dbdeck.migrate"
}

#pragma once

#include <QString>

namespace dbdeck {

// The time format of database columns: naive UTC, fixed width, microseconds —
// "YYYY-MM-DD HH:MM:SS.ffffff", as SQLAlchemy writes DateTime on SQLite.
QString utcNowForDb();

// Who runs an operation, for version rows and the journal: "user@host".
QString currentActor();

} // namespace dbdeck

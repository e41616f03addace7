#pragma once

namespace dbdeck::bench {

// Applies N generated migrations (a table, an index, a few rows each) to a new database through
// dbdeck, and the same SQL through the sqlite3 shell, in the same run; prints both and the ratio.
int runMigrateBench(int migrations, int runs);

} // namespace dbdeck::bench

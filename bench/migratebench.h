#pragma once

namespace dbdeck::bench {

// Whole processes, interleaved: `dbdeck-cli upgrade` of N generated migrations (a table, an
// index, a few rows each) on a new database vs the sqlite3 shell running the same SQL with one
// transaction per migration.
int runMigrateBench(int migrations, int runs);

// Whole processes: `dbdeck-cli status` with N migrations applied (goal: 150 ms at 3000), next to
// the shell reading the same table.
int runStatusBench(int migrations, int runs);

} // namespace dbdeck::bench

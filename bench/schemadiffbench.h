#pragma once

namespace dbdeck::bench {

// `dbdeck-bench schema-diff`: `diff live declared` of a schema of `tables` tables (each with
// columns, a CHECK, two indexes and a foreign key to the table before it): introspection of the
// live SQLite file, the declared schema applied to a scratch database and read back, and the
// comparison; and the comparison of the two models alone. Goal: the whole under 1 s at 200.
int runSchemaDiffBench(int tables, int runs);

} // namespace dbdeck::bench

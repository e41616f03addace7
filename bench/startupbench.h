#pragma once

#include <QtGlobal>

namespace dbdeck::bench {

// Whole processes: the start-up floor of small commands on a SQLite database (`current`,
// `config`) next to the sqlite3 shell's `SELECT 1`. Goal: 12 ms.
int runStartupBench(int runs);

// Peak resident memory of `sample-data --output` and `ingest` at N events (goal: under 64 MB).
int runMemoryBench(qint64 events, int runs);

} // namespace dbdeck::bench

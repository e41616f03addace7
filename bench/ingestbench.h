#pragma once

#include <QtGlobal>

namespace dbdeck::bench {

// Whole processes, interleaved: `dbdeck-cli ingest` of N generated events (JSON Lines) vs the
// sqlite3 shell's `.import` of the same rows (CSV) and vs SQLite's copy path (INSERT ... SELECT
// from an attached database), each into a fresh copy of the same migrated database (same schema,
// indexes, foreign keys on, WAL, synchronous NORMAL).
int runIngestBench(qint64 events, int runs);

} // namespace dbdeck::bench

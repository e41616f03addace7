#pragma once

namespace dbdeck::bench {

// Single-writer batched ingestion of N events through Store::appendEvents vs the raw SQLite C
// API (one prepared single-row INSERT reused), same rows, schema and batch size.
int runIngestBench(int events, int batchSize, int runs);

// 4 writers committing small transactions (10 events) plus a reader, for a fixed time:
// rows/s, p50/p99 commit latency, busy retries, errors.
int runConcurrentBench(int seconds, int writers);

} // namespace dbdeck::bench

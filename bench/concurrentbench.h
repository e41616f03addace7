#pragma once

namespace dbdeck::bench {

// 4 writers committing small transactions (10 events) plus a reader, for a fixed time, in one
// process: rows/s, p50/p99 commit latency, busy retries, errors.
int runConcurrentBench(int seconds, int writers);

} // namespace dbdeck::bench

#pragma once

namespace dbdeck::bench {

// Lints N generated migrations (tables, indexes, ALTERs, rows) as one run, against loading the
// same files (what `status` pays anyway); prints both and what linting adds.
int runLintBench(int migrations, int runs);

} // namespace dbdeck::bench

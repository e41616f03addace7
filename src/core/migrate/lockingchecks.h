#pragma once

#include "migrate/statementanalysis.h"

namespace dbdeck {

class LintContext;

// PostgreSQL locking and rewrites (and the column additions that fail on tables with rows on
// both backends): pg-index-not-concurrent, pg-concurrently-in-transaction,
// not-null-without-default, volatile-default, pg-unique-constraint,
// pg-constraint-without-not-valid, pg-column-type-change, pg-set-not-null, rename-column,
// rename-table, pg-lock-timeout-missing.
class LockingChecks
{
public:
    static void check(LintContext &ctx);

private:
    static void checkCreateIndex(LintContext &ctx);
    static void checkAlterTable(LintContext &ctx);
    static void checkAddColumn(LintContext &ctx, const AlterAction &action);
    static void checkTimeouts(LintContext &ctx);
};

} // namespace dbdeck

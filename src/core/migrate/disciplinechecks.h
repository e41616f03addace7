#pragma once

namespace dbdeck {

class LintContext;

// Statements that lose data (destructive-*), and statements that do not belong in a migration
// dbdeck runs in one transaction (transaction-control, pragma-in-transaction,
// vacuum-in-transaction), and text the runner would misread (sql-unterminated).
class DisciplineChecks
{
public:
    static void check(LintContext &ctx);

private:
    static void checkDestructive(LintContext &ctx);
    static void checkTransaction(LintContext &ctx);
};

} // namespace dbdeck

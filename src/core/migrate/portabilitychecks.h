#pragma once

namespace dbdeck {

class LintContext;

// What runs on SQLite but not on PostgreSQL (portable-insert-or-replace, portable-autoincrement,
// portable-rowid, portable-sqlite-function, portable-sqlite-syntax), and the ALTER TABLE forms
// SQLite lacks (sqlite-alter-table-unsupported).
class PortabilityChecks
{
public:
    static void check(LintContext &ctx);

private:
    static void checkTokens(LintContext &ctx);
    static void checkFunctions(LintContext &ctx);
    static void checkSqliteAlterTable(LintContext &ctx);
};

} // namespace dbdeck

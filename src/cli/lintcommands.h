#pragma once

#include "command.h"

#include <QJsonObject>

namespace dbdeck {
struct LintReport;
struct StatusReport;
}

namespace dbdeck::cli {

// lint: checks migration files against the linter's rules; reads files (and, for the default
// of "what is pending", the version table), never writes.
QList<Command> lintCommands();

// For `check`: the pending migrations of the status, linted for the configured backend.
LintReport lintPendingForCheck(CommandContext &ctx, const StatusReport &status);
// Each finding as "file:line:column: severity rule: message" and its hint on the next line.
void printFindings(QTextStream &out, const LintReport &report);
QJsonObject lintReportJson(const LintReport &report);

} // namespace dbdeck::cli

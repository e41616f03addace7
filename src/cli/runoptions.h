#pragma once

#include "command.h"
#include "migrate/migrationplanner.h"

namespace dbdeck::cli {

// The options of every command that changes the schema (--lock-timeout, and for upgrade and
// downgrade --allow-modified and --retry-partial), with progress printed to ctx.out and SIGINT,
// SIGTERM and SIGHUP turned into a request to stop at the next safe point.
MigrationRunOptions migrationRunOptions(CommandContext &ctx, const QString &target, bool withRunFlags = true);
void addLockTimeoutOption(QCommandLineParser &parser);
// "[2/3] 0002_x already applied by another runner" etc.; the summary line after a run.
QString runSummary(const MigrationRunResult &result, bool up);

} // namespace dbdeck::cli

#pragma once

#include "migrate/lintfinding.h"
#include "migrate/lintsuppressions.h"
#include "migrate/migrationanalysis.h"
#include "migrate/migrationset.h"
#include "migrate/migrationstatus.h"

#include <optional>

namespace dbdeck {

class Database;
class DbConfig;
struct LintSchemaState;

struct LintOptions
{
    SqlSplitter::Dialect dialect = SqlSplitter::Dialect::Sqlite;
    LintSuppressions suppressions; // the project's (LINT_IGNORE)

    // The configured backend's dialect unless one is given, and LINT_IGNORE. Throws ConfigError.
    static LintOptions fromConfig(const DbConfig &config, std::optional<SqlSplitter::Dialect> dialect = std::nullopt);
};

// Checks migration files against the rules of LintRules (docs/migrations.md, "Lint rules")
// without running them. Reads files only; never a database, except lintPending, which reads the
// version table to know what is pending.
class MigrationLinter
{
public:
    explicit MigrationLinter(LintOptions options);

    // The files as one run, in version order (as `upgrade` applies them): a table created by an
    // earlier statement of the run is new (empty, unused) for the statements after it; every
    // other table is taken to exist, with rows, while the application runs.
    LintReport lint(const QList<MigrationFile> &files) const;
    // The same for files already analyzed (the preflight analyzes them anyway).
    LintReport lint(const QList<MigrationAnalysis> &analyses) const;
    // The migrations pending on the database, as `upgrade` would run them (reads only).
    LintReport lintPending(Database &db, const MigrationSet &set) const;
    static QList<MigrationFile> pendingFiles(const StatusReport &status, const MigrationSet &set);

private:
    void lintSection(const MigrationAnalysis &analysis, const SectionAnalysis &section, LintSchemaState &schema,
                     QList<LintFinding> &findings) const;
    MigrationLint lintFile(const MigrationAnalysis &analysis, LintSchemaState &schema) const;

    LintOptions m_options;
};

} // namespace dbdeck

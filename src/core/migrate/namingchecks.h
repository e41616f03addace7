#pragma once

#include "migrate/statementanalysis.h"

namespace dbdeck {

class LintContext;

// Constraint and index names (constraint-unnamed, constraint-name-convention): pk_<table>,
// uq_<table>_<columns>, ix_<table>_<columns>, fk_<table>_<columns>_<referenced table>,
// ck_<table>_<name> (docs: ARCHITECTURE.md, "Portability").
class NamingChecks
{
public:
    static void check(LintContext &ctx);
    // The conventional name, or its prefix ("ck_runs_") when the rest is free or unknown.
    static QString expectedName(const QString &table, const ConstraintDefinition &constraint, bool *prefixOnly);
    static QString expectedIndexName(const QString &table, const QStringList &columns, bool unique, bool *prefixOnly);

private:
    static void checkConstraint(LintContext &ctx, const QString &table, const ConstraintDefinition &constraint);
};

} // namespace dbdeck

#include "migrate/namingchecks.h"

#include "migrate/lintcontext.h"

namespace dbdeck {

namespace {

using Kind = StatementAnalysis::Kind;

// PostgreSQL cuts identifiers at 63 bytes; a longer conventional name cannot be had.
constexpr int maxIdentifierLength = 63;

QString kindName(ConstraintDefinition::Kind kind)
{
    switch (kind) {
    case ConstraintDefinition::Kind::PrimaryKey: return QStringLiteral("PRIMARY KEY");
    case ConstraintDefinition::Kind::Unique: return QStringLiteral("UNIQUE constraint");
    case ConstraintDefinition::Kind::Check: return QStringLiteral("CHECK constraint");
    case ConstraintDefinition::Kind::ForeignKey: return QStringLiteral("FOREIGN KEY");
    case ConstraintDefinition::Kind::Exclude: return QStringLiteral("EXCLUDE constraint");
    }
    return {};
}

// What the constraint is written with, for the hint.
QString keywordOf(const ConstraintDefinition &c)
{
    switch (c.kind) {
    case ConstraintDefinition::Kind::PrimaryKey: return QStringLiteral("PRIMARY KEY");
    case ConstraintDefinition::Kind::Unique: return QStringLiteral("UNIQUE");
    case ConstraintDefinition::Kind::Check: return QStringLiteral("CHECK");
    case ConstraintDefinition::Kind::ForeignKey: return c.columnLevel ? QStringLiteral("REFERENCES") : QStringLiteral("FOREIGN KEY");
    case ConstraintDefinition::Kind::Exclude: return QStringLiteral("EXCLUDE");
    }
    return {};
}

QString withColumns(const QString &prefix, const QStringList &columns, const QString &suffix, bool *prefixOnly)
{
    if (columns.isEmpty()) {
        *prefixOnly = true;
        return prefix + QLatin1Char('_');
    }
    const QString full = prefix + QLatin1Char('_') + columns.join(QLatin1Char('_')) + suffix;
    if (full.size() > maxIdentifierLength) {
        *prefixOnly = true;
        return prefix + QLatin1Char('_');
    }
    *prefixOnly = false;
    return full;
}

bool follows(const QString &name, const QString &expected, bool prefixOnly, bool exact)
{
    const QString n = name.toLower();
    if (prefixOnly)
        return n.startsWith(expected) && n.size() > expected.size();
    return exact ? n == expected : n.startsWith(expected);
}

} // namespace

QString NamingChecks::expectedName(const QString &table, const ConstraintDefinition &c, bool *prefixOnly)
{
    *prefixOnly = false;
    switch (c.kind) {
    case ConstraintDefinition::Kind::PrimaryKey:
        return QStringLiteral("pk_") + table;
    case ConstraintDefinition::Kind::Unique:
        return withColumns(QStringLiteral("uq_") + table, c.columns, QString(), prefixOnly);
    case ConstraintDefinition::Kind::ForeignKey:
        return withColumns(QStringLiteral("fk_") + table, c.columns, QLatin1Char('_') + c.referencedTable, prefixOnly);
    case ConstraintDefinition::Kind::Check:
        *prefixOnly = true;
        return QStringLiteral("ck_%1_").arg(table);
    case ConstraintDefinition::Kind::Exclude:
        *prefixOnly = true;
        return QStringLiteral("ex_%1_").arg(table);
    }
    return {};
}

QString NamingChecks::expectedIndexName(const QString &table, const QStringList &columns, bool unique, bool *prefixOnly)
{
    return withColumns((unique ? QStringLiteral("uq_") : QStringLiteral("ix_")) + table, columns, QString(), prefixOnly);
}

void NamingChecks::check(LintContext &ctx)
{
    const StatementAnalysis &s = ctx.analysis();
    if (s.temporary)
        return; // gone at the end of the session: nothing later refers to its names
    const QString table = ctx.section().finalNameOf(s.table);
    if (s.kind == Kind::CreateTable || s.kind == Kind::AlterTable) {
        for (const ConstraintDefinition &c : s.addedConstraints())
            checkConstraint(ctx, table, c);
        return;
    }
    if (s.kind != Kind::CreateIndex)
        return;
    bool prefixOnly = false;
    const QString expected = expectedIndexName(table, s.indexOnExpression ? QStringList() : s.indexColumns, s.unique, &prefixOnly);
    const QString shown = prefixOnly ? expected + QStringLiteral("...") : expected;
    if (s.objectName.isEmpty()) {
        ctx.report("constraint-unnamed", s.position,
                   QStringLiteral("CREATE INDEX without a name on %1: PostgreSQL makes one up (and SQLite refuses it)").arg(table),
                   QStringLiteral("CREATE %1INDEX %2 ON %3 (...)").arg(s.unique ? QStringLiteral("UNIQUE ") : QString(), shown, table));
        return;
    }
    bool ok = follows(s.objectName, expected, prefixOnly, false);
    if (!ok && s.unique) { // a unique index may also be named like a plain one
        const QString plain = expectedIndexName(table, s.indexOnExpression ? QStringList() : s.indexColumns, false, &prefixOnly);
        ok = follows(s.objectName, plain, prefixOnly, false);
    }
    if (!ok)
        ctx.report("constraint-name-convention", s.position,
                   QStringLiteral("index %1 on %2 does not follow the naming convention: expected %3").arg(s.objectName, table, shown),
                   QStringLiteral("name it %1 (ix_<table>_<columns>; uq_ for a unique one)").arg(shown));
}

void NamingChecks::checkConstraint(LintContext &ctx, const QString &table, const ConstraintDefinition &c)
{
    bool prefixOnly = false;
    const QString expected = expectedName(table, c, &prefixOnly);
    const QString shown = prefixOnly ? expected + QStringLiteral("<name>") : expected;
    const QString what = kindName(c.kind);
    const QString on = c.columnLevel ? QStringLiteral("%1.%2").arg(table, c.columns.value(0)) : table;
    if (c.name.isEmpty()) {
        ctx.report("constraint-unnamed", c.position,
                   QStringLiteral("unnamed %1 on %2: SQLite and PostgreSQL generate different names for it, so a later "
                                  "migration cannot refer to it the same way on both").arg(what, on),
                   QStringLiteral("CONSTRAINT %1 %2 ...").arg(shown, keywordOf(c)));
        return;
    }
    if (c.kind == ConstraintDefinition::Kind::Exclude)
        return; // the convention has no prefix for PostgreSQL's exclusion constraints
    if (!follows(c.name, expected, prefixOnly, c.kind == ConstraintDefinition::Kind::PrimaryKey))
        ctx.report("constraint-name-convention", c.position,
                   QStringLiteral("%1 %2 on %3 does not follow the naming convention: expected %4").arg(what, c.name, on, shown),
                   QStringLiteral("CONSTRAINT %1").arg(shown));
}

} // namespace dbdeck

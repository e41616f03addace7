#include "migrate/migrationlinter.h"

#include "config/dbconfig.h"
#include "migrate/disciplinechecks.h"
#include "migrate/lintcontext.h"
#include "migrate/lockingchecks.h"
#include "migrate/migrationplanner.h"
#include "migrate/namingchecks.h"
#include "migrate/portabilitychecks.h"
#include "migrate/typechecks.h"

#include <algorithm>

namespace dbdeck {

namespace {

using Kind = StatementAnalysis::Kind;

// Notes what the statement created, so that later statements of the run see it as new.
void record(const StatementAnalysis &s, LintSchemaState &schema)
{
    if (s.kind == Kind::DropTable) {
        for (const QString &table : s.tables) {
            if (!schema.tables.contains(table))
                schema.droppedExisting.insert(table);
        }
        return;
    }
    if (s.kind == Kind::CreateTable) {
        schema.tables.insert(s.table);
        for (const ColumnDefinition &column : s.columns)
            schema.columns[s.table].insert(column.name);
        return;
    }
    if (s.kind != Kind::AlterTable)
        return;
    for (const AlterAction &a : s.actions) {
        if (a.kind == AlterAction::Kind::AddColumn) {
            schema.columns[s.table].insert(a.column);
        } else if (a.kind == AlterAction::Kind::RenameTable && schema.tables.contains(s.table)) {
            // A rebuild (new table renamed to the existing one it replaces) holds the old rows:
            // the result exists. Otherwise the renamed table is as new as it was.
            if (schema.droppedExisting.remove(a.newName))
                continue;
            schema.tables.insert(a.newName);
            schema.columns[a.newName] = schema.columns.value(s.table);
        } else if (a.kind == AlterAction::Kind::RenameColumn && schema.columns.value(s.table).contains(a.column)) {
            schema.columns[s.table].insert(a.newName);
        }
    }
}

// The statement's own "-- dbdeck:ignore" comments; unknown ids become findings.
QSet<QString> statementIgnores(const AnalyzedStatement &statement, LintContext &ctx)
{
    QSet<QString> ids;
    for (const SqlToken &comment : statement.comments) {
        const LintSuppressions::CommentIgnore ignore = LintSuppressions::parseComment(comment.text);
        if (!ignore.present)
            continue;
        if (ignore.rules.isEmpty())
            ctx.report("ignore-unknown-rule", comment.position,
                       QStringLiteral("dbdeck:ignore names no rule, so it ignores nothing"),
                       QStringLiteral("-- dbdeck:ignore <rule-id>[, <rule-id>] [reason] (dbdeck-cli lint --rules lists them)"));
        for (const QString &id : ignore.rules) {
            if (LintRules::find(id))
                ids.insert(id);
            else
                ctx.report("ignore-unknown-rule", comment.position,
                           QStringLiteral("dbdeck:ignore names \"%1\", which is no rule").arg(id),
                           QStringLiteral("check the id with dbdeck-cli lint --rules"));
        }
    }
    return ids;
}

// Ignores in the comments before a section's first statement also cover the file as a whole.
QSet<QString> fileIgnores(const SectionAnalysis &up)
{
    QSet<QString> ids;
    if (up.statements.isEmpty())
        return ids;
    const AnalyzedStatement &first = up.statements.first();
    const qsizetype start = first.analysis.tokens.isEmpty() ? 0 : first.analysis.tokens.first().offset;
    for (const SqlToken &comment : first.comments) {
        if (comment.offset < start) {
            for (const QString &id : LintSuppressions::parseComment(comment.text).rules)
                ids.insert(id);
        }
    }
    return ids;
}

} // namespace

LintOptions LintOptions::fromConfig(const DbConfig &config, std::optional<SqlSplitter::Dialect> dialect)
{
    LintOptions options;
    options.dialect = dialect.value_or(MigrationPlanner::dialectFor(config.backend()));
    options.suppressions = LintSuppressions::fromConfig(config);
    return options;
}

MigrationLinter::MigrationLinter(LintOptions options) : m_options(std::move(options)) {}

LintReport MigrationLinter::lint(const QList<MigrationFile> &unsorted) const
{
    QList<const MigrationFile *> files;
    for (const MigrationFile &file : unsorted)
        files.append(&file);
    std::stable_sort(files.begin(), files.end(),
                     [](const MigrationFile *a, const MigrationFile *b) { return a->version() < b->version(); });
    LintReport report;
    report.dialect = m_options.dialect;
    LintSchemaState schema;
    // One file at a time: thousands of files must not mean thousands of analyses held at once.
    for (const MigrationFile *file : std::as_const(files))
        report.migrations.append(lintFile(MigrationAnalysis::analyze(*file, m_options.dialect), schema));
    return report;
}

LintReport MigrationLinter::lint(const QList<MigrationAnalysis> &unsorted) const
{
    QList<const MigrationAnalysis *> analyses;
    for (const MigrationAnalysis &analysis : unsorted)
        analyses.append(&analysis);
    std::stable_sort(analyses.begin(), analyses.end(), [](const MigrationAnalysis *a, const MigrationAnalysis *b) {
        return a->file().version() < b->file().version();
    });
    LintReport report;
    report.dialect = m_options.dialect;
    LintSchemaState schema;
    for (const MigrationAnalysis *analysis : std::as_const(analyses))
        report.migrations.append(lintFile(*analysis, schema));
    return report;
}

MigrationLint MigrationLinter::lintFile(const MigrationAnalysis &analysis, LintSchemaState &schema) const
{
    const MigrationFile &file = analysis.file();
    MigrationLint result;
    result.version = file.version();
    result.name = file.name();
    result.path = file.path();
    QList<LintFinding> findings;
    lintSection(analysis, analysis.up(), schema, findings);
    if (analysis.down().present) {
        LintSchemaState downSchema; // a down section undoes the up: every table it touches exists
        lintSection(analysis, analysis.down(), downSchema, findings);
    } else if (!fileIgnores(analysis.up()).contains(QStringLiteral("missing-down"))) {
        LintSectionState state;
        QList<LintFinding> fileFindings;
        if (!analysis.up().statements.isEmpty()) {
            LintContext ctx(m_options.dialect, file, analysis.up(), schema, state, fileFindings);
            ctx.report("missing-down", SqlPosition{analysis.up().markerLine, 1},
                       QStringLiteral("%1 has no down section: downgrading past it is refused").arg(file.name()),
                       QStringLiteral("add \"-- migrate:down\" with the statements that undo it (or SELECT 1; for a "
                                      "deliberate no-op); if it cannot be undone, say so: -- dbdeck:ignore missing-down "
                                      "before its first statement"));
        }
        findings += fileFindings;
    }
    for (const LintFinding &finding : std::as_const(findings)) {
        if (!m_options.suppressions.suppresses(finding.rule, file.version()))
            result.findings.append(finding);
    }
    std::stable_sort(result.findings.begin(), result.findings.end(),
                     [](const LintFinding &a, const LintFinding &b) { return a.position < b.position; });
    return result;
}

void MigrationLinter::lintSection(const MigrationAnalysis &analysis, const SectionAnalysis &section,
                                  LintSchemaState &schema, QList<LintFinding> &findings) const
{
    LintSectionState state;
    for (int i = 0; i < section.statements.size(); ++i) {
        QList<LintFinding> found;
        LintContext ctx(m_options.dialect, analysis.file(), section, schema, state, found);
        ctx.setStatement(i);
        const QSet<QString> ignored = statementIgnores(section.statements.at(i), ctx);
        LockingChecks::check(ctx);
        TypeChecks::check(ctx);
        PortabilityChecks::check(ctx);
        DisciplineChecks::check(ctx);
        NamingChecks::check(ctx);
        for (const LintFinding &finding : std::as_const(found)) {
            if (!ignored.contains(finding.rule))
                findings.append(finding);
        }
        record(section.statements.at(i).analysis, schema);
    }
}

LintReport MigrationLinter::lintPending(Database &db, const MigrationSet &set) const
{
    return lint(pendingFiles(readMigrationStatus(db, set), set));
}

QList<MigrationFile> MigrationLinter::pendingFiles(const StatusReport &status, const MigrationSet &set)
{
    QList<MigrationFile> files;
    for (const MigrationStatus &m : status.migrations) {
        if (m.state != MigrationState::Pending)
            continue;
        if (const MigrationFile *file = set.find(m.version))
            files.append(*file);
    }
    return files;
}

} // namespace dbdeck

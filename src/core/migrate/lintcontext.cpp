#include "migrate/lintcontext.h"

namespace dbdeck {

LintContext::LintContext(SqlSplitter::Dialect dialect, const MigrationFile &file, const SectionAnalysis &section,
                         const LintSchemaState &schema, LintSectionState &state, QList<LintFinding> &findings)
    : m_dialect(dialect), m_file(file), m_section(section), m_schema(schema), m_state(state), m_findings(findings)
{}

bool LintContext::isExistingTable(const QString &table) const
{
    return !table.isEmpty() && !m_schema.tables.contains(table);
}

bool LintContext::isNewColumn(const QString &table, const QString &column) const
{
    return !isExistingTable(table) || m_schema.columns.value(table).contains(column);
}

void LintContext::report(const char *ruleId, SqlPosition position, const QString &message, const QString &hint)
{
    const LintRule *rule = LintRules::find(QLatin1String(ruleId));
    Q_ASSERT_X(rule, "LintContext::report", ruleId);
    if (!rule || (!m_section.up && !rule->appliesToDown))
        return;
    const LintSeverity severity = rule->severityFor(m_dialect);
    if (severity == LintSeverity::Off)
        return;
    LintFinding finding;
    finding.file = m_file.path();
    finding.version = m_file.version();
    finding.position = position.isValid() ? position : analysis().position;
    finding.severity = severity;
    finding.rule = rule->id;
    finding.message = message;
    finding.hint = hint;
    m_findings.append(finding);
}

} // namespace dbdeck

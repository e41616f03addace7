#pragma once

#include "migrate/lintfinding.h"
#include "migrate/migrationanalysis.h"

#include <QHash>
#include <QSet>

namespace dbdeck {

// What earlier statements of the linted set created: tables and columns that are new (created
// by the same run of migrations, hence empty and unused), as opposed to existing ones.
struct LintSchemaState
{
    QSet<QString> tables;
    QHash<QString, QSet<QString>> columns; // table -> columns added to it
    QSet<QString> droppedExisting; // existing tables dropped so far: a rebuild renames a new one to it
};

// What one section has done so far that later statements depend on.
struct LintSectionState
{
    bool lockTimeoutSet = false;
    bool statementTimeoutSet = false;
    bool lockTimeoutReported = false;
};

// What a rule check sees: the statement, the section and file it is in, what came before it,
// and where its findings go.
class LintContext
{
public:
    LintContext(SqlSplitter::Dialect dialect, const MigrationFile &file, const SectionAnalysis &section,
                const LintSchemaState &schema, LintSectionState &state, QList<LintFinding> &findings);

    void setStatement(int index) { m_index = index; }

    SqlSplitter::Dialect dialect() const { return m_dialect; }
    bool postgres() const { return m_dialect == SqlSplitter::Dialect::Postgres; }
    const MigrationFile &file() const { return m_file; }
    const SectionAnalysis &section() const { return m_section; }
    bool upSection() const { return m_section.up; }
    bool transactional() const { return m_file.transactional(); }
    int statementIndex() const { return m_index; }
    const AnalyzedStatement &statement() const { return m_section.statements.at(m_index); }
    const StatementAnalysis &analysis() const { return statement().analysis; }
    LintSectionState &state() { return m_state; }

    // A table not created earlier in the linted set (or earlier in this section): it may have
    // rows and be in use while the migration runs.
    bool isExistingTable(const QString &table) const;
    bool isNewColumn(const QString &table, const QString &column) const;

    // Adds a finding of the rule at the position, with the rule's severity for the dialect;
    // nothing when the rule is off for it or does not apply to down sections.
    void report(const char *rule, SqlPosition position, const QString &message, const QString &hint);

private:
    SqlSplitter::Dialect m_dialect;
    const MigrationFile &m_file;
    const SectionAnalysis &m_section;
    const LintSchemaState &m_schema;
    LintSectionState &m_state;
    QList<LintFinding> &m_findings;
    int m_index = 0;
};

} // namespace dbdeck

#pragma once

#include "migrate/sqlsplitter.h"

#include <QList>
#include <QString>

namespace dbdeck {

enum class LintSeverity { Off, Warning, Error };

QString severityName(LintSeverity severity); // "off", "warning", "error"

// One rule of the migration linter. Ids are stable: suppressions, CI scripts and the docs
// (docs/migrations.md, one section per id) refer to them.
struct LintRule
{
    QString id;            // "pg-index-not-concurrent"
    QString category;      // "postgresql", "portability", "sqlite", "discipline"
    LintSeverity sqlite = LintSeverity::Off;   // when linting for SQLite
    LintSeverity postgres = LintSeverity::Off; // when linting for PostgreSQL
    bool appliesToDown = false; // also checked in down sections (rules about what fails or does not port)
    QString summary;       // one line, for `dbdeck-cli lint --rules`

    LintSeverity severityFor(SqlSplitter::Dialect dialect) const
    {
        return dialect == SqlSplitter::Dialect::Postgres ? postgres : sqlite;
    }
};

class LintRules
{
public:
    static const QList<LintRule> &all();
    static const LintRule *find(const QString &id);
    static QStringList ids();
};

} // namespace dbdeck

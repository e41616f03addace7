#include "migrate/lintfinding.h"

#include <algorithm>

namespace dbdeck {

QString LintFinding::toString() const
{
    return QStringLiteral("%1:%2:%3: %4 %5: %6")
        .arg(file)
        .arg(position.line)
        .arg(position.column)
        .arg(severityName(severity), rule, message);
}

namespace {

int countOf(const QList<LintFinding> &findings, LintSeverity severity)
{
    return int(std::count_if(findings.cbegin(), findings.cend(),
                             [severity](const LintFinding &f) { return f.severity == severity; }));
}

} // namespace

int MigrationLint::errors() const
{
    return countOf(findings, LintSeverity::Error);
}

int MigrationLint::warnings() const
{
    return countOf(findings, LintSeverity::Warning);
}

int LintReport::errors() const
{
    int n = 0;
    for (const MigrationLint &m : migrations)
        n += m.errors();
    return n;
}

int LintReport::warnings() const
{
    int n = 0;
    for (const MigrationLint &m : migrations)
        n += m.warnings();
    return n;
}

QList<LintFinding> LintReport::findings() const
{
    QList<LintFinding> all;
    for (const MigrationLint &m : migrations)
        all += m.findings;
    return all;
}

const MigrationLint *LintReport::find(qint64 version) const
{
    for (const MigrationLint &m : migrations) {
        if (m.version == version)
            return &m;
    }
    return nullptr;
}

} // namespace dbdeck

#include "migrationfindings.h"

#include "migrationjobs.h"

#include <QCoreApplication>

namespace dbdeck::gui {

namespace {

QString tr(const char *text, int n = -1)
{
    return QCoreApplication::translate("MigrationFindings", text, nullptr, n);
}

QString nameOf(const StatusReport &status, qint64 version)
{
    const MigrationStatus *m = status.find(version);
    return m ? m->name : MigrationFile::formatVersion(version);
}

// The preflight's finding in words; a migration that failed on the scratch database (no table,
// "the migration itself") says so rather than "1 of 0 row(s)".
QString findingText(const PreflightFinding &p)
{
    if (p.violates() && p.table.isEmpty())
        return tr("%1 fails on a database built from the migrations, so it would fail here too: %2").arg(p.migration, p.note);
    return p.toString();
}

} // namespace

int MigrationFindings::lintErrors() const
{
    int n = 0;
    for (const LintFinding &f : lint)
        n += f.severity == LintSeverity::Error ? 1 : 0;
    return n;
}

int MigrationFindings::lintWarnings() const
{
    int n = 0;
    for (const LintFinding &f : lint)
        n += f.severity == LintSeverity::Warning ? 1 : 0;
    return n;
}

int MigrationFindings::violations() const
{
    int n = 0;
    for (const PreflightFinding &f : preflight)
        n += f.violates() ? 1 : 0;
    return n;
}

qint64 MigrationFindings::violatingRows() const
{
    qint64 n = 0;
    for (const PreflightFinding &f : preflight)
        n += f.violates() ? f.violations : 0;
    return n;
}

int PendingFindings::lintErrors() const
{
    int n = 0;
    for (const MigrationFindings &f : byVersion)
        n += f.lintErrors();
    return n;
}

int PendingFindings::violations() const
{
    int n = 0;
    for (const MigrationFindings &f : byVersion)
        n += f.violations();
    return n;
}

namespace MigrationFindingsText {

QString pendingKey(const StatusReport &status)
{
    QStringList parts;
    for (const MigrationStatus &m : status.migrations) {
        if (m.state == MigrationState::Pending)
            parts << MigrationFile::formatVersion(m.version) + QLatin1Char(':') + m.fileChecksum;
    }
    return parts.join(QLatin1Char(' '));
}

QString marker(const MigrationFindings &f)
{
    QStringList lint;
    if (f.lintErrors())
        lint << tr("%n error(s)", f.lintErrors());
    if (f.lintWarnings())
        lint << tr("%n warning(s)", f.lintWarnings());
    QStringList parts;
    if (!lint.isEmpty())
        parts << lint.join(QStringLiteral(", "));
    bool fails = false; // the migration fails on the preflight's scratch database, whatever the rows
    for (const PreflightFinding &p : f.preflight)
        fails = fails || (p.violates() && p.table.isEmpty());
    if (f.violatingRows() > 0 && !fails)
        parts << tr("%n row(s) violate", int(f.violatingRows()));
    if (fails)
        parts << tr("fails in the preflight");
    return parts.join(QStringLiteral(" · "));
}

QString markerState(const MigrationFindings &f)
{
    if (f.lintErrors() || f.violations())
        return QStringLiteral("error");
    return f.lint.isEmpty() ? QString() : QStringLiteral("warning");
}

QString details(const MigrationFindings &f)
{
    QStringList lines;
    for (const LintFinding &l : f.lint) {
        lines << tr("line %1:%2: %3 %4: %5").arg(l.position.line).arg(l.position.column).arg(severityName(l.severity), l.rule, l.message);
        if (!l.hint.isEmpty())
            lines << QStringLiteral("    ") + l.hint;
    }
    for (const PreflightFinding &p : f.preflight) {
        lines << tr("preflight: %1").arg(findingText(p));
        for (const QString &example : p.examples)
            lines << QStringLiteral("    ") + example;
    }
    return lines.join(QLatin1Char('\n'));
}

QString applyBlock(const PendingFindings *findings)
{
    if (!findings)
        return tr("checking the pending migrations (lint, preflight)…");
    if (findings->lintErrors() > 0)
        return tr("lint found %n error(s) in the pending migrations", findings->lintErrors());
    return {};
}

QString applyNote(const PendingFindings *findings)
{
    if (!findings)
        return tr(" Checking them first (lint, preflight)…");
    if (findings->violations() > 0)
        return tr(" The preflight found what would make one fail (select it to see why): Apply asks before it runs.");
    return {};
}

QString lintBlock(const PendingFindings &findings, const StatusReport &status)
{
    QStringList lines;
    for (auto it = findings.byVersion.cbegin(); it != findings.byVersion.cend(); ++it) {
        for (const LintFinding &l : it->lint) {
            if (l.severity == LintSeverity::Error)
                lines << tr("%1 line %2: %3: %4").arg(nameOf(status, it.key())).arg(l.position.line).arg(l.rule, l.message);
        }
    }
    if (lines.isEmpty())
        return {};
    return tr("Apply pending is disabled because lint found %n error(s), which fail `dbdeck-cli check`:", int(lines.size()))
        + QLatin1Char('\n') + lines.join(QLatin1Char('\n'))
        + QLatin1Char('\n') + tr("Fix the migration, or add `-- dbdeck:ignore RULE` above the statement if it is meant.");
}

QString violationQuestion(const PendingFindings &findings)
{
    QStringList lines;
    for (auto it = findings.byVersion.cbegin(); it != findings.byVersion.cend(); ++it) {
        for (const PreflightFinding &p : it->preflight) {
            if (p.violates())
                lines << findingText(p);
        }
    }
    if (lines.isEmpty())
        return {};
    return tr("The preflight found what would make a pending migration fail (`dbdeck-cli upgrade --preflight` exits 7 on it):")
        + QLatin1Char('\n') + lines.join(QLatin1Char('\n')) + QStringLiteral("\n\n")
        + tr("Applying will most likely fail at that migration. Apply anyway?");
}

QString forPending(const std::optional<PendingFindings> &findings, const MigrationStatus &m)
{
    if (!findings)
        return tr("Lint and preflight: checking…");
    QStringList lines = details(findings->byVersion.value(m.version)).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    constexpr int shown = 12; // the SQL keeps its room; the list marker's tooltip and the CLI have them all
    if (lines.size() > shown) {
        const int more = int(lines.size()) - shown;
        lines = lines.mid(0, shown);
        lines << tr("… %n more line(s): hover the marker in the list, or run `dbdeck-cli lint` and `upgrade --preflight`", more);
    }
    const QString text = lines.join(QLatin1Char('\n'));
    QString result = text.isEmpty() ? tr("Lint and preflight: no findings.") : tr("Lint and preflight of %1:").arg(m.name) + QLatin1Char('\n') + text;
    if (!findings->notes.isEmpty())
        result += QLatin1Char('\n') + findings->notes.join(QLatin1Char('\n'));
    return result;
}

} // namespace MigrationFindingsText

void FindingsTracker::request(const StatusReport &status, MigrationJobs *jobs)
{
    const QString key = MigrationFindingsText::pendingKey(status);
    if (key.isEmpty() || !jobs) {
        reset();
        return;
    }
    if (key == m_asked && !m_stale)
        return;
    m_asked = key;
    m_stale = false;
    jobs->checkPending(); // the findings shown meanwhile stay until the new ones arrive
}

bool FindingsTracker::accept(const PendingFindings &findings, const MigrationJobs *jobs)
{
    if (jobs && !jobs->isCurrent(findings.generation))
        return false;
    m_findings = findings;
    return true;
}

void FindingsTracker::failed(const QString &message)
{
    PendingFindings failed;
    failed.key = m_asked;
    failed.notes << tr("Lint and preflight could not run: %1").arg(message);
    m_findings = failed;
}

void FindingsTracker::reset()
{
    m_findings.reset();
    m_asked.clear();
    m_stale = false;
}

bool FindingsTracker::isCurrent(const StatusReport &status) const
{
    return m_findings && m_findings->key == MigrationFindingsText::pendingKey(status);
}

} // namespace dbdeck::gui

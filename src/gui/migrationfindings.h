#pragma once

#include "workertypes.h"

#include <optional>

namespace dbdeck::gui {

// How the Migrations tab words lint and preflight findings of pending migrations (issue 14):
// a short marker for the list, the full text for the selected migration, and what they mean
// for Apply, as the CLI decides it: lint errors fail `check` (Apply is disabled, as for any
// failing check), rows that violate a new constraint fail `upgrade --preflight` (exit 7; Apply
// asks first).
namespace MigrationFindingsText {

// Which pending files the findings belong to: versions and checksums; empty when none is pending.
QString pendingKey(const StatusReport &status);

// "1 error, 2 warnings · 3 rows violate"; empty when there is nothing to say.
QString marker(const MigrationFindings &findings);
// "error", "warning" or empty: the marker's StateIcons state.
QString markerState(const MigrationFindings &findings);

// Every finding of one migration, one a line, with the fix hints.
QString details(const MigrationFindings &findings);

// Why the findings keep Apply disabled: not checked yet (nullptr), or lint errors; empty: they do not.
QString applyBlock(const PendingFindings *findings);
// What the pending message adds: checking, or that Apply asks first; empty when neither.
QString applyNote(const PendingFindings *findings);
// The message when lint errors disable Apply, with each error (empty when there are none).
QString lintBlock(const PendingFindings &findings, const StatusReport &status);
// The question Apply asks when the preflight found violating rows (empty when it found none).
QString violationQuestion(const PendingFindings &findings);

// The text under the SQL view for a pending migration: its findings, "checking…" or "no findings".
QString forPending(const std::optional<PendingFindings> &findings, const MigrationStatus &m);

} // namespace MigrationFindingsText

class MigrationJobs;

// Which findings the panel has, and whether they are those of the pending files it shows: the
// check runs again when the pending files change, or when the data did (the preflight counts).
class FindingsTracker
{
public:
    // Asks the worker to check the pending files of this status unless that is already done.
    void request(const StatusReport &status, MigrationJobs *jobs);
    // False when a newer request made these findings obsolete.
    bool accept(const PendingFindings &findings, const MigrationJobs *jobs);
    // A check that could not run: Apply is not held up by it, the note says why.
    void failed(const QString &message);
    void dataChanged() { m_stale = true; }
    void reset();

    const std::optional<PendingFindings> &findings() const { return m_findings; }
    bool isCurrent(const StatusReport &status) const;

private:
    std::optional<PendingFindings> m_findings;
    QString m_asked; // the pending files last sent to be checked
    bool m_stale = false;
};

} // namespace dbdeck::gui

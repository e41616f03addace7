#pragma once

#include "celltablemodel.h"
#include "workertypes.h"

#include <optional>

namespace dbdeck::gui {

// The rows of the Migrations tab's two tables, from the status, the journal and the findings.
namespace MigrationRows {

// "Current 0002  ·  head 0003  ·  1 pending": every state that is not applied, with its count.
QString header(const StatusReport &status);
QStringList migrationsHeader();
// One row per migration: version, name, state (with its statements for one left part-way), the
// pending one's lint and preflight marker, applied at, duration.
QList<TableRow> migrations(const StatusReport &status, const std::optional<PendingFindings> &findings);
QStringList journalHeader();
QList<TableRow> journal(const QList<JournalEntry> &entries);

} // namespace MigrationRows

} // namespace dbdeck::gui

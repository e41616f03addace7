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
// The migration left part-way (failed-partial, interrupted) to offer recovery for: the selected
// one if it is, else the first; nullptr when there is none.
const MigrationStatus *leftPartWay(const StatusReport &status, const QString &selectedKey);
// What to select first: a migration left part-way, else the first pending, else the newest.
qint64 firstToShow(const StatusReport &status);
QStringList journalHeader();
QList<TableRow> journal(const QList<JournalEntry> &entries);

} // namespace MigrationRows

} // namespace dbdeck::gui

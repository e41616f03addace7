#pragma once

#include "migrate/migrationfile.h"
#include "migrate/sqlsplitter.h"

#include <QList>

namespace dbdeck {

// What must not stand in a migration section that dbdeck runs in one transaction, found when the
// files are loaded so that `check` fails and `upgrade` refuses before anything runs:
// - transaction control at the top level (BEGIN, START TRANSACTION, COMMIT, END, ROLLBACK, ABORT,
//   RELEASE): it ends or nests dbdeck's transaction, so "rolled back" would no longer be true;
// - statements that do nothing or fail inside a transaction: PRAGMA foreign_keys = …,
//   PRAGMA journal_mode = …, VACUUM, PostgreSQL's … CONCURRENTLY;
// - on SQLite, a table rebuild (DROP TABLE x … ALTER TABLE y RENAME TO x) without
//   foreign_keys:off, whose DROP TABLE would delete (ON DELETE CASCADE) the rows referencing x.
// Trigger and function bodies are single statements to the splitter, so their BEGIN/END pass.
class StatementRules
{
public:
    static QList<MigrationProblem> check(const MigrationFile &file, SqlSplitter::Dialect dialect);
};

} // namespace dbdeck

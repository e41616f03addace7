#pragma once

#include "migrate/driftcheck.h"
#include "migrate/migrationset.h"

#include <QStringList>

namespace dbdeck {

class Database;

struct BaselineResult
{
    qint64 version = 0;                   // the database is now recorded at this version
    QStringList recorded;                 // the migrations recorded as applied, in order (none ran)
    QString previousOwner;                // SchemaOwnership::describe() before: "not managed by dbdeck: managed by Alembic, revision X"
    QList<SchemaDifference> differences;  // accepted with acceptDifferences (expected -> live); empty when none
    qint64 journalId = 0;
};

// Adopts a database dbdeck does not manage (application tables, no dbdeck history; e.g. one
// migrated by Alembic): records the migrations up to a version as applied without running them,
// under the migration lock, journaled as a "baseline" attempt. Refused (MigrationError, nothing
// changed, no dbdeck table created) on a database dbdeck already manages, on one without
// application tables (upgrade creates those), on a version that has no file, and when the
// database's schema differs from what the migrations up to that version produce, unless the
// differences are accepted. The CLI's `baseline` and the inspector use it.
class Baseliner
{
public:
    Baseliner(Database &db, const MigrationSet &set);

    // The version a target names: a number that has a file, or "head". Throws MigrationError.
    qint64 resolve(const QString &version) const;
    // Reads only: the database's ownership checked as baseline() checks it (MigrationError when
    // refused), and its schema against the migrations up to version.
    DriftReport preview(const QString &version);
    BaselineResult baseline(const QString &version, int lockTimeoutMs, bool acceptDifferences);

    // "refusing to baseline at 0002: ... differs ...:\n  difference\n  ..." for a refused drift.
    static QString driftRefusal(const DriftReport &drift);

private:
    void requireAdoptable();

    Database &m_db;
    const MigrationSet &m_set;
};

} // namespace dbdeck

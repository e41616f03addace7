#pragma once

#include "migrate/migrationset.h"
#include "schema/schemadiff.h"

namespace dbdeck {

class Database;

struct DriftReport
{
    qint64 version = 0;   // the migrations compared against: up to and including this one
    Schema live;
    Schema expected;      // what those migrations produce from scratch
    QList<SchemaDifference> differences; // expected -> live
    QStringList notes;    // e.g. applied migrations whose files are gone (not replayable)
    bool drifted() const { return !differences.isEmpty(); }
};

// Drift: the live database against the schema its applied migrations produce from scratch.
// Reads only. `check --drift` uses it, and `baseline` can refuse to adopt a database whose
// schema differs from the migrations up to the version it is about to record (compareTo()).
class DriftCheck
{
public:
    // Against the migrations the database has applied (readMigrationStatus).
    static DriftReport check(Database &db, const MigrationSet &set);
    // Against the migrations up to version (for adopting a database at that version).
    static DriftReport compareTo(Database &db, const MigrationSet &set, qint64 version);
};

} // namespace dbdeck

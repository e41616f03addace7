#pragma once

#include "config/dbconfig.h"
#include "migrate/migrationset.h"
#include "schema/schemamodel.h"

namespace dbdeck {

class ScratchDatabase;

// The schema that migrations produce from scratch: their up sections applied in order to a
// ScratchDatabase (nothing is recorded, no lock taken, the live database is not touched).
class MigratedSchema
{
public:
    // Up to and including version upTo; every migration when upTo < 0. Throws MigrationError
    // when a file has problems, SchemaError when a migration fails on the scratch database.
    static Schema build(const MigrationSet &set, const DbConfig &like, qint64 upTo = -1);
    static void applyTo(ScratchDatabase &scratch, const MigrationSet &set, qint64 upTo = -1);
    // Whether a section's marker says "foreign_keys:off" (the rebuild mode).
    static bool foreignKeysOff(const MigrationFile &file, bool up);
};

} // namespace dbdeck

#include "migrate/migratedschema.h"

#include "db/cancellation.h"
#include "schema/scratchdatabase.h"

namespace dbdeck {

bool MigratedSchema::foreignKeysOff(const MigrationFile &file, bool up)
{
    return file.foreignKeysOff(up);
}

void MigratedSchema::applyTo(ScratchDatabase &scratch, const MigrationSet &set, qint64 upTo)
{
    set.requireValid();
    for (const MigrationFile &file : set.files()) {
        if (upTo >= 0 && file.version() > upTo)
            break;
        CancellationScope::checkpoint();
        scratch.apply(file.upSql(), QStringLiteral("migration %1").arg(file.name()), foreignKeysOff(file, true));
    }
}

Schema MigratedSchema::build(const MigrationSet &set, const DbConfig &like, qint64 upTo)
{
    ScratchDatabase scratch(like);
    applyTo(scratch, set, upTo);
    return scratch.read();
}

} // namespace dbdeck

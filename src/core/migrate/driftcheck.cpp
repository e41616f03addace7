#include "migrate/driftcheck.h"

#include "db/database.h"
#include "migrate/migratedschema.h"
#include "migrate/migrationstatus.h"
#include "schema/schemareader.h"

namespace dbdeck {

namespace {

DriftReport compareWith(Database &db, const QList<MigrationFile> &files, qint64 version, QStringList notes)
{
    DriftReport report;
    report.version = version;
    report.notes = std::move(notes);
    report.live = SchemaReader::create(db)->read();
    report.expected = MigratedSchema::build(MigrationSet::fromFiles(files), db.config());
    report.differences = SchemaDiff::compare(report.expected, report.live);
    return report;
}

} // namespace

DriftReport DriftCheck::check(Database &db, const MigrationSet &set)
{
    const StatusReport status = readMigrationStatus(db, set);
    QList<MigrationFile> applied;
    QStringList notes;
    for (const MigrationStatus &m : status.migrations) {
        if (m.state == MigrationState::Missing) {
            notes << QStringLiteral("%1 is applied but its file is missing: its changes cannot be replayed").arg(m.name);
        } else if (m.state == MigrationState::Applied || m.state == MigrationState::Modified) {
            if (const MigrationFile *file = set.find(m.version))
                applied << *file;
            if (m.state == MigrationState::Modified)
                notes << QStringLiteral("%1 was modified after it was applied: compared with the file as it is now").arg(m.name);
        }
    }
    return compareWith(db, applied, status.current, notes);
}

DriftReport DriftCheck::compareTo(Database &db, const MigrationSet &set, qint64 version)
{
    QList<MigrationFile> files;
    for (const MigrationFile &f : set.files()) {
        if (f.version() <= version)
            files << f;
    }
    return compareWith(db, files, version, {});
}

} // namespace dbdeck

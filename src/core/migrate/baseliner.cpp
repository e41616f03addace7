#include "migrate/baseliner.h"

#include "db/database.h"
#include "db/transaction.h"
#include "db/utctime.h"
#include "migrate/environmentguard.h"
#include "migrate/migrationattempt.h"
#include "migrate/migrationerror.h"
#include "migrate/migrationplanner.h"
#include "migrate/schemaownership.h"
#include "migrate/versionrecord.h"

namespace dbdeck {

namespace {

QString v(qint64 version)
{
    return MigrationFile::formatVersion(version);
}

QStringList differenceLines(const DriftReport &drift)
{
    const QString expected = QStringLiteral("migrations up to %1").arg(v(drift.version));
    QStringList lines;
    for (const SchemaDifference &d : drift.differences)
        lines << d.toString(expected, QStringLiteral("the database"));
    return lines;
}

} // namespace

Baseliner::Baseliner(Database &db, const MigrationSet &set) : m_db(db), m_set(set) {}

qint64 Baseliner::resolve(const QString &version) const
{
    m_set.requireValid();
    if (version == QLatin1String("head") && m_set.head() > 0)
        return m_set.head();
    const auto parsed = MigrationPlanner::parseVersion(version);
    if (!parsed || *parsed == 0 || !m_set.find(*parsed))
        throw MigrationError(QStringLiteral("refusing to baseline: \"%1\" is not a migration version (allowed: a version that has "
                                            "a file in %2, or head); nothing was changed")
                                 .arg(version, m_set.folder()));
    return *parsed;
}

void Baseliner::requireAdoptable()
{
    const SchemaOwnership ownership = SchemaOwnership::read(m_db);
    if (ownership.managedByDbdeck())
        throw MigrationError(QStringLiteral("refusing to baseline: dbdeck already manages this database (`dbdeck-cli status` shows "
                                            "its versions; `dbdeck-cli stamp` moves its record); nothing was changed"));
    if (ownership.isNew())
        throw MigrationError(QStringLiteral("refusing to baseline: this database has no application tables, so there is nothing to "
                                            "adopt; `dbdeck-cli upgrade` creates them. Nothing was changed"));
}

DriftReport Baseliner::preview(const QString &version)
{
    const qint64 to = resolve(version);
    requireAdoptable();
    return DriftCheck::compareTo(m_db, m_set, to);
}

QString Baseliner::driftRefusal(const DriftReport &drift)
{
    const QStringList lines = differenceLines(drift);
    return QStringLiteral("refusing to baseline at %1: the database's schema differs from what the migrations up to %1 produce "
                          "(%2 difference(s)):\n  %3\nNothing was changed. Baseline at the version that matches, fix the "
                          "schema, or pass --accept-differences to record it anyway.")
        .arg(v(drift.version)).arg(lines.size()).arg(lines.join(QStringLiteral("\n  ")));
}

BaselineResult Baseliner::baseline(const QString &version, int lockTimeoutMs, bool acceptDifferences)
{
    // Every refusal before the lock: the lock creates dbdeck's tables.
    const qint64 to = resolve(version);
    requireAdoptable();
    BaselineResult result;
    result.version = to;
    result.previousOwner = SchemaOwnership::read(m_db).describe();
    const DriftReport drift = DriftCheck::compareTo(m_db, m_set, to);
    if (drift.drifted() && !acceptDifferences)
        throw MigrationError(driftRefusal(drift));
    result.differences = drift.differences;

    MigrationRunOptions options;
    options.lockTimeoutMs = lockTimeoutMs;
    MigrationAttempt attempt(m_db, QStringLiteral("baseline"), options);
    if (!result.differences.isEmpty())
        attempt.setForced();
    if (SchemaOwnership::read(m_db).managedByDbdeck()) {
        // Another runner adopted or migrated it while this one waited for the lock.
        const QString error = QStringLiteral("refusing to baseline: dbdeck manages this database now (another runner recorded "
                                             "versions meanwhile); nothing was changed");
        attempt.finish(QStringLiteral("refused"), error, {}, {});
        throw MigrationError(error);
    }
    attempt.start(0); // a running entry: from here on the database reads as dbdeck's
    EnvironmentGuard(m_db).recordTag();
    withTransaction(m_db, Transaction::Mode::Write, [&] {
        VersionRecord::lockTable(m_db);
        attempt.lock().verifyHeld();
        for (const MigrationFile &file : m_set.files()) {
            if (file.version() > to)
                break;
            m_db.exec(QStringLiteral("INSERT INTO dbdeck_schema_migrations (version, name, checksum, state, applied_at,"
                                     " execution_ms, applied_by) VALUES (?, ?, ?, 'applied', ?, 0, ?)"),
                      {file.version(), file.name(), file.checksum(), utcNowForDb(), currentActor()});
            result.recorded << file.name();
        }
    });
    QStringList details{QStringLiteral("adopted a database %1: recorded %2 as applied without running them")
                            .arg(result.previousOwner, result.recorded.join(QStringLiteral(", ")))};
    if (!result.differences.isEmpty())
        details << QStringLiteral("accepted %1 schema difference(s) (--accept-differences): %2")
                       .arg(result.differences.size()).arg(differenceLines(drift).join(QStringLiteral("; ")));
    attempt.finish(QStringLiteral("succeeded"), {}, to, details);
    result.journalId = attempt.id();
    return result;
}

} // namespace dbdeck

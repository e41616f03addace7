#include "migrate/migrationattempt.h"

#include "db/database.h"
#include "db/errors.h"
#include "db/utctime.h"
#include "migrate/migrationlogging.h"
#include "migrate/migrationplanner.h"

namespace dbdeck {

namespace {
// An attempt writes (its journal row, the lock, the migrations): a connection that only looked
// reopens for writing before any of it.
Database &writing(Database &db)
{
    db.ensureWritable();
    return db;
}
} // namespace

MigrationAttempt::MigrationAttempt(Database &db, const QString &operation, const MigrationRunOptions &o)
    : m_db(writing(db)), m_lock(db)
{
    m_entry.operation = operation;
    m_entry.startedAt = utcNowForDb();
    if (o.bypassLockForTesting)
        m_lock.bypassForTesting();
    m_lock.acquire(o.lockTimeoutMs, [&o](const QString &message) {
        if (!o.progress)
            return;
        MigrationProgress p;
        p.phase = MigrationProgress::Phase::WaitingForLock;
        p.message = message;
        o.progress(p);
    }, o.cancel);
    if (!o.bypassLockForTesting)
        MigrationJournal::closeInterrupted(db);
}

void MigrationAttempt::start(qint64 fromVersion)
{
    m_entry.fromVersion = fromVersion;
    m_id = MigrationJournal::start(m_db, m_entry);
}

void MigrationAttempt::finish(const QString &outcome, const QString &error, std::optional<qint64> toVersion,
                              const QStringList &details)
{
    m_entry.outcome = outcome;
    m_entry.error = error;
    m_entry.toVersion = toVersion;
    m_entry.detail = details.join(QStringLiteral("; "));
    try {
        if (m_id)
            MigrationJournal::finish(m_db, m_id, m_entry);
        else
            MigrationJournal::record(m_db, m_entry);
    } catch (const DbError &journalError) {
        qCWarning(lcMigrate).noquote() << "the journal could not record the outcome of this" << m_entry.operation << "("
                                       << outcome << "):" << journalError.message();
    }
}

} // namespace dbdeck

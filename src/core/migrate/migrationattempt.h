#pragma once

#include "migrate/migrationjournal.h"
#include "migrate/migrationlock.h"

#include <QStringList>

namespace dbdeck {

class Database;
struct MigrationRunOptions;

// One journaled attempt at changing the schema, holding the migration lock for its lifetime:
// the constructor waits for the lock (reporting who it waits for through options.progress) and
// closes what runners that died left as running; start() commits the journal entry as running;
// finish() writes its outcome — never masking the error being reported, should the journal
// itself fail (a full disk): that is logged instead.
class MigrationAttempt
{
public:
    MigrationAttempt(Database &db, const QString &operation, const MigrationRunOptions &options);

    void start(qint64 fromVersion);
    void finish(const QString &outcome, const QString &error, std::optional<qint64> toVersion, const QStringList &details);
    qint64 id() const { return m_id; }
    MigrationLock &lock() { return m_lock; }
    void setForced() { m_entry.forced = true; }

private:
    Database &m_db;
    MigrationLock m_lock;
    JournalEntry m_entry;
    qint64 m_id = 0;
};

} // namespace dbdeck

#pragma once

#include <QList>
#include <QString>

#include <optional>

namespace dbdeck {

class Database;

// One attempt at changing the schema: an upgrade, downgrade, stamp or reset.
struct JournalEntry
{
    qint64 id = 0;
    QString operation; // upgrade, downgrade, stamp, reset
    std::optional<qint64> fromVersion;
    std::optional<qint64> toVersion;
    QString outcome;   // succeeded, failed, refused, cancelled
    QString error;
    QString detail;
    bool forced = false; // proceeded past a refusal (--allow-modified)
    QString startedAt;
    QString finishedAt;
    QString runBy;
};

// The record of every attempt, kept in dbdeck_migration_journal. A failure is written after its
// rollback, in a transaction of its own, so that it survives it.
class MigrationJournal
{
public:
    static void record(Database &db, JournalEntry entry);
    // Newest first.
    static QList<JournalEntry> recent(Database &db, int limit);
};

} // namespace dbdeck

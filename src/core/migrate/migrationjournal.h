#pragma once

#include <QList>
#include <QString>

#include <optional>

namespace dbdeck {

class Database;

// One attempt at changing the schema: an upgrade, downgrade, stamp, reset or recovery action.
struct JournalEntry
{
    qint64 id = 0;
    QString operation; // upgrade, downgrade, stamp, reset, resume, mark-applied, mark-not-applied
    std::optional<qint64> fromVersion;
    std::optional<qint64> toVersion;
    // running (under way now), succeeded, failed, refused, cancelled (stopped at a safe point on
    // request: Ctrl+C, SIGTERM, SIGHUP), interrupted (its process ended without finishing it:
    // killed, crashed, power loss, lost connection)
    QString outcome;
    QString error;
    QString detail;
    bool forced = false; // proceeded past a refusal (--allow-modified)
    QString startedAt;
    QString finishedAt; // empty while running and for an interrupted attempt
    QString runBy;
};

// The record of every attempt, kept in dbdeck_migration_journal. An attempt is written when it
// starts, in a commit of its own, so that one whose process is killed still shows (as
// interrupted, with who and when); its outcome is written when it ends, after any rollback.
class MigrationJournal
{
public:
    // Writes the entry as running and returns its id. Call holding the migration lock.
    static qint64 start(Database &db, JournalEntry entry);
    // Writes the outcome of a started entry.
    static void finish(Database &db, qint64 id, JournalEntry entry);
    // Writes a finished entry in one go.
    static void record(Database &db, JournalEntry entry);
    // Holding the migration lock, no other attempt can be running: entries and transaction:false
    // progress still marked running were left by a process that died. Records them as interrupted.
    static void closeInterrupted(Database &db);
    // Newest first. A running entry whose runner no longer holds the lock reads as interrupted.
    static QList<JournalEntry> recent(Database &db, int limit);

    static QString interruptedError();
};

} // namespace dbdeck

#include "migrate/migrationjournal.h"

#include "db/database.h"
#include "db/transaction.h"
#include "db/utctime.h"

namespace dbdeck {

namespace {

QVariant optionalVersion(const std::optional<qint64> &v)
{
    return v ? QVariant(*v) : QVariant(QMetaType::fromType<qint64>());
}

} // namespace

void MigrationJournal::record(Database &db, JournalEntry e)
{
    if (e.finishedAt.isEmpty())
        e.finishedAt = utcNowForDb();
    if (e.runBy.isEmpty())
        e.runBy = currentActor();
    withTransaction(db, Transaction::Mode::Write, [&] {
        // An explicit id (max + 1 under the write lock) keeps the table portable to PostgreSQL.
        db.exec(QStringLiteral(
                    "INSERT INTO dbdeck_migration_journal (id, operation, from_version, to_version, outcome, error,"
                    " detail, forced, started_at, finished_at, run_by)"
                    " SELECT COALESCE(MAX(id), 0) + 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM dbdeck_migration_journal"),
                {e.operation, optionalVersion(e.fromVersion), optionalVersion(e.toVersion), e.outcome,
                 e.error.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(e.error),
                 e.detail.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(e.detail),
                 e.forced ? 1 : 0, e.startedAt, e.finishedAt, e.runBy});
    });
}

QList<JournalEntry> MigrationJournal::recent(Database &db, int limit)
{
    QList<JournalEntry> entries;
    QSqlQuery q = db.exec(QStringLiteral("SELECT id, operation, from_version, to_version, outcome, error, detail, forced,"
                                         " started_at, finished_at, run_by FROM dbdeck_migration_journal"
                                         " ORDER BY id DESC LIMIT ?"),
                          {limit});
    while (q.next()) {
        JournalEntry e;
        e.id = q.value(0).toLongLong();
        e.operation = q.value(1).toString();
        if (!q.value(2).isNull())
            e.fromVersion = q.value(2).toLongLong();
        if (!q.value(3).isNull())
            e.toVersion = q.value(3).toLongLong();
        e.outcome = q.value(4).toString();
        e.error = q.value(5).toString();
        e.detail = q.value(6).toString();
        e.forced = q.value(7).toInt() != 0;
        e.startedAt = q.value(8).toString();
        e.finishedAt = q.value(9).toString();
        e.runBy = q.value(10).toString();
        entries.append(e);
    }
    return entries;
}

} // namespace dbdeck

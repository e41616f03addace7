#include "migrate/migrationjournal.h"

#include "db/database.h"
#include "db/transaction.h"
#include "db/utctime.h"
#include "migrate/migrationlock.h"
#include "migrate/migrationtables.h"

namespace dbdeck {

namespace {

QVariant optionalVersion(const std::optional<qint64> &v)
{
    return v ? QVariant(*v) : QVariant(QMetaType::fromType<qint64>());
}

QVariant optionalText(const QString &text)
{
    return text.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(text);
}

qint64 insert(Database &db, JournalEntry &e)
{
    if (e.runBy.isEmpty())
        e.runBy = currentActor();
    if (e.startedAt.isEmpty())
        e.startedAt = utcNowForDb();
    return withTransaction(db, Transaction::Mode::Write, [&] {
        // An explicit id (max + 1 under the write lock) keeps the table portable to PostgreSQL,
        // where the table lock makes that write lock (writers outside the migration lock: reset).
        if (db.backend() == Backend::Postgres)
            db.exec(QStringLiteral("LOCK TABLE dbdeck_migration_journal IN SHARE ROW EXCLUSIVE MODE"));
        const qint64 id = db.scalar(QStringLiteral("SELECT COALESCE(MAX(id), 0) + 1 FROM dbdeck_migration_journal")).toLongLong();
        db.exec(QStringLiteral(
                    "INSERT INTO dbdeck_migration_journal (id, operation, from_version, to_version, outcome, error,"
                    " detail, forced, started_at, finished_at, run_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
                {id, e.operation, optionalVersion(e.fromVersion), optionalVersion(e.toVersion), e.outcome,
                 optionalText(e.error), optionalText(e.detail), e.forced ? 1 : 0, e.startedAt, optionalText(e.finishedAt),
                 e.runBy});
        return id;
    });
}

} // namespace

QString MigrationJournal::interruptedError()
{
    return QStringLiteral("its process ended without finishing it (killed, crashed, power loss or a lost connection)");
}

qint64 MigrationJournal::start(Database &db, JournalEntry entry)
{
    entry.outcome = QStringLiteral("running");
    entry.finishedAt.clear();
    return insert(db, entry);
}

void MigrationJournal::finish(Database &db, qint64 id, JournalEntry e)
{
    if (e.finishedAt.isEmpty())
        e.finishedAt = utcNowForDb();
    withTransaction(db, Transaction::Mode::Write, [&] {
        db.exec(QStringLiteral("UPDATE dbdeck_migration_journal SET outcome = ?, from_version = ?, to_version = ?, error = ?,"
                               " detail = ?, forced = ?, finished_at = ? WHERE id = ?"),
                {e.outcome, optionalVersion(e.fromVersion), optionalVersion(e.toVersion), optionalText(e.error),
                 optionalText(e.detail), e.forced ? 1 : 0, e.finishedAt, id});
    });
}

void MigrationJournal::record(Database &db, JournalEntry e)
{
    if (e.finishedAt.isEmpty())
        e.finishedAt = utcNowForDb();
    insert(db, e);
}

void MigrationJournal::closeInterrupted(Database &db)
{
    // A plain read first: almost always there is nothing to close.
    const bool progress = db.hasTable(MigrationTables::progress());
    if (!db.scalar(QStringLiteral("SELECT count(*) FROM dbdeck_migration_journal WHERE outcome = 'running'")).toInt()
        && !(progress && db.scalar(QStringLiteral("SELECT count(*) FROM dbdeck_migration_progress WHERE state = 'running'")).toInt()))
        return;
    withTransaction(db, Transaction::Mode::Write, [&] {
        QList<QPair<qint64, QString>> notes;
        if (progress) {
            QSqlQuery q = db.exec(QStringLiteral("SELECT attempt_id, name, statements_done, statements_total FROM dbdeck_migration_progress"
                                                 " WHERE state = 'running' AND attempt_id IS NOT NULL"));
            while (q.next())
                notes.append({q.value(0).toLongLong(), QStringLiteral("%1 was interrupted at statement %2 of %3")
                                                           .arg(q.value(1).toString()).arg(q.value(2).toInt() + 1).arg(q.value(3).toInt())});
        }
        for (const auto &[id, note] : std::as_const(notes))
            db.exec(QStringLiteral("UPDATE dbdeck_migration_journal SET detail = CASE WHEN detail IS NULL OR detail = '' THEN ?"
                                   " ELSE detail || '; ' || ? END WHERE id = ? AND outcome = 'running'"),
                    {note, note, id});
        db.exec(QStringLiteral("UPDATE dbdeck_migration_journal SET outcome = 'interrupted', error = ? WHERE outcome = 'running'"),
                {interruptedError()});
        if (progress)
            db.exec(QStringLiteral("UPDATE dbdeck_migration_progress SET state = 'interrupted' WHERE state = 'running'"));
    });
}

QList<JournalEntry> MigrationJournal::recent(Database &db, int limit)
{
    QList<JournalEntry> entries;
    {
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
    }
    const bool anyRunning = std::any_of(entries.cbegin(), entries.cend(),
                                        [](const JournalEntry &e) { return e.outcome == QLatin1String("running"); });
    if (!anyRunning || MigrationLock::holder(db))
        return entries;
    // Nobody holds the lock, so nothing is running: those attempts' processes died.
    QStringList progress;
    if (db.hasTable(MigrationTables::progress())) {
        QSqlQuery q = db.exec(QStringLiteral("SELECT attempt_id, name, statements_done, statements_total FROM dbdeck_migration_progress"));
        while (q.next())
            progress << QStringLiteral("%1|%2 was interrupted at statement %3 of %4")
                            .arg(q.value(0).toString(), q.value(1).toString()).arg(q.value(2).toInt() + 1).arg(q.value(3).toInt());
    }
    for (JournalEntry &e : entries) {
        if (e.outcome != QLatin1String("running"))
            continue;
        e.outcome = QStringLiteral("interrupted");
        e.error = interruptedError();
        for (const QString &p : std::as_const(progress)) {
            if (p.section(QLatin1Char('|'), 0, 0) == QString::number(e.id))
                e.detail = (e.detail.isEmpty() ? QString() : e.detail + QStringLiteral("; ")) + p.section(QLatin1Char('|'), 1);
        }
    }
    return entries;
}

} // namespace dbdeck

#include "readworker.h"

#include "admin/resetter.h"
#include "migrate/migrationtables.h"
#include "migrate/migrator.h"
#include "store/store.h"

#include <QDir>
#include <QFileInfo>
#include <QTimer>

#include <sqlite3.h>

namespace dbdeck::gui {

FileSizes ReadWorker::fileSizes() const
{
    FileSizes sizes;
    if (config().backend() != Backend::Sqlite || config().url().isMemory())
        return sizes;
    const QString path = config().url().sqliteFilePath();
    const QFileInfo file(path);
    const QFileInfo wal(path + QStringLiteral("-wal"));
    sizes.fileBytes = file.exists() ? file.size() : -1;
    sizes.walBytes = wal.exists() ? wal.size() : -1;
    return sizes;
}

void ReadWorker::open(quint64 generation)
{
    guarded(QStringLiteral("open"), [&] {
        if (obsolete(View::Open, generation))
            return;
        ConnectionSummary summary;
        summary.displayUrl = config().url().redacted();
        summary.isNew = !db().exists();
        summary.environment = QStringLiteral("untagged");
        // A database that does not exist yet is shown as new and is only created when something
        // writes to it (Apply pending), not by looking at it.
        if (!summary.isNew)
            db().connection();
        summary.writeAccess = db().writeAccess();
        summary.lookingOnly = db().isLookingOnly();
        summary.connections = db().connections();
        summary.warnings = db().warnings();
        if (summary.isNew)
            summary.warnings << tr("%1 does not exist yet: it is created when the migrations are applied").arg(config().url().sqliteFilePath());
        if (!summary.isNew)
            m_dataVersion = changeMarker(); // baseline for live updates
        if (!summary.isNew && db().hasTable(MigrationTables::metadata())) {
            const QString tag = db().scalar(QStringLiteral("SELECT value FROM dbdeck_metadata WHERE key = 'app_env'")).toString();
            if (!tag.isEmpty())
                summary.environment = tag;
        }
        if (db().backend() == Backend::Sqlite) {
            summary.driver = QStringLiteral("SQLite %1").arg(QLatin1String(sqlite3_libversion()));
            if (!config().url().isMemory())
                summary.filePath = config().url().sqliteFilePath();
        } else {
            summary.driver = QStringLiteral("PostgreSQL");
        }
        m_existed = !summary.isNew;
        m_goneReported = false;
        m_sizes = fileSizes();
        summary.sizes = m_sizes;
        Q_EMIT opened(summary);
    });
}

void ReadWorker::refreshMigrations(quint64 generation)
{
    guarded(QStringLiteral("migrations"), [&] {
        if (obsolete(View::Migrations, generation))
            return;
        Migrator migrator(db(), MigrationSet::load(config().migrationsDir()));
        MigrationView view;
        view.migrationsDir = QDir(config().migrationsDir()).absolutePath();
        view.status = migrator.status();
        view.journal = migrator.journal(50);
        int runnable = view.status.count(MigrationState::Pending);
        if (!view.status.problems.isEmpty())
            view.applyBlockedReason = tr("check fails: %1").arg(view.status.problems.first());
        else if (runnable == 0)
            view.applyBlockedReason = tr("nothing is pending");
        if (const WriteAccess access = db().writeAccess(); !access.possible) {
            view.writeRefusal = access.reason;
            if (view.applyBlockedReason.isEmpty())
                view.applyBlockedReason = tr("the database cannot be written: %1").arg(access.reason);
        }
        Q_EMIT migrationsLoaded(view);
    });
}

bool ReadWorker::applicationTablesExist()
{
    return db().hasTable(QStringLiteral("runs")) && db().hasTable(QStringLiteral("events"));
}

void ReadWorker::loadRuns(const RunsRequest &request)
{
    guarded(QStringLiteral("runs"), [&] {
        if (obsolete(View::Runs, request.generation))
            return;
        RunsPage page;
        page.generation = request.generation;
        page.kind = request.kind;
        if (!applicationTablesExist()) {
            page.tablesMissing = true;
            Q_EMIT runsLoaded(page);
            return;
        }
        Store store(db());
        RunQuery query = request.query;
        const int limit = std::max(1, query.limit);
        if (request.kind == PageKind::Refresh && !query.downTo.isEmpty()
            && db().scalar(QStringLiteral("SELECT count(*) FROM runs WHERE id = ?"), {query.downTo}).toInt() == 0) {
            query.downTo.clear(); // the last run shown is gone: the same number of newest runs
            page.kind = PageKind::First;
        }
        query.limit = page.kind == PageKind::Refresh ? limit : limit + 1; // one more says whether there are more
        page.runs = store.recentRuns(query);
        page.hasMore = page.kind != PageKind::Refresh && page.runs.size() > limit;
        if (page.hasMore)
            page.runs.removeLast();
        page.total = store.countRuns(query);
        Q_EMIT runsLoaded(page);
    });
}

void ReadWorker::loadEvents(const EventsRequest &request)
{
    guarded(QStringLiteral("events"), [&] {
        if (obsolete(View::Events, request.generation))
            return;
        EventsPage page;
        page.generation = request.generation;
        page.kind = request.kind;
        page.runId = request.query.runId;
        if (!db().hasTable(QStringLiteral("events"))) {
            Q_EMIT eventsLoaded(page);
            return;
        }
        Store store(db());
        EventQuery query = request.query;
        const int limit = std::max(1, query.limit);
        query.limit = limit + 1;
        if (request.kind == PageKind::Newer)
            query.oldestFirst = true; // the ones right after the newest shown, in order
        page.events = store.recentEvents(query);
        page.hasMore = page.events.size() > limit;
        if (page.hasMore)
            page.events.removeLast();
        if (request.kind != PageKind::More)
            page.total = store.countEvents(query);
        // A tail that does not add up (more than a page arrived, or events went, or one came
        // with a lower seq) is not patched: the view starts over from the first page.
        if (request.kind == PageKind::Newer)
            page.startOver = page.hasMore || page.total != request.knownTotal + page.events.size();
        Q_EMIT eventsLoaded(page);
    });
}

void ReadWorker::loadIndexes(quint64 generation)
{
    guarded(QStringLiteral("indexes"), [&] {
        if (obsolete(View::Indexes, generation))
            return;
        if (!db().exists()) {
            Q_EMIT indexesLoaded({});
            return;
        }
        HealthCheck health(db());
        Q_EMIT indexesLoaded(health.criticalIndexes());
    });
}

void ReadWorker::checkResetAllowed(quint64 generation)
{
    guarded(QStringLiteral("reset-check"), [&] {
        if (obsolete(View::ResetCheck, generation))
            return;
        Resetter resetter(db());
        Q_EMIT resetAllowed(resetter.refusal(), resetter.databaseName());
    });
}

void ReadWorker::startWatching(int intervalMs)
{
    if (!m_watch) {
        m_watch = new QTimer(this);
        connect(m_watch, &QTimer::timeout, this, &ReadWorker::poll);
    }
    m_watch->start(intervalMs);
}

void ReadWorker::stopWatching()
{
    if (m_watch)
        m_watch->stop();
}

// A number that changes when another connection commits, read without writing anything:
// - SQLite: PRAGMA data_version (this file, other connections only).
// - PostgreSQL has no per-database counter that is both current and untouched by this poll's
//   own commits (pg_stat_database counts them, and its figures arrive late). The snapshot's
//   xmax is the server's latest completed transaction id + 1: it moves when any transaction
//   that wrote (was given an id) ends, on any database of the server, and a read such as this
//   one never gets an id. So a busy neighbour database causes extra reloads, never a missed one.
//   txid_* rather than pg_snapshot_* (PostgreSQL 13+) so that older servers work too.
qint64 ReadWorker::changeMarker()
{
    if (db().backend() == Backend::Sqlite)
        return db().scalar(QStringLiteral("PRAGMA data_version")).toLongLong();
    return db().scalar(QStringLiteral("SELECT txid_snapshot_xmax(txid_current_snapshot())")).toLongLong();
}

void ReadWorker::poll()
{
    if (config().backend() == Backend::Postgres) {
        noteChanges();
        return;
    }
    if (config().url().isMemory())
        return;
    const FileSizes sizes = fileSizes();
    if (sizes != m_sizes) {
        m_sizes = sizes;
        Q_EMIT fileSizesChanged(sizes);
    }
    const bool exists = sizes.fileBytes >= 0;
    if (!exists) {
        if (m_existed && !m_goneReported) {
            m_goneReported = true;
            Q_EMIT databaseGone(config().url().sqliteFilePath());
        }
        return;
    }
    if (!m_existed) {
        // Created meanwhile (by another process, or by Apply on the other worker).
        m_existed = true;
        Q_EMIT databaseAppeared();
        return;
    }
    if (m_goneReported)
        return; // the file shown was deleted; a new one at the same path is opened by Reload
    noteChanges();
}

// Another connection committed: a cheap check, no reload.
void ReadWorker::noteChanges()
{
    try {
        const qint64 version = changeMarker();
        if (m_dataVersion >= 0 && version != m_dataVersion)
            Q_EMIT dataChanged();
        m_dataVersion = version;
    } catch (const DbError &) {
        // the next poll tries again; a real problem shows up on the next request
    }
}

} // namespace dbdeck::gui

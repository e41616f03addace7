#include "dbworker.h"

#include "admin/healthcheck.h"
#include "db/errors.h"
#include "migrate/migrationtables.h"

#include <QFileInfo>

#include <sqlite3.h>

namespace dbdeck::gui {

DbWorker::DbWorker(DbConfig config) : m_config(std::move(config)) {}

DbWorker::~DbWorker() = default;

Database &DbWorker::db()
{
    if (!m_db)
        m_db = std::make_unique<Database>(m_config);
    return *m_db;
}

// Lets cancel() reach the object doing the work for as long as this guard lives. Declared after
// that object, it is destroyed first, so cancel() never calls into a destroyed object.
class DbWorker::ActiveCancel
{
public:
    ActiveCancel(DbWorker &worker, std::function<void()> cancel) : m_worker(worker)
    {
        QMutexLocker lock(&m_worker.m_activeMutex);
        m_worker.m_activeCancel = std::move(cancel);
    }
    ~ActiveCancel()
    {
        QMutexLocker lock(&m_worker.m_activeMutex);
        m_worker.m_activeCancel = nullptr;
    }

private:
    DbWorker &m_worker;
};

template<typename Fn>
void DbWorker::guarded(const QString &operation, Fn &&fn)
{
    Q_EMIT busy(operation, true);
    try {
        fn();
    } catch (const DbError &error) {
        Q_EMIT failed(operation, error.message());
    } catch (const std::exception &error) {
        Q_EMIT failed(operation, QString::fromLocal8Bit(error.what()));
    }
    Q_EMIT busy(operation, false);
}

void DbWorker::cancel()
{
    m_cancel = true;
    QMutexLocker lock(&m_activeMutex);
    if (m_activeCancel)
        m_activeCancel();
}

void DbWorker::open()
{
    guarded(QStringLiteral("open"), [&] {
        ConnectionSummary summary;
        summary.displayUrl = m_config.url().redacted();
        summary.isNew = !db().exists();
        summary.environment = QStringLiteral("untagged");
        // A database that does not exist yet is shown as new and is only created when something
        // writes to it (Apply pending), not by looking at it.
        if (!summary.isNew)
            db().connection();
        summary.connections = db().connections();
        summary.warnings = db().warnings();
        if (summary.isNew)
            summary.warnings << QStringLiteral("%1 does not exist yet: it is created when the migrations are applied")
                                    .arg(m_config.url().sqliteFilePath());
        if (!summary.isNew && db().backend() == Backend::Sqlite)
            m_dataVersion = db().scalar(QStringLiteral("PRAGMA data_version")).toLongLong(); // baseline for live updates
        if (!summary.isNew && db().hasTable(MigrationTables::metadata())) {
            const QString tag = db().scalar(QStringLiteral("SELECT value FROM dbdeck_metadata WHERE key = 'app_env'")).toString();
            if (!tag.isEmpty())
                summary.environment = tag;
        }
        if (db().backend() == Backend::Sqlite) {
            summary.driver = QStringLiteral("SQLite %1").arg(QLatin1String(sqlite3_libversion()));
            if (!m_config.url().isMemory()) {
                summary.filePath = m_config.url().sqliteFilePath();
                const QFileInfo file(summary.filePath);
                const QFileInfo wal(summary.filePath + QStringLiteral("-wal"));
                summary.fileBytes = file.exists() ? file.size() : -1;
                summary.walBytes = wal.exists() ? wal.size() : -1;
            }
        } else {
            summary.driver = QStringLiteral("PostgreSQL");
        }
        Q_EMIT opened(summary);
    });
}

void DbWorker::refreshMigrations()
{
    guarded(QStringLiteral("migrations"), [&] {
        Migrator migrator(db(), MigrationSet::load(m_config.migrationsDir()));
        MigrationView view;
        view.status = migrator.status();
        view.journal = migrator.journal(50);
        const int pending = view.status.count(MigrationState::Pending) + view.status.count(MigrationState::FailedPartial);
        if (!view.status.problems.isEmpty())
            view.applyBlockedReason = QStringLiteral("check fails: %1").arg(view.status.problems.first());
        else if (pending == 0)
            view.applyBlockedReason = QStringLiteral("nothing is pending");
        Q_EMIT migrationsLoaded(view);
    });
}

void DbWorker::applyPending()
{
    m_cancel = false;
    guarded(QStringLiteral("apply"), [&] {
        Migrator migrator(db(), MigrationSet::load(m_config.migrationsDir()));
        MigrationRunOptions options;
        options.cancel = &m_cancel;
        options.lockTimeoutMs = 10000;
        options.progress = [this](const MigrationProgress &p) {
            if (p.phase != MigrationProgress::Phase::WaitingForLock)
                Q_EMIT migrationProgress(p.index, p.total, p.name, p.phase == MigrationProgress::Phase::Finished);
        };
        const MigrationRunResult result = migrator.upgrade(options);
        Q_EMIT migrationsApplied(result.done, result.cancelled);
    });
    refreshMigrations(); // where it stands now, after success or failure (a failed one was rolled back)
}

void DbWorker::countTables()
{
    m_cancel = false;
    guarded(QStringLiteral("counts"), [&] {
        if (!db().exists()) {
            Q_EMIT countsReady({});
            return;
        }
        TableCounter counter(db());
        const ActiveCancel active(*this, [&counter] { counter.cancel(); });
        if (m_cancel)
            throw CancelledError(QStringLiteral("cancelled"));
        const QList<TableCount> counts = counter.count([this](int done, int total, const QString &table) {
            Q_EMIT countsProgress(done, total, table);
        });
        Q_EMIT countsReady(counts);
    });
}

void DbWorker::loadRuns(const QString &status, const QString &kind, const QString &text)
{
    guarded(QStringLiteral("runs"), [&] {
        if (!db().hasTable(QStringLiteral("runs")) || !db().hasTable(QStringLiteral("events"))) {
            Q_EMIT runsLoaded({});
            return;
        }
        Store store(db());
        Q_EMIT runsLoaded(store.recentRuns({200, status, kind, text}));
    });
}

void DbWorker::loadEvents(const QString &runId, const QString &minLevel)
{
    guarded(QStringLiteral("events"), [&] {
        Store store(db());
        Q_EMIT eventsLoaded(runId, store.recentEvents({1000, runId, minLevel}));
    });
}

void DbWorker::checkHealth(const QString &check)
{
    m_cancel = false;
    guarded(QStringLiteral("health"), [&] {
        if (!db().exists()) {
            Q_EMIT healthReady({check, {}, {}});
            return;
        }
        HealthCheck health(db());
        const ActiveCancel active(*this, [&health] { health.cancel(); });
        HealthReport report;
        report.check = check;
        if (check == QLatin1String("integrity"))
            report.findings = health.integrityCheck();
        else if (check == QLatin1String("foreign keys"))
            report.findings = health.foreignKeyCheck();
        report.indexes = health.criticalIndexes();
        Q_EMIT healthReady(report);
    });
}

void DbWorker::checkResetAllowed()
{
    guarded(QStringLiteral("reset"), [&] {
        Resetter resetter(db());
        Q_EMIT resetAllowed(resetter.refusal(), resetter.databaseName());
    });
}

void DbWorker::reset(const QString &confirmName, bool reapplyMigrations)
{
    guarded(QStringLiteral("reset"), [&] {
        Resetter resetter(db());
        std::optional<MigrationSet> migrations;
        if (reapplyMigrations) {
            migrations = MigrationSet::load(m_config.migrationsDir());
            migrations->requireValid();
        }
        const Resetter::Result r = resetter.reset(confirmName, migrations ? &*migrations : nullptr);
        Q_EMIT resetDone(r.backupPath, r.droppedTables, r.migrationsApplied);
    });
}

void DbWorker::startWatching(int intervalMs)
{
    if (!m_watch) {
        m_watch = new QTimer(this);
        connect(m_watch, &QTimer::timeout, this, &DbWorker::pollDataVersion);
    }
    m_watch->start(intervalMs);
}

void DbWorker::pollDataVersion()
{
    // PRAGMA data_version changes when another connection commits: a cheap check, no reload.
    if (!m_db || m_db->backend() != Backend::Sqlite || !m_db->exists())
        return;
    try {
        const qint64 version = m_db->scalar(QStringLiteral("PRAGMA data_version")).toLongLong();
        if (m_dataVersion >= 0 && version != m_dataVersion)
            Q_EMIT dataChanged();
        m_dataVersion = version;
    } catch (const DbError &) {
        // the next poll tries again; a real problem shows up on the next request
    }
}

} // namespace dbdeck::gui

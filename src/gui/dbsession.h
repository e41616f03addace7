#pragma once

#include "config/dbconfig.h"
#include "workertypes.h"

#include <QObject>

#include <memory>

class QThread;

namespace dbdeck::gui {

class Generations;
class JobWorker;
class ReadWorker;

// One open database, as the panels see it: two workers on their own threads, each with its own
// connection — quick reads on "dbdeck-worker", long jobs (counts, checks, migrations, reset) on
// "dbdeck-long-jobs" — so that a 20-second integrity check never holds up the next page of
// events. Requests are queued calls; a request that a newer one of the same view made obsolete
// is skipped (Generations). Results arrive as this object's signals, on the GUI thread.
class DbSession : public QObject
{
    Q_OBJECT

public:
    explicit DbSession(DbConfig config, QObject *parent = nullptr);
    ~DbSession() override; // cancels what runs and waits for both threads

    const DbConfig &config() const { return m_config; }
    bool isCurrent(View view, quint64 generation) const;
    quint64 current(View view) const;

    // Quick reads. Each returns the generation it was sent with.
    quint64 open();
    quint64 loadMigrations();
    quint64 loadRuns(PageKind kind, const RunQuery &query);
    quint64 loadEvents(PageKind kind, const EventQuery &query, qint64 knownTotal = -1);
    quint64 loadIndexes();
    quint64 checkResetAllowed();
    void watch(int intervalMs);

    // Long jobs.
    quint64 countTables();
    void checkHealth(const QString &check);
    void applyPending(bool retryPartial = false);
    void reset(const QString &confirmName, bool reapplyMigrations);
    void cancelLongJob(); // direct: the long-jobs thread is busy, its queue would wait

Q_SIGNALS:
    void failed(const QString &operation, const QString &message);
    void cancelled(const QString &operation, const QString &message);
    void opened(const dbdeck::gui::ConnectionSummary &summary);
    void migrationsLoaded(const dbdeck::gui::MigrationView &view);
    void runsLoaded(const dbdeck::gui::RunsPage &page);
    void eventsLoaded(const dbdeck::gui::EventsPage &page);
    void indexesLoaded(const QList<dbdeck::CriticalIndex> &indexes);
    void resetAllowed(const QString &refusal, const QString &databaseName);
    void dataChanged();
    void fileSizesChanged(const dbdeck::gui::FileSizes &sizes);
    void databaseGone(const QString &path);
    void databaseAppeared();
    void countsProgress(int done, int total, const QString &table);
    void countsReady(const dbdeck::gui::CountsReport &report);
    void healthReady(const dbdeck::gui::HealthReport &report);
    void migrationProgress(int index, int total, const QString &name, bool finished);
    void migrationsApplied(const dbdeck::gui::ApplyOutcome &outcome);
    void resetDone(const QString &backupPath, int droppedTables, int migrationsApplied);

private:
    DbConfig m_config;
    std::shared_ptr<Generations> m_generations;
    QThread *m_readThread = nullptr;
    QThread *m_jobThread = nullptr;
    ReadWorker *m_reader = nullptr;
    JobWorker *m_jobs = nullptr;
};

} // namespace dbdeck::gui

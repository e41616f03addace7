#pragma once

#include "workerbase.h"

class QTimer;

namespace dbdeck::gui {

// The quick reads, on their own thread and connection so that a long job never holds them up:
// the connection summary, migration status, pages of runs and events, the critical indexes,
// whether reset is allowed. It also watches the database: commits by other connections (see
// changeMarker()), and on SQLite the file's and WAL's sizes and the file going away.
class ReadWorker : public WorkerBase
{
    Q_OBJECT

public:
    using WorkerBase::WorkerBase;

    void open(quint64 generation);
    void refreshMigrations(quint64 generation);
    void loadRuns(const dbdeck::gui::RunsRequest &request);
    void loadEvents(const dbdeck::gui::EventsRequest &request);
    void loadIndexes(quint64 generation);
    void checkResetAllowed(quint64 generation);
    void startWatching(int intervalMs);
    void stopWatching();

Q_SIGNALS:
    void opened(const dbdeck::gui::ConnectionSummary &summary);
    void migrationsLoaded(const dbdeck::gui::MigrationView &view);
    void runsLoaded(const dbdeck::gui::RunsPage &page);
    void eventsLoaded(const dbdeck::gui::EventsPage &page);
    void indexesLoaded(const QList<dbdeck::CriticalIndex> &indexes);
    void resetAllowed(const QString &refusal, const QString &databaseName);
    void dataChanged();                                  // another connection committed
    void fileSizesChanged(const dbdeck::gui::FileSizes &sizes);
    void databaseGone(const QString &path);              // the file was deleted or moved away
    void databaseAppeared();                             // a new database was created meanwhile

private:
    void poll();
    void noteChanges();
    qint64 changeMarker();
    FileSizes fileSizes() const;
    bool applicationTablesExist();

    QTimer *m_watch = nullptr;
    qint64 m_dataVersion = -1;
    FileSizes m_sizes;
    bool m_existed = false;
    bool m_goneReported = false;
};

} // namespace dbdeck::gui

#pragma once

#include "admin/healthcheck.h"
#include "admin/resetter.h"
#include "admin/tablecounter.h"
#include "config/dbconfig.h"
#include "db/database.h"
#include "migrate/migrator.h"
#include "store/store.h"

#include <QMutex>
#include <QObject>
#include <QTimer>

#include <atomic>
#include <memory>

namespace dbdeck::gui {

// What the window shows about the open database.
struct ConnectionSummary
{
    QString displayUrl;    // password as ***
    QString driver;        // "SQLite 3.40.1" / "PostgreSQL"
    QString filePath;      // SQLite file, empty otherwise
    qint64 fileBytes = -1; // -1: no file
    qint64 walBytes = -1;  // -1: no -wal file
    QString environment;   // the tag recorded in the database, or "untagged"
    bool isNew = false;    // the file does not exist yet
    QList<ConnectionInfo> connections;
    QStringList warnings;
};

struct MigrationView
{
    StatusReport status;
    QList<JournalEntry> journal;
    QString applyBlockedReason; // why Apply pending is disabled; empty when it is enabled
};

struct HealthReport
{
    QString check; // "integrity" or "foreign keys"
    QStringList findings;
    QList<CriticalIndex> indexes;
};

// The one object that talks to the database for the GUI. It lives on its own QThread and owns
// that thread's connection; panels call its slots through queued connections and get results
// by signal. No exception leaves a slot: errors become failed(...). cancel() is the one method
// called directly from the GUI thread: it interrupts whatever runs (between migrations, or the
// running statement via sqlite3_interrupt).
class DbWorker : public QObject
{
    Q_OBJECT

public:
    explicit DbWorker(DbConfig config);
    ~DbWorker() override;

    void cancel(); // thread-safe

public Q_SLOTS:
    void open();
    void refreshMigrations();
    void applyPending();
    void countTables();
    void loadRuns(const QString &status, const QString &kind, const QString &text);
    void loadEvents(const QString &runId, const QString &minLevel);
    void checkHealth(const QString &check); // "integrity", "foreign keys", or "" for indexes only
    void checkResetAllowed();
    void reset(const QString &confirmName, bool reapplyMigrations);
    void startWatching(int intervalMs); // PRAGMA data_version polling for live updates

Q_SIGNALS:
    void opened(const dbdeck::gui::ConnectionSummary &summary);
    void failed(const QString &operation, const QString &message);
    void migrationsLoaded(const dbdeck::gui::MigrationView &view);
    void migrationProgress(int index, int total, const QString &name, bool finished);
    void migrationsApplied(const QStringList &done, bool cancelled);
    void countsProgress(int done, int total, const QString &table);
    void countsReady(const QList<dbdeck::TableCount> &counts);
    void runsLoaded(const QList<dbdeck::Run> &runs);
    void eventsLoaded(const QString &runId, const QList<dbdeck::Event> &events);
    void healthReady(const dbdeck::gui::HealthReport &report);
    void resetAllowed(const QString &refusal, const QString &databaseName);
    void resetDone(const QString &backupPath, int droppedTables, int migrationsApplied);
    void dataChanged(); // another connection committed since the last poll
    void busy(const QString &operation, bool running);

private:
    class ActiveCancel;
    template<typename Fn>
    void guarded(const QString &operation, Fn &&fn);
    Database &db();
    void pollDataVersion();

    DbConfig m_config;
    std::unique_ptr<Database> m_db; // created, used and destroyed on the worker thread
    std::atomic_bool m_cancel{false};
    QMutex m_activeMutex;
    std::function<void()> m_activeCancel; // interrupts the running statement, if any
    QTimer *m_watch = nullptr;
    qint64 m_dataVersion = -1;
};

} // namespace dbdeck::gui

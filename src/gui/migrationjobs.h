#pragma once

#include "config/dbconfig.h"
#include "workertypes.h"

#include <QObject>

#include <memory>

class QThread;

namespace dbdeck::gui {

class Generations;
class JobWorker;

// The Migrations tab's own long jobs: the recovery of a migration left part-way and the lint and
// preflight of the pending ones, on a JobWorker with its thread ("dbdeck-migration-jobs") and
// connection, so that no SQL runs on the GUI thread and a preflight that counts the rows of a
// big table never holds up the quick reads. Results arrive as signals on the GUI thread.
class MigrationJobs : public QObject
{
    Q_OBJECT

public:
    explicit MigrationJobs(const DbConfig &config, QObject *parent = nullptr);
    ~MigrationJobs() override; // cancels what runs and waits for the thread

    void recover(const RecoveryRequest &request);
    void adopt(const AdoptRequest &request);
    quint64 checkPending(); // returns the request's generation
    bool isCurrent(quint64 generation) const;
    void cancel(); // direct: the thread is busy, its queue would wait

Q_SIGNALS:
    void recovered(const dbdeck::gui::RecoveryOutcome &outcome);
    void adopted(const dbdeck::gui::AdoptOutcome &outcome);
    void pendingChecked(const dbdeck::gui::PendingFindings &findings);
    void failed(const QString &operation, const QString &message);
    void writeRequested(const QString &action); // a recovery writes: see DbSession::writeRequested

private:
    std::shared_ptr<Generations> m_generations;
    QThread *m_thread = nullptr;
    JobWorker *m_worker = nullptr;
};

} // namespace dbdeck::gui

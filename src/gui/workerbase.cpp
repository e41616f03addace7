#include "workerbase.h"

#include <QLoggingCategory>

namespace dbdeck::gui {

Q_LOGGING_CATEGORY(lcGui, "dbdeck.gui")

WorkerBase::WorkerBase(DbConfig config, std::shared_ptr<Generations> generations)
    : m_config(std::move(config)), m_generations(std::move(generations))
{
}

WorkerBase::~WorkerBase() = default;

Database &WorkerBase::db()
{
    if (!m_db)
        // Looking never changes the database: connections open read-only until a job writes.
        m_db = std::make_unique<Database>(m_config, Database::Access::LookFirst);
    return *m_db;
}

WorkerBase::ActiveCancel::ActiveCancel(WorkerBase &worker, std::function<void()> cancel) : m_worker(worker)
{
    QMutexLocker lock(&m_worker.m_activeMutex);
    m_worker.m_activeCancel = std::move(cancel);
}

WorkerBase::ActiveCancel::~ActiveCancel()
{
    QMutexLocker lock(&m_worker.m_activeMutex);
    m_worker.m_activeCancel = nullptr;
}

void WorkerBase::cancel()
{
    m_cancel = true;
    QMutexLocker lock(&m_activeMutex);
    if (m_activeCancel)
        m_activeCancel();
}

void WorkerBase::report(const QString &operation, const QString &message)
{
    qCDebug(lcGui).noquote() << operation << "failed:" << message;
    Q_EMIT failed(operation, message);
}

} // namespace dbdeck::gui

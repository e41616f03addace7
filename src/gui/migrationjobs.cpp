#include "migrationjobs.h"

#include "generations.h"
#include "jobworker.h"

#include <QThread>

namespace dbdeck::gui {

MigrationJobs::MigrationJobs(const DbConfig &config, QObject *parent)
    : QObject(parent), m_generations(std::make_shared<Generations>())
{
    m_worker = new JobWorker(config, m_generations);
    connect(m_worker, &JobWorker::recovered, this, &MigrationJobs::recovered);
    connect(m_worker, &JobWorker::adopted, this, &MigrationJobs::adopted);
    connect(m_worker, &JobWorker::pendingChecked, this, &MigrationJobs::pendingChecked);
    connect(m_worker, &WorkerBase::failed, this, &MigrationJobs::failed);
    m_thread = new QThread(this);
    m_thread->setObjectName(QStringLiteral("dbdeck-migration-jobs"));
    m_worker->moveToThread(m_thread);
    // The worker's Database is destroyed on its own thread, closing the connection there.
    connect(m_thread, &QThread::finished, m_worker, [w = m_worker] {
        w->closeDatabase();
        delete w;
    }, Qt::DirectConnection);
    m_thread->start();
}

MigrationJobs::~MigrationJobs()
{
    disconnect(m_worker, nullptr, this, nullptr);
    m_worker->cancel();
    m_thread->quit();
    m_thread->wait();
}

void MigrationJobs::recover(const RecoveryRequest &request)
{
    switch (request.action) {
    case RecoveryRequest::Action::Resume: Q_EMIT writeRequested(tr("Resume")); break;
    case RecoveryRequest::Action::MarkApplied: Q_EMIT writeRequested(tr("Mark applied")); break;
    case RecoveryRequest::Action::MarkNotApplied: Q_EMIT writeRequested(tr("Mark not applied")); break;
    }
    QMetaObject::invokeMethod(m_worker, [w = m_worker, request] { w->recover(request); }, Qt::QueuedConnection);
}

void MigrationJobs::adopt(const AdoptRequest &request)
{
    Q_EMIT writeRequested(tr("Adopt"));
    QMetaObject::invokeMethod(m_worker, [w = m_worker, request] { w->adopt(request); }, Qt::QueuedConnection);
}

quint64 MigrationJobs::checkPending()
{
    const quint64 generation = m_generations->next(View::Findings);
    QMetaObject::invokeMethod(m_worker, [w = m_worker, generation] { w->checkPending(generation); }, Qt::QueuedConnection);
    return generation;
}

bool MigrationJobs::isCurrent(quint64 generation) const
{
    return m_generations->isCurrent(View::Findings, generation);
}

void MigrationJobs::cancel()
{
    m_worker->cancel();
}

} // namespace dbdeck::gui

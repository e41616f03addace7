#include "dbsession.h"

#include "generations.h"
#include "jobworker.h"
#include "readworker.h"

#include <QThread>

namespace dbdeck::gui {

namespace {

QThread *startThread(QObject *parent, const QString &name, WorkerBase *worker)
{
    auto *thread = new QThread(parent);
    thread->setObjectName(name);
    worker->moveToThread(thread);
    // The worker's Database is destroyed on its own thread, closing the connection there.
    QObject::connect(thread, &QThread::finished, worker, [worker] {
        worker->closeDatabase();
        delete worker;
    }, Qt::DirectConnection);
    thread->start();
    return thread;
}

template<typename Fn>
void queue(QObject *worker, Fn &&fn)
{
    QMetaObject::invokeMethod(worker, std::forward<Fn>(fn), Qt::QueuedConnection);
}

} // namespace

DbSession::DbSession(DbConfig config, QObject *parent)
    : QObject(parent), m_config(std::move(config)), m_generations(std::make_shared<Generations>())
{
    m_reader = new ReadWorker(m_config, m_generations);
    m_jobs = new JobWorker(m_config, m_generations);
    for (WorkerBase *worker : std::initializer_list<WorkerBase *>{m_reader, m_jobs})
    {
        connect(worker, &WorkerBase::failed, this, &DbSession::failed);
        connect(worker, &WorkerBase::cancelled, this, &DbSession::cancelled);
    }
    connect(m_reader, &ReadWorker::opened, this, &DbSession::opened);
    connect(m_reader, &ReadWorker::migrationsLoaded, this, &DbSession::migrationsLoaded);
    connect(m_reader, &ReadWorker::runsLoaded, this, &DbSession::runsLoaded);
    connect(m_reader, &ReadWorker::eventsLoaded, this, &DbSession::eventsLoaded);
    connect(m_reader, &ReadWorker::indexesLoaded, this, &DbSession::indexesLoaded);
    connect(m_reader, &ReadWorker::resetAllowed, this, &DbSession::resetAllowed);
    connect(m_reader, &ReadWorker::dataChanged, this, &DbSession::dataChanged);
    connect(m_reader, &ReadWorker::fileSizesChanged, this, &DbSession::fileSizesChanged);
    connect(m_reader, &ReadWorker::databaseGone, this, &DbSession::databaseGone);
    connect(m_reader, &ReadWorker::databaseAppeared, this, &DbSession::databaseAppeared);
    connect(m_jobs, &JobWorker::countsProgress, this, &DbSession::countsProgress);
    connect(m_jobs, &JobWorker::countsReady, this, &DbSession::countsReady);
    connect(m_jobs, &JobWorker::healthReady, this, &DbSession::healthReady);
    connect(m_jobs, &JobWorker::migrationProgress, this, &DbSession::migrationProgress);
    connect(m_jobs, &JobWorker::migrationsApplied, this, &DbSession::migrationsApplied);
    connect(m_jobs, &JobWorker::resetDone, this, &DbSession::resetDone);
    m_readThread = startThread(this, QStringLiteral("dbdeck-worker"), m_reader);
    m_jobThread = startThread(this, QStringLiteral("dbdeck-long-jobs"), m_jobs);
}

DbSession::~DbSession()
{
    disconnect(m_reader, nullptr, this, nullptr);
    disconnect(m_jobs, nullptr, this, nullptr);
    m_reader->cancel();
    m_jobs->cancel();
    for (QThread *thread : {m_readThread, m_jobThread}) {
        thread->quit();
        thread->wait();
    }
}

bool DbSession::isCurrent(View view, quint64 generation) const
{
    return m_generations->isCurrent(view, generation);
}

quint64 DbSession::current(View view) const
{
    return m_generations->current(view);
}

quint64 DbSession::open()
{
    const quint64 generation = m_generations->next(View::Open);
    queue(m_reader, [w = m_reader, generation] { w->open(generation); });
    return generation;
}

quint64 DbSession::loadMigrations()
{
    const quint64 generation = m_generations->next(View::Migrations);
    queue(m_reader, [w = m_reader, generation] { w->refreshMigrations(generation); });
    return generation;
}

quint64 DbSession::loadRuns(PageKind kind, const RunQuery &query)
{
    // A first page supersedes everything before it; later pages and refreshes belong to it.
    const quint64 generation = kind == PageKind::First ? m_generations->next(View::Runs) : m_generations->current(View::Runs);
    queue(m_reader, [w = m_reader, request = RunsRequest{generation, kind, query}] { w->loadRuns(request); });
    return generation;
}

quint64 DbSession::loadEvents(PageKind kind, const EventQuery &query, qint64 knownTotal)
{
    const quint64 generation = kind == PageKind::First ? m_generations->next(View::Events) : m_generations->current(View::Events);
    queue(m_reader, [w = m_reader, request = EventsRequest{generation, kind, query, knownTotal}] { w->loadEvents(request); });
    return generation;
}

quint64 DbSession::loadIndexes()
{
    const quint64 generation = m_generations->next(View::Indexes);
    queue(m_reader, [w = m_reader, generation] { w->loadIndexes(generation); });
    return generation;
}

quint64 DbSession::checkResetAllowed()
{
    const quint64 generation = m_generations->next(View::ResetCheck);
    queue(m_reader, [w = m_reader, generation] { w->checkResetAllowed(generation); });
    return generation;
}

void DbSession::watch(int intervalMs)
{
    queue(m_reader, [w = m_reader, intervalMs] { w->startWatching(intervalMs); });
}

quint64 DbSession::countTables()
{
    const quint64 generation = m_generations->next(View::Counts);
    queue(m_jobs, [w = m_jobs, generation] { w->countTables(generation); });
    return generation;
}

void DbSession::checkHealth(const QString &check)
{
    queue(m_jobs, [w = m_jobs, check] { w->checkHealth(check); });
}

void DbSession::applyPending(bool retryPartial)
{
    queue(m_jobs, [w = m_jobs, retryPartial] { w->applyPending(retryPartial); });
}

void DbSession::reset(const QString &confirmName, bool reapplyMigrations)
{
    queue(m_jobs, [w = m_jobs, confirmName, reapplyMigrations] { w->reset(confirmName, reapplyMigrations); });
}

void DbSession::cancelLongJob()
{
    m_jobs->cancel();
}

} // namespace dbdeck::gui

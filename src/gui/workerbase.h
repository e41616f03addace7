#pragma once

#include "config/dbconfig.h"
#include "db/database.h"
#include "generations.h"

#include <QMutex>
#include <QObject>

#include <atomic>
#include <functional>
#include <memory>

namespace dbdeck::gui {

// What both workers share: a Database created, used and destroyed on the worker's own thread,
// exceptions turned into failed(), and cancel() for the operation running now. cancel() is the
// one method called from the GUI thread; everything else runs through queued calls.
class WorkerBase : public QObject
{
    Q_OBJECT

public:
    WorkerBase(DbConfig config, std::shared_ptr<Generations> generations);
    ~WorkerBase() override;

    void cancel(); // thread-safe: interrupts the running statement, stops between migrations
    // Called on the worker thread as it ends, so that its connection closes there.
    void closeDatabase() { m_db.reset(); }

Q_SIGNALS:
    void failed(const QString &operation, const QString &message);
    void cancelled(const QString &operation, const QString &message); // stopped on request (CancelledError)

protected:
    // Lets cancel() reach the object doing the work while this guard lives. Declared after that
    // object, it is destroyed first, so cancel() never calls into a destroyed object.
    class ActiveCancel
    {
    public:
        ActiveCancel(WorkerBase &worker, std::function<void()> cancel);
        ~ActiveCancel();

    private:
        WorkerBase &m_worker;
    };

    template<typename Fn>
    void guarded(const QString &operation, Fn &&fn);

    Database &db();
    bool hasDatabase() const { return bool(m_db); }
    const DbConfig &config() const { return m_config; }
    Generations &generations() { return *m_generations; }
    bool obsolete(View view, quint64 generation) const { return !m_generations->isCurrent(view, generation); }

    std::atomic_bool m_cancel{false};

private:
    void report(const QString &operation, const QString &message);

    DbConfig m_config;
    std::shared_ptr<Generations> m_generations;
    std::unique_ptr<Database> m_db;
    QMutex m_activeMutex;
    std::function<void()> m_activeCancel;
};

} // namespace dbdeck::gui

#include "db/errors.h"

namespace dbdeck::gui {

template<typename Fn>
void WorkerBase::guarded(const QString &operation, Fn &&fn)
{
    // No exception leaves a slot: it would cross the event loop.
    try {
        fn();
    } catch (const CancelledError &error) {
        Q_EMIT cancelled(operation, error.message());
    } catch (const DbError &error) {
        report(operation, error.message());
    } catch (const std::exception &error) {
        report(operation, QString::fromLocal8Bit(error.what()));
    }
}

} // namespace dbdeck::gui

#pragma once

#include <QElapsedTimer>
#include <QThread>

#include <atomic>
#include <functional>
#include <memory>

namespace dbdeck::test {

// Calls fn (an interrupt or cancel) from another thread every 20 ms until this object is
// destroyed, for at most a minute. A single interrupt is lost when it comes before the statement
// has started (sqlite3_interrupt and PQcancel do nothing then) — on a loaded machine that happens,
// and the statement would run until ctest's timeout. Pair it with a bounded statement, so that
// even a statement never interrupted ends (and the test fails) instead of hanging.
class UntilFinished
{
public:
    explicit UntilFinished(std::function<void()> fn)
        : m_thread(QThread::create([this, fn = std::move(fn)] {
              QElapsedTimer deadline;
              deadline.start();
              while (!m_stop.load() && deadline.elapsed() < 60000) {
                  fn();
                  QThread::msleep(20);
              }
          }))
    {
        m_thread->start();
    }
    ~UntilFinished()
    {
        m_stop.store(true);
        m_thread->wait();
    }
    UntilFinished(const UntilFinished &) = delete;
    UntilFinished &operator=(const UntilFinished &) = delete;

private:
    std::atomic_bool m_stop{false};
    std::unique_ptr<QThread> m_thread;
};

} // namespace dbdeck::test

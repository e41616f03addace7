#pragma once

#include "db/database.h"
#include "db/transaction.h"
#include "messagearea.h"
#include "migrateddb.h"

#include <QAbstractItemModel>
#include <QAbstractItemView>
#include <QAction>
#include <QApplication>
#include <QElapsedTimer>
#include <QObject>
#include <QPalette>
#include <QSemaphore>
#include <QTest>
#include <QThread>
#include <QToolButton>

#include <memory>

namespace dbdeck::test {

template<typename T>
T *child(QObject *parent, const char *name)
{
    T *found = parent->findChild<T *>(QLatin1String(name));
    if (!found)
        qFatal("no child %s", name);
    return found;
}

// The action a message area offers under this text (its button's label), or nullptr.
inline QAction *messageAction(const gui::MessageArea *area, const QString &text)
{
    for (QAction *action : area->actions()) {
        if (action->text() == text)
            return action;
    }
    return nullptr;
}

// Clicks the message area's button for that action, as a user would; false when there is none.
inline bool clickMessageAction(gui::MessageArea *area, const QString &text)
{
    QToolButton *button = area->buttonFor(messageAction(area, text));
    if (!button)
        return false;
    QTest::mouseClick(button, Qt::LeftButton);
    return true;
}

// What a view shows in one column, top to bottom (through any sort proxy).
inline QStringList columnTexts(const QAbstractItemModel *model, int column)
{
    QStringList values;
    for (int row = 0; row < model->rowCount(); ++row)
        values << model->index(row, column).data().toString();
    return values;
}

inline QStringList columnTexts(const QAbstractItemView *view, int column)
{
    return columnTexts(view->model(), column);
}

// Inserts a run with `events` events in one statement (a recursive CTE: 100,000 rows in well
// under a second), seq 1..events, every 50th an error and every 7th a warning.
inline void insertBigRun(Database &db, const QString &runId, int events, const QString &createdAt = QStringLiteral("2026-01-02 00:00:00.000000"))
{
    Transaction tx(db, Transaction::Mode::Write);
    db.exec(QStringLiteral("INSERT INTO runs (id, kind, status, created_at, updated_at) VALUES (?, 'ingest', 'running', ?, ?)"),
            {runId, createdAt, createdAt});
    const bool postgres = db.backend() == Backend::Postgres;
    const QString numbers = postgres ? QStringLiteral("SELECT i FROM generate_series(1, %1) AS n(i)")
                                     : QStringLiteral("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %1) SELECT i FROM n");
    const QString eventTime = postgres ? QStringLiteral("to_char(TIMESTAMP '2026-01-01' + i * INTERVAL '1 second', 'YYYY-MM-DD HH24:MI:SS.US')")
                                       : QStringLiteral("strftime('%Y-%m-%d %H:%M:%f', '2026-01-01', '+' || i || ' seconds') || '000'");
    db.exec(QStringLiteral("INSERT INTO events (id, run_id, seq, level, kind, message, created_at) "
                           "SELECT CAST(? AS TEXT) || '-' || i, CAST(? AS TEXT), i, CASE WHEN i % 50 = 0 THEN 'error' WHEN i % 7 = 0 THEN 'warning' ELSE 'info' END, "
                           "'log', 'event ' || i, %2 FROM (%1) AS numbered")
                .arg(numbers.arg(events), eventTime),
            {runId, runId});
    tx.commit();
}

// Appends events to a run from this (another) connection, the way the application would.
inline void appendEvents(Database &db, const QString &runId, int from, int count, const QString &level = QStringLiteral("info"))
{
    Transaction tx(db, Transaction::Mode::Write); // one commit, as the application's batch would be
    for (int seq = from; seq < from + count; ++seq)
        db.exec(QStringLiteral("INSERT INTO events (id, run_id, seq, level, kind, message, created_at) VALUES (?, ?, ?, ?, 'log', ?, '2026-02-01 00:00:00.000000')"),
                {QStringLiteral("%1-%2").arg(runId).arg(seq), runId, seq, level, QStringLiteral("event %1").arg(seq)});
    tx.commit();
}

inline QPalette darkPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
    p.setColor(QPalette::WindowText, QColor(0xe0, 0xe0, 0xe0));
    p.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    p.setColor(QPalette::AlternateBase, QColor(0x26, 0x26, 0x26));
    p.setColor(QPalette::Text, QColor(0xe0, 0xe0, 0xe0));
    p.setColor(QPalette::Button, QColor(0x35, 0x35, 0x35));
    p.setColor(QPalette::ButtonText, QColor(0xe0, 0xe0, 0xe0));
    p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x80, 0x80, 0x80));
    return p;
}

// Keeps a worker thread busy until released: a request queued behind it waits, exactly as it
// would behind a long integrity check, without depending on how long a check takes.
class ThreadBlocker
{
public:
    explicit ThreadBlocker(QThread *thread) : m_gate(std::make_shared<Gate>())
    {
        auto *context = new QObject;
        context->moveToThread(thread);
        QMetaObject::invokeMethod(context, [gate = m_gate, context] {
            gate->started.release();
            gate->release.acquire();
            context->deleteLater();
        }, Qt::QueuedConnection);
        if (!m_gate->started.tryAcquire(1, 30000))
            qFatal("the worker thread did not start the blocker");
    }
    ~ThreadBlocker() { release(); }
    void release()
    {
        if (!m_released) {
            m_released = true;
            m_gate->release.release();
        }
    }

private:
    struct Gate
    {
        QSemaphore started;
        QSemaphore release;
    };
    std::shared_ptr<Gate> m_gate;
    bool m_released = false;
};

} // namespace dbdeck::test

#include "migrate/migrationlock.h"

#include "db/database.h"
#include "db/errors.h"
#include "migrate/migrationerror.h"
#include "migrate/migrationlogging.h"
#include "migrate/migrationtables.h"
#include "migrate/postgresmigrationlock.h"
#include "migrate/sqlitemigrationlock.h"

#include <QElapsedTimer>
#include <QScopeGuard>
#include <QThread>

namespace dbdeck {

namespace {

const char *kOtherConnection = "another connection to the database that is not a dbdeck migration (the application, a "
                               "sqlite3 shell, a backup) holds a write transaction";

QString waitedFor(const LockWait &wait)
{
    if (wait.holder)
        return QStringLiteral("the migration lock held by %1").arg(wait.holder->toString());
    if (wait.otherConnection)
        return QString::fromLatin1(kOtherConnection);
    return QStringLiteral("the migration lock");
}

} // namespace

QString LockHolder::toString() const
{
    if (!description.isEmpty())
        return description;
    QString text = QStringLiteral("host %1, pid %2, since %3 UTC").arg(host).arg(pid).arg(since.left(19));
    if (!heartbeat.isEmpty() && heartbeat.left(19) != since.left(19))
        text += QStringLiteral(", last sign of life %1 UTC").arg(heartbeat.left(19));
    return text;
}

MigrationLock::MigrationLock(Database &db) : m_db(db)
{
    if (db.backend() == Backend::Postgres)
        m_backend = std::make_unique<PostgresMigrationLock>(db);
    else
        m_backend = std::make_unique<SqliteMigrationLock>(db);
}

MigrationLock::~MigrationLock()
{
    try {
        release();
    } catch (const DbError &error) {
        qCWarning(lcMigrate).noquote() << "could not release the migration lock:" << error.message();
    }
}

std::optional<LockHolder> MigrationLock::holder(Database &db)
{
    if (db.backend() == Backend::Postgres)
        return PostgresMigrationLock::holder(db);
    return SqliteMigrationLock::holder(db);
}

QString MigrationLock::takeoverNote() const
{
    return m_backend->takeoverNote;
}

void MigrationLock::acquire(int timeoutMs, const std::function<void(const QString &)> &waiting, const std::atomic_bool *cancel)
{
    if (m_held)
        return;
    if (m_bypass) {
        MigrationTables::ensure(m_db);
        m_held = true;
        return;
    }
    const bool sqlite = m_db.backend() == Backend::Sqlite;
    // Wait in this loop, which re-reads and reports the holder, not inside SQLite's busy handler
    // behind a running migration: a short busy timeout while acquiring.
    if (sqlite)
        m_db.exec(QStringLiteral("PRAGMA busy_timeout = 50"));
    const auto restore = qScopeGuard([&] {
        if (sqlite)
            m_db.exec(QStringLiteral("PRAGMA busy_timeout = %1").arg(m_db.config().busyTimeoutMs()));
    });
    QElapsedTimer timer;
    timer.start();
    qint64 nextReportMs = 0;
    int pauseMs = 25;
    while (true) {
        LockWait wait;
        try {
            if (m_backend->tryAcquire(&wait)) {
                m_held = true;
                return;
            }
        } catch (const BusyError &) {
            wait.otherConnection = true;
        }
        const qint64 elapsed = timer.elapsed();
        if (cancel && cancel->load())
            throw CancelledError(QStringLiteral("cancelled while waiting for %1; nothing was changed").arg(waitedFor(wait)));
        if (elapsed >= timeoutMs) {
            const QString seconds = QString::number(timeoutMs / 1000.0, 'f', 1);
            if (!wait.holder && wait.otherConnection)
                throw LockTimeoutError(QStringLiteral("%1, and kept the database locked for %2 s (--lock-timeout): no dbdeck "
                                                      "migration is running, so look for that connection (SQLite shows no "
                                                      "holder of its locks); nothing was changed")
                                           .arg(QString::fromLatin1(kOtherConnection), seconds));
            const QString who = wait.holder ? wait.holder->toString() : QStringLiteral("a process that keeps the database busy");
            throw LockTimeoutError(QStringLiteral("another dbdeck is migrating this database (%1); gave up after waiting %2 s "
                                                  "(--lock-timeout). The lock of a process that is gone is freed at once, so "
                                                  "that process is still running.")
                                       .arg(who, seconds));
        }
        if (waiting && elapsed >= nextReportMs && (wait.holder || wait.otherConnection)) {
            waiting(nextReportMs == 0 ? QStringLiteral("waiting for %1").arg(waitedFor(wait))
                                      : QStringLiteral("still waiting (%1 s so far) for %2").arg(elapsed / 1000).arg(waitedFor(wait)));
            nextReportMs = (elapsed / 1000 + reportEverySeconds) * 1000;
        }
        QThread::msleep(std::min<qint64>(pauseMs, std::max<qint64>(1, timeoutMs - elapsed)));
        pauseMs = std::min(pauseMs * 2, 250);
    }
}

void MigrationLock::touch()
{
    if (m_held && !m_bypass)
        m_backend->touch();
}

void MigrationLock::verifyHeld()
{
    if (m_bypass)
        return;
    if (!m_held)
        throw LockLostError(QStringLiteral("the migration lock is not held"));
    m_backend->verifyHeld();
}

void MigrationLock::release()
{
    if (!m_held)
        return;
    m_held = false;
    if (!m_bypass)
        m_backend->release();
}

} // namespace dbdeck

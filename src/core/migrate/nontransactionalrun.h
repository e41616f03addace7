#pragma once

#include "migrate/migrationplanner.h"

#include <atomic>

namespace dbdeck {

class Database;
class DbError;
class MigrationLock;

// Runs the section of a transaction:false migration statement by statement. Before the first, a
// dbdeck_migration_progress row is committed; after each, its count of done statements — on the
// script's own connection, so inside a transaction the script opened, the count commits or rolls
// back together with that work. A runner that dies therefore leaves the migration "interrupted at
// statement k of n": statements before k are done, k itself may or may not be. A request to stop
// (cancel) is honoured between statements, outside any transaction of the script's. A script that
// leaves a transaction open is a failure, never recorded as applied.
class NonTransactionalRun
{
public:
    enum class Outcome { Done, AlreadyDone, Cancelled };

    NonTransactionalRun(Database &db, const MigrationStep &step, MigrationLock &lock, qint64 attemptId);

    // Runs statements from..n (1-based), after re-checking (recheck) that nobody else applied it. Throws
    // MigrationError naming the statement when one fails (then recorded as failed-partial), or
    // LockLostError (then left as it is: interrupted).
    Outcome run(int from, const std::atomic_bool *cancel, bool recheck);
    int statementCount() const { return int(m_statements.size()); }
    int cancelledBefore() const { return m_cancelledBefore; }

    // "migration 0003_x (path) failed at statement k of n (line L: text): error\nconsequence"
    static QString describeFailure(const MigrationFile &file, int index, int total, const SqlStatement &statement,
                                   const DbError &error, const QString &consequence);
    // A disk-full failure says so, with what to do (SQLITE_FULL, PostgreSQL 53100).
    static QString diskFullHint(const DbError &error);

private:
    bool inTransaction();
    // No transaction or session setting of the script may leak into later work.
    void resetConnectionState();
    [[noreturn]] void fail(const QString &message, const QString &nativeCode);
    int durablyDone();

    Database &m_db;
    const MigrationStep &m_step;
    MigrationLock &m_lock;
    qint64 m_attemptId;
    QList<SqlStatement> m_statements;
    int m_cancelledBefore = 0;
    qint64 m_startedMs = 0;
};

} // namespace dbdeck

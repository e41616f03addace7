#include "migrate/nontransactionalrun.h"

#include "db/database.h"
#include "db/libpqruntime.h"
#include "db/errors.h"
#include "db/transaction.h"
#include "db/utctime.h"
#include "migrate/migrationerror.h"
#include "migrate/migrationlock.h"
#include "migrate/migrationtables.h"
#include "migrate/versionrecord.h"

#include <QDateTime>
#include <QSqlDriver>

#include <sqlite3.h>

namespace dbdeck {

namespace {

QString firstLineOf(const QString &sql)
{
    const QString line = sql.section(QLatin1Char('\n'), 0, 0).trimmed();
    return line.size() > 100 ? line.left(97) + QStringLiteral("...") : line;
}

} // namespace

NonTransactionalRun::NonTransactionalRun(Database &db, const MigrationStep &step, MigrationLock &lock, qint64 attemptId)
    : m_db(db), m_step(step), m_lock(lock), m_attemptId(attemptId),
      m_statements(SqlSplitter::split(step.sql(), MigrationPlanner::dialectFor(db.backend())))
{
}

QString NonTransactionalRun::describeFailure(const MigrationFile &file, int index, int total, const SqlStatement &statement,
                                             const DbError &error, const QString &consequence)
{
    return QStringLiteral("migration %1 (%2) failed at statement %3 of %4 (line %5: %6): %7\n%8")
        .arg(file.name(), file.path(), QString::number(index), QString::number(total), QString::number(statement.line),
             firstLineOf(statement.sql), error.message(), consequence + diskFullHint(error));
}

QString NonTransactionalRun::diskFullHint(const DbError &error)
{
    bool numeric = false;
    const int code = error.nativeCode().toInt(&numeric);
    const bool full = (numeric && (code & 0xff) == SQLITE_FULL) || error.nativeCode() == QLatin1String("53100");
    return full ? QStringLiteral("\nThe disk (or the database's size limit) is full: free some space, then run the command again.")
                : QString();
}

bool NonTransactionalRun::inTransaction()
{
    if (m_db.backend() == Backend::Sqlite)
        return sqlite3_get_autocommit(m_db.sqliteHandle()) == 0;
    const QVariant handle = m_db.connection().driver()->handle();
    // QPSQL names the type after libpq's struct: "pg_conn*" (PGconn is its typedef).
    if (qstrcmp(handle.typeName(), "pg_conn*") != 0 && qstrcmp(handle.typeName(), "PGconn*") != 0)
        throw MigrationError(QStringLiteral("cannot tell whether the script left a transaction open: the PostgreSQL driver "
                                            "gives no libpq handle (%1)").arg(QString::fromLatin1(handle.typeName())));
    const LibPqRuntime &pq = LibPqRuntime::get();
    if (!pq.isValid())
        throw MigrationError(QStringLiteral("cannot tell whether the script left a transaction open: libpq's "
                                            "PQtransactionStatus could not be loaded"));
    const int status = pq.transactionStatus(*static_cast<void *const *>(handle.constData()));
    return status == LibPqRuntime::InTransaction || status == LibPqRuntime::InError || status == LibPqRuntime::Active;
}

void NonTransactionalRun::resetConnectionState()
{
    if (m_db.backend() == Backend::Sqlite) {
        // Closing rolls back a transaction the script left open, and the next statement gets a
        // fresh connection with the configured PRAGMAs (a script may have turned foreign keys off).
        m_db.closeConnection();
        return;
    }
    // PostgreSQL: closing would end the session and with it the advisory lock. Undo instead.
    if (inTransaction())
        m_db.exec(QStringLiteral("ROLLBACK"));
    m_db.exec(QStringLiteral("RESET ALL"));
}

int NonTransactionalRun::durablyDone()
{
    return m_db.scalar(QStringLiteral("SELECT statements_done FROM dbdeck_migration_progress WHERE version = ?"),
                       {m_step.file.version()}).toInt();
}

void NonTransactionalRun::fail(const QString &message, const QString &nativeCode)
{
    // After the rollback of any transaction of the script's, the progress row says what stays.
    resetConnectionState();
    const int done = durablyDone();
    const MigrationFile &file = m_step.file;
    const qint64 ms = QDateTime::currentMSecsSinceEpoch() - m_startedMs;
    withTransaction(m_db, Transaction::Mode::Write, [&] {
        if (m_step.up) {
            m_db.exec(QStringLiteral("DELETE FROM dbdeck_migration_progress WHERE version = ?"), {file.version()});
            VersionRecord::recordFailedPartial(m_db, file, done, statementCount(), ms);
        } else {
            m_db.exec(QStringLiteral("UPDATE dbdeck_migration_progress SET state = 'failed', updated_at = ? WHERE version = ?"),
                      {utcNowForDb(), file.version()});
        }
    });
    throw MigrationError(QString(message).replace(QLatin1String("{done}"), QString::number(done)), nativeCode);
}

NonTransactionalRun::Outcome NonTransactionalRun::run(int from, const std::atomic_bool *cancel, bool recheck)
{
    const MigrationFile &file = m_step.file;
    const int total = statementCount();
    m_startedMs = QDateTime::currentMSecsSinceEpoch();
    MigrationTables::ensureProgress(m_db);
    const bool skip = withTransaction(m_db, Transaction::Mode::Write, [&] {
        VersionRecord::lockTable(m_db);
        m_lock.verifyHeld();
        if (recheck && VersionRecord::alreadyDone(m_db, m_step))
            return true;
        m_db.exec(QStringLiteral("DELETE FROM dbdeck_migration_progress WHERE version = ?"), {file.version()});
        if (m_step.up)
            m_db.exec(QStringLiteral("DELETE FROM dbdeck_schema_migrations WHERE version = ? AND state = 'failed-partial'"),
                      {file.version()});
        const QString now = utcNowForDb();
        m_db.exec(QStringLiteral("INSERT INTO dbdeck_migration_progress (version, name, checksum, direction, state, statements_done,"
                                 " statements_total, started_at, updated_at, run_by, attempt_id)"
                                 " VALUES (?, ?, ?, ?, 'running', ?, ?, ?, ?, ?, ?)"),
                  {file.version(), file.name(), file.checksum(), m_step.up ? QStringLiteral("up") : QStringLiteral("down"),
                   from - 1, total, now, now, currentActor(),
                   m_attemptId ? QVariant(m_attemptId) : QVariant(QMetaType::fromType<qint64>())});
        return false;
    });
    if (skip)
        return Outcome::AlreadyDone;

    for (int i = from - 1; i < total; ++i) {
        const SqlStatement &statement = m_statements.at(i);
        if (cancel && cancel->load() && !inTransaction()) {
            m_cancelledBefore = i + 1;
            resetConnectionState();
            m_db.exec(QStringLiteral("UPDATE dbdeck_migration_progress SET state = 'cancelled', updated_at = ? WHERE version = ?"),
                      {utcNowForDb(), file.version()});
            return Outcome::Cancelled;
        }
        m_lock.verifyHeld();
        try {
            m_db.exec(statement.sql);
        } catch (const DbError &error) {
            const QString consequence = QStringLiteral("%1 of %2 statements are done and were not undone (transaction:false; a "
                                                       "transaction the script itself began was rolled back); status shows it "
                                                       "as failed-partial.").arg(QStringLiteral("{done}"), QString::number(total));
            fail(describeFailure(file, i + 1, total, statement, error, consequence), error.nativeCode());
        }
        // Autocommit here, or part of the script's own transaction: durable exactly when its work is.
        m_db.exec(QStringLiteral("UPDATE dbdeck_migration_progress SET statements_done = ?, updated_at = ? WHERE version = ?"),
                  {i + 1, utcNowForDb(), file.version()});
    }
    if (inTransaction())
        fail(QStringLiteral("migration %1 (%2) left a transaction open after its last statement (a BEGIN without COMMIT): "
                            "dbdeck rolled it back, undoing the statements since that BEGIN, so it is not applied. %3 of %4 "
                            "statements are done (transaction:false); status shows it as failed-partial. Add the missing "
                            "COMMIT.")
                 .arg(file.name(), file.path(), QStringLiteral("{done}"), QString::number(total)),
             QString());
    resetConnectionState();
    const qint64 ms = QDateTime::currentMSecsSinceEpoch() - m_startedMs;
    withTransaction(m_db, Transaction::Mode::Write, [&] {
        VersionRecord::lockTable(m_db);
        m_lock.verifyHeld();
        if (m_step.up)
            VersionRecord::recordApplied(m_db, file, ms);
        else
            VersionRecord::recordReverted(m_db, file.version());
        m_db.exec(QStringLiteral("DELETE FROM dbdeck_migration_progress WHERE version = ?"), {file.version()});
        m_lock.touch();
    });
    return Outcome::Done;
}

} // namespace dbdeck

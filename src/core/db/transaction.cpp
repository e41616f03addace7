#include "db/transaction.h"

#include "db/database.h"
#include "db/errors.h"
#include "db/logging.h"

namespace dbdeck {

Transaction::Transaction(Database &db, Mode mode) : m_db(db)
{
    if (mode == Mode::Write && db.transactionDepth() == 0)
        db.ensureWritable(); // a connection that only looked reopens for writing
    m_depth = db.transactionDepth();
    if (m_depth > 0) {
        m_savepoint = QStringLiteral("dbdeck_sp_%1").arg(m_depth);
        db.exec(QStringLiteral("SAVEPOINT %1").arg(m_savepoint));
    } else if (mode == Mode::Write && db.backend() == Backend::Sqlite) {
        // A deferred transaction that reads and then writes must upgrade its lock; if another
        // writer got there first, SQLite returns SQLITE_BUSY at once instead of waiting for
        // busy_timeout (waiting could deadlock). BEGIN IMMEDIATE takes the write lock up front,
        // where the busy_timeout wait does apply.
        db.exec(QStringLiteral("BEGIN IMMEDIATE"));
    } else if (mode == Mode::Read && db.backend() == Backend::Postgres) {
        // A read scope is one consistent snapshot, as on SQLite; PostgreSQL's default (READ
        // COMMITTED) would let each statement see what others committed meanwhile.
        db.exec(QStringLiteral("BEGIN ISOLATION LEVEL REPEATABLE READ"));
    } else {
        db.exec(QStringLiteral("BEGIN"));
    }
    db.setTransactionDepth(m_depth + 1);
}

Transaction::~Transaction()
{
    if (m_done)
        return;
    try {
        finish(false);
    } catch (const DbError &error) {
        // A destructor must not throw; the connection's own rollback on close covers the rest.
        qCWarning(lcDb).noquote() << "rollback failed:" << error.message();
    }
}

void Transaction::commit()
{
    finish(true);
}

void Transaction::rollback()
{
    finish(false);
}

void Transaction::finish(bool commit)
{
    if (m_done)
        throw DbError(QStringLiteral("this transaction has already been committed or rolled back"));
    m_done = true;
    // SQLite may have rolled the whole transaction back by itself (nothing is left to end, at
    // any depth); PostgreSQL would answer COMMIT of a failed transaction with a silent ROLLBACK.
    const QString lost = m_db.lostTransaction();
    if (!lost.isEmpty() && (m_savepoint.isEmpty() || m_db.backend() == Backend::Sqlite)) {
        m_db.setTransactionDepth(m_depth);
        if (m_savepoint.isEmpty() && m_db.backend() == Backend::Postgres)
            m_db.exec(QStringLiteral("ROLLBACK"));
        if (commit)
            throw RolledBackError(QStringLiteral("the transaction was not committed: %1; nothing of it was written").arg(lost));
        return;
    }
    m_db.setTransactionDepth(m_depth);
    if (m_savepoint.isEmpty()) {
        if (commit) {
            try {
                m_db.exec(QStringLiteral("COMMIT"));
            } catch (const DbError &) {
                // A failed COMMIT (e.g. a deferred foreign key) leaves the transaction open.
                try { m_db.exec(QStringLiteral("ROLLBACK")); } catch (const DbError &) {}
                throw;
            }
        } else {
            m_db.exec(QStringLiteral("ROLLBACK"));
        }
    } else {
        if (!commit) {
            m_db.exec(QStringLiteral("ROLLBACK TO %1").arg(m_savepoint));
            m_db.savepointRolledBack();
        }
        m_db.exec(QStringLiteral("RELEASE %1").arg(m_savepoint));
    }
}

} // namespace dbdeck

#pragma once

#include <QMutex>

namespace dbdeck {

class Database;

// Interrupts the statement running on this thread's connection, from any other thread: SQLite's
// sqlite3_interrupt, PostgreSQL's PQcancel (QSqlDriver offers neither). The interrupted
// statement fails with SQLITE_INTERRUPT or SQLSTATE 57014, which the classifier turns into
// CancelledError. Create it on the connection's thread, before the statement starts.
class StatementInterrupter
{
public:
    explicit StatementInterrupter(Database &db);
    ~StatementInterrupter();
    StatementInterrupter(const StatementInterrupter &) = delete;
    StatementInterrupter &operator=(const StatementInterrupter &) = delete;

    void interrupt(); // thread-safe; a no-op when nothing runs

private:
    QMutex m_mutex;
    void *m_sqlite = nullptr;   // sqlite3*
    void *m_pgCancel = nullptr; // PGcancel*
};

} // namespace dbdeck

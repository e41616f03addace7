#include "db/statementinterrupter.h"

#include "db/database.h"
#include "db/libpqruntime.h"

#include <QSqlDriver>

#include <sqlite3.h>

namespace dbdeck {


StatementInterrupter::StatementInterrupter(Database &db)
{
    if (db.backend() == Backend::Sqlite) {
        m_sqlite = db.sqliteHandle();
        return;
    }
    const QVariant handle = db.connection().driver()->handle();
    // QPSQL names the type after libpq's struct: "pg_conn*" (PGconn is its typedef).
    if (qstrcmp(handle.typeName(), "pg_conn*") == 0 || qstrcmp(handle.typeName(), "PGconn*") == 0) {
        void *connection = *static_cast<void *const *>(handle.constData());
        if (const LibPqRuntime &pq = LibPqRuntime::get(); pq.isValid())
            m_pgCancel = pq.getCancel(connection);
    }
}

StatementInterrupter::~StatementInterrupter()
{
    QMutexLocker lock(&m_mutex);
    if (m_pgCancel)
        LibPqRuntime::get().freeCancel(m_pgCancel);
}

void StatementInterrupter::interrupt()
{
    QMutexLocker lock(&m_mutex);
    if (m_sqlite)
        sqlite3_interrupt(static_cast<sqlite3 *>(m_sqlite));
    if (m_pgCancel) {
        char error[256];
        LibPqRuntime::get().cancel(m_pgCancel, error, sizeof error); // failure: the statement just ends
    }
}

} // namespace dbdeck

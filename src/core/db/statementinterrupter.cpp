#include "db/statementinterrupter.h"

#include "db/database.h"

#include <QLibrary>
#include <QSqlDriver>

#include <sqlite3.h>

namespace dbdeck {

namespace {

// libpq's cancel API, resolved at run time: linking libpq would make every command, SQLite ones
// included, load it and its dependencies (OpenSSL, Kerberos, LDAP, ...) at start-up. On a
// PostgreSQL connection Qt's QPSQL plugin has loaded libpq already, so this finds it in memory.
struct LibPq
{
    using GetCancel = void *(*)(void *connection);
    using Cancel = int (*)(void *cancel, char *errorBuffer, int errorBufferSize);
    using FreeCancel = void (*)(void *cancel);
    GetCancel getCancel = nullptr;
    Cancel cancel = nullptr;
    FreeCancel freeCancel = nullptr;

    static const LibPq &get()
    {
        static const LibPq pq = [] {
            LibPq p;
            QLibrary library(QStringLiteral("pq"), 5);
            if (!library.load())
                return p;
            p.getCancel = reinterpret_cast<GetCancel>(library.resolve("PQgetCancel"));
            p.cancel = reinterpret_cast<Cancel>(library.resolve("PQcancel"));
            p.freeCancel = reinterpret_cast<FreeCancel>(library.resolve("PQfreeCancel"));
            if (!p.getCancel || !p.cancel || !p.freeCancel)
                p = LibPq();
            return p; // never unloaded: QPSQL keeps using it
        }();
        return pq;
    }
};

} // namespace

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
        if (const LibPq &pq = LibPq::get(); pq.getCancel)
            m_pgCancel = pq.getCancel(connection);
    }
}

StatementInterrupter::~StatementInterrupter()
{
    QMutexLocker lock(&m_mutex);
    if (m_pgCancel)
        LibPq::get().freeCancel(m_pgCancel);
}

void StatementInterrupter::interrupt()
{
    QMutexLocker lock(&m_mutex);
    if (m_sqlite)
        sqlite3_interrupt(static_cast<sqlite3 *>(m_sqlite));
    if (m_pgCancel) {
        char error[256];
        LibPq::get().cancel(m_pgCancel, error, sizeof error); // failure: the statement just ends
    }
}

} // namespace dbdeck

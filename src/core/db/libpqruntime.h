#pragma once

#include <QLibrary>

namespace dbdeck {

// The few libpq functions dbdeck calls itself, resolved at run time: linking libpq would make
// every command, SQLite ones included, load it and its dependencies (OpenSSL, Kerberos, LDAP, ...)
// at start-up. On a PostgreSQL connection Qt's QPSQL plugin has loaded libpq already, so this
// finds it in memory. Pass the PGconn* that QSqlDriver::handle() gives ("pg_conn*").
struct LibPqRuntime
{
    using GetCancel = void *(*)(void *connection);
    using Cancel = int (*)(void *cancel, char *errorBuffer, int errorBufferSize);
    using FreeCancel = void (*)(void *cancel);
    using TransactionStatus = int (*)(const void *connection); // PGTransactionStatusType
    enum TransactionState { Idle = 0, Active = 1, InTransaction = 2, InError = 3, Unknown = 4 }; // libpq-fe.h's PQTRANS_*

    GetCancel getCancel = nullptr;
    Cancel cancel = nullptr;
    FreeCancel freeCancel = nullptr;
    TransactionStatus transactionStatus = nullptr;

    bool isValid() const { return getCancel && cancel && freeCancel && transactionStatus; }

    static const LibPqRuntime &get()
    {
        static const LibPqRuntime pq = [] {
            LibPqRuntime p;
            QLibrary library(QStringLiteral("pq"), 5);
            if (!library.load())
                return p;
            p.getCancel = reinterpret_cast<GetCancel>(library.resolve("PQgetCancel"));
            p.cancel = reinterpret_cast<Cancel>(library.resolve("PQcancel"));
            p.freeCancel = reinterpret_cast<FreeCancel>(library.resolve("PQfreeCancel"));
            p.transactionStatus = reinterpret_cast<TransactionStatus>(library.resolve("PQtransactionStatus"));
            if (!p.isValid())
                p = LibPqRuntime();
            return p; // never unloaded: QPSQL keeps using it
        }();
        return pq;
    }
};

} // namespace dbdeck

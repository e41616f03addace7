#pragma once

#include "config/dbconfig.h"

#include <QList>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QStringList>
#include <QVariant>

#include <functional>
#include <memory>

struct sqlite3;

namespace dbdeck {

class DbError;

// One PRAGMA as configured and as the connection reports it after applying it; on PostgreSQL,
// one server setting that matters to the application (configured is then empty).
struct PragmaReading
{
    PragmaReading() = default;
    PragmaReading(QString n, QString c, QString e) : name(std::move(n)), configured(std::move(c)), effective(std::move(e)) {}

    QString name;       // e.g. "journal_mode"
    QString configured; // e.g. "WAL"
    QString effective;  // e.g. "MEMORY" on :memory:
    // Not applied yet because it would change the file (journal_mode on a connection that only
    // looks); note then says when it will be ("switched to WAL on the first write").
    bool deferred = false;
    QString note;
    // A setting dbdeck does not configure (PostgreSQL's, shown for information) always matches.
    bool matches() const { return configured.isEmpty() || configured.compare(effective, Qt::CaseInsensitive) == 0; }
};

// Whether this database can be written to, and if not, why (for disabling write actions).
struct WriteAccess
{
    bool possible = true;
    QString reason; // e.g. "the file /x/app.db is read-only"
};

// What a connection reported when it was opened.
struct ConnectionInfo
{
    QString name;   // the QSqlDatabase connection name
    QString thread; // the thread that opened it
    bool readOnly = false; // opened only to look (see Database::Access::LookFirst)
    QList<PragmaReading> pragmas;
    QStringList warnings;
};

// The application's database. Each thread that asks gets its own QSqlDatabase connection, opened
// on first use with the configured PRAGMAs applied and read back; it is closed and removed when
// that thread ends or this object is destroyed. A connection must only be used by its thread.
class Database
{
public:
    // Write: every connection can write (commands that change the database).
    // LookFirst: looking never changes the database. A SQLite connection opens read-only (no
    // journal mode switch, nothing created) until its thread calls ensureWritable(); read-only
    // files, folders and mode=ro URLs can then be looked at. A PostgreSQL session starts with
    // default_transaction_read_only on, and ensureWritable() resets it on the same session.
    // :memory: is unaffected.
    enum class Access { Write, LookFirst };

    explicit Database(DbConfig config, Access access = Access::Write);
    ~Database();
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;

    // POOL_PRE_PING on PostgreSQL: a connection unused for this long is checked with SELECT 1
    // before it is handed out, and reopened once if the server dropped it.
    static constexpr int prePingIdleMs = 1000;

    const DbConfig &config() const { return m_config; }
    Backend backend() const { return m_config.backend(); }
    // The URL with any password as ***, for titles, logs and messages.
    QString displayName() const;

    // False for a SQLite file not created yet (reads use this to avoid creating it).
    bool exists() const;
    // Whether a table of that name exists (SQLite: sqlite_schema; PostgreSQL: current schema).
    bool hasTable(const QString &name);

    Access access() const { return m_access; }
    // Makes this thread's connection one that writes: in LookFirst mode a read-only connection is
    // closed and reopened for writing, with the PRAGMAs that change the file (journal_mode); a
    // PostgreSQL session is made writable in place (RESET default_transaction_read_only). Every
    // write path calls it before writing (Transaction in Write mode does); a no-op in Write mode.
    // Throws DbError when the database cannot be written (writeAccess()) or inside a transaction.
    void ensureWritable();
    // Whether this thread's next statement may write.
    bool isWritable() const;
    // True until some thread of this LookFirst database asked to write (the inspector's badge).
    bool isLookingOnly() const;
    // Whether writing is possible at all: a read-only file or folder, or a mode=ro/immutable URL,
    // is not. Only looks at the file system and the URL; PostgreSQL is assumed writable.
    WriteAccess writeAccess() const;

    // This thread's connection, opened and configured on first use. Throws DbError.
    QSqlDatabase connection();
    // Closes and removes this thread's connection (the next connection() opens a new one).
    void closeConnection();

    // Runs one statement on this thread's connection with positional (?) or named (:name)
    // parameters; logs it under dbdeck.sql when ECHO_SQL is on; throws a classified DbError.
    QSqlQuery exec(const QString &sql, const QVariantList &params = {});
    QSqlQuery exec(const QString &sql, const QVariantMap &named);
    // Executes an already prepared query with these values bound, same logging and errors.
    void execPrepared(QSqlQuery &query, const QVariantList &params);
    // Runs a statement and returns the first column of the first row (invalid if no row).
    QVariant scalar(const QString &sql, const QVariantList &params = {});

    // The native sqlite3 handle of this thread's connection (nullptr on PostgreSQL), for the
    // SQLite C API where Qt has no equivalent (interrupt, extended codes, fast paths).
    sqlite3 *sqliteHandle();

    // Reports of every connection opened so far, oldest first, and their warnings.
    QList<ConnectionInfo> connections() const;
    QStringList warnings() const;

    // Per-thread transaction nesting, used by Transaction to pick BEGIN or SAVEPOINT. Back at 0,
    // a lost transaction (below) is forgotten.
    int transactionDepth() const;
    void setTransactionDepth(int depth);

    // Why the transaction under this thread's Transaction scopes can no longer commit, or empty:
    // - SQLite rolls a transaction back by itself after INSERT OR ROLLBACK, RAISE(ROLLBACK),
    //   SQLITE_FULL or an I/O error (sqlite3_get_autocommit turns true). From then on every
    //   statement in the scope throws RolledBackError instead of running in autocommit, where
    //   each would be committed on its own.
    // - PostgreSQL fails a transaction in which a statement failed, and answers its COMMIT with
    //   a silent ROLLBACK; rolling back to a savepoint (an inner scope) recovers it.
    QString lostTransaction();
    // A scope rolled back to its SAVEPOINT: on PostgreSQL the transaction works again.
    void savepointRolledBack();

private:
    struct Private;
    QSqlDatabase open(const QString &name, bool readOnly);
    bool looksFirst() const;
    bool opensReadOnly() const;
    bool makePostgresSessionWritable(const QString &name);
    void removeEmptyWalFiles() const;
    void switchJournalMode(const std::function<QVariant(const QString &)> &run) const;
    void applySqlitePragmas(QSqlDatabase &db, ConnectionInfo &info, bool readOnly);
    void logStatement(const QString &sql, const QVariantList &params) const;
    // Inside a Transaction scope on SQLite: throws RolledBackError when the transaction is no
    // longer open, before a statement (failure null, ran false), after one that failed (failure)
    // or after one that succeeded (ran true: the statement itself ended the transaction).
    void requireOpenTransaction(const QSqlQuery &query, const QString &sql, const DbError *failure, bool ran);
    [[noreturn]] void raise(const QSqlQuery &query, const QString &sql);

    DbConfig m_config;
    Access m_access;
    std::unique_ptr<Private> d;
};

} // namespace dbdeck

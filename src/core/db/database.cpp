#include "db/database.h"

#include "config/libpqparameters.h"
#include "config/redactor.h"
#include "db/errorclassifier.h"
#include "db/errors.h"
#include "db/logging.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QMutex>
#include <QRegularExpression>
#include <QSet>
#include <QSqlDriver>
#include <QSqlError>
#include <QThread>
#include <QThreadStorage>

#include <atomic>

#include <sqlite3.h>

namespace dbdeck {

namespace {

std::atomic<quint64> g_nextId{1};

QMutex &registryMutex()
{
    static QMutex mutex;
    return mutex;
}

// Live Database objects by id, so a thread that ends after its Database is gone does nothing.
QHash<quint64, bool> &liveDatabases()
{
    static QHash<quint64, bool> live;
    return live;
}

void closeAndRemove(const QString &name)
{
    {
        QSqlDatabase db = QSqlDatabase::database(name, false);
        if (db.isValid())
            db.close();
    }
    QSqlDatabase::removeDatabase(name);
}

struct ThreadSlot
{
    QString connectionName;
    int depth = 0;
    QElapsedTimer lastUse;
    QString lostTransaction; // see Database::lostTransaction()
    bool readOnly = false;   // opened only to look (LookFirst)
};

// Each thread's connections, one per Database. Destroyed when the thread ends, closing them.
struct ThreadConnections
{
    QHash<quint64, ThreadSlot> byDatabase;
    QSet<quint64> writing; // LookFirst databases this thread asked to write to (ensureWritable)
    ~ThreadConnections()
    {
        QMutexLocker lock(&registryMutex());
        for (auto it = byDatabase.cbegin(); it != byDatabase.cend(); ++it) {
            if (liveDatabases().contains(it.key()) && QSqlDatabase::contains(it.value().connectionName))
                closeAndRemove(it.value().connectionName);
        }
    }
};

// QThreadStorage rather than thread_local: Qt deletes it while the thread finishes, before
// QThread::wait() returns, so a caller that waited for a thread sees its connection gone.
ThreadConnections &threadConnections()
{
    static QThreadStorage<ThreadConnections *> storage;
    if (!storage.hasLocalData())
        storage.setLocalData(new ThreadConnections);
    return *storage.localData();
}

QString threadLabel()
{
    const QThread *thread = QThread::currentThread();
    QString name = thread->objectName();
    if (name.isEmpty())
        name = QStringLiteral("thread");
    return QStringLiteral("%1@0x%2").arg(name, QString::number(quintptr(thread), 16));
}

sqlite3 *sqliteHandleOf(const QSqlDriver *driver)
{
    const QVariant handle = driver ? driver->handle() : QVariant();
    if (qstrcmp(handle.typeName(), "sqlite3*") != 0)
        return nullptr;
    return *static_cast<sqlite3 *const *>(handle.constData());
}

QString statementLine(const QString &sql)
{
    const QString line = sql.simplified();
    return line.size() > 120 ? line.left(117) + QStringLiteral("...") : line;
}

// A URI's own mode=rw or mode=rwc would make SQLite refuse the read-only flag ("less restrictive
// than the flags"): a connection that only looks asks for mode=ro instead.
QString lookingUri(const QString &uri)
{
    static const QRegularExpression mode(QStringLiteral("([?&])mode=rwc?(?=&|#|$)"));
    QString result = uri;
    return result.replace(mode, QStringLiteral("\\1mode=ro"));
}

QString synchronousName(int value)
{
    static const QStringList names{QStringLiteral("OFF"), QStringLiteral("NORMAL"), QStringLiteral("FULL"),
                                   QStringLiteral("EXTRA")};
    return value >= 0 && value < names.size() ? names.at(value) : QString::number(value);
}

} // namespace

struct Database::Private
{
    quint64 id = g_nextId++;
    mutable QMutex mutex;
    QList<ConnectionInfo> infos;
    QStringList connectionNames; // every open connection of this Database, any thread
    std::atomic<bool> askedToWrite{false};
};

Database::Database(DbConfig config, Access access)
    : m_config(std::move(config)), m_access(access), d(std::make_unique<Private>())
{
    QMutexLocker lock(&registryMutex());
    liveDatabases().insert(d->id, true);
}

Database::~Database()
{
    QMutexLocker lock(&registryMutex());
    liveDatabases().remove(d->id);
    threadConnections().byDatabase.remove(d->id);
    // Connections of threads still running are removed too; those threads must not use them
    // any more (they belong to this Database, which is going away).
    {
        QMutexLocker own(&d->mutex);
        for (const QString &name : std::as_const(d->connectionNames)) {
            if (QSqlDatabase::contains(name))
                closeAndRemove(name);
        }
    }
    if (backend() == Backend::Sqlite && isLookingOnly())
        removeEmptyWalFiles();
}

void Database::removeEmptyWalFiles() const
{
    // To read a WAL database SQLite creates -wal and -shm beside it, and only a connection that
    // may write removes them when it closes last. A -wal without frames has nothing to copy into
    // the file, so a brief writing connection that only reads leaves the file untouched and lets
    // SQLite itself remove them (it keeps them while any other connection has the database open).
    const QString path = m_config.url().sqliteFilePath();
    const QFileInfo wal(path + QStringLiteral("-wal"));
    if (!wal.exists() || wal.size() != 0 || !writeAccess().possible)
        return;
    sqlite3 *handle = nullptr;
    if (sqlite3_open_v2(QFile::encodeName(path).constData(), &handle, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK)
        sqlite3_exec(handle, "PRAGMA query_only = ON; SELECT count(*) FROM sqlite_schema;", nullptr, nullptr, nullptr);
    sqlite3_close(handle);
}

QString Database::displayName() const
{
    return m_config.url().redacted();
}

bool Database::exists() const
{
    const DbUrl &url = m_config.url();
    return url.backend() != Backend::Sqlite || url.isMemory() || QFileInfo::exists(url.sqliteFilePath());
}

bool Database::hasTable(const QString &name)
{
    if (!exists())
        return false;
    if (backend() == Backend::Sqlite)
        return scalar(QStringLiteral("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?"), {name}).toInt() == 1;
    return scalar(QStringLiteral("SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?"),
                  {name}).toInt() == 1;
}

QSqlDatabase Database::connection()
{
    auto it = threadConnections().byDatabase.find(d->id);
    if (it != threadConnections().byDatabase.end()) {
        bool alive = true;
        {
            QSqlDatabase db = QSqlDatabase::database(it->connectionName, false);
            alive = db.isValid() && db.isOpen();
            // A server can drop an idle connection (restart, idle timeout, pg_terminate_backend):
            // check before handing it out, never inside a transaction.
            if (alive && backend() == Backend::Postgres && m_config.poolPrePing() && it->depth == 0
                && it->lastUse.isValid() && it->lastUse.elapsed() > prePingIdleMs) {
                QSqlQuery ping(db);
                alive = ping.exec(QStringLiteral("SELECT 1"));
                if (!alive)
                    qCWarning(lcDb).noquote() << "pre-ping failed, reconnecting:" << DbUrl::redactText(ping.lastError().text());
            }
            if (alive) {
                it->lastUse.restart();
                return db;
            }
        }
        closeConnection();
    }
    const QString name = QStringLiteral("dbdeck-%1-%2").arg(d->id).arg(quintptr(QThread::currentThread()), 0, 16);
    const bool readOnly = opensReadOnly();
    QSqlDatabase db = open(name, readOnly);
    ThreadSlot slot{name, 0, {}, {}, readOnly};
    slot.lastUse.start();
    threadConnections().byDatabase.insert(d->id, slot);
    QMutexLocker lock(&d->mutex);
    if (!d->connectionNames.contains(name))
        d->connectionNames.append(name);
    return db;
}

void Database::closeConnection()
{
    const auto it = threadConnections().byDatabase.find(d->id);
    if (it == threadConnections().byDatabase.end())
        return;
    const QString name = it->connectionName;
    threadConnections().byDatabase.erase(it);
    QMutexLocker lock(&d->mutex);
    d->connectionNames.removeAll(name);
    closeAndRemove(name);
}

bool Database::looksFirst() const
{
    // A SQLite file opens read-only, a PostgreSQL session starts read-only; :memory: always writes.
    return m_access == Access::LookFirst && (backend() == Backend::Postgres || !m_config.url().isMemory());
}

bool Database::opensReadOnly() const
{
    return looksFirst() && !threadConnections().writing.contains(d->id);
}

bool Database::isWritable() const
{
    const auto it = threadConnections().byDatabase.constFind(d->id);
    if (it != threadConnections().byDatabase.cend())
        return !it->readOnly;
    return !opensReadOnly();
}

bool Database::isLookingOnly() const
{
    return looksFirst() && !d->askedToWrite.load();
}

WriteAccess Database::writeAccess() const
{
    const DbUrl &url = m_config.url();
    if (url.backend() != Backend::Sqlite || url.isMemory())
        return {};
    const QString path = url.sqliteFilePath();
    if (url.sqliteReadOnlyByUrl())
        return {false, QStringLiteral("the URL opens %1 read-only (mode=ro or immutable=1)").arg(path)};
    const QFileInfo file(path);
    if (file.exists() && !file.isWritable())
        return {false, QStringLiteral("the file %1 is read-only (check its permissions)").arg(path)};
    // SQLite writes its journal (-journal, -wal) beside the file, so the folder must be writable;
    // a folder that does not exist yet is created on the first write.
    QFileInfo folder(file.absolutePath());
    while (!folder.exists() && !folder.isRoot() && folder.absoluteFilePath() != folder.absolutePath())
        folder = QFileInfo(folder.absolutePath());
    if (folder.exists() && !folder.isWritable())
        return {false, QStringLiteral("the folder %1 is read-only, and SQLite writes its journal there").arg(folder.absoluteFilePath())};
    return {};
}

void Database::ensureWritable()
{
    if (!looksFirst())
        return;
    ThreadConnections &mine = threadConnections();
    const auto it = mine.byDatabase.find(d->id);
    if (mine.writing.contains(d->id) && (it == mine.byDatabase.end() || !it->readOnly))
        return;
    if (it != mine.byDatabase.end() && it->depth > 0)
        throw DbError(QStringLiteral("cannot start writing to %1 inside a transaction that was begun to read")
                          .arg(displayName()));
    const WriteAccess access = writeAccess();
    if (!access.possible)
        throw DbError(QStringLiteral("cannot write to the database: %1").arg(access.reason));
    mine.writing.insert(d->id);
    d->askedToWrite = true;
    qCDebug(lcDb).noquote() << "switching to a writing connection for" << displayName();
    if (backend() == Backend::Postgres && it != mine.byDatabase.end() && makePostgresSessionWritable(it->connectionName)) {
        it->readOnly = false;
        return;
    }
    closeConnection(); // the next connection() opens one that writes
}

bool Database::makePostgresSessionWritable(const QString &name)
{
    // The same session keeps what it holds (the migration lock is a session's advisory lock).
    // RESET, not SET ... off: the URL's options, the role's or the server's own read-only
    // default still apply, and the server's refusal then says so.
    QSqlDatabase db = QSqlDatabase::database(name, false);
    if (!db.isOpen())
        return false;
    QSqlQuery query(db);
    logStatement(QStringLiteral("RESET default_transaction_read_only"), {});
    if (!query.exec(QStringLiteral("RESET default_transaction_read_only"))) {
        qCWarning(lcDb).noquote() << "cannot make the session writable, reconnecting:" << DbUrl::redactText(query.lastError().text());
        return false;
    }
    const QString now = query.exec(QStringLiteral("SHOW default_transaction_read_only")) && query.next() ? query.value(0).toString() : QString();
    QMutexLocker lock(&d->mutex);
    for (ConnectionInfo &info : d->infos) {
        if (info.name != name)
            continue;
        info.readOnly = false;
        for (PragmaReading &setting : info.pragmas) {
            if (setting.name == QLatin1String("default_transaction_read_only"))
                setting.effective = now;
        }
    }
    return true;
}

QSqlDatabase Database::open(const QString &name, bool readOnly)
{
    ConnectionInfo info;
    info.name = name;
    info.thread = threadLabel();
    info.readOnly = readOnly;
    const DbUrl &url = m_config.url();

    QSqlDatabase db;
    auto failOpen = [&](const QString &message, const QString &code = {}) {
        db = QSqlDatabase(); // no copy may be alive when the connection is removed
        closeAndRemove(name);
        throw DbError(message, code);
    };

    if (url.backend() == Backend::Sqlite) {
        const QString path = url.sqliteFilePath();
        if (readOnly && !QFileInfo::exists(path))
            throw NotFoundError(QStringLiteral("the database %1 does not exist yet: dbdeck creates it on the first write "
                                               "(for instance dbdeck-cli upgrade)").arg(path));
        if (!url.isMemory()) {
            const QFileInfo file(path);
            if (file.isDir())
                throw DbError(QStringLiteral("cannot open the database %1: it is a folder, not a file").arg(path));
            const QFileInfo folder(file.absolutePath());
            if (folder.exists() && !folder.isDir())
                throw DbError(QStringLiteral("cannot create the database %1: %2 is a file, not a folder")
                                  .arg(path, folder.absoluteFilePath()));
            // A URI-mode URL is opened as SQLite (and pysqlite) open it: no folder is made for it.
            if (!readOnly && !url.sqliteUri() && !folder.exists() && !QDir().mkpath(folder.absoluteFilePath()))
                throw DbError(QStringLiteral("cannot create the folder %1 for the database %2")
                                  .arg(folder.absoluteFilePath(), path));
        }
        if (!readOnly && !url.sqliteReadOnlyByUrl()) {
            // Fail before creating anything when the first write could not work anyway.
            const WriteAccess access = writeAccess();
            if (!access.possible)
                throw DbError(QStringLiteral("cannot write to the database: %1; dbdeck needs to write to it for this, "
                                             "while commands that only look work on it").arg(access.reason));
        }
        db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        // What pysqlite is handed: the absolute file name, or SQLAlchemy's URI with SQLITE_OPEN_URI.
        db.setDatabaseName(readOnly && url.sqliteUri() ? lookingUri(url.sqliteOpenName()) : url.sqliteOpenName());
        QString options = QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(m_config.busyTimeoutMs());
        if (url.sqliteUri())
            options += QStringLiteral(";QSQLITE_OPEN_URI");
        if (readOnly)
            options += QStringLiteral(";QSQLITE_OPEN_READONLY");
        db.setConnectOptions(options);
        if (!db.open())
            failOpen(QStringLiteral("cannot open the SQLite database %1: %2").arg(path, db.lastError().text()),
                     db.lastError().nativeErrorCode());
        auto *handle = *static_cast<sqlite3 *const *>(db.driver()->handle().constData());
        if (!readOnly && !url.isMemory() && sqlite3_db_readonly(handle, "main") == 1)
            failOpen(url.sqliteReadOnlyByUrl()
                         ? QStringLiteral("the database %1 is read-only: the URL opens it so (mode=ro or immutable=1) "
                                          "and dbdeck needs to write to it").arg(path)
                         : QStringLiteral("the database %1 is read-only: dbdeck needs to write to it (check the "
                                          "permissions of the file and its folder)").arg(path));
        try {
            applySqlitePragmas(db, info, readOnly);
        } catch (const DbError &) {
            db = QSqlDatabase();
            closeAndRemove(name);
            throw;
        }
        if (url.isMemory())
            info.warnings << QStringLiteral("sqlite:///:memory: gives every connection its own empty database: "
                                            "nothing is shared between threads or kept after closing");
    } else {
        db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), name);
        // Every libpq key word the application's driver would get (host lists, options=-c...,
        // sslmode, ...) goes into the conninfo; host, user and so on are not set separately.
        QList<QPair<QString, QString>> parameters = url.libpqParameters();
        // fallback_application_name: so that pg_stat_activity says who we are, unless the URL
        // or PGAPPNAME names it.
        parameters.append({QStringLiteral("fallback_application_name"), QStringLiteral("dbdeck")});
        db.setConnectOptions(LibpqParameters::connectOptions(parameters));
        if (!db.open()) {
            QString why = Redactor::scrub(db.lastError().text());
            if (!url.password().isEmpty()) // short passwords are not among the remembered secrets
                why.replace(url.password(), QStringLiteral("***"));
            failOpen(QStringLiteral("cannot connect to PostgreSQL at %1 as %2: %3")
                         .arg(LibpqParameters::describeTarget(url.libpqParameters()),
                              url.userName().isEmpty() ? QStringLiteral("the default user") : url.userName(), why.trimmed()),
                     db.lastError().nativeErrorCode());
        }
        if (readOnly) {
            // Looking never changes a database: every transaction of this session is read-only
            // until ensureWritable(). A SET rather than a connection option, so that RESET goes
            // back to the default of the URL, the role and the server.
            QSqlError failed;
            {
                QSqlQuery q(db);
                logStatement(QStringLiteral("SET default_transaction_read_only = on"), {});
                if (!q.exec(QStringLiteral("SET default_transaction_read_only = on")))
                    failed = q.lastError();
            }
            if (failed.isValid())
                failOpen(QStringLiteral("cannot make the PostgreSQL session read-only for looking: %1")
                             .arg(ErrorClassifier::postgresRefusal(failed, QString())),
                         failed.nativeErrorCode());
        }
    }

    if (url.backend() == Backend::Postgres) {
        // The server settings that matter to the application, where SQLite has its PRAGMAs.
        QSqlQuery q(db);
        for (const QString &setting : {QStringLiteral("server_version"), QStringLiteral("default_transaction_isolation"),
                                       QStringLiteral("synchronous_commit"), QStringLiteral("statement_timeout"),
                                       QStringLiteral("idle_in_transaction_session_timeout"), QStringLiteral("max_connections"),
                                       QStringLiteral("TimeZone"), QStringLiteral("default_transaction_read_only")}) {
            if (q.exec(QStringLiteral("SHOW ") + setting) && q.next())
                info.pragmas.append({setting, QString(), q.value(0).toString()});
        }
    }
    qCDebug(lcDb).noquote() << "opened" << name << "on" << info.thread << "for" << displayName();
    for (const QString &warning : std::as_const(info.warnings))
        qCWarning(lcDb).noquote() << warning;
    QMutexLocker lock(&d->mutex);
    d->infos.append(info);
    return db;
}

void Database::switchJournalMode(const std::function<QVariant(const QString &)> &run) const
{
    // Switching the journal mode reads the file and then needs it exclusively. Two connections
    // doing so at once (two processes opening a new database) can each hold what the other
    // waits for, and SQLite then answers SQLITE_BUSY at once instead of calling the busy handler:
    // wait and try again, within the busy timeout.
    QElapsedTimer timer;
    timer.start();
    for (int pauseMs = 5;; pauseMs = qMin(pauseMs * 2, 100)) {
        try {
            run(QStringLiteral("PRAGMA journal_mode = %1").arg(m_config.journalMode()));
            return;
        } catch (const BusyError &) {
            if (timer.elapsed() + pauseMs > m_config.busyTimeoutMs())
                throw;
        }
        QThread::msleep(pauseMs);
    }
}

void Database::applySqlitePragmas(QSqlDatabase &db, ConnectionInfo &info, bool readOnly)
{
    auto run = [&](const QString &sql) -> QVariant {
        QSqlQuery query(db);
        logStatement(sql, {});
        if (!query.exec(sql))
            ErrorClassifier::raise(query.lastError(), db, {sql, &query, m_config.busyTimeoutMs()});
        return query.next() ? query.value(0) : QVariant();
    };
    // busy_timeout first, so that setting journal_mode waits for a lock instead of failing.
    run(QStringLiteral("PRAGMA busy_timeout = %1").arg(m_config.busyTimeoutMs()));
    info.pragmas.append({QStringLiteral("busy_timeout"), QString::number(m_config.busyTimeoutMs()),
                         run(QStringLiteral("PRAGMA busy_timeout")).toString()});
    // WAL is kept in the file's header (bytes 18-19): switching into or out of it rewrites the
    // file, so a connection that only looks leaves that switch to the first write. The rollback
    // modes (DELETE, TRUNCATE, ...) are the connection's own and are set as usual.
    const auto isWal = [](const QString &mode) { return mode.compare(QLatin1String("WAL"), Qt::CaseInsensitive) == 0; };
    if (!readOnly || (!isWal(m_config.journalMode()) && !isWal(run(QStringLiteral("PRAGMA journal_mode")).toString())))
        switchJournalMode(run);
    PragmaReading journal{QStringLiteral("journal_mode"), m_config.journalMode(),
                          run(QStringLiteral("PRAGMA journal_mode")).toString().toUpper()};
    if (readOnly && !journal.matches()) {
        journal.deferred = true;
        journal.note = QStringLiteral("switched to %1 on the first write").arg(m_config.journalMode().toUpper());
    }
    info.pragmas.append(journal);
    run(QStringLiteral("PRAGMA synchronous = %1").arg(m_config.synchronous()));
    info.pragmas.append({QStringLiteral("synchronous"), m_config.synchronous(),
                         synchronousName(run(QStringLiteral("PRAGMA synchronous")).toInt())});
    const QString fk = m_config.foreignKeys() ? QStringLiteral("ON") : QStringLiteral("OFF");
    run(QStringLiteral("PRAGMA foreign_keys = %1").arg(fk));
    info.pragmas.append({QStringLiteral("foreign_keys"), fk,
                         run(QStringLiteral("PRAGMA foreign_keys")).toInt() ? QStringLiteral("ON") : QStringLiteral("OFF")});
    for (const PragmaReading &pragma : std::as_const(info.pragmas)) {
        if (!pragma.matches() && !pragma.deferred)
            info.warnings << QStringLiteral("PRAGMA %1 is %2, not the configured %3")
                                 .arg(pragma.name, pragma.effective, pragma.configured);
    }
}

void Database::logStatement(const QString &sql, const QVariantList &params) const
{
    if (!m_config.echoSql())
        return;
    if (params.isEmpty()) {
        qCInfo(lcSql).noquote() << sql;
        return;
    }
    QStringList shown;
    for (const QVariant &p : params)
        shown << (p.isNull() ? QStringLiteral("NULL") : p.toString().left(200));
    qCInfo(lcSql).noquote() << sql << "-- params:" << shown.join(QStringLiteral(", "));
}

QSqlQuery Database::exec(const QString &sql, const QVariantList &params)
{
    QSqlQuery query(connection());
    query.setForwardOnly(true);
    if (params.isEmpty()) {
        requireOpenTransaction(query, sql, nullptr, false);
        logStatement(sql, params);
        if (!query.exec(sql))
            raise(query, sql);
        requireOpenTransaction(query, sql, nullptr, true);
        return query;
    }
    if (!query.prepare(sql))
        raise(query, sql);
    execPrepared(query, params);
    return query;
}

QSqlQuery Database::exec(const QString &sql, const QVariantMap &named)
{
    QSqlQuery query(connection());
    query.setForwardOnly(true);
    if (!query.prepare(sql))
        raise(query, sql);
    QVariantList shown;
    for (auto it = named.cbegin(); it != named.cend(); ++it) {
        query.bindValue(it.key().startsWith(QLatin1Char(':')) ? it.key() : QLatin1Char(':') + it.key(), it.value());
        shown << it.value();
    }
    requireOpenTransaction(query, sql, nullptr, false);
    logStatement(sql, shown);
    if (!query.exec())
        raise(query, sql);
    requireOpenTransaction(query, sql, nullptr, true);
    return query;
}

void Database::execPrepared(QSqlQuery &query, const QVariantList &params)
{
    for (int i = 0; i < params.size(); ++i)
        query.bindValue(i, params.at(i));
    requireOpenTransaction(query, query.lastQuery(), nullptr, false);
    logStatement(query.lastQuery(), params);
    if (!query.exec())
        raise(query, query.lastQuery());
    requireOpenTransaction(query, query.lastQuery(), nullptr, true);
}

void Database::raise(const QSqlQuery &query, const QString &sql)
{
    try {
        ErrorClassifier::raise(query.lastError(), connection(), {sql, &query, m_config.busyTimeoutMs()});
    } catch (const DbError &error) {
        const auto it = threadConnections().byDatabase.find(d->id);
        if (it != threadConnections().byDatabase.end() && it->depth > 0 && backend() == Backend::Postgres
            && it->lostTransaction.isEmpty())
            it->lostTransaction = QStringLiteral("a statement failed in it (%1), and PostgreSQL ends such a transaction "
                                                 "with a ROLLBACK").arg(error.message());
        requireOpenTransaction(query, sql, &error, true);
        if (backend() == Backend::Postgres && error.nativeCode() == QLatin1String("25006") && it != threadConnections().byDatabase.end()
            && it->readOnly)
            throw DbError(QStringLiteral("dbdeck was only looking at %1, so its session is read-only (looking never changes a "
                                         "database), and the server refused a statement that writes: %2")
                              .arg(displayName(), ErrorClassifier::postgresRefusal(query.lastError(), sql)),
                          error.nativeCode());
        throw;
    }
}

void Database::requireOpenTransaction(const QSqlQuery &query, const QString &sql, const DbError *failure, bool ran)
{
    if (backend() != Backend::Sqlite)
        return;
    const auto it = threadConnections().byDatabase.find(d->id);
    if (it == threadConnections().byDatabase.end() || it->depth == 0)
        return;
    if (!it->lostTransaction.isEmpty())
        throw RolledBackError(QStringLiteral("%1; this statement did not run: %2").arg(it->lostTransaction, statementLine(sql)));
    sqlite3 *handle = sqliteHandleOf(query.driver());
    if (!handle || !sqlite3_get_autocommit(handle))
        return;
    QString message;
    if (failure) {
        it->lostTransaction = QStringLiteral("SQLite rolled back the whole transaction after an error (%1)").arg(failure->message());
        message = it->lostTransaction + QStringLiteral(": nothing the transaction wrote is kept, and nothing more runs in it");
    } else if (ran) {
        it->lostTransaction = QStringLiteral("the statement \"%1\" ended the transaction that its scope had begun (only a "
                                             "Transaction scope may commit or roll back)").arg(statementLine(sql));
        message = it->lostTransaction + QStringLiteral("; nothing more runs in it");
    } else {
        it->lostTransaction = QStringLiteral("SQLite had already rolled the transaction back after an earlier error");
        message = it->lostTransaction + QStringLiteral("; this statement did not run: ") + statementLine(sql);
    }
    throw RolledBackError(message, failure ? failure->nativeCode() : QString());
}

QString Database::lostTransaction()
{
    const auto it = threadConnections().byDatabase.find(d->id);
    if (it == threadConnections().byDatabase.end() || it->depth == 0)
        return {};
    if (it->lostTransaction.isEmpty() && backend() == Backend::Sqlite) {
        // A statement run on the handle directly (the C API) may have failed and rolled back.
        sqlite3 *handle = sqliteHandleOf(QSqlDatabase::database(it->connectionName, false).driver());
        if (handle && sqlite3_get_autocommit(handle))
            it->lostTransaction = QStringLiteral("SQLite had already rolled the transaction back after an error");
    }
    return it->lostTransaction;
}

void Database::savepointRolledBack()
{
    const auto it = threadConnections().byDatabase.find(d->id);
    if (it != threadConnections().byDatabase.end() && backend() == Backend::Postgres)
        it->lostTransaction.clear();
}

QVariant Database::scalar(const QString &sql, const QVariantList &params)
{
    QSqlQuery query = exec(sql, params);
    return query.next() ? query.value(0) : QVariant();
}

sqlite3 *Database::sqliteHandle()
{
    if (backend() != Backend::Sqlite)
        return nullptr;
    const QVariant handle = connection().driver()->handle();
    return *static_cast<sqlite3 *const *>(handle.constData());
}

QList<ConnectionInfo> Database::connections() const
{
    QMutexLocker lock(&d->mutex);
    return d->infos;
}

QStringList Database::warnings() const
{
    QStringList all;
    for (const ConnectionInfo &info : connections()) {
        for (const QString &warning : info.warnings) {
            if (!all.contains(warning))
                all << warning;
        }
    }
    return all;
}

int Database::transactionDepth() const
{
    return threadConnections().byDatabase.value(d->id).depth;
}

void Database::setTransactionDepth(int depth)
{
    const auto it = threadConnections().byDatabase.find(d->id);
    if (it != threadConnections().byDatabase.end()) {
        it->depth = depth;
        if (depth == 0)
            it->lostTransaction.clear();
    }
}

} // namespace dbdeck

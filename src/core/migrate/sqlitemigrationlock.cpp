#include "migrate/sqlitemigrationlock.h"

#include "db/database.h"
#include "db/errors.h"
#include "db/transaction.h"
#include "db/utctime.h"
#include "migrate/migrationlogging.h"
#include "migrate/migrationtables.h"

#include <QDateTime>
#include <QScopeGuard>
#include <QSqlRecord>
#include <QSysInfo>

#include <csignal>

#include <unistd.h>

namespace dbdeck {

namespace {

enum OsLock { Legacy = 0, KernelLock = 1, HeartbeatOnly = 2 };

struct LockRow
{
    LockHolder holder;
    int osLock = Legacy;
};

std::optional<LockRow> readRow(Database &db)
{
    if (!db.exists() || !db.hasTable(MigrationTables::lock()))
        return std::nullopt;
    QSqlQuery q = db.exec(QStringLiteral("SELECT * FROM dbdeck_migration_lock WHERE id = 1"));
    if (!q.next())
        return std::nullopt;
    const QSqlRecord r = q.record();
    LockRow row;
    row.holder = {q.value(r.indexOf(QStringLiteral("host"))).toString(), q.value(r.indexOf(QStringLiteral("pid"))).toLongLong(),
                  q.value(r.indexOf(QStringLiteral("acquired_at"))).toString(),
                  q.value(r.indexOf(QStringLiteral("heartbeat_at"))).toString(), QString()};
    const int osLock = r.indexOf(QStringLiteral("os_lock")); // absent in the first release's table
    row.osLock = osLock >= 0 ? q.value(osLock).toInt() : Legacy;
    return row;
}

QDateTime parseUtc(const QString &text)
{
    QDateTime t = QDateTime::fromString(text.left(19), QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    t.setTimeSpec(Qt::UTC); // QTimeZone::UTC is Qt 6.5+
    return t;
}

QString utcText(qint64 msecs)
{
    return QDateTime::fromMSecsSinceEpoch(msecs, Qt::UTC).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz000"));
}

// The last sign of life of a row's holder: the row's own heartbeat, or for a heartbeat-only
// holder the lock file that its thread touches (also while a long statement blocks the database).
QDateTime lastSignOfLife(const LockRow &row, const QString &databasePath)
{
    QDateTime beat = parseUtc(row.holder.heartbeat);
    if (row.osLock == HeartbeatOnly) {
        if (const auto file = LockFile::heartbeatMsecsSinceEpoch(databasePath)) {
            const QDateTime touched = QDateTime::fromMSecsSinceEpoch(*file, Qt::UTC);
            if (!beat.isValid() || touched > beat)
                beat = touched;
        }
    }
    return beat;
}

// For a holder the kernel cannot vouch for. A fresh heartbeat means alive; so does, for a row of a
// dbdeck build that knew no lock file, a PID that exists on this host (such builds refresh their
// heartbeat only between migrations). A PID that does not exist proves nothing (another PID
// namespace), so only a heartbeat older than staleAfterSeconds lets such a lock go.
bool holderLooksAlive(const LockRow &row, const QString &databasePath)
{
    const QDateTime beat = lastSignOfLife(row, databasePath);
    if (beat.isValid() && beat.secsTo(QDateTime::currentDateTimeUtc()) <= MigrationLock::staleAfterSeconds)
        return true;
    return row.osLock == Legacy && row.holder.host == QSysInfo::machineHostName() && row.holder.pid > 0
        && kill(pid_t(row.holder.pid), 0) == 0;
}

} // namespace

SqliteMigrationLock::SqliteMigrationLock(Database &db)
    : m_db(db), m_host(QSysInfo::machineHostName()), m_pid(qint64(getpid()))
{
}

SqliteMigrationLock::~SqliteMigrationLock() = default;

std::optional<LockHolder> SqliteMigrationLock::holder(Database &db)
{
    const std::optional<LockRow> row = readRow(db);
    const DbUrl &url = db.config().url();
    if (url.isMemory())
        return row ? std::optional<LockHolder>(row->holder) : std::nullopt;
    const QString path = url.sqliteFilePath();
    switch (LockFile::probe(path)) {
    case LockFile::Probe::Held: {
        LockHolder h;
        if (row && row->osLock == KernelLock)
            h = row->holder;
        else
            h.description = QStringLiteral("a dbdeck process that is preparing to migrate");
        if (const auto beat = LockFile::heartbeatMsecsSinceEpoch(path))
            h.heartbeat = utcText(*beat);
        return h;
    }
    case LockFile::Probe::Free:
    case LockFile::Probe::NoFile:
        if (!row || row->osLock == KernelLock)
            return std::nullopt; // a row left by a holder that died: the kernel freed its lock
        if (row->osLock == HeartbeatOnly && !holderLooksAlive(*row, path))
            return std::nullopt;
        return row->holder;
    case LockFile::Probe::Unknown:
        break;
    }
    return row ? std::optional<LockHolder>(row->holder) : std::nullopt;
}

bool SqliteMigrationLock::tryAcquire(LockWait *wait)
{
    const DbUrl &url = m_db.config().url();
    if (url.isMemory()) {
        // Every connection has its own database: there is nobody to exclude.
        MigrationTables::ensure(m_db);
        return true;
    }
    m_db.connection(); // creates the database file (and its folder) first, as migrating will
    const QString path = url.sqliteFilePath();
    if (!m_file)
        m_file = std::make_unique<LockFile>(path);
    const LockFile::Attempt attempt = m_file->tryLock();
    if (attempt == LockFile::Attempt::HeldElsewhere) {
        try {
            wait->holder = holder(m_db);
        } catch (const BusyError &) {
        }
        if (!wait->holder)
            wait->holder = LockHolder{{}, 0, {}, {}, QStringLiteral("a dbdeck process that is preparing to migrate")};
        return false;
    }
    const bool heartbeatOnly = attempt == LockFile::Attempt::Unsupported;
    if (heartbeatOnly && !m_warnedUnsupported) {
        m_warnedUnsupported = true;
        qCWarning(lcMigrate).noquote() << "the file system cannot lock" << LockFile::pathFor(path) << "(" << m_file->errorText()
                                       << "): the migration lock relies on a heartbeat instead; a holder that dies is "
                                          "taken over after" << MigrationLock::staleAfterSeconds << "s";
    }
    try {
        MigrationTables::ensure(m_db);
        const bool taken = withTransaction(m_db, Transaction::Mode::Write, [&] {
            const std::optional<LockRow> row = readRow(m_db);
            // Holding the kernel's lock, a KernelLock row is a dead holder's; other rows are
            // trusted while they show signs of life.
            if (row && (heartbeatOnly || row->osLock != KernelLock) && holderLooksAlive(*row, path)) {
                wait->holder = row->holder;
                return false;
            }
            if (row) {
                takeoverNote = QStringLiteral("took over a stale migration lock (%1%2)")
                                   .arg(row->holder.toString(),
                                        row->osLock == KernelLock ? QStringLiteral("; its process had ended without releasing it")
                                                                  : QStringLiteral("; no sign of life for over %1 s").arg(MigrationLock::staleAfterSeconds));
                qCWarning(lcMigrate).noquote() << takeoverNote;
            }
            const QString now = utcNowForDb();
            m_db.exec(QStringLiteral("DELETE FROM dbdeck_migration_lock WHERE id = 1"));
            m_db.exec(QStringLiteral("INSERT INTO dbdeck_migration_lock (id, host, pid, acquired_at, heartbeat_at, os_lock) "
                                     "VALUES (1, ?, ?, ?, ?, ?)"),
                      {m_host, m_pid, now, now, heartbeatOnly ? HeartbeatOnly : KernelLock});
            return true;
        });
        if (!taken) {
            m_file->unlock();
            return false;
        }
    } catch (const BusyError &) {
        m_file->unlock();
        // An older dbdeck migrating holds the database's write lock but not the file's.
        try {
            if (const auto row = readRow(m_db); row && row->osLock == Legacy && holderLooksAlive(*row, path)) {
                wait->holder = row->holder;
                return false;
            }
        } catch (const DbError &) {
        }
        throw;
    } catch (...) {
        m_file->unlock();
        throw;
    }
    m_rowWritten = true;
    m_sinceBeat.start();
    m_file->startHeartbeat();
    return true;
}

void SqliteMigrationLock::touch()
{
    // The row's heartbeat matters to dbdeck builds that know no lock file; every few seconds is
    // plenty and keeps quick migrations quick.
    if (m_rowWritten && (!m_sinceBeat.isValid() || m_sinceBeat.elapsed() > 5000)) {
        m_sinceBeat.start();
        m_db.exec(QStringLiteral("UPDATE dbdeck_migration_lock SET heartbeat_at = ? WHERE id = 1 AND host = ? AND pid = ?"),
                  {utcNowForDb(), m_host, m_pid});
    }
}

void SqliteMigrationLock::release()
{
    const auto unlock = qScopeGuard([this] {
        if (m_file)
            m_file->unlock();
    });
    if (!m_rowWritten)
        return;
    m_rowWritten = false;
    // A row left behind (the database busy, a reset that dropped the table) is harmless: with the
    // file's lock free, readers know it for a leftover.
    if (m_db.hasTable(MigrationTables::lock()))
        withTransaction(m_db, Transaction::Mode::Write, [&] {
            m_db.exec(QStringLiteral("DELETE FROM dbdeck_migration_lock WHERE id = 1 AND host = ? AND pid = ?"), {m_host, m_pid});
        });
}

} // namespace dbdeck

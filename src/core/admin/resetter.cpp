#include "admin/resetter.h"

#include "admin/tablecounter.h"
#include "db/database.h"
#include "db/errors.h"
#include "db/transaction.h"
#include "db/utctime.h"
#include "migrate/migrationjournal.h"
#include "migrate/migrationlock.h"
#include "migrate/migrationtables.h"
#include "migrate/migrator.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>

namespace dbdeck {

Resetter::Resetter(Database &db) : m_db(db) {}

QString Resetter::databaseName() const
{
    return QFileInfo(m_db.config().url().sqliteFilePath()).completeBaseName();
}

QString Resetter::refusal()
{
    if (qEnvironmentVariable("DBDECK_ALLOW_RESET") != QLatin1String("1"))
        return QStringLiteral("reset is disabled: set DBDECK_ALLOW_RESET=1 to allow it (development databases only)");
    if (m_db.backend() != Backend::Sqlite)
        return QStringLiteral("reset is only available for SQLite files here");
    if (m_db.config().url().isMemory())
        return QStringLiteral("an in-memory database has nothing to reset");
    if (m_db.exists() && MigrationTables::exist(m_db)) {
        const QString tag = m_db.scalar(QStringLiteral("SELECT value FROM dbdeck_metadata WHERE key = 'app_env'")).toString();
        if (tag == QLatin1String("production"))
            return QStringLiteral("this database is tagged production: it is never reset");
    }
    return {};
}

Resetter::Result Resetter::reset(const QString &confirmName, const MigrationSet *migrations, int lockTimeoutMs)
{
    const QString refused = refusal();
    if (!refused.isEmpty())
        throw DbError(refused);
    if (confirmName != databaseName())
        throw DbError(QStringLiteral("the name typed (\"%1\") is not the database's name (\"%2\"); nothing was reset")
                          .arg(confirmName, databaseName()));
    const QString started = utcNowForDb();
    MigrationTables::ensure(m_db);
    Result result;
    {
        MigrationLock lock(m_db);
        lock.acquire(lockTimeoutMs);
        // The backup first: VACUUM INTO writes a consistent copy even while others read.
        const QString file = m_db.config().url().sqliteFilePath();
        const QString folder = QFileInfo(file).absolutePath() + QStringLiteral("/backups");
        if (!QDir().mkpath(folder))
            throw DbError(QStringLiteral("cannot create the backup folder %1; nothing was reset").arg(folder));
        result.backupPath = QStringLiteral("%1/%2-%3.db").arg(folder, databaseName(),
                                                              QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z'")));
        if (QFileInfo::exists(result.backupPath))
            throw DbError(QStringLiteral("the backup %1 already exists; wait a second and try again").arg(result.backupPath));
        m_db.exec(QStringLiteral("VACUUM INTO ?"), {result.backupPath});

        // Foreign keys off (outside the transaction, where it takes effect) so drop order does
        // not matter; the connection is reopened afterwards with the configured PRAGMAs.
        m_db.exec(QStringLiteral("PRAGMA foreign_keys = OFF"));
        try {
            withTransaction(m_db, Transaction::Mode::Write, [&] {
                QSqlQuery q = m_db.exec(QStringLiteral("SELECT type, name FROM sqlite_schema WHERE type IN ('view', 'trigger', 'table')"
                                                       " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY type DESC"));
                QList<QPair<QString, QString>> objects;
                while (q.next())
                    objects.append({q.value(0).toString(), q.value(1).toString()});
                q.finish();
                for (const auto &[type, name] : objects) {
                    m_db.exec(QStringLiteral("DROP %1 IF EXISTS %2").arg(type.toUpper(), TableCounter::quoteIdentifier(name)));
                    if (type == QLatin1String("table"))
                        ++result.droppedTables;
                }
            });
        } catch (...) {
            m_db.closeConnection();
            throw;
        }
        m_db.closeConnection();
        MigrationTables::ensure(m_db); // the lock's own row went with its table; release finds none
    }
    JournalEntry entry;
    entry.operation = QStringLiteral("reset");
    entry.outcome = QStringLiteral("succeeded");
    entry.startedAt = started;
    entry.toVersion = 0;
    entry.detail = QStringLiteral("dropped %1 tables; backup %2").arg(result.droppedTables).arg(result.backupPath);
    MigrationJournal::record(m_db, entry);
    if (migrations) {
        Migrator migrator(m_db, *migrations);
        result.migrationsApplied = int(migrator.upgrade({}).done.size());
    }
    return result;
}

} // namespace dbdeck

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
#include <QProcess>
#include <QStandardPaths>

namespace dbdeck {

Resetter::Resetter(Database &db) : m_db(db) {}

QString Resetter::databaseName() const
{
    if (m_db.backend() == Backend::Postgres)
        return m_db.config().url().database();
    return QFileInfo(m_db.config().url().sqliteFilePath()).completeBaseName();
}

QString Resetter::backupPostgres()
{
    const QString pgDump = QStandardPaths::findExecutable(QStringLiteral("pg_dump"));
    if (pgDump.isEmpty())
        throw DbError(QStringLiteral("pg_dump is not installed, so no backup can be taken; install it (package "
                                     "postgresql-client) or reset with --no-backup; nothing was reset"));
    const DbUrl &url = m_db.config().url();
    const QString folder = QDir::current().absoluteFilePath(QStringLiteral("data/backups"));
    if (!QDir().mkpath(folder))
        throw DbError(QStringLiteral("cannot create the backup folder %1; nothing was reset").arg(folder));
    const QString path = QStringLiteral("%1/%2-%3.sql").arg(folder, databaseName(),
                                                           QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z'")));
    QStringList args{QStringLiteral("--no-owner"), QStringLiteral("--file"), path, QStringLiteral("--dbname"), url.database()};
    if (!url.host().isEmpty())
        args << QStringLiteral("--host") << url.host();
    if (url.port())
        args << QStringLiteral("--port") << QString::number(*url.port());
    if (!url.userName().isEmpty())
        args << QStringLiteral("--username") << url.userName();
    QProcess dump;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    if (url.hasPassword())
        env.insert(QStringLiteral("PGPASSWORD"), url.password()); // never on the command line
    dump.setProcessEnvironment(env);
    dump.start(pgDump, args);
    if (!dump.waitForFinished(600000) || dump.exitStatus() != QProcess::NormalExit || dump.exitCode() != 0) {
        QFile::remove(path);
        throw DbError(QStringLiteral("pg_dump failed, so nothing was reset: %1")
                          .arg(DbUrl::redactText(QString::fromLocal8Bit(dump.readAllStandardError()).trimmed())));
    }
    return path;
}

QStringList Resetter::objectsToDrop()
{
    QStringList statements;
    if (m_db.backend() == Backend::Postgres) {
        QSqlQuery q = m_db.exec(QStringLiteral("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
                                               " AND table_type = 'BASE TABLE'"));
        while (q.next())
            statements << QStringLiteral("DROP TABLE IF EXISTS %1 CASCADE").arg(TableCounter::quoteIdentifier(q.value(0).toString()));
        return statements;
    }
    QSqlQuery q = m_db.exec(QStringLiteral("SELECT type, name FROM sqlite_schema WHERE type IN ('view', 'trigger', 'table')"
                                           " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY type DESC"));
    while (q.next())
        statements << QStringLiteral("DROP %1 IF EXISTS %2").arg(q.value(0).toString().toUpper(), TableCounter::quoteIdentifier(q.value(1).toString()));
    return statements;
}

QString Resetter::refusal()
{
    if (qEnvironmentVariable("DBDECK_ALLOW_RESET") != QLatin1String("1"))
        return QStringLiteral("reset is disabled: set DBDECK_ALLOW_RESET=1 to allow it (development databases only)");
    if (m_db.config().url().isMemory())
        return QStringLiteral("an in-memory database has nothing to reset");
    if (m_db.exists() && MigrationTables::exist(m_db)) {
        const QString tag = m_db.scalar(QStringLiteral("SELECT value FROM dbdeck_metadata WHERE key = 'app_env'")).toString();
        if (tag == QLatin1String("production"))
            return QStringLiteral("this database is tagged production: it is never reset");
    }
    return {};
}

Resetter::Result Resetter::reset(const QString &confirmName, const MigrationSet *migrations, int lockTimeoutMs, bool withoutBackup)
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
        if (m_db.backend() == Backend::Postgres) {
            if (!withoutBackup)
                result.backupPath = backupPostgres();
            withTransaction(m_db, Transaction::Mode::Write, [&] {
                for (const QString &statement : objectsToDrop()) {
                    m_db.exec(statement);
                    ++result.droppedTables;
                }
            });
        } else {
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
                    for (const QString &statement : objectsToDrop()) {
                        m_db.exec(statement);
                        if (statement.startsWith(QLatin1String("DROP TABLE")))
                            ++result.droppedTables;
                    }
                });
            } catch (...) {
                m_db.closeConnection();
                throw;
            }
            m_db.closeConnection();
        }
        MigrationTables::ensure(m_db); // the SQLite lock's row went with its table; release finds none
    }
    JournalEntry entry;
    entry.operation = QStringLiteral("reset");
    entry.outcome = QStringLiteral("succeeded");
    entry.startedAt = started;
    entry.toVersion = 0;
    entry.detail = QStringLiteral("dropped %1 tables; %2").arg(result.droppedTables)
                       .arg(result.backupPath.isEmpty() ? QStringLiteral("no backup (--no-backup)") : QStringLiteral("backup ") + result.backupPath);
    MigrationJournal::record(m_db, entry);
    if (migrations) {
        Migrator migrator(m_db, *migrations);
        result.migrationsApplied = int(migrator.upgrade({}).done.size());
    }
    return result;
}

} // namespace dbdeck

#include "db/databasebackup.h"

#include "db/database.h"
#include "db/errors.h"
#include "db/postgresbackup.h"
#include "db/sqlitebackup.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <unistd.h>

namespace dbdeck {

namespace {

// The temporary file goes away unless the backup was verified and renamed.
struct PartialFile
{
    QString path;
    bool kept = false;
    ~PartialFile()
    {
        if (!kept)
            QFile::remove(path);
    }
};

// The copy must be on disk before the original goes: VACUUM INTO and pg_dump do not sync.
bool syncFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) && ::fsync(file.handle()) == 0;
}

} // namespace

QString DatabaseBackup::quoted(const QString &identifier)
{
    QString q = identifier;
    return QLatin1Char('"') + q.replace(QLatin1Char('"'), QStringLiteral("\"\"")) + QLatin1Char('"');
}

BackupResult DatabaseBackup::requireSameCounts(const QHash<QString, qint64> &database, const QHash<QString, qint64> &backup,
                                       const QString &path)
{
    for (auto it = database.cbegin(); it != database.cend(); ++it) {
        if (!backup.contains(it.key()))
            throw DbError(QStringLiteral("the backup %1 could not be verified: it has no table %2; nothing was changed")
                              .arg(path, it.key()));
        if (backup.value(it.key()) != it.value())
            throw DbError(QStringLiteral("the backup %1 could not be verified: table %2 has %3 rows in the database but %4 in "
                                         "the backup; nothing was changed")
                              .arg(path, it.key()).arg(it.value()).arg(backup.value(it.key())));
    }
    BackupResult result;
    result.tables = int(database.size());
    for (const qint64 rows : database)
        result.rows += rows;
    return result;
}

BackupResult DatabaseBackup::write(Database &db, const QString &name)
{
    if (db.transactionDepth() == 0)
        throw DbError(QStringLiteral("internal error: a backup must be taken inside a write transaction"));
    const bool sqlite = db.backend() == Backend::Sqlite;
    const QString folder = sqlite ? QFileInfo(db.config().url().sqliteFilePath()).absolutePath() + QStringLiteral("/backups")
                                  : QDir::current().absoluteFilePath(QStringLiteral("data/backups"));
    if (!QDir().mkpath(folder))
        throw DbError(QStringLiteral("cannot create the backup folder %1; nothing was changed").arg(folder));
    const QString base = QStringLiteral("%1/%2-%3").arg(folder, name,
                                                       QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z'")));
    const QString extension = sqlite ? QStringLiteral(".db") : QStringLiteral(".sql");
    QString path = base + extension;
    for (int n = 2; QFileInfo::exists(path) || QFileInfo::exists(path + QStringLiteral(".partial")); ++n)
        path = QStringLiteral("%1-%2%3").arg(base).arg(n).arg(extension);
    PartialFile partial{path + QStringLiteral(".partial")};

    BackupResult result = sqlite ? SqliteBackup::write(db, partial.path) : PostgresBackup::write(db, partial.path);
    if (!syncFile(partial.path))
        throw DbError(QStringLiteral("cannot write the backup %1 to disk; nothing was changed").arg(partial.path));
    if (!QFile::rename(partial.path, path))
        throw DbError(QStringLiteral("cannot rename the verified backup %1 to %2; nothing was changed").arg(partial.path, path));
    partial.kept = true;
    result.path = path;
    return result;
}

} // namespace dbdeck

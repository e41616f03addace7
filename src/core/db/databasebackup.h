#pragma once

#include <QHash>
#include <QString>

namespace dbdeck {

class Database;

struct BackupResult
{
    QString path;   // the verified backup, absolute
    int tables = 0; // tables whose row counts were compared
    qint64 rows = 0;
};

// A verified copy of the whole database, written before a destructive operation (reset, the
// downgrade of a protected database). Call it inside a Transaction of Mode::Write on db: the
// copy is then exactly what db holds, and nobody writes between the copy and what follows.
// - SQLite (SqliteBackup): VACUUM INTO <db folder>/backups/<name>-<UTC>.db; verified by opening
//   it: PRAGMA integrity_check says ok and every table has the row count it has in db.
// - PostgreSQL (PostgresBackup): pg_dump into ./data/backups/<name>-<UTC>.sql; verified: the
//   dump says it is complete and every table of the current schema has its row count in it.
// The copy is written under a temporary name (….partial) and renamed once verified, so a failed
// or unverifiable backup leaves no file behind. Throws DbError saying what failed.
class DatabaseBackup
{
public:
    static BackupResult write(Database &db, const QString &name);

    // For the backends: "a"."b" with embedded quotes doubled.
    static QString quoted(const QString &identifier);
    // Compares the row counts found in the backup with the database's; throws on a difference.
    // The result counts what was compared (path left empty).
    static BackupResult requireSameCounts(const QHash<QString, qint64> &database, const QHash<QString, qint64> &backup,
                                  const QString &path);
};

} // namespace dbdeck

#pragma once

#include "db/database.h"
#include "migrate/migrationplanner.h"
#include "migrate/migrationset.h"
#include "migrate/sqlsplitter.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>

namespace dbdeck::test {

// A database that another tool migrated: the shipped migrations' tables up to upTo created
// directly (no dbdeck history), and, when alembicRevision is given, Alembic's alembic_version
// table as Alembic writes it. extraSql runs afterwards (e.g. a column the migrations lack).
inline void createUnmanagedSchema(Database &db, qint64 upTo, const QString &alembicRevision = {}, const QString &extraSql = {})
{
    const MigrationSet set = MigrationSet::load(QStringLiteral(DBDECK_SOURCE_DIR "/migrations"));
    const auto dialect = MigrationPlanner::dialectFor(db.backend());
    for (const MigrationFile &file : set.files()) {
        if (file.version() > upTo)
            break;
        for (const SqlStatement &statement : SqlSplitter::split(file.upSql(), dialect))
            db.exec(statement.sql);
    }
    if (!alembicRevision.isEmpty()) {
        db.exec(QStringLiteral("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL,"
                               " CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))"));
        db.exec(QStringLiteral("INSERT INTO alembic_version (version_num) VALUES (?)"), {alembicRevision});
    }
    for (const SqlStatement &statement : SqlSplitter::split(extraSql, dialect))
        db.exec(statement.sql);
}

// Every file in the folder with the SHA-256 of its bytes: equal before and after means nothing
// was written, created (a -wal, -shm or lock file) or removed there.
inline QStringList folderFingerprint(const QString &folder)
{
    QStringList lines;
    const QDir dir(folder);
    for (const QString &name : dir.entryList(QDir::Files | QDir::Hidden, QDir::Name)) {
        QFile f(dir.filePath(name));
        f.open(QIODevice::ReadOnly);
        lines << name + QLatin1Char(' ') + QString::fromLatin1(QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256).toHex());
    }
    return lines;
}

} // namespace dbdeck::test

#pragma once

#include "db/database.h"
#include "testsupport.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QString>
#include <QStringList>

namespace dbdeck::test {

// What a user would compare to see whether looking at a database changed it: the file's bytes
// and mtime, and which files sit in its folder (a new -journal, -wal or -shm, a lock file, ...).
struct FileSnapshot
{
    QByteArray sha256;
    QDateTime modified;
    QStringList folder;

    static FileSnapshot of(const QString &path)
    {
        FileSnapshot s;
        QFile file(path);
        if (file.open(QIODevice::ReadOnly))
            s.sha256 = QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256).toHex();
        s.modified = QFileInfo(path).lastModified();
        const QFileInfo info(path);
        s.folder = QDir(info.absolutePath()).entryList(QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
        return s;
    }
    bool operator==(const FileSnapshot &o) const { return sha256 == o.sha256 && modified == o.modified && folder == o.folder; }
    bool operator!=(const FileSnapshot &o) const { return !(*this == o); }
    QString describe() const
    {
        return QStringLiteral("sha256 %1, mtime %2, folder [%3]")
            .arg(QString::fromLatin1(sha256.left(12)), modified.toString(Qt::ISODateWithMs), folder.join(QStringLiteral(", ")));
    }
};

// Bytes 18-19 of a SQLite file: 1 1 for a rollback journal, 2 2 for WAL.
inline QByteArray journalHeaderBytes(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.read(20).mid(18, 2).toHex();
}

// A small SQLite file in a rollback journal mode (the header says 1 1), with one table t of
// one row, made with a writing connection.
inline void createSqliteFile(const QString &path, const char *journalMode = "DELETE")
{
    Database db(configFor(sqliteUrl(path), {{"SQLITE_JOURNAL_MODE", journalMode}}));
    db.exec(QStringLiteral("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)"));
    db.exec(QStringLiteral("INSERT INTO t (name) VALUES ('one')"));
}

} // namespace dbdeck::test

#pragma once

#include "migrate/migrationfile.h"
#include "migrate/sqlsplitter.h"

#include <QList>
#include <QString>

namespace dbdeck {

// The migration files of a folder, in version order, and every problem found loading them.
class MigrationSet
{
public:
    // Never throws: problems are collected so that `check` can report them all.
    static MigrationSet load(const QString &folder);
    static MigrationSet fromFiles(QList<MigrationFile> files); // for tests and tools
    // Writes the next numbered file ("NNNN_<slug of message>.sql") with both markers, ready to
    // fill in, and returns its path. Throws MigrationError if it cannot.
    static QString writeRevision(const QString &folder, const QString &message);

    QString folder() const { return m_folder; }
    const QList<MigrationFile> &files() const { return m_files; }
    const QList<MigrationProblem> &problems() const { return m_problems; }
    bool isValid() const { return m_problems.isEmpty(); }
    // Adds the problems StatementRules finds in the files' statements, split as the backend will
    // split them (the Migrator does this for its database's backend).
    void checkStatements(SqlSplitter::Dialect dialect);
    // Throws MigrationError listing every problem, if there are any.
    void requireValid() const;

    const MigrationFile *find(qint64 version) const;
    qint64 head() const { return m_files.isEmpty() ? 0 : m_files.last().version(); }

private:
    QString m_folder;
    QList<MigrationFile> m_files;
    QList<MigrationProblem> m_problems;
};

} // namespace dbdeck

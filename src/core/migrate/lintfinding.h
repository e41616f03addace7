#pragma once

#include "migrate/lintrule.h"
#include "migrate/sqltoken.h"

#include <QList>
#include <QString>

namespace dbdeck {

// One problem the linter found, where it is, and what to do instead.
struct LintFinding
{
    QString file;         // the migration file's path
    qint64 version = 0;
    SqlPosition position; // line and column in the file
    LintSeverity severity = LintSeverity::Warning;
    QString rule;         // the rule's stable id
    QString message;      // what is wrong, naming the table, column or index
    QString hint;         // the safe alternative

    // "file:line:column: severity rule-id: message"
    QString toString() const;
};

// The findings of one migration, for the CLI and for the inspector (beside each pending one).
struct MigrationLint
{
    qint64 version = 0;
    QString name; // "0003_add_index"
    QString path;
    QList<LintFinding> findings; // in file order

    int errors() const;
    int warnings() const;
};

struct LintReport
{
    SqlSplitter::Dialect dialect = SqlSplitter::Dialect::Sqlite;
    QList<MigrationLint> migrations; // in version order, one per linted file

    int errors() const;
    int warnings() const;
    QList<LintFinding> findings() const; // all, migration by migration
    const MigrationLint *find(qint64 version) const;
};

} // namespace dbdeck

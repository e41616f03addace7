#pragma once

#include "migrate/statementanalysis.h"

namespace dbdeck {

class LintContext;

// Column types: pg-varchar, pg-int-key, pg-timestamp-without-time-zone, pg-serial,
// portable-type and portable-enum, for every column a statement defines (CREATE TABLE,
// ADD COLUMN) and every type it changes a column to.
class TypeChecks
{
public:
    static void check(LintContext &ctx);
    // SQLite's affinity for a declared type (https://sqlite.org/datatype3.html, 3.1).
    static QString sqliteAffinity(const QString &typeName);

private:
    static void checkColumn(LintContext &ctx, const QString &table, const QString &column, const QString &type,
                            const QString &typeName, const QStringList &arguments, SqlPosition position, bool key);
    static void checkEnumLike(LintContext &ctx, const QString &table, const ColumnDefinition &column);
};

} // namespace dbdeck

#pragma once

#include "schema/schemamodel.h"

#include <QJsonArray>

namespace dbdeck {

// One difference between two schemas, "from" (A) and "to" (B).
struct SchemaDifference
{
    enum class Change { Added, Removed, Changed }; // Added: only in B; Removed: only in A
    Change change = Change::Changed;
    // "table", "column", "constraint", "index", "trigger", "view", "table option", "sequence",
    // "enum", "function", "schema"
    QString objectType;
    QString table;   // the owning table of a column, constraint, index, trigger or option
    QString name;    // the object's name (a constraint's label when unnamed)
    QString what;    // what differs: "type", "CHECK ck_events_level", "definition", ...
    QString from;    // its description in A (empty when Added)
    QString to;      // its description in B (empty when Removed)
    QString path;    // where: "events.level", "events", "v_recent"

    // "events.level: CHECK ck_events_level differs: level IN (...) vs level IN (...)",
    // "runs.note: column only in declared (note TEXT)"; aName/bName name the two sides.
    QString toString(const QString &aName, const QString &bName) const;
};

// Compares two models of the same backend, every kind of object, field by field; expressions are
// compared with SqlLexer::sameExpression, so spelling never shows as a change. Column order is
// not a difference (like Alembic's autogenerate). The result is in a stable order: schemas,
// enums, sequences, functions, tables (each table's columns, constraints, indexes, triggers),
// views.
class SchemaDiff
{
public:
    static QList<SchemaDifference> compare(const Schema &from, const Schema &to);
    static QJsonArray toJson(const QList<SchemaDifference> &differences);
    static QString changeName(SchemaDifference::Change change); // "added", "removed", "changed"
};

} // namespace dbdeck

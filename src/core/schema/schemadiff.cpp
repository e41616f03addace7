#include "schema/schemadiff.h"

#include "schema/sqllexer.h"

#include <QJsonObject>

namespace dbdeck {

namespace {

using Change = SchemaDifference::Change;

class Differ
{
public:
    QList<SchemaDifference> out;

    void add(Change change, const QString &type, const QString &table, const QString &name, const QString &what,
             const QString &from, const QString &to, const QString &path)
    {
        out.append({change, type, table, name, what, from, to, path});
    }

    template<typename T, typename Describe, typename Compare>
    void byName(const QList<T> &a, const QList<T> &b, const QString &type, const QString &table,
                const Describe &describe, const Compare &compare)
    {
        for (const T &x : a) {
            const T *y = find(b, x.name);
            const QString path = table.isEmpty() ? x.name : table + QLatin1Char('.') + x.name;
            if (!y)
                add(Change::Removed, type, table, x.name, type, describe(x), {}, path);
            else
                compare(x, *y, path);
        }
        for (const T &y : b) {
            if (!find(a, y.name))
                add(Change::Added, type, table, y.name, type, {}, describe(y),
                    table.isEmpty() ? y.name : table + QLatin1Char('.') + y.name);
        }
    }

    template<typename T>
    static const T *find(const QList<T> &list, const QString &name)
    {
        for (const T &t : list) {
            if (t.name.compare(name, Qt::CaseInsensitive) == 0)
                return &t;
        }
        return nullptr;
    }

    void field(const QString &type, const QString &table, const QString &name, const QString &what, const QString &a,
               const QString &b, const QString &path, bool expression = false)
    {
        const bool same = expression ? SqlLexer::sameExpression(a, b) : a == b;
        if (!same)
            add(Change::Changed, type, table, name, what, a, b, path);
    }

    void columns(const SchemaTable &a, const SchemaTable &b)
    {
        const auto describe = [](const SchemaColumn &c) {
            QString text = c.name + QLatin1Char(' ') + c.type;
            if (c.notNull)
                text += QStringLiteral(" NOT NULL");
            if (!c.defaultValue.isEmpty())
                text += QStringLiteral(" DEFAULT ") + c.defaultValue;
            if (!c.generated.isEmpty())
                text += QStringLiteral(" GENERATED ALWAYS AS (%1)").arg(c.generated);
            return text.trimmed();
        };
        byName(a.columns, b.columns, QStringLiteral("column"), a.name, describe,
               [&](const SchemaColumn &x, const SchemaColumn &y, const QString &path) {
                   const QString t = QStringLiteral("column");
                   field(t, a.name, x.name, QStringLiteral("type"), x.type, y.type, path, true);
                   field(t, a.name, x.name, QStringLiteral("not null"), x.notNull ? QStringLiteral("NOT NULL") : QStringLiteral("NULL"),
                         y.notNull ? QStringLiteral("NOT NULL") : QStringLiteral("NULL"), path);
                   field(t, a.name, x.name, QStringLiteral("default"), x.defaultValue, y.defaultValue, path, true);
                   field(t, a.name, x.name, QStringLiteral("collation"), x.collation, y.collation, path);
                   field(t, a.name, x.name, QStringLiteral("generated"),
                         x.generated.isEmpty() ? QString() : x.generated + (x.generatedStored ? QStringLiteral(" STORED") : QStringLiteral(" VIRTUAL")),
                         y.generated.isEmpty() ? QString() : y.generated + (y.generatedStored ? QStringLiteral(" STORED") : QStringLiteral(" VIRTUAL")),
                         path, true);
                   field(t, a.name, x.name, QStringLiteral("identity"), x.identity, y.identity, path);
                   field(t, a.name, x.name, QStringLiteral("primary key position"), QString::number(x.primaryKeyPosition),
                         QString::number(y.primaryKeyPosition), path);
               });
    }

    // A CHECK about one column is reported at that column: "events.level: CHECK ck_events_level".
    static QString constraintPath(const SchemaTable &table, const SchemaConstraint &c)
    {
        QStringList mentioned;
        if (c.kind == ConstraintKind::Check) {
            for (const SchemaColumn &col : table.columns) {
                if (SqlLexer::mentions(c.expression, col.name))
                    mentioned << col.name;
            }
        } else {
            mentioned = c.columns;
        }
        return mentioned.size() == 1 ? table.name + QLatin1Char('.') + mentioned.first() : table.name;
    }

    void constraints(const SchemaTable &a, const SchemaTable &b)
    {
        QList<SchemaConstraint> left = a.constraints;
        QList<SchemaConstraint> right = b.constraints;
        const auto key = [](const SchemaConstraint &c) { return QString::number(int(c.kind)) + SqlLexer::comparisonKey(c.describe()); };
        const auto what = [](const SchemaConstraint &c) {
            return constraintKindName(c.kind) + (c.name.isEmpty() ? QString() : QLatin1Char(' ') + c.name);
        };
        // Named constraints pair by name and kind; the rest by what they say.
        for (qsizetype i = 0; i < left.size();) {
            qsizetype match = -1;
            for (qsizetype j = 0; j < right.size() && match < 0; ++j) {
                const bool named = !left.at(i).name.isEmpty() && left.at(i).name == right.at(j).name && left.at(i).kind == right.at(j).kind;
                if (named || key(left.at(i)) == key(right.at(j)))
                    match = j;
            }
            if (match < 0) {
                ++i;
                continue;
            }
            const SchemaConstraint x = left.takeAt(i);
            const SchemaConstraint y = right.takeAt(match);
            const QString path = constraintPath(b, y);
            if (key(x) != key(y))
                add(Change::Changed, QStringLiteral("constraint"), a.name, x.label(), what(x), x.describe(), y.describe(), path);
            else if (x.name != y.name)
                add(Change::Changed, QStringLiteral("constraint"), a.name, x.label(), what(x) + QStringLiteral(" name"),
                    x.name.isEmpty() ? QStringLiteral("(unnamed)") : x.name, y.name.isEmpty() ? QStringLiteral("(unnamed)") : y.name, path);
        }
        for (const SchemaConstraint &x : left)
            add(Change::Removed, QStringLiteral("constraint"), a.name, x.label(), what(x), x.describe(), {}, constraintPath(a, x));
        for (const SchemaConstraint &y : right)
            add(Change::Added, QStringLiteral("constraint"), a.name, y.label(), what(y), {}, y.describe(), constraintPath(b, y));
    }

    static QString indexText(const SchemaIndex &index)
    {
        if (!index.definition.isEmpty())
            return index.definition;
        QStringList keys;
        for (const SchemaIndexKey &k : index.keys)
            keys << k.text();
        QString text = (index.unique ? QStringLiteral("UNIQUE (") : QStringLiteral("(")) + keys.join(QStringLiteral(", ")) + QLatin1Char(')');
        if (!index.where.isEmpty())
            text += QStringLiteral(" WHERE ") + index.where;
        return text;
    }

    void table(const SchemaTable &a, const SchemaTable &b)
    {
        columns(a, b);
        const QString opt = QStringLiteral("table option");
        const auto flag = [](bool on, const char *name) { return on ? QLatin1String(name) : QString(); };
        field(opt, a.name, QStringLiteral("WITHOUT ROWID"), QStringLiteral("WITHOUT ROWID"), flag(a.withoutRowid, "WITHOUT ROWID"),
              flag(b.withoutRowid, "WITHOUT ROWID"), a.name);
        field(opt, a.name, QStringLiteral("STRICT"), QStringLiteral("STRICT"), flag(a.strict, "STRICT"), flag(b.strict, "STRICT"), a.name);
        field(opt, a.name, QStringLiteral("AUTOINCREMENT"), QStringLiteral("AUTOINCREMENT"), flag(a.autoincrement, "AUTOINCREMENT"),
              flag(b.autoincrement, "AUTOINCREMENT"), a.name);
        constraints(a, b);
        byName(a.indexes, b.indexes, QStringLiteral("index"), a.name, indexText,
               [&](const SchemaIndex &x, const SchemaIndex &y, const QString &path) {
                   field(QStringLiteral("index"), a.name, x.name, QStringLiteral("index ") + x.name, indexText(x), indexText(y), path, true);
               });
        triggers(a.triggers, b.triggers, a.name);
    }

    void triggers(const QList<SchemaTrigger> &a, const QList<SchemaTrigger> &b, const QString &on)
    {
        byName(a, b, QStringLiteral("trigger"), on, [](const SchemaTrigger &t) { return t.definition; },
               [&](const SchemaTrigger &x, const SchemaTrigger &y, const QString &path) {
                   field(QStringLiteral("trigger"), on, x.name, QStringLiteral("trigger ") + x.name, x.definition, y.definition, path, true);
               });
    }
};

} // namespace

QString SchemaDifference::toString(const QString &aName, const QString &bName) const
{
    switch (change) {
    case Change::Added:
        return QStringLiteral("%1: %2 only in %3 (%4)").arg(path, what, bName, to);
    case Change::Removed:
        return QStringLiteral("%1: %2 only in %3 (%4)").arg(path, what, aName, from);
    case Change::Changed:
        break;
    }
    const auto shown = [](const QString &s) { return s.isEmpty() ? QStringLiteral("(none)") : s; };
    return QStringLiteral("%1: %2 differs: %3 vs %4").arg(path, what, shown(from), shown(to));
}

QString SchemaDiff::changeName(SchemaDifference::Change change)
{
    switch (change) {
    case Change::Added:
        return QStringLiteral("added");
    case Change::Removed:
        return QStringLiteral("removed");
    case Change::Changed:
        break;
    }
    return QStringLiteral("changed");
}

QList<SchemaDifference> SchemaDiff::compare(const Schema &from, const Schema &to)
{
    Differ d;
    for (const QString &s : from.otherSchemas) {
        if (!to.otherSchemas.contains(s))
            d.add(Change::Removed, QStringLiteral("schema"), {}, s, QStringLiteral("schema"), s, {}, s);
    }
    for (const QString &s : to.otherSchemas) {
        if (!from.otherSchemas.contains(s))
            d.add(Change::Added, QStringLiteral("schema"), {}, s, QStringLiteral("schema"), {}, s, s);
    }
    d.byName(from.enums, to.enums, QStringLiteral("enum"), {}, [](const SchemaEnum &e) { return e.labels.join(QStringLiteral(", ")); },
             [&](const SchemaEnum &x, const SchemaEnum &y, const QString &path) {
                 d.field(QStringLiteral("enum"), {}, x.name, QStringLiteral("labels"), x.labels.join(QStringLiteral(", ")),
                         y.labels.join(QStringLiteral(", ")), path);
             });
    const auto seqText = [](const SchemaSequence &s) {
        return QStringLiteral("%1 start %2 increment %3 min %4 max %5 cache %6%7")
            .arg(s.type).arg(s.start).arg(s.increment).arg(s.minValue).arg(s.maxValue).arg(s.cache)
            .arg(s.cycle ? QStringLiteral(" cycle") : QString());
    };
    d.byName(from.sequences, to.sequences, QStringLiteral("sequence"), {}, seqText,
             [&](const SchemaSequence &x, const SchemaSequence &y, const QString &path) {
                 d.field(QStringLiteral("sequence"), {}, x.name, QStringLiteral("sequence"), seqText(x), seqText(y), path);
             });
    d.byName(from.functions, to.functions, QStringLiteral("function"), {}, [](const SchemaFunction &f) { return f.name; },
             [&](const SchemaFunction &x, const SchemaFunction &y, const QString &path) {
                 d.field(QStringLiteral("function"), {}, x.name, QStringLiteral("definition"), x.definition, y.definition, path, true);
             });
    d.byName(from.tables, to.tables, QStringLiteral("table"), {}, [](const SchemaTable &t) {
                 return QStringLiteral("%1 column(s)").arg(t.columns.size());
             },
             [&](const SchemaTable &x, const SchemaTable &y, const QString &) { d.table(x, y); });
    d.byName(from.views, to.views, QStringLiteral("view"), {}, [](const SchemaView &v) { return v.definition; },
             [&](const SchemaView &x, const SchemaView &y, const QString &path) {
                 d.field(QStringLiteral("view"), {}, x.name, QStringLiteral("definition"), x.definition, y.definition, path, true);
                 d.triggers(x.triggers, y.triggers, x.name);
             });
    return d.out;
}

QJsonArray SchemaDiff::toJson(const QList<SchemaDifference> &differences)
{
    QJsonArray array;
    for (const SchemaDifference &x : differences) {
        array.append(QJsonObject{{QStringLiteral("change"), changeName(x.change)},
                                 {QStringLiteral("object"), x.objectType},
                                 {QStringLiteral("table"), x.table},
                                 {QStringLiteral("name"), x.name},
                                 {QStringLiteral("path"), x.path},
                                 {QStringLiteral("what"), x.what},
                                 {QStringLiteral("from"), x.from},
                                 {QStringLiteral("to"), x.to}});
    }
    return array;
}

} // namespace dbdeck

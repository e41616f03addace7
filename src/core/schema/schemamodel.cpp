#include "schema/schemamodel.h"

#include "schema/sqllexer.h"

#include <algorithm>

namespace dbdeck {

namespace {

QString columnList(const QStringList &columns)
{
    QStringList quoted;
    for (const QString &c : columns)
        quoted << SqlLexer::quoteIdentifier(c);
    return quoted.join(QStringLiteral(", "));
}

template<typename T>
void sortByName(QList<T> &list)
{
    std::stable_sort(list.begin(), list.end(), [](const T &a, const T &b) { return a.name < b.name; });
}

} // namespace

QString constraintKindName(ConstraintKind kind)
{
    switch (kind) {
    case ConstraintKind::PrimaryKey:
        return QStringLiteral("PRIMARY KEY");
    case ConstraintKind::Unique:
        return QStringLiteral("UNIQUE");
    case ConstraintKind::Check:
        return QStringLiteral("CHECK");
    case ConstraintKind::ForeignKey:
        return QStringLiteral("FOREIGN KEY");
    }
    return {};
}

QString SchemaConstraint::describe() const
{
    if (!definition.isEmpty())
        return definition;
    switch (kind) {
    case ConstraintKind::PrimaryKey:
    case ConstraintKind::Unique:
        return constraintKindName(kind) + QStringLiteral(" (") + columnList(columns) + QLatin1Char(')');
    case ConstraintKind::Check:
        return QStringLiteral("CHECK (") + expression + QLatin1Char(')');
    case ConstraintKind::ForeignKey: {
        QString text = QStringLiteral("FOREIGN KEY (%1) REFERENCES %2").arg(columnList(columns), SqlLexer::quoteIdentifier(refTable));
        if (!refColumns.isEmpty())
            text += QStringLiteral(" (") + columnList(refColumns) + QLatin1Char(')');
        if (!onDelete.isEmpty() && onDelete != QLatin1String("NO ACTION"))
            text += QStringLiteral(" ON DELETE ") + onDelete;
        if (!onUpdate.isEmpty() && onUpdate != QLatin1String("NO ACTION"))
            text += QStringLiteral(" ON UPDATE ") + onUpdate;
        if (!deferrable.isEmpty())
            text += QLatin1Char(' ') + deferrable;
        return text;
    }
    }
    return {};
}

QString SchemaConstraint::label() const
{
    return name.isEmpty() ? describe() : name;
}

QString SchemaIndexKey::text() const
{
    QString t = column.isEmpty() ? expression : SqlLexer::quoteIdentifier(column);
    if (!collation.isEmpty())
        t += QStringLiteral(" COLLATE ") + collation;
    if (descending)
        t += QStringLiteral(" DESC");
    return t;
}

const SchemaColumn *SchemaTable::column(const QString &name) const
{
    for (const SchemaColumn &c : columns) {
        if (c.name.compare(name, Qt::CaseInsensitive) == 0)
            return &c;
    }
    return nullptr;
}

const SchemaConstraint *SchemaTable::primaryKey() const
{
    for (const SchemaConstraint &c : constraints) {
        if (c.kind == ConstraintKind::PrimaryKey)
            return &c;
    }
    return nullptr;
}

QList<SchemaConstraint> SchemaTable::constraintsOf(ConstraintKind kind) const
{
    QList<SchemaConstraint> found;
    for (const SchemaConstraint &c : constraints) {
        if (c.kind == kind)
            found << c;
    }
    return found;
}

const SchemaTable *Schema::table(const QString &name) const
{
    for (const SchemaTable &t : tables) {
        if (t.name.compare(name, Qt::CaseInsensitive) == 0)
            return &t;
    }
    return nullptr;
}

SchemaTable *Schema::table(const QString &name)
{
    return const_cast<SchemaTable *>(std::as_const(*this).table(name));
}

const SchemaView *Schema::view(const QString &name) const
{
    for (const SchemaView &v : views) {
        if (v.name.compare(name, Qt::CaseInsensitive) == 0)
            return &v;
    }
    return nullptr;
}

bool Schema::isEmpty() const
{
    return tables.isEmpty() && views.isEmpty() && sequences.isEmpty() && enums.isEmpty() && functions.isEmpty()
        && otherSchemas.isEmpty();
}

void Schema::sort()
{
    sortByName(tables);
    sortByName(views);
    for (SchemaView &v : views)
        sortByName(v.triggers);
    sortByName(sequences);
    sortByName(enums);
    sortByName(functions);
    otherSchemas.sort();
    for (SchemaTable &t : tables) {
        sortByName(t.indexes);
        sortByName(t.triggers);
        std::stable_sort(t.constraints.begin(), t.constraints.end(), [](const SchemaConstraint &a, const SchemaConstraint &b) {
            if (a.kind != b.kind)
                return int(a.kind) < int(b.kind);
            return a.label() < b.label();
        });
    }
}

bool Schema::isBookkeepingTable(const QString &name)
{
    const QString lower = name.toLower();
    return lower.startsWith(QLatin1String("dbdeck_")) || lower.startsWith(QLatin1String("sqlite_"))
        || lower == QLatin1String("alembic_version");
}

} // namespace dbdeck

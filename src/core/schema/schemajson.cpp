#include "schema/schemajson.h"

#include <QJsonArray>

namespace dbdeck {

namespace {

QJsonArray strings(const QStringList &list)
{
    return QJsonArray::fromStringList(list);
}

QJsonObject column(const SchemaColumn &c)
{
    return {{QStringLiteral("name"), c.name},
            {QStringLiteral("type"), c.type},
            {QStringLiteral("not_null"), c.notNull},
            {QStringLiteral("default"), c.defaultValue.isEmpty() ? QJsonValue() : QJsonValue(c.defaultValue)},
            {QStringLiteral("collation"), c.collation.isEmpty() ? QJsonValue() : QJsonValue(c.collation)},
            {QStringLiteral("generated"), c.generated.isEmpty() ? QJsonValue() : QJsonValue(c.generated)},
            {QStringLiteral("generated_stored"), c.generatedStored},
            {QStringLiteral("identity"), c.identity.isEmpty() ? QJsonValue() : QJsonValue(c.identity)},
            {QStringLiteral("primary_key_position"), c.primaryKeyPosition}};
}

QJsonObject constraint(const SchemaConstraint &c)
{
    QJsonObject o{{QStringLiteral("kind"), constraintKindName(c.kind)},
                  {QStringLiteral("name"), c.name.isEmpty() ? QJsonValue() : QJsonValue(c.name)},
                  {QStringLiteral("definition"), c.describe()}};
    if (c.kind == ConstraintKind::Check) {
        o.insert(QStringLiteral("expression"), c.expression);
    } else {
        o.insert(QStringLiteral("columns"), strings(c.columns));
    }
    if (c.kind == ConstraintKind::ForeignKey) {
        o.insert(QStringLiteral("references"), c.refTable);
        o.insert(QStringLiteral("referenced_columns"), strings(c.refColumns));
        o.insert(QStringLiteral("on_delete"), c.onDelete);
        o.insert(QStringLiteral("on_update"), c.onUpdate);
        o.insert(QStringLiteral("deferrable"), c.deferrable.isEmpty() ? QJsonValue() : QJsonValue(c.deferrable));
    }
    return o;
}

QJsonObject index(const SchemaIndex &i)
{
    QJsonArray keys;
    for (const SchemaIndexKey &k : i.keys) {
        keys.append(QJsonObject{{QStringLiteral("column"), k.column.isEmpty() ? QJsonValue() : QJsonValue(k.column)},
                                {QStringLiteral("expression"), k.expression.isEmpty() ? QJsonValue() : QJsonValue(k.expression)},
                                {QStringLiteral("collation"), k.collation.isEmpty() ? QJsonValue() : QJsonValue(k.collation)},
                                {QStringLiteral("descending"), k.descending}});
    }
    return {{QStringLiteral("name"), i.name},
            {QStringLiteral("unique"), i.unique},
            {QStringLiteral("keys"), keys},
            {QStringLiteral("where"), i.where.isEmpty() ? QJsonValue() : QJsonValue(i.where)},
            {QStringLiteral("method"), i.method.isEmpty() ? QJsonValue() : QJsonValue(i.method)}};
}

} // namespace

QJsonObject SchemaJson::toJson(const Schema &schema)
{
    QJsonArray tables;
    for (const SchemaTable &t : schema.tables) {
        QJsonArray columns, constraints, indexes, triggers;
        for (const SchemaColumn &c : t.columns)
            columns.append(column(c));
        for (const SchemaConstraint &c : t.constraints)
            constraints.append(constraint(c));
        for (const SchemaIndex &i : t.indexes)
            indexes.append(index(i));
        for (const SchemaTrigger &tr : t.triggers)
            triggers.append(QJsonObject{{QStringLiteral("name"), tr.name}, {QStringLiteral("definition"), tr.definition}});
        tables.append(QJsonObject{{QStringLiteral("name"), t.name},
                                  {QStringLiteral("columns"), columns},
                                  {QStringLiteral("constraints"), constraints},
                                  {QStringLiteral("indexes"), indexes},
                                  {QStringLiteral("triggers"), triggers},
                                  {QStringLiteral("without_rowid"), t.withoutRowid},
                                  {QStringLiteral("strict"), t.strict},
                                  {QStringLiteral("autoincrement"), t.autoincrement}});
    }
    QJsonArray views, sequences, enums, functions;
    for (const SchemaView &v : schema.views) {
        QJsonArray triggers;
        for (const SchemaTrigger &tr : v.triggers)
            triggers.append(QJsonObject{{QStringLiteral("name"), tr.name}, {QStringLiteral("definition"), tr.definition}});
        views.append(QJsonObject{{QStringLiteral("name"), v.name}, {QStringLiteral("definition"), v.definition},
                                 {QStringLiteral("triggers"), triggers}});
    }
    for (const SchemaSequence &s : schema.sequences) {
        sequences.append(QJsonObject{{QStringLiteral("name"), s.name}, {QStringLiteral("type"), s.type},
                                     {QStringLiteral("start"), s.start}, {QStringLiteral("increment"), s.increment},
                                     {QStringLiteral("min"), s.minValue}, {QStringLiteral("max"), QString::number(s.maxValue)},
                                     {QStringLiteral("cache"), s.cache}, {QStringLiteral("cycle"), s.cycle}});
    }
    for (const SchemaEnum &e : schema.enums)
        enums.append(QJsonObject{{QStringLiteral("name"), e.name}, {QStringLiteral("labels"), strings(e.labels)}});
    for (const SchemaFunction &f : schema.functions)
        functions.append(QJsonObject{{QStringLiteral("name"), f.name}, {QStringLiteral("definition"), f.definition}});
    return {{QStringLiteral("backend"), schema.backend == Backend::Postgres ? QStringLiteral("postgresql") : QStringLiteral("sqlite")},
            {QStringLiteral("schema"), schema.name},
            {QStringLiteral("other_schemas"), strings(schema.otherSchemas)},
            {QStringLiteral("tables"), tables},
            {QStringLiteral("views"), views},
            {QStringLiteral("sequences"), sequences},
            {QStringLiteral("enums"), enums},
            {QStringLiteral("functions"), functions}};
}

} // namespace dbdeck

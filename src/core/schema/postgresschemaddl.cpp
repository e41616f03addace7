#include "schema/schemaddl.h"

#include "schema/sqllexer.h"

namespace dbdeck {

QString PostgresSchemaDdl::columnDefinition(const SchemaColumn &c, const SchemaTable &) const
{
    QString text = quote(c.name) + QLatin1Char(' ') + c.type;
    if (!c.collation.isEmpty())
        text += QStringLiteral(" COLLATE ") + SqlLexer::quoteIdentifier(c.collation);
    if (!c.generated.isEmpty())
        text += QStringLiteral(" GENERATED ALWAYS AS (%1) STORED").arg(c.generated);
    if (!c.identity.isEmpty())
        text += QStringLiteral(" GENERATED %1 AS IDENTITY").arg(c.identity);
    if (!c.defaultValue.isEmpty())
        text += QStringLiteral(" DEFAULT ") + c.defaultValue;
    if (c.notNull)
        text += QStringLiteral(" NOT NULL");
    return text;
}

QString PostgresSchemaDdl::createTable(const SchemaTable &table, const QString &name, bool withForeignKeys) const
{
    QStringList lines;
    for (const SchemaColumn &c : table.columns)
        lines << columnDefinition(c, table);
    for (const SchemaConstraint &c : table.constraints) {
        if (c.kind == ConstraintKind::ForeignKey && !withForeignKeys)
            continue;
        lines << QStringLiteral("CONSTRAINT ") + quote(c.name) + QLatin1Char(' ') + c.describe();
    }
    return QStringLiteral("CREATE TABLE %1 (\n    %2\n);\n").arg(quote(name.isEmpty() ? table.name : name), lines.join(QStringLiteral(",\n    ")));
}

QString PostgresSchemaDdl::addConstraint(const QString &table, const SchemaConstraint &c) const
{
    return QStringLiteral("ALTER TABLE %1 ADD CONSTRAINT %2 %3;\n").arg(quote(table), quote(c.name), c.describe());
}

QString PostgresSchemaDdl::createIndex(const SchemaIndex &index) const
{
    return index.definition + QStringLiteral(";\n");
}

QString PostgresSchemaDdl::createView(const SchemaView &view) const
{
    QString body = view.definition;
    if (body.endsWith(QLatin1Char(';')))
        body.chop(1);
    return QStringLiteral("CREATE VIEW %1 AS\n%2;\n").arg(quote(view.name), body);
}

QString PostgresSchemaDdl::createSequence(const SchemaSequence &s) const
{
    return QStringLiteral("CREATE SEQUENCE %1 AS %2 INCREMENT BY %3 MINVALUE %4 MAXVALUE %5 START WITH %6 CACHE %7%8;\n")
        .arg(quote(s.name), s.type)
        .arg(s.increment)
        .arg(s.minValue)
        .arg(s.maxValue)
        .arg(s.start)
        .arg(s.cache)
        .arg(s.cycle ? QStringLiteral(" CYCLE") : QString());
}

QString PostgresSchemaDdl::createEnum(const SchemaEnum &type) const
{
    QStringList labels;
    for (QString label : type.labels)
        labels << QLatin1Char('\'') + label.replace(QLatin1Char('\''), QLatin1String("''")) + QLatin1Char('\'');
    return QStringLiteral("CREATE TYPE %1 AS ENUM (%2);\n").arg(quote(type.name), labels.join(QStringLiteral(", ")));
}

QString PostgresSchemaDdl::script(const Schema &schema) const
{
    // Like pg_dump: function bodies are checked when they run, not when they are created, so a
    // function may come before the tables it uses.
    QString text = QStringLiteral("SET check_function_bodies = false;\n");
    for (const QString &other : schema.otherSchemas)
        text += QStringLiteral("CREATE SCHEMA IF NOT EXISTS %1;\n").arg(quote(other));
    for (const SchemaEnum &e : schema.enums)
        text += createEnum(e);
    for (const SchemaSequence &s : schema.sequences)
        text += createSequence(s);
    for (const SchemaFunction &f : schema.functions)
        text += f.definition + QStringLiteral(";\n");
    for (const SchemaTable &table : schema.tables)
        text += createTable(table, {}, false);
    for (const SchemaTable &table : schema.tables) {
        for (const SchemaConstraint &c : table.constraintsOf(ConstraintKind::ForeignKey))
            text += addConstraint(table.name, c);
    }
    return text + indexesViewsAndTriggers(schema);
}

} // namespace dbdeck

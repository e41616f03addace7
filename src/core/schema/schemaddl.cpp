#include "schema/schemaddl.h"

#include "schema/sqllexer.h"

namespace dbdeck {

std::unique_ptr<SchemaDdl> SchemaDdl::create(Backend backend)
{
    if (backend == Backend::Postgres)
        return std::make_unique<PostgresSchemaDdl>();
    return std::make_unique<SqliteSchemaDdl>();
}

QString SchemaDdl::quote(const QString &name)
{
    return SqlLexer::quoteIdentifier(name);
}

QString SchemaDdl::columnList(const QStringList &columns)
{
    QStringList quoted;
    for (const QString &c : columns)
        quoted << quote(c);
    return quoted.join(QStringLiteral(", "));
}

QList<SchemaView> SchemaDdl::viewsInDependencyOrder(const QList<SchemaView> &views)
{
    QList<SchemaView> pending = views;
    QList<SchemaView> ordered;
    while (!pending.isEmpty()) {
        bool progressed = false;
        for (qsizetype i = 0; i < pending.size(); ++i) {
            bool ready = true;
            for (const SchemaView &other : pending) {
                if (other.name != pending.at(i).name && SqlLexer::mentions(pending.at(i).definition, other.name))
                    ready = false;
            }
            if (ready) {
                ordered << pending.takeAt(i);
                progressed = true;
                break;
            }
        }
        if (!progressed) // a cycle cannot exist in a valid schema; keep name order
            ordered << pending.takeFirst();
    }
    return ordered;
}

QString SchemaDdl::indexesViewsAndTriggers(const Schema &schema) const
{
    QString text;
    for (const SchemaTable &table : schema.tables) {
        for (const SchemaIndex &index : table.indexes)
            text += createIndex(index);
    }
    const QList<SchemaView> views = viewsInDependencyOrder(schema.views);
    for (const SchemaView &view : views)
        text += createView(view);
    for (const SchemaTable &table : schema.tables) {
        for (const SchemaTrigger &trigger : table.triggers)
            text += trigger.definition + QStringLiteral(";\n");
    }
    for (const SchemaView &view : views) {
        for (const SchemaTrigger &trigger : view.triggers)
            text += trigger.definition + QStringLiteral(";\n");
    }
    return text;
}

QString SchemaDdl::objectDdl(const Schema &schema, const QString &kind, const QString &name) const
{
    const auto *pg = dynamic_cast<const PostgresSchemaDdl *>(this);
    if (kind == QLatin1String("table")) {
        const SchemaTable *table = schema.table(name);
        if (!table)
            return {};
        QString ddl = createTable(*table);
        for (const SchemaIndex &index : table->indexes)
            ddl += createIndex(index);
        for (const SchemaTrigger &trigger : table->triggers)
            ddl += trigger.definition + QStringLiteral(";\n");
        return ddl;
    }
    if (kind == QLatin1String("view")) {
        const SchemaView *view = schema.view(name);
        if (!view)
            return {};
        QString ddl = createView(*view);
        for (const SchemaTrigger &trigger : view->triggers)
            ddl += trigger.definition + QStringLiteral(";\n");
        return ddl;
    }
    for (const SchemaTable &table : schema.tables) {
        for (const SchemaIndex &index : table.indexes) {
            if (kind == QLatin1String("index") && index.name == name)
                return createIndex(index);
        }
        for (const SchemaTrigger &trigger : table.triggers) {
            if (kind == QLatin1String("trigger") && trigger.name == name)
                return trigger.definition + QStringLiteral(";\n");
        }
    }
    for (const SchemaSequence &s : schema.sequences) {
        if (pg && kind == QLatin1String("sequence") && s.name == name)
            return pg->createSequence(s);
    }
    for (const SchemaEnum &e : schema.enums) {
        if (pg && kind == QLatin1String("enum") && e.name == name)
            return pg->createEnum(e);
    }
    for (const SchemaFunction &f : schema.functions) {
        if (kind == QLatin1String("function") && f.name == name)
            return f.definition + QStringLiteral(";\n");
    }
    return {};
}

// ---- SQLite ----

namespace {

// PRAGMA table_xinfo gives an expression default without the parentheses SQLite requires
// around it; literals and CURRENT_TIMESTAMP & co. stand alone.
QString sqliteDefault(const QString &value)
{
    const QList<LexToken> tokens = SqlLexer::tokenize(value);
    const bool signedNumber = tokens.size() == 2 && (tokens.at(0).isSymbol("-") || tokens.at(0).isSymbol("+"))
        && tokens.at(1).kind == LexToken::Kind::Number;
    const bool literal = tokens.size() == 1
        && (tokens.at(0).kind == LexToken::Kind::String || tokens.at(0).kind == LexToken::Kind::Number || tokens.at(0).isWord("NULL")
            || tokens.at(0).isWord("TRUE") || tokens.at(0).isWord("FALSE") || tokens.at(0).isWord("CURRENT_TIMESTAMP")
            || tokens.at(0).isWord("CURRENT_DATE") || tokens.at(0).isWord("CURRENT_TIME"));
    return signedNumber || literal ? value : QLatin1Char('(') + value + QLatin1Char(')');
}

} // namespace

QString SqliteSchemaDdl::columnDefinition(const SchemaColumn &c, const SchemaTable &table) const
{
    QString text = quote(c.name);
    if (!c.type.isEmpty())
        text += QLatin1Char(' ') + c.type;
    if (table.autoincrement && c.primaryKeyPosition == 1) {
        const SchemaConstraint *pk = table.primaryKey();
        if (pk && !pk->name.isEmpty())
            text += QStringLiteral(" CONSTRAINT ") + quote(pk->name);
        text += QStringLiteral(" PRIMARY KEY AUTOINCREMENT");
    }
    if (c.notNull)
        text += QStringLiteral(" NOT NULL");
    if (!c.defaultValue.isEmpty())
        text += QStringLiteral(" DEFAULT ") + sqliteDefault(c.defaultValue);
    if (!c.collation.isEmpty())
        text += QStringLiteral(" COLLATE ") + c.collation;
    if (!c.generated.isEmpty())
        text += QStringLiteral(" GENERATED ALWAYS AS (%1) %2").arg(c.generated, c.generatedStored ? QStringLiteral("STORED") : QStringLiteral("VIRTUAL"));
    return text;
}

QString SqliteSchemaDdl::createTable(const SchemaTable &table, const QString &name, bool) const
{
    QStringList lines;
    for (const SchemaColumn &c : table.columns)
        lines << columnDefinition(c, table);
    for (const SchemaConstraint &c : table.constraints) {
        if (c.kind == ConstraintKind::PrimaryKey && table.autoincrement)
            continue; // written on the column: AUTOINCREMENT exists only there
        QString line = c.name.isEmpty() ? QString() : QStringLiteral("CONSTRAINT ") + quote(c.name) + QLatin1Char(' ');
        lines << line + c.describe();
    }
    QString text = QStringLiteral("CREATE TABLE %1 (\n    %2\n)").arg(quote(name.isEmpty() ? table.name : name), lines.join(QStringLiteral(",\n    ")));
    QStringList options;
    if (table.withoutRowid)
        options << QStringLiteral("WITHOUT ROWID");
    if (table.strict)
        options << QStringLiteral("STRICT");
    if (!options.isEmpty())
        text += QLatin1Char(' ') + options.join(QStringLiteral(", "));
    return text + QStringLiteral(";\n");
}

QString SqliteSchemaDdl::createIndex(const SchemaIndex &index) const
{
    QStringList keys;
    for (const SchemaIndexKey &k : index.keys)
        keys << k.text();
    QString text = QStringLiteral("CREATE %1INDEX %2 ON %3 (%4)")
                       .arg(index.unique ? QStringLiteral("UNIQUE ") : QString(), quote(index.name), quote(index.table),
                            keys.join(QStringLiteral(", ")));
    if (!index.where.isEmpty())
        text += QStringLiteral(" WHERE ") + index.where;
    return text + QStringLiteral(";\n");
}

QString SqliteSchemaDdl::createView(const SchemaView &view) const
{
    return view.definition + QStringLiteral(";\n");
}

QString SqliteSchemaDdl::script(const Schema &schema) const
{
    QString text;
    for (const SchemaTable &table : schema.tables)
        text += createTable(table);
    return text + indexesViewsAndTriggers(schema);
}

} // namespace dbdeck

#include "migrate/schemachangewriter.h"

#include "schema/sqllexer.h"

#include <sqlite3.h>

namespace dbdeck {

namespace {

bool isConstant(const QString &expression)
{
    // ADD COLUMN takes only a constant default: a literal, a signed number, NULL, TRUE/FALSE.
    const QList<LexToken> tokens = SqlLexer::tokenize(expression);
    if (tokens.size() == 2 && (tokens.at(0).isSymbol("-") || tokens.at(0).isSymbol("+")) && tokens.at(1).kind == LexToken::Kind::Number)
        return true;
    if (tokens.size() != 1)
        return false;
    const LexToken &t = tokens.first();
    return t.kind == LexToken::Kind::String || t.kind == LexToken::Kind::Number || t.isWord("NULL") || t.isWord("TRUE")
        || t.isWord("FALSE");
}

const QString kNewPrefix = QStringLiteral("_dbdeck_new_");

} // namespace

bool SqliteChangeWriter::canAddColumn(const SchemaColumn &c)
{
    if (c.primaryKeyPosition > 0 || (c.generatedStored && !c.generated.isEmpty()))
        return false;
    if (!c.defaultValue.isEmpty() && !isConstant(c.defaultValue))
        return false;
    if (c.notNull && (c.defaultValue.isEmpty() || SqlLexer::sameExpression(c.defaultValue, QStringLiteral("NULL"))) && c.generated.isEmpty())
        return false;
    return true;
}

bool SqliteChangeWriter::canDropColumn(const SchemaTable &table, const QString &column)
{
    if (sqlite3_libversion_number() < 3035000)
        return false; // DROP COLUMN arrived in SQLite 3.35
    for (const SchemaConstraint &c : table.constraints) {
        if (c.columns.contains(column, Qt::CaseInsensitive) || SqlLexer::mentions(c.expression, column))
            return false;
    }
    for (const SchemaColumn &c : table.columns) {
        if (c.name.compare(column, Qt::CaseInsensitive) != 0 && SqlLexer::mentions(c.generated, column))
            return false;
    }
    return true;
}

// SQLite's documented 12-step rebuild, in the rebuild mode (foreign keys off around one
// transaction, foreign_key_check before commit): child rows under ON DELETE CASCADE survive
// because dropping the old table with foreign keys off deletes nothing but the table.
QString SqliteChangeWriter::rebuild(const SchemaTable &from, const SchemaTable &to) const
{
    const SqliteSchemaDdl ddl;
    const QString temp = kNewPrefix + to.name;
    QStringList copied;
    for (const SchemaColumn &c : to.columns) {
        const SchemaColumn *old = from.column(c.name);
        if (old && c.generated.isEmpty())
            copied << quote(c.name);
    }
    QString sql = QStringLiteral("-- rebuild %1: SQLite cannot ALTER this change in place\n").arg(to.name);
    sql += ddl.createTable(to, temp);
    if (!copied.isEmpty())
        sql += QStringLiteral("INSERT INTO %1 (%2) SELECT %2 FROM %3;\n").arg(quote(temp), copied.join(QStringLiteral(", ")), quote(to.name));
    sql += QStringLiteral("DROP TABLE %1;\n").arg(quote(from.name));
    sql += QStringLiteral("ALTER TABLE %1 RENAME TO %2;\n").arg(quote(temp), quote(to.name));
    return sql;
}

MigrationScript SqliteChangeWriter::write(const Schema &from, const Schema &to, const QSet<QString> &) const
{
    const SqliteSchemaDdl ddl;
    MigrationScript script;
    QString drops, tables, creates;
    QSet<QString> rebuilt;   // lower-case names of tables rebuilt or dropped: their indexes and triggers go with them
    QSet<QString> touched;   // tables whose columns change in any way: views and triggers mentioning them are redone
    QString alters;
    for (const TableChange &change : changedTables(from, to)) {
        bool needsRebuild = !change.changedColumns.isEmpty() || change.constraintsDiffer || change.optionsDiffer;
        for (const SchemaColumn &c : change.added)
            needsRebuild = needsRebuild || !canAddColumn(c);
        for (const SchemaColumn &c : change.dropped)
            needsRebuild = needsRebuild || !canDropColumn(*change.from, c.name);
        alters += renameHints(change, script.notes);
        touched << change.to->name.toLower();
        for (const SchemaColumn &c : change.dropped)
            alters += destructive(QStringLiteral("drops column %1.%2 and its data").arg(change.to->name, c.name), script.notes);
        if (needsRebuild) {
            rebuilt << change.to->name.toLower();
            alters += rebuild(*change.from, *change.to);
            script.foreignKeysOff = true;
            continue;
        }
        for (const SchemaColumn &c : change.added)
            alters += QStringLiteral("ALTER TABLE %1 ADD COLUMN %2;\n").arg(quote(change.to->name), ddl.columnDefinition(c, *change.to));
        for (const SchemaColumn &c : change.dropped)
            alters += QStringLiteral("ALTER TABLE %1 DROP COLUMN %2;\n").arg(quote(change.to->name), quote(c.name));
    }
    for (const SchemaTable &t : from.tables) {
        if (!to.table(t.name)) {
            rebuilt << t.name.toLower();
            touched << t.name.toLower();
            alters += destructive(QStringLiteral("drops table %1 and its rows").arg(t.name), script.notes);
            alters += QStringLiteral("DROP TABLE %1;\n").arg(quote(t.name));
            script.foreignKeysOff = true; // a dropped parent must not cascade into its children
        }
    }
    for (const SchemaTable &t : to.tables) {
        if (!from.table(t.name))
            tables += ddl.createTable(t);
    }
    const auto mentionsTouched = [&](const QString &definition) {
        for (const QString &t : touched) {
            if (SqlLexer::mentions(definition, t))
                return true;
        }
        return false;
    };

    // Views: drop the changed, removed and those reading a changed table or a dropped view;
    // create them again after.
    QSet<QString> viewsDropped;
    for (const SchemaView &v : viewsToDrop(from, to, touched)) {
        drops += QStringLiteral("DROP VIEW %1;\n").arg(quote(v.name));
        viewsDropped << v.name.toLower();
    }
    QList<SchemaView> viewsToCreate;
    for (const SchemaView &v : to.views) {
        if (!from.view(v.name) || viewsDropped.contains(v.name.toLower()))
            viewsToCreate << v;
    }
    // Triggers and indexes of tables that stay: drop the changed and removed (and triggers that
    // mention a changed table); those of rebuilt and new tables are all created after.
    QString triggerCreates, indexCreates;
    for (const SchemaTable &t : from.tables) {
        const SchemaTable *now = to.table(t.name);
        if (rebuilt.contains(t.name.toLower()))
            continue;
        for (const SchemaTrigger &tr : t.triggers) {
            const SchemaTrigger *match = nullptr;
            for (const SchemaTrigger &x : now->triggers) {
                if (x.name.compare(tr.name, Qt::CaseInsensitive) == 0)
                    match = &x;
            }
            if (!match || !sameTrigger(tr, *match) || mentionsTouched(tr.definition))
                drops += QStringLiteral("DROP TRIGGER %1;\n").arg(quote(tr.name));
        }
        for (const SchemaIndex &ix : t.indexes) {
            const SchemaIndex *match = nullptr;
            for (const SchemaIndex &x : now->indexes) {
                if (x.name.compare(ix.name, Qt::CaseInsensitive) == 0)
                    match = &x;
            }
            if (!match || !sameIndex(ix, *match))
                drops += QStringLiteral("DROP INDEX %1;\n").arg(quote(ix.name));
        }
    }
    for (const SchemaTable &t : to.tables) {
        const SchemaTable *was = from.table(t.name);
        const bool all = !was || rebuilt.contains(t.name.toLower());
        for (const SchemaIndex &ix : t.indexes) {
            const SchemaIndex *match = nullptr;
            for (const SchemaIndex &x : was ? was->indexes : QList<SchemaIndex>()) {
                if (x.name.compare(ix.name, Qt::CaseInsensitive) == 0)
                    match = &x;
            }
            if (all || !match || !sameIndex(ix, *match))
                indexCreates += ddl.createIndex(ix);
        }
        for (const SchemaTrigger &tr : t.triggers) {
            const SchemaTrigger *match = nullptr;
            for (const SchemaTrigger &x : was ? was->triggers : QList<SchemaTrigger>()) {
                if (x.name.compare(tr.name, Qt::CaseInsensitive) == 0)
                    match = &x;
            }
            if (all || !match || !sameTrigger(tr, *match) || mentionsTouched(match->definition))
                triggerCreates += tr.definition + QStringLiteral(";\n");
        }
    }
    for (const SchemaView &v : SchemaDdl::viewsInDependencyOrder(viewsToCreate))
        creates += ddl.createView(v);
    const ViewTriggers onViews = viewTriggers(from, to, viewsDropped, touched);
    for (const SchemaTrigger &tr : onViews.drop)
        drops += QStringLiteral("DROP TRIGGER %1;\n").arg(quote(tr.name));
    for (const SchemaTrigger &tr : onViews.create)
        triggerCreates += tr.definition + QStringLiteral(";\n");
    script.sql = drops + tables + alters + indexCreates + creates + triggerCreates;
    return script;
}

} // namespace dbdeck

#include "migrate/schemachangewriter.h"

#include "schema/sqllexer.h"

namespace dbdeck {

namespace {

bool mentionsAny(const QString &definition, const QSet<QString> &names)
{
    for (const QString &name : names) {
        if (SqlLexer::mentions(definition, name))
            return true;
    }
    return false;
}

const SchemaTrigger *triggerNamed(const QList<SchemaTrigger> &triggers, const QString &name)
{
    for (const SchemaTrigger &t : triggers) {
        if (t.name.compare(name, Qt::CaseInsensitive) == 0)
            return &t;
    }
    return nullptr;
}

} // namespace

std::unique_ptr<SchemaChangeWriter> SchemaChangeWriter::create(Backend backend)
{
    if (backend == Backend::Postgres)
        return std::make_unique<PostgresChangeWriter>();
    return std::make_unique<SqliteChangeWriter>();
}

bool SchemaChangeWriter::sameColumn(const SchemaColumn &a, const SchemaColumn &b)
{
    return SqlLexer::sameExpression(a.type, b.type) && a.notNull == b.notNull
        && SqlLexer::sameExpression(a.defaultValue, b.defaultValue) && a.collation == b.collation
        && SqlLexer::sameExpression(a.generated, b.generated) && a.generatedStored == b.generatedStored
        && a.identity == b.identity && a.primaryKeyPosition == b.primaryKeyPosition;
}

bool SchemaChangeWriter::sameIndex(const SchemaIndex &a, const SchemaIndex &b)
{
    if (!a.definition.isEmpty() || !b.definition.isEmpty())
        return SqlLexer::sameExpression(a.definition, b.definition);
    if (a.unique != b.unique || a.keys.size() != b.keys.size() || !SqlLexer::sameExpression(a.where, b.where)
        || a.table.compare(b.table, Qt::CaseInsensitive) != 0)
        return false;
    for (qsizetype i = 0; i < a.keys.size(); ++i) {
        if (!SqlLexer::sameExpression(a.keys.at(i).text(), b.keys.at(i).text()))
            return false;
    }
    return true;
}

bool SchemaChangeWriter::sameTrigger(const SchemaTrigger &a, const SchemaTrigger &b)
{
    return SqlLexer::sameExpression(a.definition, b.definition);
}

QList<SchemaChangeWriter::TableChange> SchemaChangeWriter::changedTables(const Schema &from, const Schema &to)
{
    QList<TableChange> changes;
    for (const SchemaTable &t : to.tables) {
        const SchemaTable *old = from.table(t.name);
        if (!old)
            continue;
        TableChange change;
        change.from = old;
        change.to = &t;
        for (const SchemaColumn &c : t.columns) {
            const SchemaColumn *was = old->column(c.name);
            if (!was)
                change.added << c;
            else if (!sameColumn(*was, c))
                change.changedColumns << c.name;
        }
        for (const SchemaColumn &c : old->columns) {
            if (!t.column(c.name))
                change.dropped << c;
        }
        QStringList a, b;
        for (const SchemaConstraint &c : old->constraints)
            a << c.name + QLatin1Char('|') + SqlLexer::comparisonKey(c.describe());
        for (const SchemaConstraint &c : t.constraints)
            b << c.name + QLatin1Char('|') + SqlLexer::comparisonKey(c.describe());
        a.sort();
        b.sort();
        change.constraintsDiffer = a != b;
        change.optionsDiffer = old->withoutRowid != t.withoutRowid || old->strict != t.strict || old->autoincrement != t.autoincrement;
        if (!change.added.isEmpty() || !change.dropped.isEmpty() || !change.changedColumns.isEmpty() || change.constraintsDiffer
            || change.optionsDiffer)
            changes << change;
    }
    return changes;
}

QString SchemaChangeWriter::renameHints(const TableChange &change, QStringList &notes)
{
    QString text;
    for (const SchemaColumn &gone : change.dropped) {
        for (const SchemaColumn &added : change.added) {
            if (!SqlLexer::sameExpression(gone.type, added.type))
                continue;
            const QString note = QStringLiteral("possible rename of %1.%2 to %1.%3: edit to ALTER TABLE %4 RENAME COLUMN %5 TO %6 if so")
                                     .arg(change.to->name, gone.name, added.name, quote(change.to->name), quote(gone.name), quote(added.name));
            notes << note;
            text += QStringLiteral("-- ") + note + QLatin1Char('\n');
        }
    }
    return text;
}

QList<SchemaView> SchemaChangeWriter::viewsToDrop(const Schema &from, const Schema &to, const QSet<QString> &touchedTables)
{
    QSet<QString> dropped; // lower case
    for (const SchemaView &v : from.views) {
        const SchemaView *now = to.view(v.name);
        if (!now || !SqlLexer::sameExpression(now->definition, v.definition) || mentionsAny(v.definition, touchedTables))
            dropped << v.name.toLower();
    }
    for (bool grew = true; grew;) {
        grew = false;
        for (const SchemaView &v : from.views) {
            if (!dropped.contains(v.name.toLower()) && mentionsAny(v.definition, dropped)) {
                dropped << v.name.toLower();
                grew = true;
            }
        }
    }
    const QList<SchemaView> ordered = SchemaDdl::viewsInDependencyOrder(from.views);
    QList<SchemaView> drops;
    for (auto it = ordered.crbegin(); it != ordered.crend(); ++it) {
        if (dropped.contains(it->name.toLower()))
            drops << *it;
    }
    return drops;
}

SchemaChangeWriter::ViewTriggers SchemaChangeWriter::viewTriggers(const Schema &from, const Schema &to, const QSet<QString> &viewsDropped,
                                                                 const QSet<QString> &touchedTables)
{
    ViewTriggers change;
    for (const SchemaView &v : to.views) {
        const SchemaView *was = from.view(v.name);
        const bool created = !was || viewsDropped.contains(v.name.toLower());
        for (const SchemaTrigger &tr : v.triggers) {
            const SchemaTrigger *old = created ? nullptr : triggerNamed(was->triggers, tr.name);
            if (!old || !sameTrigger(*old, tr) || mentionsAny(old->definition, touchedTables))
                change.create << tr;
        }
    }
    for (const SchemaView &v : from.views) {
        const SchemaView *now = to.view(v.name);
        if (!now || viewsDropped.contains(v.name.toLower()))
            continue; // its triggers go with it
        for (const SchemaTrigger &tr : v.triggers) {
            const SchemaTrigger *match = triggerNamed(now->triggers, tr.name);
            if (!match || !sameTrigger(tr, *match) || mentionsAny(tr.definition, touchedTables))
                change.drop << tr;
        }
    }
    return change;
}

QString SchemaChangeWriter::destructive(const QString &what, QStringList &notes)
{
    notes << QStringLiteral("destructive: ") + what;
    return QStringLiteral("-- DESTRUCTIVE: %1\n").arg(what);
}

} // namespace dbdeck

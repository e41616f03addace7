#include "schematreemodel.h"

#include "schema/schemaddl.h"

#include <QLocale>

namespace dbdeck::gui {

namespace {

QList<QStandardItem *> row(const QString &object, const QString &definition, const QString &kind, const QString &name,
                           const QString &table = {})
{
    auto *objectItem = new QStandardItem(object);
    objectItem->setData(kind, SchemaTreeModel::KindRole);
    objectItem->setData(name, SchemaTreeModel::NameRole);
    objectItem->setData(table, SchemaTreeModel::TableRole);
    objectItem->setToolTip(object);
    auto *definitionItem = new QStandardItem(QString(definition).replace(QLatin1Char('\n'), QLatin1Char(' ')).simplified());
    definitionItem->setToolTip(definition);
    auto *rowsItem = new QStandardItem;
    rowsItem->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    QList<QStandardItem *> items{objectItem, definitionItem, rowsItem};
    for (QStandardItem *item : items)
        item->setEditable(false);
    return items;
}

QStandardItem *group(QStandardItem *parent, const QString &title, qsizetype count, const QString &table = {})
{
    QList<QStandardItem *> items = row(QStringLiteral("%1 (%2)").arg(title).arg(count), QString(), QStringLiteral("group"), QString(), table);
    parent->appendRow(items);
    return items.first();
}

} // namespace

SchemaTreeModel::SchemaTreeModel(QObject *parent) : QStandardItemModel(parent)
{
    setHorizontalHeaderLabels({tr("Object"), tr("Definition"), tr("Rows")});
}

void SchemaTreeModel::clearSchema()
{
    removeRows(0, rowCount());
    m_rowsCells.clear();
    m_counts.clear();
    m_schema = {};
}

void SchemaTreeModel::setSchema(const Schema &schema)
{
    removeRows(0, rowCount());
    m_rowsCells.clear();
    m_schema = schema;
    QStandardItem *root = invisibleRootItem();
    QStandardItem *tables = group(root, tr("Tables"), schema.tables.size());
    for (const SchemaTable &table : schema.tables)
        addTable(tables, table);
    if (!schema.views.isEmpty()) {
        QStandardItem *views = group(root, tr("Views"), schema.views.size());
        for (const SchemaView &view : schema.views)
            views->appendRow(row(view.name, view.definition, QStringLiteral("view"), view.name));
    }
    if (!schema.sequences.isEmpty()) {
        QStandardItem *sequences = group(root, tr("Sequences"), schema.sequences.size());
        for (const SchemaSequence &s : schema.sequences)
            sequences->appendRow(row(s.name, tr("%1, start %2, increment %3").arg(s.type).arg(s.start).arg(s.increment),
                                     QStringLiteral("sequence"), s.name));
    }
    if (!schema.enums.isEmpty()) {
        QStandardItem *enums = group(root, tr("Enums"), schema.enums.size());
        for (const SchemaEnum &e : schema.enums)
            enums->appendRow(row(e.name, e.labels.join(QStringLiteral(", ")), QStringLiteral("enum"), e.name));
    }
    if (!schema.functions.isEmpty()) {
        QStandardItem *functions = group(root, tr("Functions"), schema.functions.size());
        for (const SchemaFunction &f : schema.functions)
            functions->appendRow(row(f.name, QString(), QStringLiteral("function"), f.name));
    }
    for (const QString &table : m_rowsCells.keys())
        showCount(table);
}

void SchemaTreeModel::addTable(QStandardItem *tables, const SchemaTable &table)
{
    const auto ddl = SchemaDdl::create(m_schema.backend);
    QStringList options;
    if (table.withoutRowid)
        options << QStringLiteral("WITHOUT ROWID");
    if (table.strict)
        options << QStringLiteral("STRICT");
    const QString summary = tr("%n column(s)", nullptr, int(table.columns.size()))
                            + (options.isEmpty() ? QString() : QStringLiteral(" · ") + options.join(QStringLiteral(", ")));
    QList<QStandardItem *> items = row(table.name, summary, QStringLiteral("table"), table.name, table.name);
    m_rowsCells.insert(table.name, items.at(RowsColumn));
    tables->appendRow(items);
    QStandardItem *item = items.first();

    QStandardItem *columns = group(item, tr("Columns"), table.columns.size(), table.name);
    for (const SchemaColumn &c : table.columns) {
        QString definition = ddl->columnDefinition(c, table).mid(SchemaDdl::quote(c.name).size()).trimmed();
        if (c.primaryKeyPosition > 0 && !definition.contains(QLatin1String("PRIMARY KEY")))
            definition += tr(" · primary key (%1)").arg(c.primaryKeyPosition);
        columns->appendRow(row(c.name, definition, QStringLiteral("column"), c.name, table.name));
    }
    const auto addConstraints = [&](const QString &title, const QList<ConstraintKind> &kinds) {
        QList<SchemaConstraint> found;
        for (ConstraintKind kind : kinds)
            found += table.constraintsOf(kind);
        if (found.isEmpty())
            return;
        QStandardItem *parent = group(item, title, found.size(), table.name);
        for (const SchemaConstraint &c : found)
            parent->appendRow(row(c.name.isEmpty() ? tr("(unnamed)") : c.name, c.describe(), QStringLiteral("constraint"), c.label(), table.name));
    };
    addConstraints(tr("Keys"), {ConstraintKind::PrimaryKey, ConstraintKind::Unique});
    if (!table.indexes.isEmpty()) {
        QStandardItem *indexes = group(item, tr("Indexes"), table.indexes.size(), table.name);
        for (const SchemaIndex &index : table.indexes) {
            QStringList keys;
            for (const SchemaIndexKey &k : index.keys)
                keys << k.text();
            QString definition = (index.unique ? QStringLiteral("UNIQUE ") : QString()) + QStringLiteral("(%1)").arg(keys.join(QStringLiteral(", ")));
            if (!index.where.isEmpty())
                definition += QStringLiteral(" WHERE ") + index.where;
            indexes->appendRow(row(index.name, definition, QStringLiteral("index"), index.name, table.name));
        }
    }
    addConstraints(tr("Foreign keys"), {ConstraintKind::ForeignKey});
    addConstraints(tr("Checks"), {ConstraintKind::Check});
    if (!table.triggers.isEmpty()) {
        QStandardItem *triggers = group(item, tr("Triggers"), table.triggers.size(), table.name);
        for (const SchemaTrigger &t : table.triggers)
            triggers->appendRow(row(t.name, t.definition, QStringLiteral("trigger"), t.name, table.name));
    }
}

void SchemaTreeModel::setCounts(const QList<TableCount> &counts)
{
    m_counts.clear();
    for (const TableCount &c : counts)
        m_counts.insert(c.table, c);
    for (const QString &table : m_rowsCells.keys())
        showCount(table);
}

void SchemaTreeModel::showCount(const QString &table)
{
    QStandardItem *cell = m_rowsCells.value(table);
    if (!cell)
        return;
    const auto it = m_counts.constFind(table);
    const QString text = it == m_counts.cend() ? QString() : QLocale().toString(it->rows);
    if (cell->text() != text)
        cell->setText(text);
}

QString SchemaTreeModel::ddlFor(const QModelIndex &index) const
{
    if (!index.isValid())
        return {};
    const QModelIndex first = index.siblingAtColumn(ObjectColumn);
    const QString kind = first.data(KindRole).toString();
    const QString name = first.data(NameRole).toString();
    const QString tableName = first.data(TableRole).toString();
    const auto ddl = SchemaDdl::create(m_schema.backend);
    const SchemaTable *table = m_schema.table(tableName);
    if (kind == QLatin1String("group"))
        return table ? ddl->objectDdl(m_schema, QStringLiteral("table"), tableName) : ddl->script(m_schema);
    if (kind == QLatin1String("column") && table) {
        const SchemaColumn *column = table->column(name);
        return column ? ddl->columnDefinition(*column, *table) : QString();
    }
    if (kind == QLatin1String("constraint") && table) {
        for (const SchemaConstraint &c : table->constraints) {
            if (c.label() == name)
                return (c.name.isEmpty() ? QString() : QStringLiteral("CONSTRAINT %1 ").arg(SchemaDdl::quote(c.name))) + c.describe();
        }
        return {};
    }
    return ddl->objectDdl(m_schema, kind, name);
}

} // namespace dbdeck::gui

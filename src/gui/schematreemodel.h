#pragma once

#include "admin/tablecounter.h"
#include "schema/schemamodel.h"

#include <QHash>
#include <QStandardItemModel>

namespace dbdeck::gui {

// The Schema tab's tree: Tables → each table → Columns, Keys, Indexes, Foreign keys, Checks,
// Triggers (a group only when the table has such objects); Views; on PostgreSQL also Sequences,
// Enums, Functions. Three columns: the object, its definition in one line, a table's rows.
// A schema is a few thousand items at most, so it is built in one go per read; counts arrive
// later (from the Tables tab's count) and only touch the Rows cells.
class SchemaTreeModel : public QStandardItemModel
{
    Q_OBJECT

public:
    enum Column { ObjectColumn, DefinitionColumn, RowsColumn };
    static constexpr int KindRole = Qt::UserRole + 1;  // "table", "column", "constraint", "index", ... "group"
    static constexpr int NameRole = Qt::UserRole + 2;  // the object's name ("" for a group)
    static constexpr int TableRole = Qt::UserRole + 3; // the owning table, if any

    explicit SchemaTreeModel(QObject *parent = nullptr);

    void setSchema(const Schema &schema);
    const Schema &schema() const { return m_schema; }
    void setCounts(const QList<TableCount> &counts);
    void clearSchema();

    // The DDL of what an item of this model stands for: an object's own DDL (SchemaDdl::objectDdl),
    // a column's or constraint's definition, a table's DDL for its groups, the whole script for a
    // top-level group.
    QString ddlFor(const QModelIndex &index) const;

private:
    void addTable(QStandardItem *tables, const SchemaTable &table);
    void showCount(const QString &table);

    Schema m_schema;
    QHash<QString, TableCount> m_counts;
    QHash<QString, QStandardItem *> m_rowsCells; // table name → its Rows cell
};

} // namespace dbdeck::gui

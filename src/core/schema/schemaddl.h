#pragma once

#include "schema/schemamodel.h"

#include <memory>

namespace dbdeck {

// Canonical DDL of a schema model, one writer per backend. script() is the dump a repository can
// commit (`dbdeck-cli schema`): stable order, one statement per object, each ending in ";\n";
// applied to an empty database it gives the same model again. The single-object functions are
// what autogenerate builds migrations from and what the GUI shows for a selected object.
class SchemaDdl
{
public:
    virtual ~SchemaDdl() = default;
    static std::unique_ptr<SchemaDdl> create(Backend backend);

    virtual QString script(const Schema &schema) const = 0;
    // CREATE TABLE with its columns and constraints (on PostgreSQL without foreign keys when
    // withForeignKeys is false: the script adds them once every table exists).
    virtual QString createTable(const SchemaTable &table, const QString &name = {}, bool withForeignKeys = true) const = 0;
    virtual QString columnDefinition(const SchemaColumn &column, const SchemaTable &table) const = 0;
    virtual QString createIndex(const SchemaIndex &index) const = 0;
    virtual QString createView(const SchemaView &view) const = 0;
    // The DDL of one object as the GUI shows it: kind is "table" (with its indexes and triggers),
    // "index", "trigger", "view", "sequence", "enum" or "function". Empty if there is no such object.
    QString objectDdl(const Schema &schema, const QString &kind, const QString &name) const;

    // Views in an order where each comes after the views it reads from.
    static QList<SchemaView> viewsInDependencyOrder(const QList<SchemaView> &views);
    static QString quote(const QString &name);
    static QString columnList(const QStringList &columns);

protected:
    // The end of every script: indexes, then views (dependencies first), then triggers.
    QString indexesViewsAndTriggers(const Schema &schema) const;
};

class SqliteSchemaDdl : public SchemaDdl
{
public:
    QString script(const Schema &schema) const override;
    QString createTable(const SchemaTable &table, const QString &name = {}, bool withForeignKeys = true) const override;
    QString columnDefinition(const SchemaColumn &column, const SchemaTable &table) const override;
    QString createIndex(const SchemaIndex &index) const override;
    QString createView(const SchemaView &view) const override;
};

class PostgresSchemaDdl : public SchemaDdl
{
public:
    QString script(const Schema &schema) const override;
    QString createTable(const SchemaTable &table, const QString &name = {}, bool withForeignKeys = true) const override;
    QString columnDefinition(const SchemaColumn &column, const SchemaTable &table) const override;
    QString createIndex(const SchemaIndex &index) const override;
    QString createView(const SchemaView &view) const override;
    QString createSequence(const SchemaSequence &sequence) const;
    QString createEnum(const SchemaEnum &type) const;
    QString addConstraint(const QString &table, const SchemaConstraint &constraint) const;
};

} // namespace dbdeck

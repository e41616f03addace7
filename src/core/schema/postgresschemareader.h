#pragma once

#include "schema/schemareader.h"

#include <QHash>

namespace dbdeck {

// PostgreSQL: the current schema from pg_catalog (tables, columns with identity and generated
// expressions, constraints, indexes, triggers, views, standalone sequences, enum types,
// functions), the server's own printing of every expression (pg_get_expr, pg_get_*def).
class PostgresSchemaReader : public SchemaReader
{
public:
    explicit PostgresSchemaReader(Database &db) : m_db(db) {}
    Schema read() override;

private:
    void readTables(Schema &schema);
    void readColumns(Schema &schema, const QHash<QString, QString> &tableByOid);
    void readConstraints(Schema &schema, const QHash<QString, QString> &tableByOid);
    void readIndexes(Schema &schema, const QHash<QString, QString> &tableByOid);
    void readTriggers(Schema &schema, const QHash<QString, QString> &tableByOid);
    void readOthers(Schema &schema);
    // The server prints its own schema in front of names ("ON public.runs"); the model does
    // not, so that a scratch schema and the live one compare equal.
    QString unqualified(const QString &text) const;

    Database &m_db;
    QString m_schema;
    QList<SchemaTrigger> m_viewTriggers; // read with the tables' triggers, attached to the views after
};

} // namespace dbdeck

#pragma once

#include "schema/schemareader.h"

namespace dbdeck {

// SQLite: PRAGMA table_xinfo / index_list / index_xinfo / foreign_key_list for what they tell,
// SqliteDdlParser on sqlite_schema.sql for the rest.
class SqliteSchemaReader : public SchemaReader
{
public:
    explicit SqliteSchemaReader(Database &db) : m_db(db) {}
    Schema read() override;

private:
    SchemaTable readTable(const QString &name, const QString &sql);
    void readForeignKeys(SchemaTable &table, const QList<SchemaConstraint> &parsed);
    void readIndexes(SchemaTable &table, const QHash<QString, QString> &indexSql);

    Database &m_db;
};

} // namespace dbdeck

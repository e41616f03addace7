#include "schema/schemareader.h"

#include "db/database.h"
#include "schema/postgresschemareader.h"
#include "schema/sqliteschemareader.h"

namespace dbdeck {

std::unique_ptr<SchemaReader> SchemaReader::create(Database &db)
{
    if (db.backend() == Backend::Postgres)
        return std::make_unique<PostgresSchemaReader>(db);
    return std::make_unique<SqliteSchemaReader>(db);
}

} // namespace dbdeck

#pragma once

#include "schema/schemamodel.h"

#include <memory>

namespace dbdeck {

class Database;

// Reads a database's schema into the model. Only reads: one read transaction (one snapshot), no
// write, no dbdeck table created; a SQLite file that does not exist reads as an empty schema
// and is not created. Use from any thread: it runs on that thread's connection.
//
// The GUI's worker calls SchemaReader::create(db)->read() and shows Schema::tables (columns,
// constraints, indexes, triggers), Schema::views, and SchemaDdl::objectDdl() for the selection.
class SchemaReader
{
public:
    virtual ~SchemaReader() = default;
    virtual Schema read() = 0;

    // The reader for db's backend. PostgreSQL reads the connection's current schema (the first
    // of its search_path) and names the database's other user schemas.
    static std::unique_ptr<SchemaReader> create(Database &db);
};

} // namespace dbdeck

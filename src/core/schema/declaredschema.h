#pragma once

#include "config/dbconfig.h"
#include "schema/schemamodel.h"

namespace dbdeck {

// The declared schema (SCHEMA_DIR): plain DDL files that state the desired schema, dbdeck's
// counterpart of SQLAlchemy's target_metadata. It is normalised by applying it to a scratch
// database of the configured backend and reading that back, so spelling and formatting never
// show as differences.
class DeclaredSchema
{
public:
    // The files of a folder (*.sql in name order) or the one file given. Throws SchemaError when
    // the path does not exist or holds no .sql file.
    static QStringList files(const QString &path);
    // Throws SchemaError naming the file and statement that the scratch database refused.
    static Schema load(const QString &path, const DbConfig &like);
};

} // namespace dbdeck

#pragma once

#include "db/database.h"
#include "migrate/migrator.h"
#include "testsupport.h"

#include <memory>

namespace dbdeck::test {

// A database file with the shipped application schema applied.
inline std::unique_ptr<Database> migratedDatabase(const QString &path,
                                                  std::initializer_list<std::pair<const char *, const char *>> settings = {})
{
    auto db = std::make_unique<Database>(configFor(sqliteUrl(path), settings));
    Migrator(*db, MigrationSet::load(QStringLiteral(DBDECK_SOURCE_DIR "/migrations"))).upgrade({});
    return db;
}

} // namespace dbdeck::test

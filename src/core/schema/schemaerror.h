#pragma once

#include "db/errors.h"

namespace dbdeck {

// The declared schema cannot be read or applied, or a generated migration failed its check; the
// message says which file or statement and why.
class SchemaError : public DbError
{
public:
    using DbError::DbError;
};

} // namespace dbdeck

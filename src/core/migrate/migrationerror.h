#pragma once

#include "db/errors.h"

namespace dbdeck {

// A migration cannot be loaded, planned or applied; the message says which file and why.
class MigrationError : public DbError
{
public:
    using DbError::DbError;
};

// Another process holds the migration lock past --lock-timeout; the message says who.
class LockTimeoutError : public BusyError
{
public:
    using BusyError::BusyError;
};

} // namespace dbdeck

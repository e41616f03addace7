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

// The migration lock was lost while migrating (PostgreSQL: the session that held it ended);
// dbdeck stopped at the next step instead of going on without it.
class LockLostError : public MigrationError
{
public:
    using MigrationError::MigrationError;
};

} // namespace dbdeck

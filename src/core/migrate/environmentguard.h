#pragma once

#include <QString>

namespace dbdeck {

class Database;

// Protected environments: PROTECTED_ENVS (default production, prod, live), compared in any case.
// A database is protected when the configured APP_ENV is one of them, or when the environment
// tag recorded in the database (dbdeck_metadata app_env, written when it is migrated) is: the
// configured APP_ENV protects as much as the tag. A protected database is never reset, and is
// downgraded only when the user says so explicitly and types its name.
class EnvironmentGuard
{
public:
    explicit EnvironmentGuard(Database &db);

    // The name a user types to confirm a destructive operation: the SQLite file's name without
    // its extension ("app"), PostgreSQL's database name.
    QString databaseName() const;
    // The tag recorded in the database, or empty (none yet, or no dbdeck tables). Reads only.
    QString recordedTag();
    // Why the database is protected, for messages (`APP_ENV is "Prod", a protected environment
    // (PROTECTED_ENVS: production, prod, live)`), or empty when it is not.
    QString protection();
    // Records the configured APP_ENV as the database's tag, in a write transaction of its own;
    // a protected tag is never replaced by one that is not. Needs dbdeck's tables.
    void recordTag();

private:
    Database &m_db;
};

} // namespace dbdeck

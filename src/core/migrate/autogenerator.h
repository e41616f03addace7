#pragma once

#include "config/dbconfig.h"
#include "migrate/migrationdraft.h"
#include "migrate/migrationset.h"
#include "schema/schemadiff.h"

#include <QSet>

namespace dbdeck {

class Database;

struct AutogenerateResult
{
    Schema current;  // what the migrations produce from scratch
    Schema target;   // the declared schema
    QList<SchemaDifference> differences; // current -> target
    QList<MigrationDraft> drafts;        // empty when nothing differs; two on PostgreSQL when an
                                         // index is built CONCURRENTLY (a transaction:false file)
};

// `revision --autogenerate`: the migration(s) from the schema after all migrations to the
// declared schema, and back. Every draft is verified before anything is written: applied to a
// scratch database holding the current schema, up must reach the declared schema exactly and
// down must return to the current one, or nothing is written and SchemaError says why.
class Autogenerator
{
public:
    Autogenerator(const DbConfig &config, MigrationSet set, QString schemaPath);

    // tablesWithRows: tables of the live database that hold rows; on PostgreSQL an index added
    // to one of them is built with CREATE INDEX CONCURRENTLY in a transaction:false migration.
    AutogenerateResult generate(const QString &message, const QSet<QString> &tablesWithRows = {}) const;
    // Throws SchemaError when a draft does not reach the target or its down does not return.
    void verify(const AutogenerateResult &result) const;
    // verify(), then writes the files (the next numbers in MIGRATIONS_DIR); returns their paths.
    QStringList write(const AutogenerateResult &result, const QString &message) const;

    // Tables of the live database that hold rows (PostgreSQL only; SQLite builds no index
    // CONCURRENTLY, so none): what `revision --autogenerate` and the inspector pass to generate().
    static QSet<QString> tablesWithRows(Database &db);

    // The drafts for two given schemas (no files read): what generate() builds on.
    static QList<MigrationDraft> draftsFor(const Schema &current, const Schema &target, const QString &message,
                                           const QSet<QString> &tablesWithRows = {});

private:
    DbConfig m_config;
    MigrationSet m_set;
    QString m_schemaPath;
};

} // namespace dbdeck

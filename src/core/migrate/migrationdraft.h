#pragma once

#include <QString>
#include <QStringList>

namespace dbdeck {

// One migration file that autogenerate wrote in memory, before it is verified and written.
struct MigrationDraft
{
    QString message;
    QString up;   // the up section's SQL (statements ending in ";", comments allowed)
    QString down;
    bool upForeignKeysOff = false;   // "-- migrate:up foreign_keys:off": a SQLite rebuild
    bool downForeignKeysOff = false;
    bool transactional = true;       // false: "transaction:false" (CREATE INDEX CONCURRENTLY)
    QStringList notes;               // possible renames and destructive steps, for people

    bool isEmpty() const { return up.trimmed().isEmpty() && down.trimmed().isEmpty(); }
    // The whole file, markers included.
    QString text() const;
};

// What one direction of a migration needs: its statements and whether it rebuilds tables.
struct MigrationScript
{
    QString sql;
    bool foreignKeysOff = false;
    QStringList notes;
};

} // namespace dbdeck

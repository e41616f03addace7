#pragma once

#include "migrate/migrationplanner.h"
#include "schema/schemamodel.h"

#include <QJsonObject>

namespace dbdeck {

class Database;

// One thing a pending migration would do to rows that are already in the database.
struct PreflightFinding
{
    enum class Kind {
        NotNull,    // a column becomes NOT NULL (or is added NOT NULL without a default)
        Unique,     // a UNIQUE/PRIMARY KEY constraint or a unique index is added
        Check,      // a CHECK constraint is added
        ForeignKey, // a FOREIGN KEY is added
        TypeChange, // a column's type changes: rows whose value would not convert
        Copy,       // a SQLite table rebuild or a PostgreSQL table rewrite: rows to copy
    };
    Kind kind = Kind::Check;
    qint64 version = 0;
    QString migration;   // the file's name: "0003_paused_runs"
    QString table;
    QString subject;     // "level NOT NULL", "UNIQUE (email)", "CHECK (level IN (...))", "level TEXT -> INTEGER"
    qint64 tableRows = 0;
    // Rows that would violate the constraint or not convert; 0: none; -1: could not be counted
    // (note says why). Copy findings have no violations (-1 is not used for them).
    qint64 violations = 0;
    QStringList examples; // up to five, "id=7: level=NULL"
    QString note;
    double estimatedSeconds = 0; // Copy: the estimated time of the copy

    // PostgreSQL NOT VALID: the migration does not check the existing rows, a later VALIDATE
    // CONSTRAINT will; the count is shown but does not fail the preflight.
    bool notValid = false;

    bool violates() const { return violations > 0 && !notValid; }
    QString kindName() const; // "not-null", "unique", "check", "foreign-key", "type-change", "copy"
    QString toString() const;
};

struct PreflightReport
{
    qint64 from = 0;
    qint64 to = 0;
    QStringList migrations; // the pending ones checked, in order
    QList<PreflightFinding> findings;
    QStringList notes;      // what could not be checked, and why

    int violationCount() const; // findings with rows that would violate
    QList<PreflightFinding> findingsFor(qint64 version) const;
    QJsonObject toJson() const;
    QString toText() const;
};

// Checks pending migrations against the live rows before they run (`upgrade --preflight`, and
// the inspector before Apply): for each migration, what it changes is found by applying the
// migrations to a ScratchDatabase and comparing the schema before and after it; every new NOT
// NULL, UNIQUE, CHECK and FOREIGN KEY on a table with rows is then counted on the live rows (with
// up to five examples), type changes count the values that would not convert, and SQLite
// rebuilds / PostgreSQL rewrites give the rows to copy and an estimated time.
//
// Reads only: one read transaction on the live database (READ ONLY on PostgreSQL), nothing is
// recorded, no lock is taken. Rows are counted as they are now: a pending migration that changes
// the rows of a table before constraining it is noted beside the finding.
class Preflight
{
public:
    static PreflightReport run(Database &db, const MigrationSet &set, const MigrationPlan &plan);

    // Rows per second the copy estimate assumes (measured by dbdeck-bench; see the README).
    static double copyRowsPerSecond(Backend backend);
};

} // namespace dbdeck

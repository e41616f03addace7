#pragma once

#include "admin/healthcheck.h"
#include "admin/tablecounter.h"
#include "db/database.h"
#include "migrate/lintfinding.h"
#include "migrate/migrationjournal.h"
#include "migrate/migrationstatus.h"
#include "migrate/preflight.h"
#include "store/recentquery.h"
#include "store/records.h"

#include <QDateTime>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

namespace dbdeck::gui {

// The size of a SQLite database's file and its -wal file; -1 when there is none.
struct FileSizes
{
    qint64 fileBytes = -1;
    qint64 walBytes = -1;
    bool operator==(const FileSizes &other) const = default;
};

// What the window shows about the open database.
struct ConnectionSummary
{
    QString displayUrl;    // password as ***
    QString driver;        // "SQLite 3.40.1" / "PostgreSQL"
    QString filePath;      // SQLite file, empty otherwise
    FileSizes sizes;
    QString environment;   // the tag recorded in the database, or "untagged"
    bool isNew = false;    // the file does not exist yet
    WriteAccess writeAccess; // whether write actions can work at all, and why not
    bool lookingOnly = false; // opened read-only, to look (Database::Access::LookFirst): a SQLite file, a PostgreSQL session
    QList<ConnectionInfo> connections;
    QStringList warnings;
};

struct MigrationView
{
    StatusReport status;
    QList<JournalEntry> journal;
    QString applyBlockedReason; // why Apply pending is disabled; empty when it is enabled
    QString writeRefusal;       // why nothing can be written (read-only file, folder, URL), or empty
    QString migrationsDir;      // absolute, for the file watcher
};

// Where the last Apply failed: the migration, and (when known) its statement, 1-based.
struct ApplyFailure
{
    QString message;
    qint64 version = 0;
    QString name;
    int statement = 0;
    int line = 0; // the statement's first line in the migration file
};

struct ApplyOutcome
{
    QStringList done;
    bool cancelled = false;
    std::optional<ApplyFailure> failure;
};

// A recovery action on an interrupted or failed-partial transaction:false migration, as the
// CLI's resume / mark-applied / mark-not-applied.
struct RecoveryRequest
{
    enum class Action { Resume, MarkApplied, MarkNotApplied };
    Action action = Action::Resume;
    qint64 version = 0;
    int fromStatement = 0; // Resume: 1-based
};

struct RecoveryOutcome
{
    RecoveryRequest request;
    QString message;    // what was done, or why it was refused / failed
    bool ok = false;
    bool cancelled = false;
};

// Adopting a database dbdeck does not manage, as the CLI's `baseline VERSION [--accept-differences]`.
struct AdoptRequest
{
    QString version; // "0002"
    bool acceptDifferences = false;
};

struct AdoptOutcome
{
    AdoptRequest request;
    QString message; // what was recorded, or why it was refused / failed
    bool ok = false;
    bool drift = false; // refused because the schema differs (message lists how)
};

// What lint and the preflight found for one pending migration.
struct MigrationFindings
{
    QList<LintFinding> lint;
    QList<PreflightFinding> preflight;

    int lintErrors() const;
    int lintWarnings() const;
    int violations() const;       // preflight findings with rows that would violate
    qint64 violatingRows() const; // their rows, summed
};

// Lint and preflight of the pending migrations, before Apply.
struct PendingFindings
{
    quint64 generation = 0;
    QString key;                       // which pending files were checked (versions and checksums)
    QMap<qint64, MigrationFindings> byVersion;
    QStringList notes;                 // what could not be checked, and why

    int lintErrors() const;
    int violations() const;
};

struct HealthReport
{
    QString check; // "integrity" or "foreign keys"
    QStringList findings;
};

struct CountsReport
{
    QList<TableCount> counts;
    QDateTime takenAt; // UTC
    qint64 elapsedMs = 0;
    bool complete = true;  // false: cancelled; counts holds the tables counted before
    QString note;          // why it is incomplete
};

// Views whose requests supersede one another: a request that a newer one of the same view has
// made obsolete is skipped by the worker, and its late answer ignored by the panel.
enum class View { Open, Migrations, Runs, Events, Indexes, ResetCheck, Counts, Schema, Findings, Count_ };

enum class PageKind {
    First,   // the first page, for new filters or another run
    More,    // the next page, as the view scrolls
    Refresh, // runs: the range shown, again (live update)
    Newer,   // events: those after the newest shown (live tail)
};

struct RunsRequest
{
    quint64 generation = 0;
    PageKind kind = PageKind::First;
    RunQuery query;
};

struct RunsPage
{
    quint64 generation = 0;
    PageKind kind = PageKind::First;
    QList<Run> runs;
    qint64 total = 0;
    bool hasMore = false;
    bool tablesMissing = false; // the database has no runs/events tables (yet)
};

struct EventsRequest
{
    quint64 generation = 0;
    PageKind kind = PageKind::First;
    EventQuery query;
    qint64 knownTotal = -1; // Newer: the total the view shows
};

struct EventsPage
{
    quint64 generation = 0;
    PageKind kind = PageKind::First;
    QString runId;
    QList<Event> events;
    qint64 total = 0;
    bool hasMore = false;
    bool startOver = false; // Newer: too many arrived, or some went: load the first page again
};

} // namespace dbdeck::gui

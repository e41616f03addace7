#pragma once

#include <QString>
#include <QVariantList>

#include <optional>

namespace dbdeck {

// Which runs, newest first (created_at, then id). Paging is keyset paging by a run's id, so a
// page costs the same at the millionth row as at the first and rows written meanwhile neither
// repeat nor go missing.
struct RunQuery
{
    // The leading fields as positional arguments, so that RunQuery{10, "failed"} reads as before.
    RunQuery(int limit = 50, QString status = {}, QString kind = {}, QString text = {})
        : limit(limit), status(std::move(status)), kind(std::move(kind)), text(std::move(text))
    {
    }

    int limit = 50;
    QString status; // empty: any
    QString kind;   // empty: any
    QString text;   // substring of id, kind or error; empty: any
    QString olderThan; // the next page: runs after this run (by id) in newest-first order
    QString downTo;    // a refresh of what is shown: from the newest down to this run, inclusive
};

// Which events. Of one run (runId given): newest first by seq, or oldest first; of any run:
// newest first by created_at, then id.
struct EventQuery
{
    EventQuery(int limit = 100, QString runId = {}, QString minLevel = {}, bool oldestFirst = false)
        : limit(limit), runId(std::move(runId)), minLevel(std::move(minLevel)), oldestFirst(oldestFirst)
    {
    }

    int limit = 100;
    QString runId;    // empty: any run
    QString minLevel; // empty: all; e.g. "warning" gives warning and error
    bool oldestFirst = false;        // a run's events from seq 1 up instead of from the newest down
    std::optional<qint64> beforeSeq; // a run's events with seq below this (the next newest-first page)
    std::optional<qint64> afterSeq;  // a run's events with seq above this (the next oldest-first page, the live tail)
    QString olderThan;               // any run: the next page, after this event (by id)
};

// One statement and its positional parameters.
struct SqlQueryText
{
    QString sql;
    QVariantList params;
};

// Builds the statements behind Store::recentRuns/recentEvents and their counts, so that their
// query plans can be checked (every page is an index range scan: EXPLAIN in tst_store). The same
// SQL runs on SQLite and PostgreSQL. Throws ConstraintError for an unknown status or level.
class RecentQuery
{
public:
    static SqlQueryText runs(const RunQuery &query);
    static SqlQueryText runCount(const RunQuery &query);
    static SqlQueryText events(const EventQuery &query);
    static SqlQueryText eventCount(const EventQuery &query);

    static QString runColumns();
    static QString eventColumns();
};

} // namespace dbdeck

#pragma once

#include "store/recentquery.h"
#include "store/records.h"

#include <QList>
#include <QString>

#include <functional>

namespace dbdeck {

class Database;

struct StoreLimits
{
    // Longer messages are cut to this many characters (code points, as Python's len() counts), ending in a visible marker; the original
    // length is kept in message_original_length. (The column allows up to 16384.)
    int messageMaxChars = 4000;
    // Larger payloads are refused rather than stored: dbdeck has no blob store to move them to,
    // and a file written beside the database would outlive a rolled-back batch. Store such data
    // elsewhere and pass its location as payload_uri.
    int payloadMaxBytes = 256 * 1024;
};

struct NewRun
{
    QString id;                // empty: a new UUIDv7
    QString kind;
    QString status = QStringLiteral("running");
    JsonValue params = JsonValue::object();
    std::optional<UtcTime> createdAt; // empty: now
};

struct NewEvent
{
    QString id;                // empty: a new UUIDv7
    std::optional<qint64> seq; // empty: the run's next
    QString level = QStringLiteral("info");
    QString kind;
    QString message;
    std::optional<JsonValue> payload;
    QString payloadUri;
    std::optional<UtcTime> createdAt; // empty: now
};

// The application's runs and events. Writes are short BEGIN IMMEDIATE transactions; a batch of
// events is one transaction. SQLITE_BUSY past busy_timeout is retried a few times with backoff
// (logged under dbdeck.db) before BusyError reaches the caller.
class Store
{
public:
    explicit Store(Database &db, StoreLimits limits = {});

    Run startRun(const NewRun &run);
    // Appends in one transaction, assigning missing seq numbers after the run's highest.
    QList<Event> appendEvents(const QString &runId, const QList<NewEvent> &events);
    Run finishRun(const QString &id, const QString &status, const QString &error = {});
    Run run(const QString &id); // NotFoundError when absent
    // Pages of runs and events as RecentQuery describes them (index range scans, keyset paging).
    QList<Run> recentRuns(const RunQuery &query = {});
    QList<Event> recentEvents(const EventQuery &query = {});
    // How many runs or events match the query's filters (paging fields are ignored).
    qint64 countRuns(const RunQuery &query = {});
    qint64 countEvents(const EventQuery &query = {});

    const StoreLimits &limits() const { return m_limits; }
    // Validation and normalization shared with ingestion; throw ConstraintError.
    Event prepareEvent(const QString &runId, const NewEvent &event) const;
    Run prepareRun(const NewRun &run) const;
    // What ends a message cut to messageMaxChars; lengths are in code points, as Python's len().
    static QString truncationMarker(qsizetype originalLength);
    // Runs fn in a write transaction, retrying it on BusyError (bounded, with backoff).
    void write(const std::function<void()> &fn);

private:
    Database &m_db;
    StoreLimits m_limits;
};

} // namespace dbdeck

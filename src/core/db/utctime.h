#pragma once

#include <QString>

#include <optional>

namespace dbdeck {

// A point in time, UTC, to the microsecond (QDateTime stops at milliseconds).
// Stored in columns as naive UTC, fixed width: "YYYY-MM-DD HH:MM:SS.ffffff" — what SQLAlchemy
// writes for DateTime on SQLite, so rows from the application and from dbdeck sort together.
// Exchanged as ISO 8601 with an offset, the way Python's isoformat() writes an aware UTC time.
class UtcTime
{
public:
    UtcTime() = default; // the Unix epoch
    static UtcTime now();
    static UtcTime fromMicros(qint64 microsSinceEpoch) { return UtcTime(microsSinceEpoch); }
    // Accepts the column format ("2026-11-22 10:11:12.500000", fraction optional) and ISO 8601
    // ("2026-11-22T12:11:12.5+02:00", "...Z"); a time without offset is taken as UTC.
    static std::optional<UtcTime> parse(const QString &text);

    qint64 micros() const { return m_micros; }
    QString toDb() const;  // "2026-11-22 10:11:12.500000"
    QString toIso() const; // "2026-11-22T10:11:12.500000+00:00" (no fraction when it is zero)

    friend bool operator==(UtcTime a, UtcTime b) { return a.m_micros == b.m_micros; }
    friend bool operator<(UtcTime a, UtcTime b) { return a.m_micros < b.m_micros; }

private:
    explicit UtcTime(qint64 micros) : m_micros(micros) {}
    qint64 m_micros = 0;
};

// The current time in the column format.
QString utcNowForDb();

// Who runs an operation, for version rows and the journal: "user@host".
QString currentActor();

} // namespace dbdeck

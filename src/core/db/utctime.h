#pragma once

#include <QString>
#include <QStringView>

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
    // Reads text exactly as Python 3.11's datetime.fromisoformat() does (the column format
    // "2026-11-22 10:11:12.500000", "2026-11-22T12:11:12.5+02:00", "...Z", "20261122T1011",
    // "2026-W47-1", a fraction of any length cut to microseconds, ...); a time without offset is
    // taken as UTC. The result must lie within the years 1..9999 in UTC (as astimezone(utc)
    // demands). When it cannot be read, *why (if given) says why.
    static std::optional<UtcTime> parse(QStringView text, QString *why = nullptr);
    static std::optional<UtcTime> parseUtf8(const char *data, qsizetype size, QString *why = nullptr);

    qint64 micros() const { return m_micros; }
    QString toDb() const;  // "2026-11-22 10:11:12.500000"
    static constexpr int dbLength = 26;
    void writeDb(char *buffer) const; // toDb() into buffer[dbLength], no allocation
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

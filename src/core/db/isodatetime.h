#pragma once

#include <QString>

#include <optional>

namespace dbdeck {

// A date and time as Python 3.11's datetime.fromisoformat() reads it: every form it accepts
// ("2026-11-22", "2026-11-22T10", "20261122T101112", "2026-W47-1", "2026-11-22 10:11:12,5",
// "…+02", "…+0200", "…-02:00:30.5", "…Z", a fraction of any length cut to microseconds), any
// one character between date and time, and the same refusals (no surrounding spaces, no hour
// 24, no leap second, offsets strictly within ±24 h). Written after CPython's C implementation
// (Modules/_datetimemodule.c), which is what the application runs, and checked against a table
// produced by Python itself (tests/data/fromisoformat.jsonl).
struct IsoDateTime
{
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, microsecond = 0;
    bool hasOffset = false;
    qint64 offsetMicros = 0; // local time minus UTC

    // nullopt when Python raises ValueError; *why then says what is wrong.
    static std::optional<IsoDateTime> parse(const char *utf8, qsizetype size, QString *why = nullptr);

    // Days from 1970-01-01 to a proleptic Gregorian date, and back (H. Hinnant's algorithms).
    static qint64 daysFromCivil(qint64 year, int month, int day);
    static void civilFromDays(qint64 days, int *year, int *month, int *day);
};

} // namespace dbdeck

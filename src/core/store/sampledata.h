#pragma once

#include <QByteArray>
#include <QList>

namespace dbdeck {

// Realistic runs and events as JSON Lines (the ingest format), for demos, screenshots, tests and
// benchmarks: several kinds of job over the last week, mostly succeeded, some failed with an
// error and warning/error events, payloads with counts and durations. The same seed gives the
// same data, placed relative to the current time (so ids differ between days).
class SampleData
{
public:
    // `events` in total, spread over `runs` runs; runs come before their events.
    static QList<QByteArray> generate(int runs, int events, quint32 seed = 1);
};

} // namespace dbdeck

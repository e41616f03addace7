#pragma once

#include <QByteArray>
#include <QIODevice>
#include <QList>
#include <QRandomGenerator>

namespace dbdeck {

// Realistic runs and events as JSON Lines (the ingest format), for demos, screenshots, tests and
// benchmarks: several kinds of job over the last week, mostly succeeded, some failed with an
// error and warning/error events, payloads with counts and durations. The same seed gives the
// same data, placed relative to nowMs (the current time unless given). Lines are made one at a
// time, so any number of them takes the same memory.
class SampleData
{
public:
    // `events` in total, spread over `runs` runs; runs come before their events.
    SampleData(int runs, qint64 events, quint32 seed = 1, qint64 nowMs = -1);
    // The next line's canonical JSON (no newline) into out; false after the last.
    bool next(QByteArray &out);
    qint64 total() const { return m_runs + m_events; }

    // All lines at once, for small amounts.
    static QList<QByteArray> generate(int runs, int events, quint32 seed = 1);

private:
    void startRun(QByteArray &out);
    void event(QByteArray &out);

    QRandomGenerator m_rng;
    int m_runs;
    qint64 m_events;
    qint64 m_nowMs;
    int m_run = -1;      // the current run
    qint64 m_count = 0;  // its events
    qint64 m_event = 0;  // the next of them
    qint64 m_startMs = 0;
    int m_status = 0;
    int m_kind = 0;
    int m_source = 0;
    int m_error = -1;
    char m_runId[36];
};

// SampleData as a sequential device, for Ingestor (which reads a QIODevice) without the lines
// ever being in memory all at once.
class SampleDataDevice : public QIODevice
{
public:
    explicit SampleDataDevice(SampleData &data) : m_data(data) {}
    bool isSequential() const override { return true; }
    bool atEnd() const override { return m_done && m_at >= m_pending.size() && QIODevice::atEnd(); }
    qint64 bytesAvailable() const override { return m_pending.size() - m_at + QIODevice::bytesAvailable(); }

protected:
    qint64 readData(char *data, qint64 maxSize) override;
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    SampleData &m_data;
    QByteArray m_pending;
    QByteArray m_line;
    qsizetype m_at = 0;
    bool m_done = false;
};

} // namespace dbdeck

#pragma once

#include "store/ingestbatch.h"
#include "store/jsondocument.h"
#include "store/store.h"

#include "db/utctime.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace dbdeck {

// Turns one JSON Lines line into the row Ingestor writes, with every check and default that
// Store::prepareRun/prepareEvent apply, straight from the bytes: one parse, no QString for
// fields, numbers or times, canonical JSON written from the parse, buffers reused line after
// line. One per parsing thread.
class IngestLineParser
{
public:
    explicit IngestLineParser(StoreLimits limits = {});

    // Adds the row for line `number` (its bytes without the newline) to batch and returns true,
    // or returns false with *reason saying what is wrong with it (batch unchanged).
    bool parse(const char *data, qsizetype size, qint64 number, IngestBatch &batch, QString *reason);

    static QStringList runFields();
    static QStringList eventFields();

private:
    void parseRun(IngestBatch &batch, IngestRow &row);
    void parseEvent(IngestBatch &batch, IngestRow &row);
    std::optional<QByteArrayView> textField(int field, bool required, const QString &what) const;
    IngestRow::Text optionalText(int field, IngestBatch &batch) const;
    std::optional<UtcTime> timeField(int field) const;
    bool present(int field) const;
    static IngestRow::Text addTime(IngestBatch &batch, UtcTime t);
    IngestRow::Text addJson(int field, IngestBatch &batch);

    JsonDocument m_document;
    QByteArray m_json; // canonical params/payload, reused
    StoreLimits m_limits;
    JsonDocument::Node m_fields[16] = {};
};

} // namespace dbdeck

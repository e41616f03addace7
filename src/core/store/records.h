#pragma once

#include "db/utctime.h"
#include "store/jsonvalue.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace dbdeck {

// A run as stored: one unit of the application's work.
struct Run
{
    QString id;
    QString kind;
    QString status; // queued, running, succeeded, failed, cancelled
    JsonValue params = JsonValue::object();
    QString error;
    std::optional<UtcTime> startedAt;
    std::optional<UtcTime> finishedAt;
    UtcTime createdAt;
    UtcTime updatedAt;

    static QStringList statuses();
    static QStringList finalStatuses(); // succeeded, failed, cancelled
};

// An event as stored: what happened during a run, in order (seq).
struct Event
{
    QString id;
    QString runId;
    qint64 seq = 0;
    QString level = QStringLiteral("info"); // debug, info, warning, error
    QString kind;
    QString message;
    std::optional<int> messageOriginalLength; // set when the message was truncated
    std::optional<JsonValue> payload;
    QByteArray payloadJson; // payload's canonical text, made once when the event is prepared
    QString payloadUri;
    UtcTime createdAt;

    static QStringList levels(); // in increasing severity
};

} // namespace dbdeck

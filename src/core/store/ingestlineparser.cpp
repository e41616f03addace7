#include "store/ingestlineparser.h"

#include "db/utctime.h"
#include "db/utf8.h"

#include <cstring>

namespace dbdeck {

namespace {

// Thrown (and caught in parse()) when a line is refused.
struct LineError
{
    QString reason;
};

enum Field {
    FType, FId, FKind, FStatus, FParams, FError, FStartedAt, FFinishedAt, FCreatedAt, FUpdatedAt,
    FRunId, FSeq, FLevel, FMessage, FPayload, FPayloadUri, FieldCount
};
const char *const kNames[FieldCount] = {"type", "id", "kind", "status", "params", "error", "started_at", "finished_at",
                                        "created_at", "updated_at", "run_id", "seq", "level", "message", "payload", "payload_uri"};
constexpr quint32 bit(Field f) { return 1u << f; }
constexpr quint32 kRunFields = bit(FType) | bit(FId) | bit(FKind) | bit(FStatus) | bit(FParams) | bit(FError) | bit(FStartedAt)
                               | bit(FFinishedAt) | bit(FCreatedAt) | bit(FUpdatedAt);
constexpr quint32 kEventFields = bit(FType) | bit(FId) | bit(FRunId) | bit(FSeq) | bit(FLevel) | bit(FKind) | bit(FMessage)
                                 | bit(FPayload) | bit(FPayloadUri) | bit(FCreatedAt);
constexpr quint32 kUnknown = 1u << 31;

int fieldOf(QByteArrayView key)
{
    for (int f = 0; f < FieldCount; ++f) {
        if (key.size() == qsizetype(std::strlen(kNames[f])) && std::memcmp(key.data(), kNames[f], size_t(key.size())) == 0)
            return f;
    }
    return -1;
}

bool oneOf(QByteArrayView value, std::initializer_list<const char *> allowed)
{
    for (const char *a : allowed) {
        if (value == QByteArrayView(a))
            return true;
    }
    return false;
}

// QString::trimmed().isEmpty() on UTF-8, without the conversion for ASCII text.
bool isBlank(QByteArrayView text)
{
    for (const char c : text) {
        if (uchar(c) >= 0x80)
            return QString::fromUtf8(text.data(), text.size()).trimmed().isEmpty();
        if (c != ' ' && (c < '\t' || c > '\r'))
            return false;
    }
    return true;
}

QString qs(QByteArrayView bytes)
{
    return QString::fromUtf8(bytes.data(), bytes.size());
}

} // namespace

IngestLineParser::IngestLineParser(StoreLimits limits) : m_limits(limits) {}

QStringList IngestLineParser::runFields()
{
    return {QStringLiteral("type"), QStringLiteral("id"), QStringLiteral("kind"), QStringLiteral("status"), QStringLiteral("params"),
            QStringLiteral("error"), QStringLiteral("started_at"), QStringLiteral("finished_at"), QStringLiteral("created_at"),
            QStringLiteral("updated_at")};
}

QStringList IngestLineParser::eventFields()
{
    return {QStringLiteral("type"), QStringLiteral("id"), QStringLiteral("run_id"), QStringLiteral("seq"), QStringLiteral("level"),
            QStringLiteral("kind"), QStringLiteral("message"), QStringLiteral("payload"), QStringLiteral("payload_uri"),
            QStringLiteral("created_at")};
}

bool IngestLineParser::parse(const char *data, qsizetype size, qint64 number, IngestBatch &batch, QString *reason)
{
    const size_t arenaBefore = batch.arena.size();
    try {
        m_document.parse(data, size);
        const JsonDocument::Node root = JsonDocument::root();
        if (m_document.kind(root) != JsonDocument::Kind::Object)
            throw LineError{QStringLiteral("expected a JSON object with \"type\": \"run\" or \"event\"")};
        // One pass over the members: where each known field is (the last of a repeated one).
        std::fill(std::begin(m_fields), std::end(m_fields), 0);
        quint32 seen = 0;
        for (JsonDocument::Node k = root + 1; k < m_document.end(root); k = m_document.next(k + 1)) {
            const int f = fieldOf(m_document.text(k));
            if (f < 0) {
                seen |= kUnknown;
                continue;
            }
            seen |= 1u << f;
            m_fields[f] = k + 1;
        }
        const QByteArrayView type = *textField(FType, true, QStringLiteral("a line"));
        const bool isRun = type == "run";
        if (!isRun && type != "event")
            throw LineError{QStringLiteral("\"type\" must be \"run\" or \"event\", not \"%1\"").arg(qs(type))};
        const quint32 known = isRun ? kRunFields : kEventFields;
        if (seen & ~known) {
            // Name the first one, in the line's order.
            for (JsonDocument::Node k = root + 1; k < m_document.end(root); k = m_document.next(k + 1)) {
                const int f = fieldOf(m_document.text(k));
                if (f < 0 || !(known & (1u << f)))
                    throw LineError{QStringLiteral("unknown field \"%1\" for %2; known: %3")
                                        .arg(qs(m_document.text(k)), isRun ? QStringLiteral("a run") : QStringLiteral("an event"),
                                             (isRun ? runFields() : eventFields()).join(QStringLiteral(", ")))};
            }
        }
        IngestRow row;
        row.line = number;
        row.isRun = isRun;
        if (isRun)
            parseRun(batch, row);
        else
            parseEvent(batch, row);
        batch.rows.push_back(row);
        return true;
    } catch (const LineError &error) {
        *reason = error.reason;
    } catch (const DbError &error) { // JsonError
        *reason = error.message();
    }
    batch.arena.resize(arenaBefore);
    return false;
}

std::optional<QByteArrayView> IngestLineParser::textField(int field, bool required, const QString &what) const
{
    const JsonDocument::Node v = m_fields[field];
    if (v == 0 || m_document.kind(v) == JsonDocument::Kind::Null) {
        if (required)
            throw LineError{QStringLiteral("%1 needs \"%2\"").arg(what, QLatin1String(kNames[field]))};
        return std::nullopt;
    }
    if (m_document.kind(v) != JsonDocument::Kind::String)
        throw LineError{QStringLiteral("\"%1\" must be a string").arg(QLatin1String(kNames[field]))};
    return m_document.text(v);
}

// An optional text column: absent, null and "" are all NULL.
IngestRow::Text IngestLineParser::optionalText(int field, IngestBatch &batch) const
{
    const auto v = textField(field, false, QString());
    return v && !v->isEmpty() ? batch.add(*v) : IngestRow::Text{};
}

std::optional<UtcTime> IngestLineParser::timeField(int field) const
{
    const auto v = textField(field, false, QString());
    if (!v || v->isEmpty())
        return std::nullopt;
    QString why;
    const auto t = UtcTime::parseUtf8(v->data(), v->size(), &why);
    if (!t) {
        if (why.startsWith(QLatin1String("not an ISO 8601")))
            why = QStringLiteral("use ISO 8601, e.g. 2026-11-22T10:11:12.5+00:00");
        throw LineError{QStringLiteral("\"%1\" is not a time: \"%2\" (%3)").arg(QLatin1String(kNames[field]), qs(*v), why)};
    }
    return t;
}

IngestRow::Text IngestLineParser::addTime(IngestBatch &batch, UtcTime t)
{
    char buffer[UtcTime::dbLength];
    t.writeDb(buffer);
    return batch.add(buffer, UtcTime::dbLength);
}

// The canonical text of field's value into batch (the value must be present).
IngestRow::Text IngestLineParser::addJson(int field, IngestBatch &batch)
{
    m_json.resize(0);
    m_document.writeCanonical(m_fields[field], m_json);
    return batch.add(m_json.constData(), m_json.size());
}

bool IngestLineParser::present(int field) const
{
    return m_fields[field] != 0 && m_document.kind(m_fields[field]) != JsonDocument::Kind::Null;
}

void IngestLineParser::parseRun(IngestBatch &batch, IngestRow &row)
{
    // Checks in the order Ingestor and Store::prepareRun have always made them, so a line with
    // several problems reports the same one.
    const QByteArrayView id = *textField(FId, true, QStringLiteral("a run (so that loading the file again adds it once)"));
    const QByteArrayView kind = *textField(FKind, true, QStringLiteral("a run"));
    QByteArrayView status = textField(FStatus, false, QString()).value_or(QByteArrayView());
    if (status.isEmpty())
        status = "queued";
    const auto createdAt = timeField(FCreatedAt);
    if (isBlank(kind))
        throw LineError{QStringLiteral("a run needs a kind (e.g. \"ingest\")")};
    if (id.isEmpty())
        throw LineError{QStringLiteral("\"id\" must not be empty (it is what makes loading the file again add the run once)")};
    if (Utf8::codePoints(id.data(), id.size()) > 64)
        throw LineError{QStringLiteral("run id \"%1…\" is longer than 64 characters").arg(qs(id).left(20))};
    if (!oneOf(status, {"queued", "running", "succeeded", "failed", "cancelled"}))
        throw LineError{QStringLiteral("run status \"%1\" is not allowed; allowed: %2").arg(qs(status), Run::statuses().join(QStringLiteral(", ")))};
    if (present(FParams) && m_document.kind(m_fields[FParams]) != JsonDocument::Kind::Object)
        throw LineError{QStringLiteral("run params must be a JSON object")};
    row.text[IngestRow::RunParams] = present(FParams) ? addJson(FParams, batch) : batch.add("{}", 2);
    row.text[IngestRow::RunId] = batch.add(id);
    row.text[IngestRow::RunKind] = batch.add(kind);
    row.text[IngestRow::RunStatus] = batch.add(status);
    row.text[IngestRow::RunError] = optionalText(FError, batch);
    const UtcTime created = createdAt.value_or(UtcTime::now());
    auto startedAt = timeField(FStartedAt);
    auto finishedAt = timeField(FFinishedAt);
    const UtcTime updated = timeField(FUpdatedAt).value_or(created);
    if (!startedAt && status != "queued")
        startedAt = created;
    if (!finishedAt && oneOf(status, {"succeeded", "failed", "cancelled"}))
        finishedAt = created;
    row.text[IngestRow::RunStartedAt] = startedAt ? addTime(batch, *startedAt) : IngestRow::Text{};
    row.text[IngestRow::RunFinishedAt] = finishedAt ? addTime(batch, *finishedAt) : IngestRow::Text{};
    row.text[IngestRow::RunCreatedAt] = addTime(batch, created);
    row.text[IngestRow::RunUpdatedAt] = addTime(batch, updated);
}

void IngestLineParser::parseEvent(IngestBatch &batch, IngestRow &row)
{
    const QByteArrayView id = *textField(FId, true, QStringLiteral("an event (so that loading the file again adds it once)"));
    const QByteArrayView runId = *textField(FRunId, true, QStringLiteral("an event"));
    const QByteArrayView kind = *textField(FKind, true, QStringLiteral("an event"));
    QByteArrayView level = textField(FLevel, false, QString()).value_or(QByteArrayView());
    if (level.isEmpty())
        level = "info";
    const QByteArrayView message = textField(FMessage, false, QString()).value_or(QByteArrayView(""));
    if (present(FSeq)) {
        bool ok = m_document.kind(m_fields[FSeq]) == JsonDocument::Kind::Integer;
        if (ok)
            row.seq = m_document.text(m_fields[FSeq]).toLongLong(&ok);
        if (!ok)
            throw LineError{QStringLiteral("\"seq\" must be a whole number")};
        row.seqGiven = true;
    }
    const auto payloadUri = textField(FPayloadUri, false, QString());
    const auto createdAt = timeField(FCreatedAt);
    if (id.isEmpty())
        throw LineError{QStringLiteral("\"id\" must not be empty (it is what makes loading the file again add the event once)")};
    if (runId.isEmpty())
        throw LineError{QStringLiteral("an event needs a run_id")};
    if (isBlank(kind))
        throw LineError{QStringLiteral("an event needs a kind (e.g. \"log\")")};
    if (!oneOf(level, {"debug", "info", "warning", "error"}))
        throw LineError{QStringLiteral("event level \"%1\" is not allowed; allowed: %2").arg(qs(level), Event::levels().join(QStringLiteral(", ")))};
    if (row.seqGiven && row.seq < 1)
        throw LineError{QStringLiteral("event seq must be 1 or more, not %1").arg(row.seq)};
    if (present(FPayload)) {
        row.text[IngestRow::EventPayload] = addJson(FPayload, batch);
        if (row.text[IngestRow::EventPayload].length > m_limits.payloadMaxBytes)
            throw LineError{QStringLiteral("event payload is %1 bytes, over the limit of %2: store it elsewhere and pass its "
                                           "location as payload_uri").arg(row.text[IngestRow::EventPayload].length).arg(m_limits.payloadMaxBytes)};
    }
    row.text[IngestRow::EventId] = batch.add(id);
    row.text[IngestRow::EventRunId] = batch.add(runId);
    row.text[IngestRow::EventLevel] = batch.add(level);
    row.text[IngestRow::EventKind] = batch.add(kind);
    // Cut as Python counts: in code points, never inside one.
    const qsizetype length = Utf8::codePoints(message.data(), message.size());
    if (length > m_limits.messageMaxChars) {
        const QByteArray marker = Store::truncationMarker(length).toUtf8();
        const qsizetype keep = std::max<qsizetype>(0, m_limits.messageMaxChars - Utf8::codePoints(marker.constData(), marker.size()));
        row.text[IngestRow::EventMessage] = batch.add(message.data(), Utf8::prefixBytes(message.data(), message.size(), keep));
        batch.arena.append(marker.constData(), size_t(marker.size()));
        row.text[IngestRow::EventMessage].length += qint32(marker.size());
        row.messageOriginalLength = length;
    } else {
        row.text[IngestRow::EventMessage] = batch.add(message);
    }
    row.text[IngestRow::EventPayloadUri] = payloadUri && !payloadUri->isEmpty() ? batch.add(*payloadUri) : IngestRow::Text{};
    row.text[IngestRow::EventCreatedAt] = addTime(batch, createdAt.value_or(UtcTime::now()));
}

} // namespace dbdeck

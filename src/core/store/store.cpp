#include "store/store.h"

#include "db/database.h"
#include "db/errors.h"
#include "db/logging.h"
#include "db/transaction.h"
#include "store/rowinserter.h"
#include "store/uuid7.h"

#include <QHash>
#include <QThread>

namespace dbdeck {

namespace {

const QString kRunColumns = RecentQuery::runColumns();
const QString kEventColumns = RecentQuery::eventColumns();

QVariant nullable(const QString &text)
{
    return text.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(text);
}

QVariant nullableTime(const std::optional<UtcTime> &time)
{
    return time ? QVariant(time->toDb()) : QVariant(QMetaType::fromType<QString>());
}

// The SELECT list for reading `columns` back. Qt's SQLite driver reads text through
// sqlite3_column_text16, and SQLite's UTF-8 to UTF-16 conversion turns U+FFFE and U+FFFF into
// U+FFFD; so on SQLite the text columns (all but times and numbers) are read as their bytes
// (CAST … AS BLOB, which keeps them as stored) and decoded by text() below. PostgreSQL's text
// reaches Qt unchanged.
QString selectList(Database &db, const QString &columns)
{
    if (db.backend() != Backend::Sqlite)
        return columns;
    QStringList out;
    for (const QString &column : columns.split(QStringLiteral(", "))) {
        const bool text = !column.endsWith(QLatin1String("_at")) && column != QLatin1String("seq")
            && column != QLatin1String("message_original_length");
        out << (text ? QStringLiteral("CAST(%1 AS BLOB)").arg(column) : column);
    }
    return out.join(QStringLiteral(", "));
}

// RecentQuery's "SELECT <columns> FROM" with the select list of selectList().
QString withStoredText(Database &db, const QString &sql, const QString &columns)
{
    QString out = sql;
    out.replace(QStringLiteral("SELECT %1 FROM").arg(columns), QStringLiteral("SELECT %1 FROM").arg(selectList(db, columns)));
    return out;
}

// A text column read through selectList(): the stored UTF-8 as it is, or the driver's text.
QString text(const QSqlQuery &q, int column)
{
    const QVariant value = q.value(column);
    return value.typeId() == QMetaType::QByteArray ? QString::fromUtf8(value.toByteArray()) : value.toString();
}

std::optional<UtcTime> timeFrom(const QVariant &value)
{
    return value.isNull() ? std::nullopt : UtcTime::parse(value.toString());
}

Run runFrom(const QSqlQuery &q)
{
    Run r;
    r.id = text(q, 0);
    r.kind = text(q, 1);
    r.status = text(q, 2);
    try {
        r.params = JsonValue::parse(text(q, 3).toUtf8());
    } catch (const JsonError &) {
        r.params = JsonValue::string(text(q, 3)); // written by someone else, not JSON
    }
    r.error = text(q, 4);
    r.startedAt = timeFrom(q.value(5));
    r.finishedAt = timeFrom(q.value(6));
    r.createdAt = timeFrom(q.value(7)).value_or(UtcTime::fromMicros(0));
    r.updatedAt = timeFrom(q.value(8)).value_or(r.createdAt);
    return r;
}

Event eventFrom(const QSqlQuery &q)
{
    Event e;
    e.id = text(q, 0);
    e.runId = text(q, 1);
    e.seq = q.value(2).toLongLong();
    e.level = text(q, 3);
    e.kind = text(q, 4);
    e.message = text(q, 5);
    if (!q.value(6).isNull())
        e.messageOriginalLength = q.value(6).toInt();
    if (!q.value(7).isNull()) {
        try {
            e.payload = JsonValue::parse(text(q, 7).toUtf8());
        } catch (const JsonError &) {
            e.payload = JsonValue::string(text(q, 7));
        }
    }
    e.payloadUri = text(q, 8);
    e.createdAt = timeFrom(q.value(9)).value_or(UtcTime::fromMicros(0));
    return e;
}

// Python's len(): code points, a surrogate pair counting once.
qsizetype codePoints(QStringView text)
{
    qsizetype n = text.size();
    for (qsizetype i = 0; i + 1 < text.size(); ++i) {
        if (text.at(i).isHighSurrogate() && text.at(i + 1).isLowSurrogate())
            --n;
    }
    return n;
}

// The first n code points, never half of a pair.
QStringView firstCodePoints(QStringView text, qsizetype n)
{
    qsizetype i = 0;
    for (qsizetype seen = 0; i < text.size() && seen < n; ++seen)
        i += text.at(i).isHighSurrogate() && i + 1 < text.size() && text.at(i + 1).isLowSurrogate() ? 2 : 1;
    return text.first(i);
}

void requireOneOf(const QString &what, const QString &value, const QStringList &allowed)
{
    if (!allowed.contains(value))
        throw ConstraintError(QStringLiteral("%1 \"%2\" is not allowed; allowed: %3").arg(what, value, allowed.join(QStringLiteral(", "))));
}

} // namespace

Store::Store(Database &db, StoreLimits limits) : m_db(db), m_limits(limits) {}

void Store::write(const std::function<void()> &fn)
{
    constexpr int attempts = 4;
    for (int attempt = 1;; ++attempt) {
        try {
            withTransaction(m_db, Transaction::Mode::Write, fn);
            return;
        } catch (const BusyError &error) {
            // busy_timeout already waited; a few more tries ride out a long checkpoint or a
            // burst of writers, and the caller sees BusyError only if it really stays locked.
            if (attempt == attempts || m_db.transactionDepth() > 0)
                throw;
            const int pauseMs = 20 << attempt;
            qCWarning(lcDb).noquote() << QStringLiteral("write retry %1/%2 after %3 ms: %4")
                                             .arg(attempt).arg(attempts - 1).arg(pauseMs).arg(error.message());
            QThread::msleep(pauseMs);
        }
    }
}

Run Store::prepareRun(const NewRun &in) const
{
    if (in.kind.trimmed().isEmpty())
        throw ConstraintError(QStringLiteral("a run needs a kind (e.g. \"ingest\")"));
    if (!in.id.isEmpty() && codePoints(in.id) > 64)
        throw ConstraintError(QStringLiteral("run id \"%1…\" is longer than 64 characters").arg(in.id.left(20)));
    requireOneOf(QStringLiteral("run status"), in.status, Run::statuses());
    if (!in.params.isObject())
        throw ConstraintError(QStringLiteral("run params must be a JSON object"));
    in.params.canonical(); // refuses NaN and lone surrogates now, not at write time
    Run r;
    r.id = in.id.isEmpty() ? Uuid7::generate() : in.id;
    r.kind = in.kind;
    r.status = in.status;
    r.params = in.params;
    r.createdAt = in.createdAt.value_or(UtcTime::now());
    r.updatedAt = r.createdAt;
    if (r.status != QLatin1String("queued"))
        r.startedAt = r.createdAt;
    if (Run::finalStatuses().contains(r.status))
        r.finishedAt = r.createdAt;
    return r;
}

Event Store::prepareEvent(const QString &runId, const NewEvent &in) const
{
    if (runId.isEmpty())
        throw ConstraintError(QStringLiteral("an event needs a run_id"));
    if (in.kind.trimmed().isEmpty())
        throw ConstraintError(QStringLiteral("an event needs a kind (e.g. \"log\")"));
    requireOneOf(QStringLiteral("event level"), in.level, Event::levels());
    if (in.seq && *in.seq < 1)
        throw ConstraintError(QStringLiteral("event seq must be 1 or more, not %1").arg(*in.seq));
    Event e;
    e.id = in.id.isEmpty() ? Uuid7::generate() : in.id;
    e.runId = runId;
    e.seq = in.seq.value_or(0);
    e.level = in.level;
    e.kind = in.kind;
    e.message = in.message;
    if (const qsizetype length = codePoints(in.message); length > m_limits.messageMaxChars) {
        const QString marker = truncationMarker(length);
        e.message = firstCodePoints(in.message, std::max<qsizetype>(0, m_limits.messageMaxChars - codePoints(marker))).toString() + marker;
        e.messageOriginalLength = int(length);
    }
    if (in.payload) {
        const QByteArray json = in.payload->canonical();
        if (json.size() > m_limits.payloadMaxBytes)
            throw ConstraintError(QStringLiteral("event payload is %1 bytes, over the limit of %2: store it elsewhere and "
                                                 "pass its location as payload_uri")
                                      .arg(json.size()).arg(m_limits.payloadMaxBytes));
        e.payload = in.payload;
        e.payloadJson = json;
    }
    e.payloadUri = in.payloadUri;
    e.createdAt = in.createdAt.value_or(UtcTime::now());
    return e;
}

QString Store::truncationMarker(qsizetype originalLength)
{
    return QStringLiteral(" … [truncated from %1 characters]").arg(originalLength);
}

Run Store::startRun(const NewRun &in)
{
    const Run r = prepareRun(in);
    write([&] {
        m_db.exec(QStringLiteral("INSERT INTO runs (%1) VALUES (:id, :kind, :status, :params_json, NULL, :started_at, :finished_at, :created_at, :updated_at)")
                      .arg(kRunColumns),
                  QVariantMap{{QStringLiteral("id"), r.id}, {QStringLiteral("kind"), r.kind}, {QStringLiteral("status"), r.status},
                              {QStringLiteral("params_json"), QString::fromUtf8(r.params.canonical())},
                              {QStringLiteral("started_at"), nullableTime(r.startedAt)},
                              {QStringLiteral("finished_at"), nullableTime(r.finishedAt)},
                              {QStringLiteral("created_at"), r.createdAt.toDb()}, {QStringLiteral("updated_at"), r.updatedAt.toDb()}});
    });
    return r;
}

QList<Event> Store::appendEvents(const QString &runId, const QList<NewEvent> &events)
{
    QList<Event> prepared;
    prepared.reserve(events.size());
    for (const NewEvent &in : events)
        prepared.append(prepareEvent(runId, in));
    write([&] {
        // Under the write lock nobody else can take the next seq numbers. PostgreSQL has no
        // database-wide write lock: locking the run's row serializes appends to that run.
        if (m_db.backend() == Backend::Postgres)
            m_db.exec(QStringLiteral("SELECT id FROM runs WHERE id = ? FOR UPDATE"), {runId});
        const QVariant top = m_db.scalar(QStringLiteral("SELECT max(seq) FROM events WHERE run_id = ?"), {runId});
        if (top.isNull() && m_db.scalar(QStringLiteral("SELECT count(*) FROM runs WHERE id = ?"), {runId}).toInt() == 0)
            throw NotFoundError(QStringLiteral("no run with id %1").arg(runId));
        qint64 next = top.toLongLong() + 1;
        RowInserter inserter(m_db, QStringLiteral("events"), RowInserter::eventColumns());
        for (Event &e : prepared) {
            if (e.seq == 0)
                e.seq = next;
            next = std::max(next, e.seq + 1);
            inserter.add(RowInserter::eventRow(e));
        }
        const qint64 added = inserter.flush();
        if (added != prepared.size())
            throw ConflictError(QStringLiteral("%1 of %2 events already exist (same id); nothing of this batch was written")
                                    .arg(prepared.size() - added).arg(prepared.size()));
        m_db.exec(QStringLiteral("UPDATE runs SET updated_at = ? WHERE id = ?"), {UtcTime::now().toDb(), runId});
    });
    return prepared;
}

Run Store::finishRun(const QString &id, const QString &status, const QString &error)
{
    requireOneOf(QStringLiteral("final run status"), status, Run::finalStatuses());
    write([&] {
        const QString now = UtcTime::now().toDb();
        QSqlQuery q = m_db.exec(QStringLiteral("UPDATE runs SET status = ?, error = ?, finished_at = ?, updated_at = ?,"
                                               " started_at = COALESCE(started_at, ?) WHERE id = ?"),
                                {status, nullable(error), now, now, now, id});
        if (q.numRowsAffected() == 0)
            throw NotFoundError(QStringLiteral("no run with id %1").arg(id));
    });
    return run(id);
}

Run Store::run(const QString &id)
{
    QSqlQuery q = m_db.exec(QStringLiteral("SELECT %1 FROM runs WHERE id = ?").arg(selectList(m_db, kRunColumns)), {id});
    if (!q.next())
        throw NotFoundError(QStringLiteral("no run with id %1").arg(id));
    return runFrom(q);
}

QList<Run> Store::recentRuns(const RunQuery &query)
{
    SqlQueryText sql = RecentQuery::runs(query);
    sql.sql = withStoredText(m_db, sql.sql, kRunColumns);
    QList<Run> runs;
    QSqlQuery q = m_db.exec(sql.sql, sql.params);
    while (q.next())
        runs.append(runFrom(q));
    return runs;
}

QList<Event> Store::recentEvents(const EventQuery &query)
{
    SqlQueryText sql = RecentQuery::events(query);
    sql.sql = withStoredText(m_db, sql.sql, kEventColumns);
    QList<Event> events;
    QSqlQuery q = m_db.exec(sql.sql, sql.params);
    while (q.next())
        events.append(eventFrom(q));
    return events;
}

qint64 Store::countRuns(const RunQuery &query)
{
    const SqlQueryText sql = RecentQuery::runCount(query);
    return m_db.scalar(sql.sql, sql.params).toLongLong();
}

qint64 Store::countEvents(const EventQuery &query)
{
    const SqlQueryText sql = RecentQuery::eventCount(query);
    return m_db.scalar(sql.sql, sql.params).toLongLong();
}

} // namespace dbdeck

#include "store/ingestor.h"

#include "db/database.h"
#include "db/errors.h"
#include "db/transaction.h"
#include "store/rowinserter.h"
#include "store/store.h"

#include <QHash>
#include <QSet>

namespace dbdeck {

namespace {

struct LineError
{
    QString reason;
};

QString textField(const JsonValue &obj, const QString &key, bool required, const QString &what)
{
    const JsonValue v = obj.value(key);
    if (v.isNull()) {
        if (required)
            throw LineError{QStringLiteral("%1 needs \"%2\"").arg(what, key)};
        return {};
    }
    if (v.type() != JsonValue::Type::String)
        throw LineError{QStringLiteral("\"%1\" must be a string").arg(key)};
    return v.toString();
}

std::optional<UtcTime> timeField(const JsonValue &obj, const QString &key)
{
    const QString text = textField(obj, key, false, QString());
    if (text.isEmpty())
        return std::nullopt;
    const auto t = UtcTime::parse(text);
    if (!t)
        throw LineError{QStringLiteral("\"%1\" is not a time: \"%2\" (use ISO 8601, e.g. 2026-11-22T10:11:12.5+00:00)").arg(key, text)};
    return t;
}

void checkFields(const JsonValue &obj, const QStringList &known, const QString &what)
{
    for (const auto &member : obj.members()) {
        if (!known.contains(member.first))
            throw LineError{QStringLiteral("unknown field \"%1\" for %2; known: %3").arg(member.first, what, known.join(QStringLiteral(", ")))};
    }
}

QVariant nullableText(const QString &text)
{
    return text.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(text);
}

QVariant nullableTime(const std::optional<UtcTime> &t)
{
    return t ? QVariant(t->toDb()) : QVariant(QMetaType::fromType<QString>());
}

} // namespace

QStringList Ingestor::runFields()
{
    return {QStringLiteral("type"), QStringLiteral("id"), QStringLiteral("kind"), QStringLiteral("status"), QStringLiteral("params"),
            QStringLiteral("error"), QStringLiteral("started_at"), QStringLiteral("finished_at"), QStringLiteral("created_at"),
            QStringLiteral("updated_at")};
}

QStringList Ingestor::eventFields()
{
    return {QStringLiteral("type"), QStringLiteral("id"), QStringLiteral("run_id"), QStringLiteral("seq"), QStringLiteral("level"),
            QStringLiteral("kind"), QStringLiteral("message"), QStringLiteral("payload"), QStringLiteral("payload_uri"),
            QStringLiteral("created_at")};
}

Ingestor::Ingestor(Database &db, Store &store, IngestOptions options) : m_db(db), m_store(store), m_options(std::move(options)) {}

Ingestor::Line Ingestor::parse(const QByteArray &text, qint64 number) const
{
    Line line;
    line.number = number;
    const JsonValue obj = JsonValue::parse(text);
    if (!obj.isObject())
        throw LineError{QStringLiteral("expected a JSON object with \"type\": \"run\" or \"event\"")};
    const QString type = textField(obj, QStringLiteral("type"), true, QStringLiteral("a line"));
    if (type == QLatin1String("run")) {
        checkFields(obj, runFields(), QStringLiteral("a run"));
        NewRun in;
        in.id = textField(obj, QStringLiteral("id"), true, QStringLiteral("a run (so that loading the file again adds it once)"));
        in.kind = textField(obj, QStringLiteral("kind"), true, QStringLiteral("a run"));
        const QString status = textField(obj, QStringLiteral("status"), false, QString());
        in.status = status.isEmpty() ? QStringLiteral("queued") : status;
        if (obj.contains(QStringLiteral("params")) && !obj.value(QStringLiteral("params")).isNull())
            in.params = obj.value(QStringLiteral("params"));
        in.createdAt = timeField(obj, QStringLiteral("created_at"));
        line.isRun = true;
        line.run = m_store.prepareRun(in);
        line.run.error = textField(obj, QStringLiteral("error"), false, QString());
        if (const auto t = timeField(obj, QStringLiteral("started_at")))
            line.run.startedAt = t;
        if (const auto t = timeField(obj, QStringLiteral("finished_at")))
            line.run.finishedAt = t;
        line.run.updatedAt = timeField(obj, QStringLiteral("updated_at")).value_or(line.run.createdAt);
    } else if (type == QLatin1String("event")) {
        checkFields(obj, eventFields(), QStringLiteral("an event"));
        NewEvent in;
        in.id = textField(obj, QStringLiteral("id"), true, QStringLiteral("an event (so that loading the file again adds it once)"));
        const QString runId = textField(obj, QStringLiteral("run_id"), true, QStringLiteral("an event"));
        in.kind = textField(obj, QStringLiteral("kind"), true, QStringLiteral("an event"));
        const QString level = textField(obj, QStringLiteral("level"), false, QString());
        if (!level.isEmpty())
            in.level = level;
        in.message = textField(obj, QStringLiteral("message"), false, QString());
        const JsonValue seq = obj.value(QStringLiteral("seq"));
        if (!seq.isNull()) {
            bool ok = false;
            const qint64 n = seq.toInteger(&ok);
            if (!ok)
                throw LineError{QStringLiteral("\"seq\" must be a whole number")};
            in.seq = n;
            line.seqGiven = true;
        }
        if (obj.contains(QStringLiteral("payload")) && !obj.value(QStringLiteral("payload")).isNull())
            in.payload = obj.value(QStringLiteral("payload"));
        in.payloadUri = textField(obj, QStringLiteral("payload_uri"), false, QString());
        in.createdAt = timeField(obj, QStringLiteral("created_at"));
        line.event = m_store.prepareEvent(runId, in);
    } else {
        throw LineError{QStringLiteral("\"type\" must be \"run\" or \"event\", not \"%1\"").arg(type)};
    }
    return line;
}

void Ingestor::insertRows(QList<Line> &rows, IngestResult &result, bool oneByOne, QList<IngestProblem> *problems)
{
    RowInserter runs(m_db, QStringLiteral("runs"),
                     {QStringLiteral("id"), QStringLiteral("kind"), QStringLiteral("status"), QStringLiteral("params_json"),
                      QStringLiteral("error"), QStringLiteral("started_at"), QStringLiteral("finished_at"),
                      QStringLiteral("created_at"), QStringLiteral("updated_at")});
    RowInserter events(m_db, QStringLiteral("events"), RowInserter::eventColumns());
    // Missing seq numbers continue after the run's highest, stored or earlier in this batch.
    QHash<QString, qint64> nextSeq;
    const auto seqFor = [&](const QString &runId) -> qint64 & {
        auto it = nextSeq.find(runId);
        if (it == nextSeq.end() && m_db.backend() == Backend::Postgres)
            m_db.exec(QStringLiteral("SELECT id FROM runs WHERE id = ? FOR UPDATE"), {runId});
        if (it == nextSeq.end())
            it = nextSeq.insert(runId, m_db.scalar(QStringLiteral("SELECT COALESCE(max(seq), 0) + 1 FROM events WHERE run_id = ?"), {runId}).toLongLong());
        return *it;
    };
    const auto addRun = [&](const Run &r) {
        runs.add({r.id, r.kind, r.status, QString::fromUtf8(r.params.canonical()), nullableText(r.error), nullableTime(r.startedAt),
                  nullableTime(r.finishedAt), r.createdAt.toDb(), r.updatedAt.toDb()});
    };
    const auto addEvent = [&](Line &l) {
        Event &e = l.event;
        qint64 &next = seqFor(e.runId);
        if (!l.seqGiven)
            e.seq = next;
        next = std::max(next, e.seq + 1);
        events.add(RowInserter::eventRow(e));
    };
    if (!oneByOne) {
        // Runs first, so that events may follow their run anywhere in the batch.
        for (Line &l : rows) {
            if (l.isRun)
                addRun(l.run);
        }
        for (Line &l : rows) {
            if (!l.isRun)
                addEvent(l);
        }
        const qint64 newRuns = runs.flush();
        const qint64 newEvents = events.flush();
        result.runsAdded += newRuns;
        result.eventsAdded += newEvents;
        result.alreadyPresent += rows.size() - newRuns - newEvents;
        return;
    }
    // Row by row, each in a savepoint, to find which lines the database refuses.
    QList<Line *> order;
    for (Line &l : rows) {
        if (l.isRun)
            order << &l;
    }
    for (Line &l : rows) {
        if (!l.isRun)
            order << &l;
    }
    for (Line *l : std::as_const(order)) {
        try {
            withTransaction(m_db, Transaction::Mode::Write, [&] {
                if (l->isRun) {
                    addRun(l->run);
                    const qint64 n = runs.flush();
                    result.runsAdded += n;
                    result.alreadyPresent += 1 - n;
                } else {
                    addEvent(*l);
                    const qint64 n = events.flush();
                    result.eventsAdded += n;
                    result.alreadyPresent += 1 - n;
                }
            });
        } catch (const DbError &error) {
            runs.discard();
            events.discard();
            problems->append({l->number, error.message()});
        }
    }
}

QList<IngestProblem> Ingestor::writeBatch(QList<Line> &batch, IngestResult &result)
{
    QList<IngestProblem> problems;
    if (batch.isEmpty())
        return problems;
    const IngestResult before = result;
    try {
        m_store.write([&] {
            result = before; // a retried attempt counts afresh
            insertRows(batch, result, false, nullptr);
        });
        return problems;
    } catch (const BusyError &) {
        throw;
    } catch (const DbError &) {
        result = before;
    }
    // The database refused something: find the lines. With stop, the batch is rolled back as a
    // whole (the thrown marker), keeping the problems found; with skip, its good lines commit.
    try {
        m_store.write([&] {
            result = before;
            problems.clear();
            insertRows(batch, result, true, &problems);
            if (!problems.isEmpty() && !m_options.skipBadLines)
                throw IngestProblem{};
        });
    } catch (const IngestProblem &) {
        result = before;
    }
    return problems;
}

IngestResult Ingestor::run(QIODevice &input, qint64 totalBytes)
{
    IngestResult result;
    IngestProgress progress;
    progress.totalBytes = totalBytes;
    QList<Line> batch;
    QList<IngestProblem> pendingProblems; // parse problems of the current batch
    const auto flush = [&]() -> bool {
        const QList<IngestProblem> problems = writeBatch(batch, result);
        batch.clear();
        result.problems += problems;
        progress.added = result.runsAdded + result.eventsAdded;
        if (m_options.progress)
            m_options.progress(progress);
        if (!problems.isEmpty() && !m_options.skipBadLines) {
            result.stopped = true;
            return false;
        }
        return true;
    };
    qint64 number = 0;
    while (!input.atEnd() || input.bytesAvailable() > 0 || input.waitForReadyRead(-1)) {
        QByteArray text = input.readLine();
        if (text.isEmpty() && input.atEnd())
            break;
        progress.bytesRead += text.size();
        ++number;
        text = text.trimmed();
        if (text.isEmpty())
            continue;
        ++result.lines;
        progress.lines = result.lines;
        try {
            batch.append(parse(text, number));
        } catch (const LineError &error) {
            result.problems.append({number, error.reason});
        } catch (const DbError &error) { // JsonError, ConstraintError from validation
            result.problems.append({number, error.message()});
        }
        if (!result.problems.isEmpty() && !m_options.skipBadLines) {
            // The batch this line belongs to is not written at all.
            result.stopped = true;
            return result;
        }
        if (batch.size() >= m_options.batchSize && !flush())
            return result;
    }
    flush();
    return result;
}

} // namespace dbdeck

#include "store/ingestwriter.h"

#include "db/database.h"
#include "db/errorclassifier.h"
#include "db/errors.h"
#include "db/transaction.h"
#include "store/store.h"

#include <QHash>
#include <QSqlError>

#include <sqlite3.h>

namespace dbdeck {

namespace {

constexpr qsizetype kChunk = 100; // rows per multi-row INSERT: 1000 parameters, well under SQLite's limit

const char *const kRunColumns = "id, kind, status, params_json, error, started_at, finished_at, created_at, updated_at";
const char *const kEventColumns = "id, run_id, seq, level, kind, message, message_original_length, payload_json, payload_uri, created_at";

int columnCount(bool runs)
{
    return runs ? 9 : 10;
}

QByteArray insertSql(bool runs, qsizetype rows)
{
    const int n = columnCount(runs);
    QByteArray tuple = "(";
    for (int i = 0; i < n; ++i)
        tuple += i ? ",?" : "?";
    tuple += ')';
    QByteArray sql = QByteArray("INSERT INTO ") + (runs ? "runs (" : "events (") + (runs ? kRunColumns : kEventColumns) + ") VALUES ";
    sql.reserve(sql.size() + rows * (tuple.size() + 1) + 40);
    for (qsizetype r = 0; r < rows; ++r) {
        if (r)
            sql += ',';
        sql += tuple;
    }
    sql += " ON CONFLICT (id) DO NOTHING";
    return sql;
}

[[noreturn]] void raiseSqlite(Database &db, sqlite3 *handle, const QByteArray &sql)
{
    const int code = sqlite3_extended_errcode(handle);
    const QSqlError error(QString(), QString::fromUtf8(sqlite3_errmsg(handle)), QSqlError::StatementError, QString::number(code));
    ErrorClassifier::raise(error, db.connection(), {QString::fromUtf8(sql.left(200)), nullptr, db.config().busyTimeoutMs()});
}

void bindText(sqlite3_stmt *statement, int index, const IngestBatch &batch, IngestRow::Text t)
{
    if (t.isNull())
        sqlite3_bind_null(statement, index);
    else // the batch outlives the statement's step
        sqlite3_bind_text(statement, index, batch.arena.data() + t.offset, t.length, SQLITE_STATIC);
}

void bindRow(sqlite3_stmt *statement, int &index, const IngestBatch &batch, const IngestRow &row)
{
    if (row.isRun) {
        for (int c = 0; c < IngestRow::RunColumns; ++c)
            bindText(statement, index++, batch, row.text[c]);
        return;
    }
    bindText(statement, index++, batch, row.text[IngestRow::EventId]);
    bindText(statement, index++, batch, row.text[IngestRow::EventRunId]);
    sqlite3_bind_int64(statement, index++, row.seq);
    bindText(statement, index++, batch, row.text[IngestRow::EventLevel]);
    bindText(statement, index++, batch, row.text[IngestRow::EventKind]);
    bindText(statement, index++, batch, row.text[IngestRow::EventMessage]);
    if (row.messageOriginalLength >= 0)
        sqlite3_bind_int64(statement, index++, row.messageOriginalLength);
    else
        sqlite3_bind_null(statement, index++);
    bindText(statement, index++, batch, row.text[IngestRow::EventPayload]);
    bindText(statement, index++, batch, row.text[IngestRow::EventPayloadUri]);
    bindText(statement, index++, batch, row.text[IngestRow::EventCreatedAt]);
}

// A marker thrown to roll back a batch whose refused lines were found (with stop).
struct RollBack
{
};

} // namespace

IngestWriter::IngestWriter(Database &db, Store &store, bool skipBadLines) : m_db(db), m_store(store), m_skip(skipBadLines) {}

IngestWriter::~IngestWriter()
{
    for (sqlite3_stmt *s : {m_full[0], m_full[1], m_single[0], m_single[1]})
        sqlite3_finalize(s);
}

sqlite3_stmt *IngestWriter::statementFor(bool runs, qsizetype rows, bool *temporary)
{
    sqlite3 *handle = m_db.sqliteHandle();
    if (handle != m_handle) { // first use, or the connection was reopened since
        for (sqlite3_stmt **s : {&m_full[0], &m_full[1], &m_single[0], &m_single[1]}) {
            sqlite3_finalize(*s);
            *s = nullptr;
        }
        m_handle = handle;
    }
    sqlite3_stmt **cached = rows == kChunk ? &m_full[runs] : rows == 1 ? &m_single[runs] : nullptr;
    *temporary = cached == nullptr;
    if (cached && *cached)
        return *cached;
    const QByteArray sql = insertSql(runs, rows);
    sqlite3_stmt *statement = nullptr;
    if (sqlite3_prepare_v3(handle, sql.constData(), int(sql.size()), cached ? SQLITE_PREPARE_PERSISTENT : 0, &statement, nullptr) != SQLITE_OK)
        raiseSqlite(m_db, handle, sql);
    if (cached)
        *cached = statement;
    return statement;
}

qint64 IngestWriter::insertSqlite(const IngestBatch &batch, const std::vector<const IngestRow *> &rows, bool runs)
{
    qint64 added = 0;
    for (size_t start = 0; start < rows.size(); start += kChunk) {
        const qsizetype count = qsizetype(std::min<size_t>(kChunk, rows.size() - start));
        bool temporary = false;
        sqlite3_stmt *statement = statementFor(runs, count, &temporary);
        int index = 1;
        for (qsizetype r = 0; r < count; ++r)
            bindRow(statement, index, batch, *rows[start + size_t(r)]);
        const int rc = sqlite3_step(statement);
        if (rc == SQLITE_DONE)
            added += sqlite3_changes(m_handle);
        if (rc != SQLITE_DONE) {
            // Read the error before reset/finalize clears it.
            const int code = sqlite3_extended_errcode(m_handle);
            const QString text = QString::fromUtf8(sqlite3_errmsg(m_handle));
            const QString sql = QString::fromUtf8(sqlite3_sql(statement)).left(200);
            sqlite3_reset(statement);
            if (temporary)
                sqlite3_finalize(statement);
            ErrorClassifier::raise(QSqlError(QString(), text, QSqlError::StatementError, QString::number(code)), m_db.connection(),
                                   {sql, nullptr, m_db.config().busyTimeoutMs()});
        }
        sqlite3_reset(statement);
        if (temporary)
            sqlite3_finalize(statement);
    }
    return added;
}

qint64 IngestWriter::insertGeneric(const IngestBatch &batch, const std::vector<const IngestRow *> &rows, bool runs)
{
    qint64 added = 0;
    const auto text = [&](IngestRow::Text t) {
        if (t.isNull())
            return QVariant(QMetaType::fromType<QString>());
        const QString s = QString::fromUtf8(batch.arena.data() + t.offset, t.length);
        return QVariant(s.isNull() ? QStringLiteral("") : s); // '' must stay '', not NULL
    };
    for (size_t start = 0; start < rows.size(); start += kChunk) {
        const qsizetype count = qsizetype(std::min<size_t>(kChunk, rows.size() - start));
        QVariantList params;
        for (qsizetype r = 0; r < count; ++r) {
            const IngestRow &row = *rows[start + size_t(r)];
            if (runs) {
                for (int c = 0; c < IngestRow::RunColumns; ++c)
                    params << text(row.text[c]);
                continue;
            }
            params << text(row.text[IngestRow::EventId]) << text(row.text[IngestRow::EventRunId]) << row.seq
                   << text(row.text[IngestRow::EventLevel]) << text(row.text[IngestRow::EventKind])
                   << text(row.text[IngestRow::EventMessage])
                   << (row.messageOriginalLength >= 0 ? QVariant(row.messageOriginalLength) : QVariant(QMetaType::fromType<qint64>()))
                   << text(row.text[IngestRow::EventPayload]) << text(row.text[IngestRow::EventPayloadUri])
                   << text(row.text[IngestRow::EventCreatedAt]);
        }
        added += m_db.exec(QString::fromUtf8(insertSql(runs, count)), params).numRowsAffected();
    }
    return added;
}

qint64 IngestWriter::insert(const IngestBatch &batch, const std::vector<const IngestRow *> &rows, bool runs)
{
    if (rows.empty())
        return 0;
    return m_db.backend() == Backend::Sqlite ? insertSqlite(batch, rows, runs) : insertGeneric(batch, rows, runs);
}

qint64 IngestWriter::nextSeqOf(QByteArrayView runId)
{
    const QString id = QString::fromUtf8(runId.data(), runId.size());
    // PostgreSQL has no database-wide write lock: the run's row lock keeps others from taking
    // the same numbers meanwhile.
    if (m_db.backend() == Backend::Postgres)
        m_db.exec(QStringLiteral("SELECT id FROM runs WHERE id = ? FOR UPDATE"), {id});
    return m_db.scalar(QStringLiteral("SELECT COALESCE(max(seq), 0) + 1 FROM events WHERE run_id = ?"), {id}).toLongLong();
}

void IngestWriter::assignSeqs(IngestBatch &batch)
{
    // Missing seq numbers continue after the run's highest, stored or earlier in this batch. The
    // stored highest is looked up only for runs that have an event without one.
    struct Next
    {
        qint64 given = 1;  // after the highest given so far
        qint64 next = 0;
        bool queried = false;
    };
    QHash<QByteArray, Next> runs;
    QByteArrayView lastId;
    Next *last = nullptr;
    for (IngestRow &row : batch.rows) {
        if (row.isRun)
            continue;
        const QByteArrayView runId = batch.view(row.text[IngestRow::EventRunId]);
        if (!last || runId != lastId) {
            last = &runs[runId.toByteArray()];
            lastId = runId;
        }
        if (row.seqGiven) {
            last->given = std::max(last->given, row.seq + 1);
            last->next = std::max(last->next, row.seq + 1);
            continue;
        }
        if (!last->queried) {
            last->next = std::max(nextSeqOf(runId), last->given);
            last->queried = true;
        }
        row.seq = last->next++;
    }
}

void IngestWriter::insertAll(const IngestBatch &batch, IngestCounts &counts)
{
    std::vector<const IngestRow *> runs, events;
    for (const IngestRow &row : batch.rows)
        (row.isRun ? runs : events).push_back(&row);
    // Runs first, so that events may come before their run anywhere in the batch.
    const qint64 newRuns = insert(batch, runs, true);
    const qint64 newEvents = insert(batch, events, false);
    counts.runsAdded += newRuns;
    counts.eventsAdded += newEvents;
    counts.alreadyPresent += qint64(batch.rows.size()) - newRuns - newEvents;
}

QString IngestWriter::problemFor(const IngestBatch &batch, const IngestRow &row, const DbError &error)
{
    const bool foreignKey = error.nativeCode() == QLatin1String("787") || error.nativeCode() == QLatin1String("23503");
    if (foreignKey && !row.isRun) {
        const QByteArrayView runId = batch.view(row.text[IngestRow::EventRunId]);
        return QStringLiteral("no run has the id \"%1\" that \"run_id\" names: load the run first, earlier in this file or in "
                              "the same batch (foreign key fk_events_run_id_runs)")
            .arg(QString::fromUtf8(runId.data(), runId.size()));
    }
    return error.message();
}

void IngestWriter::insertOneByOne(IngestBatch &batch, IngestCounts &counts, QList<IngestProblem> &problems)
{
    std::vector<IngestRow *> order;
    for (IngestRow &row : batch.rows) {
        if (row.isRun)
            order.push_back(&row);
    }
    for (IngestRow &row : batch.rows) {
        if (!row.isRun)
            order.push_back(&row);
    }
    std::vector<const IngestRow *> one(1);
    for (IngestRow *row : order) {
        one[0] = row;
        try {
            withTransaction(m_db, Transaction::Mode::Write, [&] { // a savepoint
                const qint64 n = insert(batch, one, row->isRun);
                (row->isRun ? counts.runsAdded : counts.eventsAdded) += n;
                counts.alreadyPresent += 1 - n;
            });
        } catch (const ConflictError &error) {
            problems.append({row->line, problemFor(batch, *row, error)});
        } catch (const ConstraintError &error) {
            problems.append({row->line, problemFor(batch, *row, error)});
        }
    }
}

QList<IngestProblem> IngestWriter::write(IngestBatch &batch, IngestCounts &counts)
{
    QList<IngestProblem> problems;
    if (batch.rows.empty())
        return problems;
    const IngestCounts before = counts;
    try {
        m_store.write([&] {
            counts = before; // a retried attempt counts afresh
            assignSeqs(batch);
            insertAll(batch, counts);
        });
        return problems;
    } catch (const ConflictError &) {
        counts = before;
    } catch (const ConstraintError &) {
        counts = before;
    }
    // The database refused a line: find which, row by row. With stop, the batch is rolled back
    // as a whole (the thrown marker), keeping the problems found; with skip, its good lines commit.
    try {
        m_store.write([&] {
            counts = before;
            problems.clear();
            assignSeqs(batch);
            insertOneByOne(batch, counts, problems);
            if (!problems.isEmpty() && !m_skip)
                throw RollBack{};
        });
    } catch (const RollBack &) {
        counts = before;
    }
    return problems;
}

} // namespace dbdeck

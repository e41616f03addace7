#include "store/rowinserter.h"

#include "db/database.h"
#include "db/errorclassifier.h"
#include "db/errors.h"
#include "store/records.h"

#include <QSqlError>

#include <sqlite3.h>

namespace dbdeck {

namespace {

[[noreturn]] void raiseSqlite(Database &db, sqlite3 *handle, const QString &sql)
{
    const int code = sqlite3_extended_errcode(handle);
    const QSqlError error(QString(), QString::fromUtf8(sqlite3_errmsg(handle)), QSqlError::StatementError,
                          QString::number(code));
    ErrorClassifier::raise(error, db.connection(), {sql, nullptr, db.config().busyTimeoutMs()});
}

} // namespace

RowInserter::RowInserter(Database &db, QString table, QStringList columns)
    : m_db(db), m_table(std::move(table)), m_columns(std::move(columns))
{
    // Stay well under SQLite's limit of 32766 bound parameters per statement.
    m_chunk = std::max<qsizetype>(1, std::min<qsizetype>(100, 30000 / m_columns.size()));
}

RowInserter::~RowInserter()
{
    sqlite3_finalize(m_full);
}

const QStringList &RowInserter::eventColumns()
{
    static const QStringList columns{QStringLiteral("id"), QStringLiteral("run_id"), QStringLiteral("seq"),
                                     QStringLiteral("level"), QStringLiteral("kind"), QStringLiteral("message"),
                                     QStringLiteral("message_original_length"), QStringLiteral("payload_json"),
                                     QStringLiteral("payload_uri"), QStringLiteral("created_at")};
    return columns;
}

QVariantList RowInserter::eventRow(const Event &e)
{
    const QVariant null;
    return {e.id.toUtf8(), e.runId.toUtf8(), e.seq, e.level.toUtf8(), e.kind.toUtf8(), e.message.toUtf8(),
            e.messageOriginalLength ? QVariant(*e.messageOriginalLength) : null,
            e.payload ? QVariant(e.payloadJson) : null,
            e.payloadUri.isEmpty() ? null : QVariant(e.payloadUri.toUtf8()), e.createdAt.toDb().toUtf8()};
}

void RowInserter::add(QVariantList row)
{
    m_rows.append(std::move(row));
}

QString RowInserter::statementFor(qsizetype rows) const
{
    const QString tuple = QLatin1Char('(') + QStringList(m_columns.size(), QStringLiteral("?")).join(QLatin1Char(',')) + QLatin1Char(')');
    return QStringLiteral("INSERT INTO %1 (%2) VALUES %3 ON CONFLICT (id) DO NOTHING")
        .arg(m_table, m_columns.join(QStringLiteral(", ")), QStringList(rows, tuple).join(QLatin1Char(',')));
}

sqlite3_stmt *RowInserter::prepare(qsizetype rows)
{
    sqlite3 *handle = m_db.sqliteHandle();
    const QByteArray sql = statementFor(rows).toUtf8();
    sqlite3_stmt *statement = nullptr;
    if (sqlite3_prepare_v2(handle, sql.constData(), int(sql.size()), &statement, nullptr) != SQLITE_OK)
        raiseSqlite(m_db, handle, QString::fromUtf8(sql.left(200)));
    return statement;
}

qint64 RowInserter::flush()
{
    if (m_rows.isEmpty())
        return 0;
    const qint64 added = m_db.backend() == Backend::Sqlite ? flushSqlite() : flushGeneric();
    m_rows.clear();
    return added;
}

qint64 RowInserter::flushSqlite()
{
    sqlite3 *handle = m_db.sqliteHandle();
    if (m_full && m_fullHandle != handle) { // the connection was reopened since
        sqlite3_finalize(m_full);
        m_full = nullptr;
    }
    qint64 added = 0;
    QList<QByteArray> keep; // text bound with SQLITE_STATIC must outlive the step
    for (qsizetype start = 0; start < m_rows.size(); start += m_chunk) {
        const qsizetype rows = std::min(m_chunk, m_rows.size() - start);
        sqlite3_stmt *statement = nullptr;
        if (rows == m_chunk) {
            if (!m_full) {
                m_full = prepare(m_chunk);
                m_fullHandle = handle;
            }
            statement = m_full;
        } else {
            statement = prepare(rows);
        }
        keep.clear();
        int index = 1;
        for (qsizetype r = start; r < start + rows; ++r) {
            for (const QVariant &value : std::as_const(m_rows.at(r))) {
                if (value.isNull()) {
                    sqlite3_bind_null(statement, index);
                } else {
                    switch (value.metaType().id()) {
                    case QMetaType::Int:
                    case QMetaType::LongLong:
                    case QMetaType::Bool:
                        sqlite3_bind_int64(statement, index, value.toLongLong());
                        break;
                    case QMetaType::Double:
                        sqlite3_bind_double(statement, index, value.toDouble());
                        break;
                    case QMetaType::QByteArray: {
                        // Lives in m_rows until flush() returns: no copy needed.
                        const QByteArray &bytes = *static_cast<const QByteArray *>(value.constData());
                        sqlite3_bind_text(statement, index, bytes.constData(), int(bytes.size()), SQLITE_STATIC);
                        break;
                    }
                    default:
                        keep.append(value.toString().toUtf8());
                        sqlite3_bind_text(statement, index, keep.last().constData(), int(keep.last().size()), SQLITE_STATIC);
                    }
                }
                ++index;
            }
        }
        const int rc = sqlite3_step(statement);
        const bool ok = rc == SQLITE_DONE;
        if (ok)
            added += sqlite3_changes(handle);
        if (!ok) {
            const QString sql = QString::fromUtf8(sqlite3_sql(statement)).left(200);
            // Read the error before reset/finalize clears it.
            const int code = sqlite3_extended_errcode(handle);
            const QString text = QString::fromUtf8(sqlite3_errmsg(handle));
            sqlite3_reset(statement);
            sqlite3_clear_bindings(statement);
            if (statement != m_full)
                sqlite3_finalize(statement);
            ErrorClassifier::raise(QSqlError(QString(), text, QSqlError::StatementError, QString::number(code)),
                                   m_db.connection(), {sql, nullptr, m_db.config().busyTimeoutMs()});
        }
        sqlite3_reset(statement);
        sqlite3_clear_bindings(statement);
        if (statement != m_full)
            sqlite3_finalize(statement);
    }
    return added;
}

qint64 RowInserter::flushGeneric()
{
    qint64 added = 0;
    for (qsizetype start = 0; start < m_rows.size(); start += m_chunk) {
        const qsizetype rows = std::min(m_chunk, m_rows.size() - start);
        QVariantList params;
        for (qsizetype r = start; r < start + rows; ++r) {
            for (const QVariant &value : m_rows.at(r))
            {
                if (value.metaType().id() != QMetaType::QByteArray) {
                    params << value;
                    continue;
                }
                // An empty text must stay '' (a null QString would bind as NULL).
                const QString text = QString::fromUtf8(value.toByteArray());
                params << (text.isNull() ? QVariant(QStringLiteral("")) : QVariant(text));
            }
        }
        QSqlQuery query = m_db.exec(statementFor(rows), params);
        added += query.numRowsAffected();
    }
    return added;
}

} // namespace dbdeck

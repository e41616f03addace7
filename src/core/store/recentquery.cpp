#include "store/recentquery.h"

#include "db/errors.h"
#include "store/records.h"

#include <QStringList>

namespace dbdeck {

namespace {

struct Where
{
    QStringList terms;
    QVariantList params;

    QString sql() const { return terms.isEmpty() ? QString() : QStringLiteral(" WHERE ") + terms.join(QStringLiteral(" AND ")); }
};

void requireOneOf(const QString &what, const QString &value, const QStringList &allowed)
{
    if (!allowed.contains(value))
        throw ConstraintError(QStringLiteral("%1 \"%2\" is not allowed; allowed: %3").arg(what, value, allowed.join(QStringLiteral(", "))));
}

Where runFilters(const RunQuery &query)
{
    Where w;
    if (!query.status.isEmpty()) {
        requireOneOf(QStringLiteral("run status"), query.status, Run::statuses());
        w.terms << QStringLiteral("status = ?");
        w.params << query.status;
    }
    if (!query.kind.isEmpty()) {
        w.terms << QStringLiteral("kind = ?");
        w.params << query.kind;
    }
    if (!query.text.isEmpty()) {
        // LIKE with the wildcards escaped works the same on SQLite and PostgreSQL.
        QString pattern = query.text;
        pattern.replace(QLatin1Char('\\'), QStringLiteral("\\\\")).replace(QLatin1Char('%'), QStringLiteral("\\%")).replace(QLatin1Char('_'), QStringLiteral("\\_"));
        pattern = QLatin1Char('%') + pattern + QLatin1Char('%');
        w.terms << QStringLiteral("(id LIKE ? ESCAPE '\\' OR kind LIKE ? ESCAPE '\\' OR COALESCE(error, '') LIKE ? ESCAPE '\\')");
        w.params << pattern << pattern << pattern;
    }
    return w;
}

Where eventFilters(const EventQuery &query)
{
    Where w;
    if (!query.runId.isEmpty()) {
        w.terms << QStringLiteral("run_id = ?");
        w.params << query.runId;
    }
    if (!query.minLevel.isEmpty()) {
        requireOneOf(QStringLiteral("event level"), query.minLevel, Event::levels());
        const QStringList levels = Event::levels().mid(Event::levels().indexOf(query.minLevel));
        w.terms << QStringLiteral("level IN (%1)").arg(QStringList(levels.size(), QStringLiteral("?")).join(QLatin1Char(',')));
        for (const QString &level : levels)
            w.params << level;
    }
    return w;
}

// Keyset condition on (created_at, id) relative to the row with id `cursor`: "older" keeps the
// rows after it in newest-first order, otherwise the rows from the newest down to it. The
// cursor's created_at comes from a primary-key lookup, so the range stays an index range.
void addTimeCursor(Where &w, const QString &table, const QString &cursor, bool older)
{
    const QString at = QStringLiteral("(SELECT c.created_at FROM %1 c WHERE c.id = ?)").arg(table);
    w.terms << (older ? QStringLiteral("created_at <= %1 AND (created_at < %1 OR id < ?)").arg(at)
                      : QStringLiteral("created_at >= %1 AND (created_at > %1 OR id >= ?)").arg(at));
    w.params << cursor << cursor << cursor;
}

int boundedLimit(int limit)
{
    return std::max(1, limit);
}

} // namespace

QString RecentQuery::runColumns()
{
    return QStringLiteral("id, kind, status, params_json, error, started_at, finished_at, created_at, updated_at");
}

QString RecentQuery::eventColumns()
{
    return QStringLiteral("id, run_id, seq, level, kind, message, message_original_length, payload_json, payload_uri, created_at");
}

SqlQueryText RecentQuery::runs(const RunQuery &query)
{
    Where w = runFilters(query);
    if (!query.olderThan.isEmpty())
        addTimeCursor(w, QStringLiteral("runs"), query.olderThan, true);
    if (!query.downTo.isEmpty())
        addTimeCursor(w, QStringLiteral("runs"), query.downTo, false);
    SqlQueryText q{QStringLiteral("SELECT %1 FROM runs%2 ORDER BY created_at DESC, id DESC LIMIT ?").arg(runColumns(), w.sql()), w.params};
    q.params << boundedLimit(query.limit);
    return q;
}

SqlQueryText RecentQuery::runCount(const RunQuery &query)
{
    const Where w = runFilters(query);
    return {QStringLiteral("SELECT count(*) FROM runs%1").arg(w.sql()), w.params};
}

SqlQueryText RecentQuery::events(const EventQuery &query)
{
    Where w = eventFilters(query);
    QString order;
    if (!query.runId.isEmpty()) {
        // (run_id, seq) is unique: its index serves both directions and both bounds.
        if (query.beforeSeq) {
            w.terms << QStringLiteral("seq < ?");
            w.params << *query.beforeSeq;
        }
        if (query.afterSeq) {
            w.terms << QStringLiteral("seq > ?");
            w.params << *query.afterSeq;
        }
        order = query.oldestFirst ? QStringLiteral("seq") : QStringLiteral("seq DESC");
    } else {
        if (!query.olderThan.isEmpty())
            addTimeCursor(w, QStringLiteral("events"), query.olderThan, true);
        order = QStringLiteral("created_at DESC, id DESC");
    }
    SqlQueryText q{QStringLiteral("SELECT %1 FROM events%2 ORDER BY %3 LIMIT ?").arg(eventColumns(), w.sql(), order), w.params};
    q.params << boundedLimit(query.limit);
    return q;
}

SqlQueryText RecentQuery::eventCount(const EventQuery &query)
{
    const Where w = eventFilters(query);
    return {QStringLiteral("SELECT count(*) FROM events%1").arg(w.sql()), w.params};
}

} // namespace dbdeck

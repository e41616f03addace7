#include "recentcommands.h"

#include "exitcodes.h"
#include "store/store.h"
#include "terminal.h"
#include "texttable.h"

namespace dbdeck::cli {

namespace {

JsonValue timeJson(const std::optional<UtcTime> &t)
{
    return t ? JsonValue::string(t->toIso()) : JsonValue();
}

JsonValue textJson(const QString &text)
{
    return text.isEmpty() ? JsonValue() : JsonValue::string(text);
}

QString csvField(const QString &field)
{
    if (!field.contains(QLatin1Char(',')) && !field.contains(QLatin1Char('"')) && !field.contains(QLatin1Char('\n'))
        && !field.contains(QLatin1Char('\r')))
        return field;
    return QLatin1Char('"') + QString(field).replace(QStringLiteral("\""), QStringLiteral("\"\"")) + QLatin1Char('"');
}

// An option whose value must be one of a list; a bad value is a usage error (exit 2).
QString choice(CommandContext &ctx, const QString &option, const QStringList &allowed)
{
    const QString value = ctx.parser.value(option);
    if (!value.isEmpty() && !allowed.contains(value))
        throw UsageError(QStringLiteral("--%1 \"%2\" is not allowed; allowed: %3").arg(option, value, allowed.join(QStringLiteral(", "))));
    return value;
}

int limitOption(CommandContext &ctx)
{
    bool ok = false;
    const int n = ctx.parser.value(QStringLiteral("limit")).toInt(&ok);
    if (!ok || n < 1 || n > 100000)
        throw UsageError(QStringLiteral("--limit must be a whole number from 1 to 100000"));
    return n;
}

struct Listing
{
    QStringList header;
    QList<QStringList> rows;
    JsonValue items = JsonValue::array();
    QString footer; // human output only: what the rows are out of, when not all are shown
};

Listing listRuns(CommandContext &ctx, Store &store, int limit)
{
    Listing l;
    RunQuery query;
    query.limit = limit;
    query.status = choice(ctx, QStringLiteral("status"), Run::statuses());
    query.kind = ctx.parser.value(QStringLiteral("kind"));
    l.header = {QStringLiteral("CREATED (UTC)"), QStringLiteral("ID"), QStringLiteral("KIND"), QStringLiteral("STATUS"), QStringLiteral("ERROR")};
    const QList<Run> runs = store.recentRuns(query);
    for (const Run &r : runs) {
        l.rows << QStringList{r.createdAt.toDb().left(19), r.id, r.kind, r.status, r.error};
        l.items.append(JsonValue::object({{QStringLiteral("id"), JsonValue::string(r.id)}, {QStringLiteral("kind"), JsonValue::string(r.kind)},
                                          {QStringLiteral("status"), JsonValue::string(r.status)}, {QStringLiteral("params"), r.params},
                                          {QStringLiteral("error"), textJson(r.error)}, {QStringLiteral("started_at"), timeJson(r.startedAt)},
                                          {QStringLiteral("finished_at"), timeJson(r.finishedAt)},
                                          {QStringLiteral("created_at"), JsonValue::string(r.createdAt.toIso())},
                                          {QStringLiteral("updated_at"), JsonValue::string(r.updatedAt.toIso())}}));
    }
    if (runs.size() == limit) {
        const qint64 total = store.countRuns(query);
        if (total > limit)
            l.footer = QStringLiteral("newest %1 of %2 runs (--limit for more)").arg(Terminal::number(limit), Terminal::number(total));
    }
    return l;
}

Listing listEvents(CommandContext &ctx, Store &store, int limit)
{
    Listing l;
    EventQuery query;
    query.limit = limit;
    query.runId = ctx.parser.value(QStringLiteral("run"));
    query.minLevel = choice(ctx, QStringLiteral("level"), Event::levels());
    query.oldestFirst = ctx.parser.isSet(QStringLiteral("oldest"));
    if (query.oldestFirst && query.runId.isEmpty())
        throw UsageError(QStringLiteral("--oldest needs --run: it lists a run's first events in order"));
    l.header = {QStringLiteral("CREATED (UTC)"), QStringLiteral("RUN"), QStringLiteral("SEQ"), QStringLiteral("LEVEL"), QStringLiteral("KIND"), QStringLiteral("MESSAGE")};
    const QList<Event> events = store.recentEvents(query);
    for (const Event &e : events) {
        l.rows << QStringList{e.createdAt.toDb().left(19), e.runId, QString::number(e.seq), e.level, e.kind, e.message.left(100)};
        l.items.append(JsonValue::object({{QStringLiteral("id"), JsonValue::string(e.id)}, {QStringLiteral("run_id"), JsonValue::string(e.runId)},
                                          {QStringLiteral("seq"), JsonValue::integer(e.seq)}, {QStringLiteral("level"), JsonValue::string(e.level)},
                                          {QStringLiteral("kind"), JsonValue::string(e.kind)}, {QStringLiteral("message"), JsonValue::string(e.message)},
                                          {QStringLiteral("payload"), e.payload.value_or(JsonValue())},
                                          {QStringLiteral("payload_uri"), textJson(e.payloadUri)},
                                          {QStringLiteral("created_at"), JsonValue::string(e.createdAt.toIso())}}));
    }
    // The total of one run is an index range count; that of every event would scan them all.
    if (!query.runId.isEmpty() && events.size() == limit) {
        const qint64 total = store.countEvents(query);
        if (total > limit)
            l.footer = query.oldestFirst
                ? QStringLiteral("first %1 of %2 events of run %3 (--limit for more)").arg(Terminal::number(limit), Terminal::number(total), query.runId)
                : QStringLiteral("newest %1 of %2 events of run %3 (--limit for more, --oldest for the first)")
                      .arg(Terminal::number(limit), Terminal::number(total), query.runId);
    }
    return l;
}

int runRecent(CommandContext &ctx)
{
    const QStringList args = ctx.parser.positionalArguments().mid(1);
    if (args.size() != 1 || (args.first() != QLatin1String("runs") && args.first() != QLatin1String("events")))
        throw UsageError(QStringLiteral("recent needs what to list: runs or events"));
    const QString format = ctx.format({QStringLiteral("table"), QStringLiteral("json"), QStringLiteral("csv")});
    const int limit = limitOption(ctx);
    Store store(ctx.database());
    const Listing l = args.first() == QLatin1String("runs") ? listRuns(ctx, store, limit) : listEvents(ctx, store, limit);
    if (format == QLatin1String("json")) {
        ctx.out << QString::fromUtf8(l.items.canonical()) << '\n';
    } else if (format == QLatin1String("csv")) {
        QStringList names;
        for (const QString &h : l.header)
            names << h.toLower().replace(QStringLiteral(" (utc)"), QString());
        ctx.out << names.join(QLatin1Char(',')) << "\r\n";
        for (const QStringList &row : l.rows) {
            QStringList fields;
            for (const QString &f : row)
                fields << csvField(f);
            ctx.out << fields.join(QLatin1Char(',')) << "\r\n";
        }
    } else {
        TextTable table(l.header);
        if (args.first() == QLatin1String("events"))
            table.alignRight(2);
        for (const QStringList &row : l.rows)
            table.addRow(row);
        ctx.out << table.render();
        if (!l.footer.isEmpty())
            ctx.out << '(' << l.footer << ")\n";
    }
    return ExitOk;
}

} // namespace

QList<Command> recentCommands()
{
    return {
        {QStringLiteral("recent"), QStringLiteral("The newest runs or events: recent runs|events [--limit N]."),
         [](QCommandLineParser &parser) {
             parser.addOption({QStringLiteral("format"), QStringLiteral("table, csv or json."), QStringLiteral("format"), QStringLiteral("table")});
             parser.addOption({QStringLiteral("limit"), QStringLiteral("How many (1 to 100000)."), QStringLiteral("n"), QStringLiteral("20")});
             parser.addOption({QStringLiteral("status"), QStringLiteral("runs: only this status (%1).").arg(Run::statuses().join(QStringLiteral(", "))),
                               QStringLiteral("status")});
             parser.addOption({QStringLiteral("kind"), QStringLiteral("runs: only this kind."), QStringLiteral("kind")});
             parser.addOption({QStringLiteral("run"), QStringLiteral("events: only this run's, the newest first."), QStringLiteral("id")});
             parser.addOption({QStringLiteral("oldest"), QStringLiteral("events of a --run: its first events, in order, instead of the newest.")});
             parser.addOption({QStringLiteral("level"), QStringLiteral("events: this level and above (%1).").arg(Event::levels().join(QStringLiteral(", "))),
                               QStringLiteral("level")});
         },
         runRecent},
    };
}

} // namespace dbdeck::cli

#include "datacommands.h"

#include "db/database.h"
#include "db/errors.h"
#include "exitcodes.h"
#include "store/ingestor.h"
#include "store/sampledata.h"
#include "store/store.h"
#include "texttable.h"

#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

#include <cstdio>

namespace dbdeck::cli {

namespace {

int positiveInt(CommandContext &ctx, const QString &option, int max)
{
    bool ok = false;
    const int n = ctx.parser.value(option).toInt(&ok);
    if (!ok || n < 1 || n > max)
        throw UsageError(QStringLiteral("--%1 must be a whole number from 1 to %2").arg(option).arg(max));
    return n;
}

std::function<void(const IngestProgress &)> progressPrinter(CommandContext &ctx)
{
    if (!ctx.interactive())
        return {};
    QTextStream &err = ctx.err;
    return [&err](const IngestProgress &p) {
        if (p.totalBytes > 0) {
            const int percent = int(p.bytesRead * 100 / p.totalBytes);
            const int filled = percent * 30 / 100;
            err << "\r[" << QString(filled, QLatin1Char('#')) << QString(30 - filled, QLatin1Char('-')) << "] " << percent << "%  "
                << p.lines << " lines, " << p.added << " added";
        } else {
            err << "\r" << p.lines << " lines, " << p.added << " added";
        }
        err.flush();
    };
}

int reportIngest(CommandContext &ctx, const IngestResult &r, bool skip)
{
    if (ctx.interactive())
        ctx.err << '\n';
    for (const IngestProblem &p : r.problems)
        ctx.err << p.toString() << '\n';
    ctx.out << r.lines << " lines: " << r.runsAdded << " runs and " << r.eventsAdded << " events added, " << r.alreadyPresent
            << " already present";
    if (!r.problems.isEmpty())
        ctx.out << ", " << r.problems.size() << (skip ? " bad lines skipped" : " bad line(s); stopped there, nothing of that batch was written");
    ctx.out << '\n';
    return r.problems.isEmpty() ? ExitOk : ExitConflict;
}

int runIngest(CommandContext &ctx)
{
    const QStringList args = ctx.parser.positionalArguments().mid(1);
    if (args.size() != 1)
        throw UsageError(QStringLiteral("ingest needs one FILE.jsonl, or - for standard input"));
    const QString onError = ctx.parser.value(QStringLiteral("on-error"));
    if (onError != QLatin1String("stop") && onError != QLatin1String("skip"))
        throw UsageError(QStringLiteral("--on-error must be stop or skip, not \"%1\"").arg(onError));
    IngestOptions options;
    options.batchSize = positiveInt(ctx, QStringLiteral("batch-size"), 100000);
    options.skipBadLines = onError == QLatin1String("skip");
    options.progress = progressPrinter(ctx);
    QFile file;
    qint64 total = -1;
    if (args.first() == QLatin1String("-")) {
        if (!file.open(stdin, QIODevice::ReadOnly))
            throw DbError(QStringLiteral("cannot read standard input"));
    } else {
        file.setFileName(args.first());
        if (!file.open(QIODevice::ReadOnly))
            throw DbError(QStringLiteral("cannot read %1: %2").arg(QFileInfo(args.first()).absoluteFilePath(), file.errorString()));
        total = file.size();
    }
    Store store(ctx.database());
    Ingestor ingestor(ctx.database(), store, options);
    return reportIngest(ctx, ingestor.run(file, total), options.skipBadLines);
}

int runSampleData(CommandContext &ctx)
{
    const int runs = positiveInt(ctx, QStringLiteral("runs"), 1000000);
    bool ok = false;
    const int events = ctx.parser.value(QStringLiteral("events")).toInt(&ok);
    if (!ok || events < 0 || events > 100000000)
        throw UsageError(QStringLiteral("--events must be a whole number from 0 to 100000000"));
    const quint32 seed = ctx.parser.value(QStringLiteral("seed")).toUInt();
    // Made and written a line at a time: memory stays flat however many events are asked for.
    SampleData data(runs, events, seed);
    const QString output = ctx.parser.value(QStringLiteral("output"));
    if (!output.isEmpty()) {
        QSaveFile file(output);
        const auto fail = [&] {
            throw DbError(QStringLiteral("cannot write %1: %2").arg(QFileInfo(output).absoluteFilePath(), file.errorString()));
        };
        if (!file.open(QIODevice::WriteOnly))
            fail();
        QByteArray chunk;
        QByteArray line;
        qint64 lines = 0;
        while (true) {
            const bool more = data.next(line);
            if (more) {
                chunk += line;
                chunk += '\n';
                ++lines;
            }
            if (chunk.size() >= (1 << 20) || (!more && !chunk.isEmpty())) {
                if (file.write(chunk) != chunk.size())
                    fail();
                chunk.resize(0);
            }
            if (!more)
                break;
        }
        if (!file.commit())
            fail();
        ctx.out << "wrote " << lines << " lines (" << runs << " runs, " << events << " events) to " << output << '\n';
        return ExitOk;
    }
    SampleDataDevice device(data);
    device.open(QIODevice::ReadOnly);
    Store store(ctx.database());
    IngestOptions options;
    options.progress = progressPrinter(ctx);
    Ingestor ingestor(ctx.database(), store, options);
    return reportIngest(ctx, ingestor.run(device), false);
}

JsonValue timeJson(const std::optional<UtcTime> &t)
{
    return t ? JsonValue::string(t->toIso()) : JsonValue();
}

JsonValue textJson(const QString &text)
{
    return text.isEmpty() ? JsonValue() : JsonValue::string(text);
}

int runRecent(CommandContext &ctx)
{
    const QStringList args = ctx.parser.positionalArguments().mid(1);
    if (args.size() != 1 || (args.first() != QLatin1String("runs") && args.first() != QLatin1String("events")))
        throw UsageError(QStringLiteral("recent needs what to list: runs or events"));
    const QString format = ctx.format({QStringLiteral("table"), QStringLiteral("json"), QStringLiteral("csv")});
    const int limit = positiveInt(ctx, QStringLiteral("limit"), 100000);
    Store store(ctx.database());
    JsonValue items = JsonValue::array();
    QList<QStringList> rows;
    QStringList header;
    if (args.first() == QLatin1String("runs")) {
        header = {QStringLiteral("CREATED (UTC)"), QStringLiteral("ID"), QStringLiteral("KIND"), QStringLiteral("STATUS"), QStringLiteral("ERROR")};
        for (const Run &r : store.recentRuns({limit, ctx.parser.value(QStringLiteral("status")), ctx.parser.value(QStringLiteral("kind")), QString()})) {
            rows << QStringList{r.createdAt.toDb().left(19), r.id, r.kind, r.status, r.error};
            items.append(JsonValue::object({{QStringLiteral("id"), JsonValue::string(r.id)}, {QStringLiteral("kind"), JsonValue::string(r.kind)},
                                            {QStringLiteral("status"), JsonValue::string(r.status)}, {QStringLiteral("params"), r.params},
                                            {QStringLiteral("error"), textJson(r.error)}, {QStringLiteral("started_at"), timeJson(r.startedAt)},
                                            {QStringLiteral("finished_at"), timeJson(r.finishedAt)},
                                            {QStringLiteral("created_at"), JsonValue::string(r.createdAt.toIso())},
                                            {QStringLiteral("updated_at"), JsonValue::string(r.updatedAt.toIso())}}));
        }
    } else {
        header = {QStringLiteral("CREATED (UTC)"), QStringLiteral("RUN"), QStringLiteral("SEQ"), QStringLiteral("LEVEL"), QStringLiteral("KIND"), QStringLiteral("MESSAGE")};
        for (const Event &e : store.recentEvents({limit, ctx.parser.value(QStringLiteral("run")), ctx.parser.value(QStringLiteral("level"))})) {
            rows << QStringList{e.createdAt.toDb().left(19), e.runId, QString::number(e.seq), e.level, e.kind, e.message.left(100)};
            items.append(JsonValue::object({{QStringLiteral("id"), JsonValue::string(e.id)}, {QStringLiteral("run_id"), JsonValue::string(e.runId)},
                                            {QStringLiteral("seq"), JsonValue::integer(e.seq)}, {QStringLiteral("level"), JsonValue::string(e.level)},
                                            {QStringLiteral("kind"), JsonValue::string(e.kind)}, {QStringLiteral("message"), JsonValue::string(e.message)},
                                            {QStringLiteral("payload"), e.payload.value_or(JsonValue())},
                                            {QStringLiteral("payload_uri"), textJson(e.payloadUri)},
                                            {QStringLiteral("created_at"), JsonValue::string(e.createdAt.toIso())}}));
        }
    }
    if (format == QLatin1String("json")) {
        ctx.out << QString::fromUtf8(items.canonical()) << '\n';
    } else if (format == QLatin1String("csv")) {
        const auto csv = [](const QString &field) {
            if (!field.contains(QLatin1Char(',')) && !field.contains(QLatin1Char('"')) && !field.contains(QLatin1Char('\n')))
                return field;
            return QLatin1Char('"') + QString(field).replace(QStringLiteral("\""), QStringLiteral("\"\"")) + QLatin1Char('"');
        };
        QStringList names;
        for (const QString &h : header)
            names << h.toLower().replace(QStringLiteral(" (utc)"), QString());
        ctx.out << names.join(QLatin1Char(',')) << "\r\n";
        for (const QStringList &row : std::as_const(rows)) {
            QStringList fields;
            for (const QString &f : row)
                fields << csv(f);
            ctx.out << fields.join(QLatin1Char(',')) << "\r\n";
        }
    } else {
        TextTable out(header);
        for (const QStringList &row : std::as_const(rows))
            out.addRow(row);
        ctx.out << out.render();
    }
    return ExitOk;
}

} // namespace

QList<Command> dataCommands()
{
    return {
        {QStringLiteral("ingest"), QStringLiteral("Load JSON Lines of runs and events: ingest FILE.jsonl|-."),
         [](QCommandLineParser &parser) {
             parser.addOption({QStringLiteral("on-error"), QStringLiteral("stop (default) or skip bad lines."), QStringLiteral("stop|skip"),
                               QStringLiteral("stop")});
             parser.addOption({QStringLiteral("batch-size"), QStringLiteral("Lines per write transaction."), QStringLiteral("n"),
                               QStringLiteral("1000")});
         },
         runIngest},
        {QStringLiteral("sample-data"), QStringLiteral("Generate realistic runs and events (into the database, or --output FILE.jsonl)."),
         [](QCommandLineParser &parser) {
             parser.addOption({QStringLiteral("runs"), QStringLiteral("How many runs."), QStringLiteral("n"), QStringLiteral("20")});
             parser.addOption({QStringLiteral("events"), QStringLiteral("How many events in all."), QStringLiteral("n"), QStringLiteral("1000")});
             parser.addOption({QStringLiteral("seed"), QStringLiteral("Random seed (same seed, same data relative to now)."), QStringLiteral("n"), QStringLiteral("1")});
             parser.addOption({QStringLiteral("output"), QStringLiteral("Write JSON Lines here instead of the database."), QStringLiteral("file")});
         },
         runSampleData},
        {QStringLiteral("recent"), QStringLiteral("Recent runs or events: recent runs|events [--limit N]."),
         [](QCommandLineParser &parser) {
             parser.addOption({QStringLiteral("format"), QStringLiteral("table, csv or json."), QStringLiteral("format"), QStringLiteral("table")});
             parser.addOption({QStringLiteral("limit"), QStringLiteral("How many."), QStringLiteral("n"), QStringLiteral("20")});
             parser.addOption({QStringLiteral("status"), QStringLiteral("runs: only this status."), QStringLiteral("status")});
             parser.addOption({QStringLiteral("kind"), QStringLiteral("runs: only this kind."), QStringLiteral("kind")});
             parser.addOption({QStringLiteral("run"), QStringLiteral("events: only this run's, in order."), QStringLiteral("id")});
             parser.addOption({QStringLiteral("level"), QStringLiteral("events: this level and above."), QStringLiteral("level")});
         },
         runRecent},
    };
}

} // namespace dbdeck::cli

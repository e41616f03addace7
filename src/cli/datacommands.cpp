#include "datacommands.h"

#include "db/database.h"
#include "db/errors.h"
#include "exitcodes.h"
#include "store/ingestor.h"
#include "store/sampledata.h"
#include "store/store.h"
#include "progressline.h"
#include "terminal.h"

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

// Progress on standard error while a terminal watches; the summary on standard output.
std::function<void(const IngestProgress &)> progressPrinter(ProgressLine &line)
{
    if (!line.enabled())
        return {};
    return [&line](const IngestProgress &p) {
        QString text = QStringLiteral("%1 lines, %2 added").arg(Terminal::number(p.lines), Terminal::number(p.added));
        if (p.totalBytes > 0) {
            const int percent = int(p.bytesRead * 100 / p.totalBytes);
            const int filled = percent * 30 / 100;
            text = QStringLiteral("[%1%2] %3%  ").arg(QString(filled, QLatin1Char('#')), QString(30 - filled, QLatin1Char('-'))).arg(percent) + text;
        }
        line.show(text);
    };
}

int reportIngest(CommandContext &ctx, ProgressLine &line, const IngestResult &r, bool skip)
{
    line.finish();
    for (const IngestProblem &p : r.problems)
        ctx.err << p.toString() << '\n';
    ctx.err.flush();
    ctx.out << Terminal::number(r.lines) << " lines: " << Terminal::number(r.runsAdded) << " runs and " << Terminal::number(r.eventsAdded)
            << " events added, " << Terminal::number(r.alreadyPresent) << " already present";
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
    ProgressLine line(ctx.err);
    options.progress = progressPrinter(line);
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
    return reportIngest(ctx, line, ingestor.run(file, total), options.skipBadLines);
}

int runSampleData(CommandContext &ctx)
{
    const int runs = positiveInt(ctx, QStringLiteral("runs"), 1000000);
    bool ok = false;
    const int events = ctx.parser.value(QStringLiteral("events")).toInt(&ok);
    if (!ok || events < 0 || events > 100000000)
        throw UsageError(QStringLiteral("--events must be a whole number from 0 to 100000000"));
    const quint32 seed = ctx.parser.value(QStringLiteral("seed")).toUInt();
    ProgressLine line(ctx.err);
    line.show(QStringLiteral("generating %1 runs and %2 events…").arg(Terminal::number(runs), Terminal::number(events)), true);
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
        QByteArray record;
        qint64 lines = 0;
        while (true) {
            const bool more = data.next(record);
            if (more) {
                chunk += record;
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
        line.finish();
        ctx.out << "wrote " << Terminal::number(lines) << " lines (" << Terminal::number(runs) << " runs, " << Terminal::number(events)
                << " events) to " << output << '\n';
        return ExitOk;
    }
    SampleDataDevice device(data);
    device.open(QIODevice::ReadOnly);
    Store store(ctx.database());
    IngestOptions options;
    options.progress = progressPrinter(line);
    Ingestor ingestor(ctx.database(), store, options);
    return reportIngest(ctx, line, ingestor.run(device), false);
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
    };
}

} // namespace dbdeck::cli

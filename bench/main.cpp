#include "guibench.h"
#include "ingestbench.h"
#include "lintbench.h"
#include "migratebench.h"
#include "schemadiffbench.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>

int main(int argc, char *argv[])
{
#ifdef DBDECK_BENCH_GUI
    if (argc > 1 && qstrcmp(argv[1], "gui") == 0)
        return dbdeck::bench::runGuiBench(argc, argv); // it needs a QApplication of its own
#endif
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("dbdeck-bench"));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Measures dbdeck against its baselines and prints the figures.\n\n"
                                                    "Benchmarks:\n  migrate     N generated migrations vs the sqlite3 shell\n"
                                                    "  ingest      batched ingestion vs the raw SQLite C API\n"
                                                    "  concurrent  4 writers + a reader: rows/s, commit latency, errors\n"
                                                    "  lint        linting N migrations (--migrations, 3000) vs loading them\n"
                                                    "  schema-diff diff of a 200-table schema (indexes, foreign keys); goal < 1 s\n"
                                                    "  gui         the inspector's longest GUI-thread stall on a multi-GB database"));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("benchmark"), QStringLiteral("migrate"));
    parser.addOption({QStringLiteral("migrations"), QStringLiteral("How many migrations (migrate)."), QStringLiteral("n"),
                      QStringLiteral("300")});
    parser.addOption({QStringLiteral("events"), QStringLiteral("How many events (ingest)."), QStringLiteral("n"), QStringLiteral("200000")});
    parser.addOption({QStringLiteral("batch-size"), QStringLiteral("Events per transaction (ingest)."), QStringLiteral("n"), QStringLiteral("1000")});
    parser.addOption({QStringLiteral("seconds"), QStringLiteral("Duration (concurrent)."), QStringLiteral("n"), QStringLiteral("5")});
    parser.addOption({QStringLiteral("writers"), QStringLiteral("Writer threads (concurrent)."), QStringLiteral("n"), QStringLiteral("4")});
    parser.addOption({QStringLiteral("tables"), QStringLiteral("How many tables (schema-diff)."), QStringLiteral("n"), QStringLiteral("200")});
    parser.addOption({QStringLiteral("runs"), QStringLiteral("Repetitions; the median is reported."), QStringLiteral("n"),
                      QStringLiteral("5")});
    parser.process(app);
    const QStringList args = parser.positionalArguments();
    const int runs = std::max(1, parser.value(QStringLiteral("runs")).toInt());
    if (args.value(0) == QLatin1String("migrate"))
        return dbdeck::bench::runMigrateBench(std::max(1, parser.value(QStringLiteral("migrations")).toInt()), runs);
    const auto number = [&](const char *name) { return std::max(1, parser.value(QLatin1String(name)).toInt()); };
    if (args.value(0) == QLatin1String("ingest"))
        return dbdeck::bench::runIngestBench(number("events"), number("batch-size"), runs);
    if (args.value(0) == QLatin1String("lint"))
        return dbdeck::bench::runLintBench(parser.isSet(QStringLiteral("migrations")) ? number("migrations") : 3000, runs);
    if (args.value(0) == QLatin1String("concurrent"))
        return dbdeck::bench::runConcurrentBench(number("seconds"), number("writers"));
    if (args.value(0) == QLatin1String("schema-diff"))
        return dbdeck::bench::runSchemaDiffBench(number("tables"), runs);
    QTextStream(stderr) << "dbdeck-bench: name a benchmark: migrate, ingest, concurrent, lint or schema-diff\n";
    return 2;
}

#include "benchsupport.h"
#include "concurrentbench.h"
#include "guibench.h"
#include "ingestbench.h"
#include "lintbench.h"
#include "migratebench.h"
#include "schemadiffbench.h"
#include "startupbench.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>

using namespace dbdeck::bench;

int main(int argc, char *argv[])
{
#ifdef DBDECK_BENCH_GUI
    if (argc > 1 && qstrcmp(argv[1], "gui") == 0)
        return dbdeck::bench::runGuiBench(argc, argv); // it needs a QApplication of its own
#endif
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("dbdeck-bench"));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Measures dbdeck against its baselines as whole processes, interleaved, and prints the figures, ratios and goals.\n\n"
        "Benchmarks:\n"
        "  ingest      dbdeck-cli ingest of N events vs the sqlite3 shell's .import and SQLite's copy path\n"
        "  migrate     dbdeck-cli upgrade of N migrations vs the sqlite3 shell\n"
        "  status      dbdeck-cli status with N migrations applied\n"
        "  startup     the start-up floor of small SQLite commands\n"
        "  memory      peak memory of sample-data --output and ingest at N events\n"
        "  all         ingest, migrate, status and startup with their defaults\n"
        "  concurrent  4 writers + a reader in one process: rows/s, commit latency, errors\n"
        "  lint        linting N migrations (--migrations, 3000) vs loading them\n"
        "  schema-diff diff of a 200-table schema (indexes, foreign keys); goal < 1 s\n"
        "  gui         the inspector's longest GUI-thread stall on a multi-GB database"));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("benchmark"), QStringLiteral("ingest, migrate, status, startup, memory, all, concurrent, lint or schema-diff"));
    parser.addOption({QStringLiteral("events"), QStringLiteral("Events (ingest: 1000000; memory: 5000000)."), QStringLiteral("n")});
    parser.addOption({QStringLiteral("migrations"), QStringLiteral("Migrations (migrate: 300; status: 3000)."), QStringLiteral("n")});
    parser.addOption({QStringLiteral("runs"), QStringLiteral("Interleaved runs of each command (default 5; startup 20; memory 1)."), QStringLiteral("n")});
    parser.addOption({QStringLiteral("seconds"), QStringLiteral("Duration (concurrent)."), QStringLiteral("n"), QStringLiteral("5")});
    parser.addOption({QStringLiteral("writers"), QStringLiteral("Writer threads (concurrent)."), QStringLiteral("n"), QStringLiteral("4")});
    parser.addOption({QStringLiteral("tables"), QStringLiteral("How many tables (schema-diff: 200)."), QStringLiteral("n")});
    parser.addOption({QStringLiteral("cli"), QStringLiteral("The dbdeck-cli to measure (default: the one built with this bench)."), QStringLiteral("path")});
    parser.process(app);
    if (parser.isSet(QStringLiteral("cli")))
        setCliPath(parser.value(QStringLiteral("cli")));
    const QString name = parser.positionalArguments().value(0);
    const auto number = [&](const char *option, qint64 fallback) {
        const qint64 n = parser.value(QLatin1String(option)).toLongLong();
        return n > 0 ? n : fallback;
    };
    const int runs = int(number("runs", 5));
    if (name == QLatin1String("ingest"))
        return runIngestBench(number("events", 1000000), runs);
    if (name == QLatin1String("migrate"))
        return runMigrateBench(int(number("migrations", 300)), runs);
    if (name == QLatin1String("status"))
        return runStatusBench(int(number("migrations", 3000)), runs);
    if (name == QLatin1String("startup"))
        return runStartupBench(int(number("runs", 20)));
    if (name == QLatin1String("memory"))
        return runMemoryBench(number("events", 5000000), int(number("runs", 1)));
    if (name == QLatin1String("lint"))
        return runLintBench(int(number("migrations", 3000)), runs);
    if (name == QLatin1String("concurrent"))
        return runConcurrentBench(int(number("seconds", 5)), int(number("writers", 4)));
    if (name == QLatin1String("schema-diff"))
        return runSchemaDiffBench(int(number("tables", 200)), runs);
    if (name == QLatin1String("all")) {
        runIngestBench(number("events", 1000000), runs);
        runMigrateBench(300, runs);
        runStatusBench(3000, runs);
        return runStartupBench(20);
    }
    QTextStream(stderr) << "dbdeck-bench: name a benchmark: ingest, migrate, status, startup, memory, all, concurrent, lint or schema-diff\n";
    return 2;
}

#include "migratebench.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("dbdeck-bench"));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Measures dbdeck against its baselines and prints the figures.\n\n"
                                                    "Benchmarks:\n  migrate  N generated migrations vs the sqlite3 shell"));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("benchmark"), QStringLiteral("migrate"));
    parser.addOption({QStringLiteral("migrations"), QStringLiteral("How many migrations (migrate)."), QStringLiteral("n"),
                      QStringLiteral("300")});
    parser.addOption({QStringLiteral("runs"), QStringLiteral("Repetitions; the median is reported."), QStringLiteral("n"),
                      QStringLiteral("5")});
    parser.process(app);
    const QStringList args = parser.positionalArguments();
    const int runs = std::max(1, parser.value(QStringLiteral("runs")).toInt());
    if (args.value(0) == QLatin1String("migrate"))
        return dbdeck::bench::runMigrateBench(std::max(1, parser.value(QStringLiteral("migrations")).toInt()), runs);
    QTextStream(stderr) << "dbdeck-bench: name a benchmark: migrate\n";
    return 2;
}

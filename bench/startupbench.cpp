#include "startupbench.h"

#include "benchsupport.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTextStream>

namespace dbdeck::bench {

int runStartupBench(int runs)
{
    QTextStream out(stdout);
    QTemporaryDir dir;
    const QString db = dir.filePath(QStringLiteral("small.db"));
    const QString url = QStringLiteral("sqlite:///") + db;
    runProcess({{cliPath(), QStringLiteral("--db-url"), url, QStringLiteral("--migrations"), QStringLiteral(DBDECK_SOURCE_DIR "/migrations"),
                 QStringLiteral("upgrade")}});
    const QList<Command> commands{
        {{cliPath(), QStringLiteral("--db-url"), url, QStringLiteral("--migrations"), QStringLiteral(DBDECK_SOURCE_DIR "/migrations"), QStringLiteral("current")}},
        {{cliPath(), QStringLiteral("--db-url"), url, QStringLiteral("config")}},
        {{QStringLiteral("sqlite3"), db, QStringLiteral("SELECT 1")}},
        {{QStringLiteral(DBDECK_QT_FLOOR)}},
    };
    const auto results = interleave(runs, commands, {});
    out << "dbdeck-bench startup: small commands on a migrated SQLite database, whole processes, " << runs << " interleaved runs each\n";
    out << "  dbdeck-cli current: " << describe(wall(results.at(0)), QStringLiteral("ms")) << "; CPU " << describe(cpu(results.at(0)), QStringLiteral("ms")) << '\n';
    out << "  dbdeck-cli config:  " << describe(wall(results.at(1)), QStringLiteral("ms")) << "; CPU " << describe(cpu(results.at(1)), QStringLiteral("ms")) << '\n';
    out << "  sqlite3 SELECT 1:   " << describe(wall(results.at(2)), QStringLiteral("ms")) << "; CPU " << describe(cpu(results.at(2)), QStringLiteral("ms"))
        << " (for scale)\n";
    out << "  empty QCoreApplication program (Qt's own floor): " << describe(wall(results.at(3)), QStringLiteral("ms")) << "; CPU "
        << describe(cpu(results.at(3)), QStringLiteral("ms")) << '\n';
    out << "  dbdeck-cli current / Qt's floor (CPU, pair by pair): " << describe(ratios(cpu(results.at(0)), cpu(results.at(3))), QStringLiteral("x"), 2) << '\n';
    out << goalLine(QStringLiteral("dbdeck-cli current <= 12 ms"), wall(results.at(0)), [](double ms) { return ms <= 12; }, 1);
    return 0;
}

int runMemoryBench(qint64 events, int runs)
{
    QTextStream out(stdout);
    QTemporaryDir dir;
    const QString db = dir.filePath(QStringLiteral("big.db"));
    const QString url = QStringLiteral("sqlite:///") + db;
    const QString jsonl = dir.filePath(QStringLiteral("events.jsonl"));
    out << "dbdeck-bench memory: " << events << " events, whole processes, " << runs << " runs each\n";
    out.flush();
    QList<double> sample, ingest;
    for (int r = 0; r < runs; ++r) {
        for (const char *suffix : {"", "-wal", "-shm"})
            QFile::remove(db + QLatin1String(suffix));
        runProcess({{cliPath(), QStringLiteral("--db-url"), url, QStringLiteral("--migrations"), QStringLiteral(DBDECK_SOURCE_DIR "/migrations"),
                     QStringLiteral("upgrade")}});
        sample << runProcess({{cliPath(), QStringLiteral("--db-url"), url, QStringLiteral("sample-data"), QStringLiteral("--runs"), QStringLiteral("50"),
                               QStringLiteral("--events"), QString::number(events), QStringLiteral("--output"), jsonl}}).peakKb / 1024.0;
        ingest << runProcess({{cliPath(), QStringLiteral("--db-url"), url, QStringLiteral("ingest"), jsonl}}).peakKb / 1024.0;
    }
    out << "  dbdeck-cli sample-data --output: peak " << describe(sample, QStringLiteral("MB")) << '\n';
    out << "  dbdeck-cli ingest:               peak " << describe(ingest, QStringLiteral("MB")) << '\n';
    out << goalLine(QStringLiteral("sample-data --output under 64 MB"), sample, [](double mb) { return mb < 64; }, 1);
    out << goalLine(QStringLiteral("ingest under 64 MB"), ingest, [](double mb) { return mb < 64; }, 1);
    return 0;
}

} // namespace dbdeck::bench

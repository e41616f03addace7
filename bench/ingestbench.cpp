#include "ingestbench.h"

#include "benchsupport.h"

#include <QTemporaryDir>
#include <QTextStream>

namespace dbdeck::bench {

namespace {

const QByteArray kPragmas = "PRAGMA journal_mode = WAL;\nPRAGMA synchronous = NORMAL;\nPRAGMA foreign_keys = ON;\n";

QString url(const QString &path)
{
    return QStringLiteral("sqlite:///") + path;
}

} // namespace

int runIngestBench(qint64 events, int runs)
{
    QTextStream out(stdout);
    QTemporaryDir dir;
    const QString cli = cliPath();
    const QString jsonl = dir.filePath(QStringLiteral("events.jsonl"));
    const QString templ = dir.filePath(QStringLiteral("template.db"));
    const QString reference = dir.filePath(QStringLiteral("reference.db"));
    const QString target = dir.filePath(QStringLiteral("run.db"));
    const int runCount = 20;
    out << "dbdeck-bench ingest: " << events << " events in " << runCount << " runs, whole processes, " << runs
        << " interleaved runs each, every one into a fresh copy of the migrated database\n";
    out.flush();
    // Set-up, not timed: the JSON Lines file, the migrated template, and the same rows as CSV
    // and as a database for the baselines.
    runProcess({{cli, QStringLiteral("--db-url"), url(dir.filePath(QStringLiteral("unused.db"))), QStringLiteral("sample-data"),
                 QStringLiteral("--runs"), QString::number(runCount), QStringLiteral("--events"), QString::number(events),
                 QStringLiteral("--output"), jsonl}});
    runProcess({{cli, QStringLiteral("--db-url"), url(templ), QStringLiteral("--migrations"), QStringLiteral(DBDECK_SOURCE_DIR "/migrations"),
                 QStringLiteral("upgrade")}});
    copyFile(templ, reference);
    runProcess({{cli, QStringLiteral("--db-url"), url(reference), QStringLiteral("ingest"), jsonl}});
    const QString exportScript = writeScript(dir.filePath(QStringLiteral("export.sql")),
                                             ".mode csv\n.once " + dir.filePath(QStringLiteral("runs.csv")).toUtf8() + "\nSELECT * FROM runs;\n.once "
                                                 + dir.filePath(QStringLiteral("events.csv")).toUtf8() + "\nSELECT * FROM events;\n");
    runProcess({{QStringLiteral("sqlite3"), reference}, exportScript});
    const QString importScript = writeScript(dir.filePath(QStringLiteral("import.sql")),
                                             kPragmas + ".import --csv " + dir.filePath(QStringLiteral("runs.csv")).toUtf8() + " runs\n.import --csv "
                                                 + dir.filePath(QStringLiteral("events.csv")).toUtf8() + " events\n");
    const QString copyScript = writeScript(dir.filePath(QStringLiteral("copy.sql")),
                                           kPragmas + "ATTACH '" + reference.toUtf8() + "' AS src;\nBEGIN;\nINSERT INTO runs SELECT * FROM src.runs;\n"
                                                      "INSERT INTO events SELECT * FROM src.events;\nCOMMIT;\n");

    const QList<Command> commands{
        {{cli, QStringLiteral("--db-url"), url(target), QStringLiteral("ingest"), jsonl}},
        {{QStringLiteral("sqlite3"), QStringLiteral("-bail"), target}, importScript},
        {{QStringLiteral("sqlite3"), QStringLiteral("-bail"), target}, copyScript},
    };
    const auto results = interleave(runs, commands, [&](int) { copyFile(templ, target); });
    const double rows = double(events + runCount);
    const auto rates = [&](const QList<ProcessRun> &r) {
        QList<double> values;
        for (double ms : wall(r))
            values << rows / (ms / 1000.0);
        return values;
    };
    const auto perRow = [&](const QList<ProcessRun> &r) {
        QList<double> values;
        for (double ms : cpu(r))
            values << ms * 1000.0 / rows;
        return values;
    };
    const auto peak = [](const QList<ProcessRun> &r) {
        QList<double> values;
        for (const ProcessRun &p : r)
            values << p.peakKb / 1024.0;
        return values;
    };
    const QStringList names{QStringLiteral("dbdeck-cli ingest (JSON Lines, batches of 1000)"),
                            QStringLiteral("sqlite3 shell .import (CSV of the same rows, one transaction)"),
                            QStringLiteral("SQLite copy path (INSERT ... SELECT from an attached database, one transaction)")};
    for (int c = 0; c < commands.size(); ++c) {
        out << "  " << names.at(c) << ":\n    " << describe(rates(results.at(c)), QStringLiteral("rows/s"), 0) << "; CPU "
            << describe(perRow(results.at(c)), QStringLiteral("µs/row"), 2) << "; peak " << describe(peak(results.at(c)), QStringLiteral("MB"), 1)
            << '\n';
    }
    const QList<double> vsImport = ratios(wall(results.at(1)), wall(results.at(0)));
    const QList<double> vsCopy = ratios(wall(results.at(2)), wall(results.at(0)));
    out << goalLine(QStringLiteral("dbdeck's rate >= 1.0x the shell's .import"), vsImport, [](double r) { return r >= 1.0; });
    out << goalLine(QStringLiteral("dbdeck's rate >= 0.5x the copy path"), vsCopy, [](double r) { return r >= 0.5; });
    return 0;
}

} // namespace dbdeck::bench

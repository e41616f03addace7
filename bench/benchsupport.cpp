#include "benchsupport.h"

#include <QElapsedTimer>
#include <QFile>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace dbdeck::bench {

namespace {
QString g_cli = QStringLiteral(DBDECK_CLI);
}

QString cliPath()
{
    return g_cli;
}

void setCliPath(const QString &path)
{
    g_cli = path;
}

double median(QList<double> values)
{
    if (values.isEmpty())
        return 0;
    std::sort(values.begin(), values.end());
    const qsizetype n = values.size();
    return n % 2 ? values.at(n / 2) : (values.at(n / 2 - 1) + values.at(n / 2)) / 2;
}

double minimum(const QList<double> &values)
{
    return values.isEmpty() ? 0 : *std::min_element(values.cbegin(), values.cend());
}

double maximum(const QList<double> &values)
{
    return values.isEmpty() ? 0 : *std::max_element(values.cbegin(), values.cend());
}

QString describe(const QList<double> &values, const QString &unit, int decimals)
{
    return QStringLiteral("median %1 %4 (min %2, max %3)")
        .arg(median(values), 0, 'f', decimals).arg(minimum(values), 0, 'f', decimals).arg(maximum(values), 0, 'f', decimals).arg(unit);
}

QList<double> measure(int runs, const std::function<void()> &setup, const std::function<void()> &fn)
{
    QList<double> times;
    for (int i = 0; i < runs; ++i) {
        setup();
        QElapsedTimer timer;
        timer.start();
        fn();
        times << timer.nsecsElapsed() / 1e6;
    }
    return times;
}

QList<QList<ProcessRun>> interleave(int runs, const QList<Command> &commands, const std::function<void(int)> &setup)
{
    QList<QList<ProcessRun>> results(commands.size());
    for (int r = 0; r < runs; ++r) {
        for (int c = 0; c < commands.size(); ++c) {
            if (setup)
                setup(c);
            results[c] << runProcess(commands.at(c));
        }
    }
    return results;
}

QList<double> wall(const QList<ProcessRun> &runs)
{
    QList<double> values;
    for (const ProcessRun &r : runs)
        values << r.wallMs;
    return values;
}

QList<double> cpu(const QList<ProcessRun> &runs)
{
    QList<double> values;
    for (const ProcessRun &r : runs)
        values << r.cpuMs;
    return values;
}

QList<double> ratios(const QList<double> &a, const QList<double> &b)
{
    QList<double> values;
    for (qsizetype i = 0; i < std::min(a.size(), b.size()); ++i)
        values << a.at(i) / b.at(i);
    return values;
}

QString goalLine(const QString &what, const QList<double> &values, const std::function<bool(double)> &met, int decimals)
{
    const auto hits = std::count_if(values.cbegin(), values.cend(), met);
    const bool overall = hits * 5 >= values.size() * 3; // three of five
    return QStringLiteral("  goal %1: met in %2 of %3 runs (median %4, min %5, max %6): %7\n")
        .arg(what).arg(hits).arg(values.size()).arg(median(values), 0, 'f', decimals).arg(minimum(values), 0, 'f', decimals)
        .arg(maximum(values), 0, 'f', decimals).arg(overall ? QStringLiteral("MET") : QStringLiteral("NOT MET"));
}

QString writeScript(const QString &path, const QByteArray &script)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(script) != script.size()) {
        std::fprintf(stderr, "dbdeck-bench: cannot write %s\n", qPrintable(path));
        std::exit(2);
    }
    return path;
}

void copyFile(const QString &from, const QString &to)
{
    QFile::remove(to);
    QFile::remove(to + QStringLiteral("-wal"));
    QFile::remove(to + QStringLiteral("-shm"));
    if (!QFile::copy(from, to)) {
        std::fprintf(stderr, "dbdeck-bench: cannot copy %s\n", qPrintable(from));
        std::exit(2);
    }
}

} // namespace dbdeck::bench

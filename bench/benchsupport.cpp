#include "benchsupport.h"

#include <QElapsedTimer>
#include <QProcess>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace dbdeck::bench {

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

double median(QList<double> values)
{
    std::sort(values.begin(), values.end());
    const qsizetype n = values.size();
    return n % 2 ? values.at(n / 2) : (values.at(n / 2 - 1) + values.at(n / 2)) / 2;
}

double best(const QList<double> &values)
{
    return *std::min_element(values.cbegin(), values.cend());
}

QString describe(const QList<double> &ms)
{
    return QStringLiteral("median %1 ms (best %2 ms)").arg(median(ms), 0, 'f', 1).arg(best(ms), 0, 'f', 1);
}

void runSqliteShell(const QString &database, const QByteArray &script)
{
    QProcess shell;
    shell.start(QStringLiteral("sqlite3"), {QStringLiteral("-bail"), database});
    if (!shell.waitForStarted()) {
        std::fprintf(stderr, "cannot start the sqlite3 shell (apt-get install sqlite3)\n");
        std::exit(2);
    }
    shell.write(script);
    shell.closeWriteChannel();
    shell.waitForFinished(-1);
    if (shell.exitCode() != 0) {
        std::fprintf(stderr, "sqlite3 failed: %s\n", shell.readAllStandardError().constData());
        std::exit(2);
    }
}

} // namespace dbdeck::bench

#pragma once

#include <QList>
#include <QString>

#include <functional>

namespace dbdeck::bench {

// Times fn `runs` times (each after setup, which is not timed) and returns the milliseconds.
QList<double> measure(int runs, const std::function<void()> &setup, const std::function<void()> &fn);
double median(QList<double> values);
double best(const QList<double> &values);
// "median 12.3 ms (best 11.9 ms)"
QString describe(const QList<double> &ms);
// Runs the sqlite3 shell on a database with a script on standard input; exits on failure.
void runSqliteShell(const QString &database, const QByteArray &script);

} // namespace dbdeck::bench

#pragma once

#include "processtimer.h"

#include <QList>
#include <QString>
#include <QTextStream>

#include <functional>

namespace dbdeck::bench {

// Where the programs under test are: dbdeck-cli (built beside the bench) and the sqlite3 shell.
QString cliPath();
void setCliPath(const QString &path);

double median(QList<double> values);
double minimum(const QList<double> &values);
double maximum(const QList<double> &values);
// "median 12.3 ms (min 11.9, max 14.0)".
QString describe(const QList<double> &values, const QString &unit = QStringLiteral("ms"), int decimals = 1);

// In-process timing, for what has no process of its own (lint): fn `runs` times, each after
// setup (not timed); milliseconds.
QList<double> measure(int runs, const std::function<void()> &setup, const std::function<void()> &fn);

// Runs the commands in turn, A B C A B C ..., `runs` times, after setup (not timed) before each
// command. Interleaving keeps the comparison fair when the machine's speed drifts.
QList<QList<ProcessRun>> interleave(int runs, const QList<Command> &commands, const std::function<void(int command)> &setup);

QList<double> wall(const QList<ProcessRun> &runs);
QList<double> cpu(const QList<ProcessRun> &runs);
// Ratio of A's figure to B's, pair by pair.
QList<double> ratios(const QList<double> &a, const QList<double> &b);
// "goal: ratio >= 1.00 — met in 4 of 5 runs (median 1.07): MET"; met overall in 3 of 5 or more.
QString goalLine(const QString &what, const QList<double> &values, const std::function<bool(double)> &met, int decimals = 2);

// The shell script written to a file for the sqlite3 shell's standard input.
QString writeScript(const QString &path, const QByteArray &script);
// A fresh copy of a template database file.
void copyFile(const QString &from, const QString &to);

} // namespace dbdeck::bench

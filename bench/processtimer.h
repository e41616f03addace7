#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace dbdeck::bench {

// One whole process, timed from outside: wall time from start to exit, user + system CPU and peak
// resident memory as the kernel accounted them for that child (wait4).
struct ProcessRun
{
    double wallMs = 0;
    double cpuMs = 0;
    long peakKb = 0;
    int exitCode = -1;
};

struct Command
{
    Command(QStringList arguments, QString input = {}) : argv(std::move(arguments)), stdinFile(std::move(input)) {}
    QStringList argv;  // program and arguments
    QString stdinFile; // empty: /dev/null
    QList<QPair<QByteArray, QByteArray>> env; // added to the environment
};

// Runs the command with output thrown away; exits the bench with a message when it fails.
ProcessRun runProcess(const Command &command);

} // namespace dbdeck::bench

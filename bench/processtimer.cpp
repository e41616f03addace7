#include "processtimer.h"

#include <QElapsedTimer>

#include <cstdio>
#include <cstdlib>
#include <vector>

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>

extern char **environ;

namespace dbdeck::bench {

ProcessRun runProcess(const Command &command)
{
    QList<QByteArray> args;
    for (const QString &a : command.argv)
        args << a.toLocal8Bit();
    std::vector<char *> argv;
    for (QByteArray &a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    QList<QByteArray> envStrings;
    for (char **e = environ; *e; ++e)
        envStrings << QByteArray(*e);
    for (const auto &[name, value] : command.env)
        envStrings << name + '=' + value;
    std::vector<char *> envp;
    for (QByteArray &e : envStrings)
        envp.push_back(e.data());
    envp.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    const QByteArray in = command.stdinFile.isEmpty() ? QByteArray("/dev/null") : command.stdinFile.toLocal8Bit();
    posix_spawn_file_actions_addopen(&actions, 0, in.constData(), O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    QElapsedTimer timer;
    timer.start();
    pid_t pid = 0;
    if (posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), envp.data()) != 0) {
        std::fprintf(stderr, "dbdeck-bench: cannot start %s\n", argv[0]);
        std::exit(2);
    }
    int status = 0;
    rusage usage{};
    wait4(pid, &status, 0, &usage);
    ProcessRun run;
    run.wallMs = timer.nsecsElapsed() / 1e6;
    posix_spawn_file_actions_destroy(&actions);
    run.cpuMs = (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e3 + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e3;
    run.peakKb = usage.ru_maxrss;
    run.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (run.exitCode != 0) {
        std::fprintf(stderr, "dbdeck-bench: %s exited with %d\n", qPrintable(command.argv.join(QLatin1Char(' '))), run.exitCode);
        std::exit(2);
    }
    return run;
}

} // namespace dbdeck::bench

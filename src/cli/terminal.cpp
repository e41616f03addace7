#include "terminal.h"

#include <QLocale>

#include <sys/ioctl.h>
#include <unistd.h>

namespace dbdeck::cli {

int Terminal::width()
{
    bool ok = false;
    const int columns = qEnvironmentVariableIntValue("COLUMNS", &ok);
    if (ok && columns > 0)
        return columns;
    winsize size{};
    if (isatty(STDOUT_FILENO) == 1 && ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0)
        return size.ws_col;
    return 0;
}

bool Terminal::showsProgress()
{
    return isatty(STDERR_FILENO) == 1 && qEnvironmentVariable("CI").isEmpty() && qEnvironmentVariable("TERM") != QLatin1String("dumb");
}

QString Terminal::number(qint64 value)
{
    // One fixed grouping, whatever the user's locale, so output in issues and logs reads the same.
    static const QLocale english(QLocale::English, QLocale::UnitedStates);
    return english.toString(value);
}

} // namespace dbdeck::cli

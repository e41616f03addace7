#include "db/utctime.h"

#include <QSysInfo>

#include <chrono>
#include <ctime>

#include <pwd.h>
#include <unistd.h>

namespace dbdeck {

QString utcNowForDb()
{
    using namespace std::chrono;
    const auto now = system_clock::now();
    const auto micros = duration_cast<microseconds>(now.time_since_epoch()).count();
    const std::time_t seconds = std::time_t(micros / 1000000);
    std::tm parts{};
    gmtime_r(&seconds, &parts);
    char buffer[96];
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d %02d:%02d:%02d.%06lld", parts.tm_year + 1900,
                  parts.tm_mon + 1, parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec,
                  static_cast<long long>(((micros % 1000000) + 1000000) % 1000000));
    return QString::fromLatin1(buffer);
}

QString currentActor()
{
    static const QString actor = [] {
    QString user = qEnvironmentVariable("USER");
    if (user.isEmpty()) {
        if (const passwd *pw = getpwuid(geteuid()))
            user = QString::fromLocal8Bit(pw->pw_name);
    }
    if (user.isEmpty())
        user = QString::number(geteuid());
    return user + QLatin1Char('@') + QSysInfo::machineHostName();
    }();
    return actor;
}

} // namespace dbdeck

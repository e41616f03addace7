#include "db/utctime.h"

#include <QDate>
#include <QRegularExpression>
#include <QSysInfo>

#include <chrono>
#include <cstdio>

#include <pwd.h>
#include <unistd.h>

namespace dbdeck {

namespace {

constexpr qint64 kMicrosPerDay = 86400LL * 1000000LL;
constexpr qint64 kUnixEpochJulianDay = 2440588;

struct Parts
{
    int year, month, day, hour, minute, second, micro;
};

// Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's civil_from_days): this runs
// for every stored row, where QDate::toString's format parsing would dominate.
Parts split(qint64 micros)
{
    qint64 days = micros / kMicrosPerDay;
    qint64 rest = micros % kMicrosPerDay;
    if (rest < 0) {
        rest += kMicrosPerDay;
        --days;
    }
    const qint64 z = days + 719468;
    const qint64 era = (z >= 0 ? z : z - 146096) / 146097;
    const qint64 doe = z - era * 146097;
    const qint64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const qint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const qint64 mp = (5 * doy + 2) / 153;
    const int day = int(doy - (153 * mp + 2) / 5 + 1);
    const int month = int(mp < 10 ? mp + 3 : mp - 9);
    const int year = int(yoe + era * 400 + (month <= 2 ? 1 : 0));
    const qint64 seconds = rest / 1000000;
    return {year, month, day, int(seconds / 3600), int(seconds / 60 % 60), int(seconds % 60), int(rest % 1000000)};
}

} // namespace

UtcTime UtcTime::now()
{
    using namespace std::chrono;
    return UtcTime(duration_cast<microseconds>(system_clock::now().time_since_epoch()).count());
}

std::optional<UtcTime> UtcTime::parse(const QString &text)
{
    static const QRegularExpression re(QStringLiteral(
        "^(\\d{4})-(\\d\\d)-(\\d\\d)[T ](\\d\\d):(\\d\\d)(?::(\\d\\d)(?:\\.(\\d{1,6}))?)?(Z|[+-]\\d\\d:?\\d\\d)?$"));
    const auto m = re.match(text.trimmed());
    if (!m.hasMatch())
        return std::nullopt;
    const QDate date(m.captured(1).toInt(), m.captured(2).toInt(), m.captured(3).toInt());
    const int hour = m.captured(4).toInt(), minute = m.captured(5).toInt(), second = m.captured(6).toInt();
    if (!date.isValid() || hour > 23 || minute > 59 || second > 59)
        return std::nullopt;
    const int micro = m.captured(7).leftJustified(6, QLatin1Char('0')).toInt();
    qint64 offsetSeconds = 0;
    const QString zone = m.captured(8);
    if (!zone.isEmpty() && zone != QLatin1String("Z")) {
        const QString digits = QString(zone).remove(QLatin1Char(':'));
        const int hh = digits.mid(1, 2).toInt(), mm = digits.mid(3, 2).toInt();
        if (hh > 23 || mm > 59)
            return std::nullopt;
        offsetSeconds = (hh * 3600 + mm * 60) * (zone.startsWith(QLatin1Char('-')) ? -1 : 1);
    }
    const qint64 days = date.toJulianDay() - kUnixEpochJulianDay;
    const qint64 local = days * kMicrosPerDay + (qint64(hour) * 3600 + minute * 60 + second) * 1000000 + micro;
    return UtcTime(local - offsetSeconds * 1000000);
}

QString UtcTime::toDb() const
{
    const Parts p = split(m_micros);
    char buffer[64];
    const int n = std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d %02d:%02d:%02d.%06d", p.year, p.month, p.day, p.hour,
                                p.minute, p.second, p.micro);
    return QString::fromLatin1(buffer, n);
}

QString UtcTime::toIso() const
{
    const Parts p = split(m_micros);
    char buffer[64];
    const int n = p.micro ? std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%06d+00:00", p.year, p.month,
                                          p.day, p.hour, p.minute, p.second, p.micro)
                          : std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d+00:00", p.year, p.month, p.day,
                                          p.hour, p.minute, p.second);
    return QString::fromLatin1(buffer, n);
}

QString utcNowForDb()
{
    return UtcTime::now().toDb();
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

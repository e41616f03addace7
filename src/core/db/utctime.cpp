#include "db/utctime.h"

#include "db/isodatetime.h"

#include <QSysInfo>

#include <chrono>
#include <cstdio>

#include <pwd.h>
#include <unistd.h>

namespace dbdeck {

namespace {

constexpr qint64 kMicrosPerDay = 86400LL * 1000000LL;

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

std::optional<UtcTime> UtcTime::parse(QStringView text, QString *why)
{
    const QByteArray utf8 = text.toUtf8();
    return parseUtf8(utf8.constData(), utf8.size(), why);
}

std::optional<UtcTime> UtcTime::parseUtf8(const char *data, qsizetype size, QString *why)
{
    const auto t = IsoDateTime::parse(data, size, why);
    if (!t)
        return std::nullopt;
    const qint64 days = IsoDateTime::daysFromCivil(t->year, t->month, t->day);
    const qint64 local = days * kMicrosPerDay + (qint64(t->hour) * 3600 + t->minute * 60 + t->second) * 1000000 + t->microsecond;
    const qint64 utc = local - t->offsetMicros;
    // astimezone(timezone.utc) refuses what falls outside the years 1..9999; stored as year 0 or
    // 10000 it would break the column's fixed width and order.
    static const qint64 first = IsoDateTime::daysFromCivil(1, 1, 1) * kMicrosPerDay;
    static const qint64 last = IsoDateTime::daysFromCivil(10000, 1, 1) * kMicrosPerDay;
    if (utc < first || utc >= last) {
        if (why)
            *why = QStringLiteral("in UTC it falls in the year %1; times must fall within the years 1 to 9999 in UTC")
                       .arg(split(utc).year);
        return std::nullopt;
    }
    return UtcTime(utc);
}

void UtcTime::writeDb(char *buffer) const
{
    const Parts p = split(m_micros);
    const auto two = [](char *at, int v) {
        at[0] = char('0' + v / 10);
        at[1] = char('0' + v % 10);
    };
    buffer[0] = char('0' + p.year / 1000);
    buffer[1] = char('0' + p.year / 100 % 10);
    two(buffer + 2, p.year % 100);
    buffer[4] = '-';
    two(buffer + 5, p.month);
    buffer[7] = '-';
    two(buffer + 8, p.day);
    buffer[10] = ' ';
    two(buffer + 11, p.hour);
    buffer[13] = ':';
    two(buffer + 14, p.minute);
    buffer[16] = ':';
    two(buffer + 17, p.second);
    buffer[19] = '.';
    int micro = p.micro;
    for (int k = 25; k >= 20; --k) {
        buffer[k] = char('0' + micro % 10);
        micro /= 10;
    }
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

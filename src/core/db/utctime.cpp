#include "db/utctime.h"

#include <QDate>
#include <QRegularExpression>
#include <QSysInfo>

#include <chrono>

#include <pwd.h>
#include <unistd.h>

namespace dbdeck {

namespace {

constexpr qint64 kMicrosPerDay = 86400LL * 1000000LL;
constexpr qint64 kUnixEpochJulianDay = 2440588;

struct Parts
{
    QDate date;
    int hour, minute, second, micro;
};

Parts split(qint64 micros)
{
    qint64 days = micros / kMicrosPerDay;
    qint64 rest = micros % kMicrosPerDay;
    if (rest < 0) {
        rest += kMicrosPerDay;
        --days;
    }
    const qint64 seconds = rest / 1000000;
    return {QDate::fromJulianDay(days + kUnixEpochJulianDay), int(seconds / 3600), int(seconds / 60 % 60),
            int(seconds % 60), int(rest % 1000000)};
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
    return QStringLiteral("%1 %2:%3:%4.%5")
        .arg(p.date.toString(QStringLiteral("yyyy-MM-dd")))
        .arg(p.hour, 2, 10, QLatin1Char('0'))
        .arg(p.minute, 2, 10, QLatin1Char('0'))
        .arg(p.second, 2, 10, QLatin1Char('0'))
        .arg(p.micro, 6, 10, QLatin1Char('0'));
}

QString UtcTime::toIso() const
{
    const Parts p = split(m_micros);
    QString out = QStringLiteral("%1T%2:%3:%4")
                      .arg(p.date.toString(QStringLiteral("yyyy-MM-dd")))
                      .arg(p.hour, 2, 10, QLatin1Char('0'))
                      .arg(p.minute, 2, 10, QLatin1Char('0'))
                      .arg(p.second, 2, 10, QLatin1Char('0'));
    if (p.micro)
        out += QStringLiteral(".%1").arg(p.micro, 6, 10, QLatin1Char('0'));
    return out + QStringLiteral("+00:00");
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

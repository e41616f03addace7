#include "db/isodatetime.h"

#include <QVarLengthArray>

namespace dbdeck {

namespace {

bool isLeap(int year)
{
    return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
}

int daysInMonth(int year, int month)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && isLeap(year) ? 29 : days[month - 1];
}

// The text as CPython sees it: a NUL-terminated buffer, read past an end given to a helper.
class Reader
{
public:
    Reader(const char *s, qsizetype n) : m_s(s), m_n(n) {}
    char at(qsizetype i) const { return i < m_n ? m_s[i] : '\0'; }
    qsizetype size() const { return m_n; }
    static bool isDigit(char c) { return c >= '0' && c <= '9'; }

    // Exactly `count` ASCII digits from p; -1 when one is not a digit.
    int digits(qsizetype p, qsizetype count) const
    {
        int value = 0;
        for (qsizetype k = 0; k < count; ++k) {
            const char c = at(p + k);
            if (!isDigit(c))
                return -1;
            value = value * 10 + (c - '0');
        }
        return value;
    }

    // HH[:?MM[:?SS[{.,}f+]]] in [p, end): 0 when it ends there, 1 when more follows, < 0 malformed.
    int hhmmssff(qsizetype p, qsizetype end, int values[4]) const
    {
        values[0] = values[1] = values[2] = values[3] = 0;
        bool separated = true;
        for (int i = 0; i < 3; ++i) {
            values[i] = digits(p, 2);
            if (values[i] < 0)
                return -3;
            p += 2;
            const char c = at(p++);
            if (i == 0)
                separated = c == ':';
            if (p >= end)
                return c != '\0';
            if (separated && c == ':')
                continue;
            if (c == '.' || c == ',')
                break;
            if (!separated) {
                --p;
                continue;
            }
            return -4;
        }
        static const int scale[] = {100000, 10000, 1000, 100, 10, 1};
        const qsizetype take = std::min<qsizetype>(end - p, 6);
        values[3] = digits(p, take);
        if (values[3] < 0)
            return -3;
        values[3] *= scale[take - 1];
        p += take;
        while (isDigit(at(p)))
            ++p; // digits past the microseconds are cut, not rounded
        return at(p) != '\0';
    }

private:
    const char *m_s;
    qsizetype m_n;
};

// Where the date ends: CPython tells the forms apart by characters 4, 5, 8 and 10.
qsizetype separatorAt(const Reader &r)
{
    const qsizetype n = r.size();
    if (n == 7)
        return 7;
    if (r.at(4) == '-') {
        if (r.at(5) != 'W')
            return 10; // YYYY-MM-DD
        if (n < 8)
            return -1;
        if (n > 8 && r.at(8) == '-') {
            if (n == 9)
                return -1;
            if (n > 10 && Reader::isDigit(r.at(10)))
                return 8; // YYYY-Www-HH…, taken as a hyphen separator
            return 10;    // YYYY-Www-D
        }
        return 8; // YYYY-Www
    }
    if (r.at(4) == 'W') { // YYYYWww or YYYYWwwD
        qsizetype i = 7;
        while (i < n && Reader::isDigit(r.at(i)))
            ++i;
        if (i < 9)
            return i;
        return i % 2 == 0 ? 7 : 8;
    }
    return 8; // YYYYMMDD
}

// ISO year, week and weekday to a date; false when the week or day does not exist.
bool fromIsoWeek(int isoYear, int week, int weekday, IsoDateTime *out)
{
    const qint64 jan1 = IsoDateTime::daysFromCivil(isoYear, 1, 1);
    const int jan1Weekday = int(((jan1 + 3) % 7 + 7) % 7); // Monday = 0 (1970-01-01 was a Thursday)
    if (week <= 0 || week >= 53) {
        const bool has53 = jan1Weekday == 3 || (jan1Weekday == 2 && isLeap(isoYear));
        if (week != 53 || !has53)
            return false;
    }
    if (weekday <= 0 || weekday >= 8)
        return false;
    qint64 monday = jan1 - jan1Weekday;
    if (jan1Weekday > 3)
        monday += 7;
    IsoDateTime::civilFromDays(monday + (week - 1) * 7 + weekday - 1, &out->year, &out->month, &out->day);
    return true;
}

int parseDate(const Reader &r, qsizetype end, IsoDateTime *out)
{
    qsizetype p = 0;
    out->year = r.digits(p, 4);
    if (out->year < 0)
        return -1;
    p += 4;
    const bool separated = r.at(p) == '-';
    if (separated)
        ++p;
    if (r.at(p) == 'W') {
        ++p;
        const int week = r.digits(p, 2);
        if (week < 0)
            return -3;
        p += 2;
        int weekday = 1;
        if (p < end) {
            if (separated && r.at(p++) != '-')
                return -2;
            weekday = r.digits(p, 1);
            if (weekday < 0)
                return -4;
        }
        return fromIsoWeek(out->year, week, weekday, out) ? 0 : -5;
    }
    out->month = r.digits(p, 2);
    if (out->month < 0)
        return -1;
    p += 2;
    if (separated && r.at(p++) != '-')
        return -2;
    out->day = r.digits(p, 2);
    return out->day < 0 ? -1 : 0;
}

int parseTime(const Reader &r, qsizetype start, IsoDateTime *out)
{
    const qsizetype end = r.size();
    qsizetype zone = start;
    while (zone < end && r.at(zone) != 'Z' && r.at(zone) != '+' && r.at(zone) != '-')
        ++zone;
    int values[4];
    int rv = r.hhmmssff(start, zone, values);
    if (rv < 0)
        return rv;
    out->hour = values[0];
    out->minute = values[1];
    out->second = values[2];
    out->microsecond = values[3];
    if (zone >= end)
        return rv == 1 ? -5 : 0;
    out->hasOffset = true;
    if (r.at(zone) == 'Z')
        return r.at(zone + 1) != '\0' ? -5 : 1;
    const int sign = r.at(zone) == '-' ? -1 : 1;
    rv = r.hhmmssff(zone + 1, end, values);
    // Python ignores the offset's microseconds when its whole seconds are zero ("+00:00:00.5" is UTC).
    const qint64 seconds = qint64(values[0]) * 3600 + values[1] * 60 + values[2];
    out->offsetMicros = seconds == 0 ? 0 : sign * (seconds * 1000000 + values[3]);
    return rv ? -5 : 1;
}

} // namespace

qint64 IsoDateTime::daysFromCivil(qint64 year, int month, int day)
{
    year -= month <= 2;
    const qint64 era = (year >= 0 ? year : year - 399) / 400;
    const qint64 yoe = year - era * 400;
    const qint64 doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    const qint64 doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void IsoDateTime::civilFromDays(qint64 days, int *year, int *month, int *day)
{
    const qint64 z = days + 719468;
    const qint64 era = (z >= 0 ? z : z - 146096) / 146097;
    const qint64 doe = z - era * 146097;
    const qint64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const qint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const qint64 mp = (5 * doy + 2) / 153;
    *day = int(doy - (153 * mp + 2) / 5 + 1);
    *month = int(mp < 10 ? mp + 3 : mp - 9);
    *year = int(yoe + era * 400 + (*month <= 2 ? 1 : 0));
}

std::optional<IsoDateTime> IsoDateTime::parse(const char *utf8, qsizetype size, QString *why)
{
    const auto refuse = [&](const QString &reason) -> std::optional<IsoDateTime> {
        if (why)
            *why = reason;
        return std::nullopt;
    };
    const QString notIso = QStringLiteral("not an ISO 8601 date and time");
    // One byte per code point, anything beyond ASCII as 0x80: Python allows any one character
    // between date and time, and no other character beyond ASCII anywhere.
    QVarLengthArray<char, 64> text;
    for (qsizetype i = 0; i < size; ++i) {
        const uchar c = uchar(utf8[i]);
        if (c < 0x80)
            text.append(char(c));
        else if ((c & 0xC0) != 0x80)
            text.append(char(0x80));
    }
    if (text.size() < 7)
        return refuse(notIso);
    const Reader r(text.constData(), text.size());
    IsoDateTime t;
    const qsizetype separator = separatorAt(r);
    if (separator < 0)
        return refuse(notIso);
    int rv = parseDate(r, separator, &t);
    if (rv == 0 && text.size() > separator)
        rv = parseTime(r, separator + 1, &t);
    if (rv < 0)
        return refuse(notIso);
    // What datetime(...) and timezone(...) then check.
    if (t.year < 1 || t.year > 9999)
        return refuse(QStringLiteral("year %1 is out of range (1..9999)").arg(t.year));
    if (t.month < 1 || t.month > 12)
        return refuse(QStringLiteral("month must be in 1..12"));
    if (t.day < 1 || t.day > daysInMonth(t.year, t.month))
        return refuse(QStringLiteral("day is out of range for month"));
    if (t.hour > 23)
        return refuse(QStringLiteral("hour must be in 0..23"));
    if (t.minute > 59)
        return refuse(QStringLiteral("minute must be in 0..59"));
    if (t.second > 59)
        return refuse(QStringLiteral("second must be in 0..59"));
    constexpr qint64 day = 86400LL * 1000000;
    if (t.offsetMicros <= -day || t.offsetMicros >= day)
        return refuse(QStringLiteral("the UTC offset must be strictly between -24:00 and +24:00"));
    return t;
}

} // namespace dbdeck

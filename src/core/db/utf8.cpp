#include "db/utf8.h"

#include <QString>
#include <QStringList>

#include <cstring>

namespace dbdeck {

namespace {

// Length of the valid sequence starting at data[i], or 0 when it is not valid (RFC 3629 table).
int sequenceLength(const unsigned char *p, qsizetype left)
{
    const unsigned char c = p[0];
    if (c < 0x80)
        return 1;
    const auto cont = [&](qsizetype k) { return k < left && (p[k] & 0xC0) == 0x80; };
    if (c >= 0xC2 && c <= 0xDF)
        return cont(1) ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        if (left < 2)
            return 0;
        const unsigned char lo = c == 0xE0 ? 0xA0 : 0x80; // no overlongs
        const unsigned char hi = c == 0xED ? 0x9F : 0xBF; // no surrogates
        return p[1] >= lo && p[1] <= hi && cont(2) ? 3 : 0;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (left < 2)
            return 0;
        const unsigned char lo = c == 0xF0 ? 0x90 : 0x80;
        const unsigned char hi = c == 0xF4 ? 0x8F : 0xBF; // nothing above U+10FFFF
        return p[1] >= lo && p[1] <= hi && cont(2) && cont(3) ? 4 : 0;
    }
    return 0;
}

} // namespace

qsizetype Utf8::firstInvalid(const char *data, qsizetype size)
{
    const auto *p = reinterpret_cast<const unsigned char *>(data);
    qsizetype i = 0;
    while (i < size) {
        // ASCII runs, eight bytes at a time.
        while (i + 8 <= size) {
            quint64 word;
            std::memcpy(&word, p + i, 8);
            if (word & 0x8080808080808080ULL)
                break;
            i += 8;
        }
        if (i >= size)
            break;
        if (p[i] < 0x80) {
            ++i;
            continue;
        }
        const int n = sequenceLength(p + i, size - i);
        if (n == 0)
            return i;
        i += n;
    }
    return -1;
}

QString Utf8::describeInvalid(const char *data, qsizetype size, qsizetype at)
{
    const auto *p = reinterpret_cast<const unsigned char *>(data);
    const unsigned char c = p[at];
    const auto hex = [](unsigned char b) { return QStringLiteral("0x%1").arg(uint(b), 2, 16, QLatin1Char('0')); };
    if ((c & 0xC0) == 0x80)
        return QStringLiteral("%1 continues a character that did not start").arg(hex(c));
    if (c < 0xC2 || c > 0xF4)
        return QStringLiteral("%1 cannot start a character").arg(hex(c));
    const int expected = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    QStringList bytes;
    for (qsizetype k = 0; k < expected && at + k < size; ++k)
        bytes << hex(p[at + k]);
    if (at + expected > size)
        return QStringLiteral("%1 is cut short").arg(bytes.join(QLatin1Char(' ')));
    return QStringLiteral("%1 is not a valid character (overlong, a surrogate, or above U+10FFFF)").arg(bytes.join(QLatin1Char(' ')));
}

qsizetype Utf8::codePoints(const char *data, qsizetype size)
{
    qsizetype n = 0;
    for (qsizetype i = 0; i < size; ++i)
        n += (uchar(data[i]) & 0xC0) != 0x80;
    return n;
}

qsizetype Utf8::prefixBytes(const char *data, qsizetype size, qsizetype n)
{
    qsizetype seen = 0;
    for (qsizetype i = 0; i < size; ++i) {
        if ((uchar(data[i]) & 0xC0) != 0x80) {
            if (seen == n)
                return i;
            ++seen;
        }
    }
    return size;
}

void Utf8::appendCodePoint(QByteArray &out, char32_t cp)
{
    char b[4];
    int n;
    if (cp < 0x80) {
        b[0] = char(cp);
        n = 1;
    } else if (cp < 0x800) {
        b[0] = char(0xC0 | (cp >> 6));
        b[1] = char(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        b[0] = char(0xE0 | (cp >> 12));
        b[1] = char(0x80 | ((cp >> 6) & 0x3F));
        b[2] = char(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        b[0] = char(0xF0 | (cp >> 18));
        b[1] = char(0x80 | ((cp >> 12) & 0x3F));
        b[2] = char(0x80 | ((cp >> 6) & 0x3F));
        b[3] = char(0x80 | (cp & 0x3F));
        n = 4;
    }
    out.append(b, n);
}

QString Utf8::toUtf16(const char *data, qsizetype size)
{
    QString out(size, Qt::Uninitialized); // never more units than bytes
    char16_t *dst = reinterpret_cast<char16_t *>(out.data());
    const auto *p = reinterpret_cast<const unsigned char *>(data);
    qsizetype n = 0;
    for (qsizetype i = 0; i < size;) {
        const unsigned char c = p[i];
        char32_t cp;
        if (c < 0x80) {
            dst[n++] = c;
            ++i;
            continue;
        }
        if (c < 0xE0) {
            cp = char32_t(c & 0x1F) << 6 | (p[i + 1] & 0x3F);
            i += 2;
        } else if (c < 0xF0) {
            cp = char32_t(c & 0x0F) << 12 | char32_t(p[i + 1] & 0x3F) << 6 | (p[i + 2] & 0x3F);
            i += 3;
        } else {
            cp = char32_t(c & 0x07) << 18 | char32_t(p[i + 1] & 0x3F) << 12 | char32_t(p[i + 2] & 0x3F) << 6 | (p[i + 3] & 0x3F);
            i += 4;
        }
        if (cp >= 0x10000) {
            dst[n++] = QChar::highSurrogate(cp);
            dst[n++] = QChar::lowSurrogate(cp);
        } else {
            dst[n++] = char16_t(cp);
        }
    }
    out.truncate(n);
    return out;
}

qsizetype Utf8::appendUtf16(QByteArray &out, QStringView text)
{
    const qsizetype size = text.size();
    const char16_t *u = text.utf16();
    qsizetype i = 0;
    while (i < size) {
        const qsizetype runStart = i;
        while (i < size && u[i] < 0x80)
            ++i;
        if (i > runStart) {
            const qsizetype at = out.size();
            out.resize(at + (i - runStart));
            char *dst = out.data() + at;
            for (qsizetype k = runStart; k < i; ++k)
                *dst++ = char(u[k]);
        }
        if (i >= size)
            break;
        const char16_t c = u[i];
        if (QChar::isHighSurrogate(c)) {
            if (i + 1 >= size || !QChar::isLowSurrogate(u[i + 1]))
                return i;
            appendCodePoint(out, QChar::surrogateToUcs4(c, u[i + 1]));
            i += 2;
        } else if (QChar::isLowSurrogate(c)) {
            return i;
        } else {
            appendCodePoint(out, c);
            ++i;
        }
    }
    return -1;
}

} // namespace dbdeck

#include "store/canonicaljson.h"

#include "store/jsonvalue.h"

#include <charconv>
#include <cmath>
#include <cstring>

namespace dbdeck {

namespace {

// 1 for the bytes Python's encoder escapes: '"', '\' and the control characters below 0x20.
struct EscapeTable
{
    bool escape[256] = {};
    constexpr EscapeTable()
    {
        for (int c = 0; c < 0x20; ++c)
            escape[c] = true;
        escape[int('"')] = true;
        escape[int('\\')] = true;
    }
};
constexpr EscapeTable kEscape;

} // namespace

void CanonicalJson::appendString(QByteArray &out, const char *utf8, qsizetype size)
{
    out.append('"');
    qsizetype runStart = 0;
    for (qsizetype i = 0; i < size; ++i) {
        const unsigned char c = uchar(utf8[i]);
        if (!kEscape.escape[c])
            continue;
        out.append(utf8 + runStart, i - runStart);
        runStart = i + 1;
        switch (c) {
        case '"': out.append("\\\"", 2); break;
        case '\\': out.append("\\\\", 2); break;
        case '\n': out.append("\\n", 2); break;
        case '\r': out.append("\\r", 2); break;
        case '\t': out.append("\\t", 2); break;
        case '\b': out.append("\\b", 2); break;
        case '\f': out.append("\\f", 2); break;
        default: {
            static const char hex[] = "0123456789abcdef";
            const char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            out.append(esc, 6);
        }
        }
    }
    out.append(utf8 + runStart, size - runStart);
    out.append('"');
}

void CanonicalJson::appendFloat(QByteArray &out, double d)
{
    char buffer[32];
    const int n = floatRepr(d, buffer);
    if (!std::isfinite(d))
        throw JsonError(QStringLiteral("%1 is not allowed in JSON (only finite numbers are)").arg(QLatin1String(buffer, n)));
    out.append(buffer, n);
}

int CanonicalJson::floatRepr(double d, char *buffer)
{
    if (std::isnan(d)) {
        std::memcpy(buffer, "NaN", 3);
        return 3;
    }
    if (std::isinf(d)) {
        if (d > 0) {
            std::memcpy(buffer, "Infinity", 8);
            return 8;
        }
        std::memcpy(buffer, "-Infinity", 9);
        return 9;
    }
    // The shortest digits that read back as d (what repr uses), then Python's layout: fixed
    // notation when -4 <= exponent < 16, otherwise d.ddde+XX with at least two exponent digits.
    char sci[40];
    const auto result = std::to_chars(sci, sci + sizeof sci, d, std::chars_format::scientific);
    const char *end = result.ptr;
    const char *p = sci;
    char *out = buffer;
    if (*p == '-') {
        *out++ = '-';
        ++p;
    }
    char digits[20];
    int ndigits = 0;
    while (p < end && *p != 'e') {
        if (*p != '.')
            digits[ndigits++] = *p;
        ++p;
    }
    ++p; // 'e'
    int exponent = 0;
    std::from_chars(*p == '+' ? p + 1 : p, end, exponent);
    if (exponent < -4 || exponent >= 16) {
        *out++ = digits[0];
        if (ndigits > 1) {
            *out++ = '.';
            std::memcpy(out, digits + 1, size_t(ndigits - 1));
            out += ndigits - 1;
        }
        *out++ = 'e';
        *out++ = exponent < 0 ? '-' : '+';
        const int magnitude = std::abs(exponent);
        if (magnitude >= 100)
            *out++ = char('0' + magnitude / 100);
        *out++ = char('0' + magnitude / 10 % 10);
        *out++ = char('0' + magnitude % 10);
    } else if (exponent < 0) {
        *out++ = '0';
        *out++ = '.';
        for (int k = 0; k < -exponent - 1; ++k)
            *out++ = '0';
        std::memcpy(out, digits, size_t(ndigits));
        out += ndigits;
    } else {
        const int intLen = exponent + 1;
        if (ndigits <= intLen) {
            std::memcpy(out, digits, size_t(ndigits));
            out += ndigits;
            for (int k = ndigits; k < intLen; ++k)
                *out++ = '0';
            *out++ = '.';
            *out++ = '0';
        } else {
            std::memcpy(out, digits, size_t(intLen));
            out += intLen;
            *out++ = '.';
            std::memcpy(out, digits + intLen, size_t(ndigits - intLen));
            out += ndigits - intLen;
        }
    }
    return int(out - buffer);
}

} // namespace dbdeck

#include "store/jsondocument.h"

#include "store/canonicaljson.h"
#include "db/utf8.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>

namespace dbdeck {

namespace {

// Bytes that end the plain part of a string: the closing quote, an escape, a control character.
struct StringStops
{
    bool stop[256] = {};
    constexpr StringStops()
    {
        for (int c = 0; c < 0x20; ++c)
            stop[c] = true;
        stop[int('"')] = true;
        stop[int('\\')] = true;
    }
};
constexpr StringStops kStops;

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// A decimal literal that std::from_chars found out of range: overflow (to infinity) or underflow
// (to zero), decided by the position of its first significant digit, as Python's float() does.
double outOfRange(const char *begin, const char *end)
{
    const bool negative = *begin == '-';
    const char *p = negative ? begin + 1 : begin;
    qint64 magnitude = 0; // decimal exponent of the first significant digit
    bool found = false;
    qint64 intDigits = 0;
    while (p < end && isDigit(*p)) {
        if (!found && *p != '0') {
            found = true;
            magnitude = -intDigits;
        }
        ++intDigits;
        ++p;
    }
    if (found)
        magnitude += intDigits - 1;
    if (p < end && *p == '.') {
        ++p;
        qint64 k = 0;
        while (p < end && isDigit(*p)) {
            ++k;
            if (!found && *p != '0') {
                found = true;
                magnitude = -k;
            }
            ++p;
        }
    }
    qint64 exponent = 0;
    if (p < end && (*p == 'e' || *p == 'E')) {
        ++p;
        const bool minus = *p == '-';
        if (*p == '-' || *p == '+')
            ++p;
        while (p < end && isDigit(*p)) {
            exponent = std::min<qint64>(exponent * 10 + (*p - '0'), 1000000000);
            ++p;
        }
        if (minus)
            exponent = -exponent;
    }
    const double value = found && magnitude + exponent > 0 ? HUGE_VAL : 0.0;
    return negative ? -value : value;
}

} // namespace

void JsonDocument::fail(const QString &what) const
{
    const qsizetype at = std::min(m_pos, m_size);
    throw JsonError(QStringLiteral("invalid JSON at character %1: %2").arg(Utf8::codePoints(m_data, at) + 1).arg(what));
}

JsonDocument::Node JsonDocument::push(Kind kind)
{
    const Node index = Node(m_nodes.size());
    m_nodes.push_back({index + 1, 0, 0, kind, false});
    return index;
}

void JsonDocument::skipSpace()
{
    while (m_pos < m_size) {
        const char c = m_data[m_pos];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            return;
        ++m_pos;
    }
}

bool JsonDocument::literal(const char *word, qsizetype n)
{
    if (m_size - m_pos < n || std::memcmp(m_data + m_pos, word, size_t(n)) != 0)
        return false;
    m_pos += n;
    return true;
}

void JsonDocument::parse(const char *data, qsizetype size)
{
    m_data = data;
    m_size = size;
    m_pos = 0;
    m_nodes.clear();
    m_strings.clear();
    m_numbers.clear();
    m_stack.clear();
    if (const qsizetype bad = Utf8::firstInvalid(data, size); bad >= 0)
        throw JsonError(QStringLiteral("invalid UTF-8 at byte %1: %2").arg(bad + 1).arg(Utf8::describeInvalid(data, size, bad)));

    // One loop instead of recursion: m_stack holds the open containers.
    bool needValue = true;
    while (true) {
        if (needValue) {
            skipSpace();
            const char c = m_pos < m_size ? m_data[m_pos] : '\0';
            if (c == '{' || c == '[') {
                if (m_stack.size() >= size_t(maxDepth))
                    fail(QStringLiteral("nested more than %1 levels deep").arg(maxDepth));
                const bool isObject = c == '{';
                const Node container = push(isObject ? Kind::Object : Kind::Array);
                ++m_pos;
                skipSpace();
                if (m_pos < m_size && m_data[m_pos] == (isObject ? '}' : ']')) {
                    ++m_pos;
                    needValue = false;
                    continue;
                }
                m_stack.push_back(container);
                if (isObject)
                    key(container);
                else
                    m_nodes[container].length = 1;
                continue;
            }
            scalar();
            needValue = false;
        }
        if (m_stack.empty())
            break;
        const Node top = m_stack.back();
        const bool isObject = m_nodes[top].kind == Kind::Object;
        skipSpace();
        const char c = m_pos < m_size ? m_data[m_pos] : '\0';
        if (c == ',') {
            ++m_pos;
            if (isObject) {
                skipSpace();
                key(top);
            } else {
                ++m_nodes[top].length;
            }
            needValue = true;
        } else if (c == (isObject ? '}' : ']')) {
            ++m_pos;
            m_nodes[top].next = Node(m_nodes.size());
            m_stack.pop_back();
        } else {
            fail(isObject ? QStringLiteral("expected ',' or '}' in an object") : QStringLiteral("expected ',' or ']' in an array"));
        }
    }
    skipSpace();
    if (m_pos < m_size)
        fail(QStringLiteral("unexpected text after the JSON value"));
}

void JsonDocument::key(Node object)
{
    if (m_pos >= m_size || m_data[m_pos] != '"')
        fail(QStringLiteral("expected a \"key\" in an object"));
    string();
    skipSpace();
    if (m_pos >= m_size || m_data[m_pos] != ':')
        fail(QStringLiteral("expected ':' after a key"));
    ++m_pos;
    ++m_nodes[object].length;
}

void JsonDocument::scalar()
{
    const char c = m_pos < m_size ? m_data[m_pos] : '\0';
    switch (c) {
    case '"': string(); return;
    case 't': if (literal("true", 4)) { push(Kind::True); return; } break;
    case 'f': if (literal("false", 5)) { push(Kind::False); return; } break;
    case 'n': if (literal("null", 4)) { push(Kind::Null); return; } break;
    case 'N':
        if (literal("NaN", 3)) {
            m_nodes[push(Kind::Float)].offset = quint32(m_numbers.size());
            m_numbers.push_back(std::nan(""));
            return;
        }
        break;
    case 'I':
        if (literal("Infinity", 8)) {
            m_nodes[push(Kind::Float)].offset = quint32(m_numbers.size());
            m_numbers.push_back(HUGE_VAL);
            return;
        }
        break;
    case '-':
        if (literal("-Infinity", 9)) {
            m_nodes[push(Kind::Float)].offset = quint32(m_numbers.size());
            m_numbers.push_back(-HUGE_VAL);
            return;
        }
        if (m_pos + 1 < m_size && isDigit(m_data[m_pos + 1])) {
            number();
            return;
        }
        break;
    default:
        if (isDigit(c)) {
            number();
            return;
        }
    }
    fail(m_pos >= m_size ? QStringLiteral("the text ends where a value was expected") : QStringLiteral("expected a value"));
}

void JsonDocument::number()
{
    // Python's grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?, longest match; what
    // follows (say "1." or "01") is left for the caller to refuse.
    const qsizetype start = m_pos;
    if (m_data[m_pos] == '-')
        ++m_pos;
    if (m_data[m_pos] == '0') {
        ++m_pos;
    } else {
        while (m_pos < m_size && isDigit(m_data[m_pos]))
            ++m_pos;
    }
    const qsizetype intEnd = m_pos;
    bool isFloat = false;
    if (m_pos + 1 < m_size && m_data[m_pos] == '.' && isDigit(m_data[m_pos + 1])) {
        isFloat = true;
        m_pos += 2;
        while (m_pos < m_size && isDigit(m_data[m_pos]))
            ++m_pos;
    }
    if (m_pos < m_size && (m_data[m_pos] == 'e' || m_data[m_pos] == 'E')) {
        qsizetype p = m_pos + 1;
        if (p < m_size && (m_data[p] == '+' || m_data[p] == '-'))
            ++p;
        if (p < m_size && isDigit(m_data[p])) {
            isFloat = true;
            while (p < m_size && isDigit(m_data[p]))
                ++p;
            m_pos = p;
        }
    }
    if (!isFloat) {
        const qsizetype digits = intEnd - start - (m_data[start] == '-' ? 1 : 0);
        if (digits > maxIntegerDigits) {
            m_pos = start;
            fail(QStringLiteral("an integer with %1 digits; at most %2 are allowed (Python's limit for reading integers)")
                     .arg(digits).arg(maxIntegerDigits));
        }
        Entry &e = m_nodes[push(Kind::Integer)];
        e.inInput = true;
        e.offset = quint32(start);
        e.length = quint32(m_pos - start);
        return;
    }
    double d = 0;
    const auto result = std::from_chars(m_data + start, m_data + m_pos, d);
    if (result.ec == std::errc::result_out_of_range)
        d = outOfRange(m_data + start, m_data + m_pos);
    m_nodes[push(Kind::Float)].offset = quint32(m_numbers.size());
    m_numbers.push_back(d);
}

bool JsonDocument::hexQuad(qsizetype at, char16_t *unit) const
{
    if (m_size - at < 4)
        return false;
    int value = 0;
    for (int k = 0; k < 4; ++k) {
        const int h = hexValue(m_data[at + k]);
        if (h < 0)
            return false;
        value = value * 16 + h;
    }
    *unit = char16_t(value);
    return true;
}

void JsonDocument::string()
{
    ++m_pos; // the opening quote
    const qsizetype start = m_pos;
    while (m_pos < m_size && !kStops.stop[uchar(m_data[m_pos])])
        ++m_pos;
    if (m_pos < m_size && m_data[m_pos] == '"') {
        Entry &e = m_nodes[push(Kind::String)];
        e.inInput = true;
        e.offset = quint32(start);
        e.length = quint32(m_pos - start);
        ++m_pos;
        return;
    }
    // Escapes (or an error): decode into m_strings.
    const size_t offset = m_strings.size();
    m_strings.insert(m_strings.end(), m_data + start, m_data + m_pos);
    const auto appendCodePoint = [&](char32_t cp) {
        QByteArray bytes;
        Utf8::appendCodePoint(bytes, cp);
        m_strings.insert(m_strings.end(), bytes.cbegin(), bytes.cend());
    };
    while (true) {
        if (m_pos >= m_size)
            fail(QStringLiteral("a string is not closed"));
        const char c = m_data[m_pos];
        if (c == '"')
            break;
        if (uchar(c) < 0x20)
            fail(QStringLiteral("a control character inside a string must be escaped"));
        if (c != '\\') {
            const qsizetype runStart = m_pos;
            while (m_pos < m_size && !kStops.stop[uchar(m_data[m_pos])])
                ++m_pos;
            m_strings.insert(m_strings.end(), m_data + runStart, m_data + m_pos);
            continue;
        }
        ++m_pos;
        const char e = m_pos < m_size ? m_data[m_pos] : '\0';
        switch (e) {
        case '"': m_strings.push_back('"'); break;
        case '\\': m_strings.push_back('\\'); break;
        case '/': m_strings.push_back('/'); break;
        case 'b': m_strings.push_back('\b'); break;
        case 'f': m_strings.push_back('\f'); break;
        case 'n': m_strings.push_back('\n'); break;
        case 'r': m_strings.push_back('\r'); break;
        case 't': m_strings.push_back('\t'); break;
        case 'u': {
            char16_t unit = 0;
            if (!hexQuad(m_pos + 1, &unit))
                fail(QStringLiteral("\\u must be followed by four hex digits"));
            char32_t cp = unit;
            if (QChar::isHighSurrogate(unit)) {
                char16_t low = 0;
                if (m_pos + 6 < m_size && m_data[m_pos + 5] == '\\' && m_data[m_pos + 6] == 'u' && hexQuad(m_pos + 7, &low)
                    && QChar::isLowSurrogate(low)) {
                    cp = QChar::surrogateToUcs4(unit, low);
                    m_pos += 6;
                } else {
                    --m_pos;
                    fail(QStringLiteral("\\u%1 is a lone surrogate (half of a UTF-16 pair without its other half), which "
                                        "cannot be stored as UTF-8").arg(uint(unit), 4, 16, QLatin1Char('0')));
                }
            } else if (QChar::isLowSurrogate(unit)) {
                --m_pos;
                fail(QStringLiteral("\\u%1 is a lone surrogate (half of a UTF-16 pair without its other half), which "
                                    "cannot be stored as UTF-8").arg(uint(unit), 4, 16, QLatin1Char('0')));
            }
            appendCodePoint(cp);
            m_pos += 4;
            break;
        }
        default:
            fail(m_pos >= m_size ? QStringLiteral("a string is not closed") : QStringLiteral("unknown escape \\%1").arg(QLatin1Char(e)));
        }
        ++m_pos;
    }
    ++m_pos; // the closing quote
    Entry &entry = m_nodes[push(Kind::String)];
    entry.offset = quint32(offset);
    entry.length = quint32(m_strings.size() - offset);
}

QByteArrayView JsonDocument::text(Node n) const
{
    const Entry &e = m_nodes[n];
    if (e.kind != Kind::String && e.kind != Kind::Integer)
        return {};
    return e.inInput ? QByteArrayView(m_data + e.offset, e.length) : QByteArrayView(m_strings.data() + e.offset, e.length);
}

JsonDocument::Node JsonDocument::member(Node object, QByteArrayView key) const
{
    Node found = 0;
    if (m_nodes[object].kind != Kind::Object)
        return found;
    const Node stop = m_nodes[object].next;
    for (Node k = object + 1; k < stop; k = m_nodes[k + 1].next) {
        if (text(k) == key)
            found = k + 1;
    }
    return found;
}

void JsonDocument::sortedMembers(Node object, std::vector<quint32> &scratch, size_t base) const
{
    const Node stop = m_nodes[object].next;
    for (Node k = object + 1; k < stop; k = m_nodes[k + 1].next)
        scratch.push_back(k);
    // Python sorts keys by code point, which is the byte order of UTF-8. Equal keys keep the
    // order they were written in; the last one is the value that counts.
    std::sort(scratch.begin() + qsizetype(base), scratch.end(), [this](quint32 a, quint32 b) {
        const QByteArrayView ka = text(a), kb = text(b);
        const int c = std::memcmp(ka.data(), kb.data(), size_t(std::min(ka.size(), kb.size())));
        if (c != 0)
            return c < 0;
        if (ka.size() != kb.size())
            return ka.size() < kb.size();
        return a < b;
    });
    // Drop all but the last of equal keys.
    size_t out = base;
    for (size_t i = base; i < scratch.size(); ++i) {
        if (i + 1 < scratch.size() && text(scratch[i]) == text(scratch[i + 1]))
            continue;
        scratch[out++] = scratch[i];
    }
    scratch.resize(out);
}

void JsonDocument::writeCanonical(Node n, QByteArray &out) const
{
    const Entry &e = m_nodes[n];
    switch (e.kind) {
    case Kind::Null: out.append("null", 4); return;
    case Kind::True: out.append("true", 4); return;
    case Kind::False: out.append("false", 5); return;
    case Kind::Integer: {
        const QByteArrayView digits = text(n);
        if (digits == "-0")
            out.append('0');
        else
            out.append(digits.data(), digits.size());
        return;
    }
    case Kind::Float: CanonicalJson::appendFloat(out, number(n)); return;
    case Kind::String: {
        const QByteArrayView s = text(n);
        if (e.inInput) { // no escapes in the input, so nothing to escape either
            out.append('"');
            out.append(s.data(), s.size());
            out.append('"');
        } else {
            CanonicalJson::appendString(out, s.data(), s.size());
        }
        return;
    }
    case Kind::Array: {
        out.append('[');
        for (Node item = n + 1; item < e.next; item = m_nodes[item].next) {
            if (item != n + 1)
                out.append(',');
            writeCanonical(item, out);
        }
        out.append(']');
        return;
    }
    case Kind::Object: {
        // Nested objects use the same scratch further up; indices stay valid, iterators would not.
        const size_t base = m_scratch.size();
        sortedMembers(n, m_scratch, base);
        const size_t count = m_scratch.size() - base;
        out.append('{');
        for (size_t i = 0; i < count; ++i) {
            const Node k = m_scratch[base + i];
            if (i)
                out.append(',');
            writeCanonical(k, out);
            out.append(':');
            writeCanonical(k + 1, out);
        }
        out.append('}');
        m_scratch.resize(base);
        return;
    }
    }
}

QByteArray JsonDocument::canonical(Node n) const
{
    QByteArray out;
    writeCanonical(n, out);
    return out;
}

JsonValue JsonDocument::toValue(Node n) const
{
    const Entry &e = m_nodes[n];
    const auto qstring = [&](Node s) {
        const QByteArrayView t = text(s);
        return Utf8::toUtf16(t.data(), t.size());
    };
    switch (e.kind) {
    case Kind::Null: return {};
    case Kind::True: return JsonValue::boolean(true);
    case Kind::False: return JsonValue::boolean(false);
    case Kind::Integer: {
        const QByteArrayView digits = text(n);
        return JsonValue::integerText(digits == "-0" ? QStringLiteral("0") : QString::fromLatin1(digits.data(), digits.size()));
    }
    case Kind::Float: return JsonValue::floating(number(n));
    case Kind::String: return JsonValue::string(qstring(n));
    case Kind::Array: {
        QList<JsonValue> items;
        items.reserve(e.length);
        for (Node item = n + 1; item < e.next; item = m_nodes[item].next)
            items.append(toValue(item));
        return JsonValue::array(std::move(items));
    }
    case Kind::Object: {
        QList<JsonValue::Member> members;
        members.reserve(e.length);
        for (Node k = n + 1; k < e.next; k = m_nodes[k + 1].next)
            members.append({qstring(k), toValue(k + 1)});
        return JsonValue::object(std::move(members));
    }
    }
    return {};
}

} // namespace dbdeck

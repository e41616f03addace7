#include "store/jsonvalue.h"

#include <QRegularExpression>

#include <algorithm>
#include <charconv>
#include <cmath>

namespace dbdeck {

namespace {

const QList<JsonValue> &noItems()
{
    static const QList<JsonValue> none;
    return none;
}

const QList<JsonValue::Member> &noMembers()
{
    static const QList<JsonValue::Member> none;
    return none;
}

// Python sorts keys by code point; QString compares UTF-16 units, which orders characters above
// U+FFFF before U+E000..U+FFFF. Compare code points instead.
bool codePointLess(const QString &a, const QString &b)
{
    const QList<uint> ua = a.toUcs4();
    const QList<uint> ub = b.toUcs4();
    return std::lexicographical_compare(ua.cbegin(), ua.cend(), ub.cbegin(), ub.cend());
}

void writeString(QByteArray &out, const QString &s)
{
    out += '"';
    // Runs of characters that need no escaping are converted to UTF-8 in one go.
    qsizetype runStart = 0;
    const auto flushRun = [&](qsizetype end) {
        if (end > runStart)
            out += QStringView(s).mid(runStart, end - runStart).toUtf8();
    };
    for (qsizetype i = 0; i < s.size(); ++i) {
        const char16_t u = s.at(i).unicode();
        if (u >= 0x20 && u != '"' && u != '\\' && !QChar::isSurrogate(u))
            continue;
        if (QChar::isHighSurrogate(u) && i + 1 < s.size() && QChar::isLowSurrogate(s.at(i + 1).unicode())) {
            ++i;
            continue;
        }
        flushRun(i);
        runStart = i + 1;
        if (QChar::isSurrogate(u))
            throw JsonError(QStringLiteral("the text has a lone surrogate \\u%1, which cannot be written as UTF-8")
                                .arg(uint(u), 4, 16, QLatin1Char('0')));
        switch (u) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        default: out += QStringLiteral("\\u%1").arg(uint(u), 4, 16, QLatin1Char('0')).toLatin1();
        }
    }
    flushRun(s.size());
    out += '"';
}

class Parser
{
public:
    explicit Parser(const QByteArray &text) : m_text(text) {}

    JsonValue document()
    {
        skipSpace();
        JsonValue v = value(0);
        skipSpace();
        if (m_pos < m_text.size())
            fail(QStringLiteral("unexpected text after the JSON value"));
        return v;
    }

private:
    [[noreturn]] void fail(const QString &what) const
    {
        throw JsonError(QStringLiteral("invalid JSON at character %1: %2").arg(m_pos + 1).arg(what));
    }

    char peek() const { return m_pos < m_text.size() ? m_text.at(m_pos) : '\0'; }

    void skipSpace()
    {
        while (m_pos < m_text.size() && (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r'))
            ++m_pos;
    }

    bool literal(const char *word)
    {
        const qsizetype n = qsizetype(std::strlen(word));
        if (m_text.mid(m_pos, n) != word)
            return false;
        m_pos += n;
        return true;
    }

    JsonValue value(int depth)
    {
        if (depth > 512)
            fail(QStringLiteral("nested more than 512 levels deep"));
        switch (peek()) {
        case '{': return object(depth);
        case '[': return array(depth);
        case '"': return JsonValue::string(string());
        case 't': if (literal("true")) return JsonValue::boolean(true); break;
        case 'f': if (literal("false")) return JsonValue::boolean(false); break;
        case 'n': if (literal("null")) return {}; break;
        case 'N': if (literal("NaN")) return JsonValue::floating(std::nan("")); break;
        case 'I': if (literal("Infinity")) return JsonValue::floating(HUGE_VAL); break;
        case '-':
            if (m_text.mid(m_pos, 9) == "-Infinity") {
                m_pos += 9;
                return JsonValue::floating(-HUGE_VAL);
            }
            return number();
        default:
            if (peek() >= '0' && peek() <= '9')
                return number();
        }
        fail(m_pos >= m_text.size() ? QStringLiteral("the text ends where a value was expected")
                                    : QStringLiteral("expected a value"));
    }

    JsonValue number()
    {
        static const QRegularExpression re(QStringLiteral("^-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?"));
        const auto m = re.match(QString::fromLatin1(m_text.mid(m_pos, 400)));
        if (!m.hasMatch() || m.capturedLength() == 0)
            fail(QStringLiteral("malformed number"));
        const QByteArray token = m.captured(0).toLatin1();
        m_pos += token.size();
        if (m.capturedLength(2) == 0 && m.capturedLength(3) == 0) {
            QByteArray digits = token;
            if (digits == "-0")
                digits = "0";
            return JsonValue::integerText(QString::fromLatin1(digits));
        }
        double d = 0;
        const auto result = std::from_chars(token.constData(), token.constData() + token.size(), d);
        if (result.ec == std::errc::result_out_of_range) {
            // Python reads such literals as inf (too large) or 0.0 (too small).
            const bool tiny = token.contains("e-") || token.contains("E-");
            d = tiny ? 0.0 : HUGE_VAL;
            if (token.startsWith('-'))
                d = -d;
        }
        return JsonValue::floating(d);
    }

    QString string()
    {
        ++m_pos; // opening quote
        QString out;
        qsizetype runStart = m_pos;
        const auto flush = [&] { out += QString::fromUtf8(m_text.mid(runStart, m_pos - runStart)); };
        while (true) {
            if (m_pos >= m_text.size())
                fail(QStringLiteral("a string is not closed"));
            const char c = m_text.at(m_pos);
            if (c == '"') {
                flush();
                ++m_pos;
                return out;
            }
            if (uchar(c) < 0x20)
                fail(QStringLiteral("a control character inside a string must be escaped"));
            if (c != '\\') {
                ++m_pos;
                continue;
            }
            flush();
            ++m_pos;
            const char e = peek();
            ++m_pos;
            switch (e) {
            case '"': out += QLatin1Char('"'); break;
            case '\\': out += QLatin1Char('\\'); break;
            case '/': out += QLatin1Char('/'); break;
            case 'b': out += QLatin1Char('\b'); break;
            case 'f': out += QLatin1Char('\f'); break;
            case 'n': out += QLatin1Char('\n'); break;
            case 'r': out += QLatin1Char('\r'); break;
            case 't': out += QLatin1Char('\t'); break;
            case 'u': {
                bool ok = false;
                const uint code = QByteArray(m_text.mid(m_pos, 4)).toUInt(&ok, 16);
                if (!ok || m_text.mid(m_pos, 4).size() != 4)
                    fail(QStringLiteral("\\u must be followed by four hex digits"));
                m_pos += 4;
                out += QChar(char16_t(code)); // a pair combines in the QString; a lone one is refused on output
                break;
            }
            default:
                --m_pos;
                fail(QStringLiteral("unknown escape \\%1").arg(QLatin1Char(e)));
            }
            runStart = m_pos;
        }
    }

    JsonValue array(int depth)
    {
        ++m_pos;
        JsonValue arr = JsonValue::array();
        skipSpace();
        if (peek() == ']') {
            ++m_pos;
            return arr;
        }
        while (true) {
            skipSpace();
            arr.append(value(depth + 1));
            skipSpace();
            if (peek() == ',') {
                ++m_pos;
                continue;
            }
            if (peek() == ']') {
                ++m_pos;
                return arr;
            }
            fail(QStringLiteral("expected ',' or ']' in an array"));
        }
    }

    JsonValue object(int depth)
    {
        ++m_pos;
        JsonValue obj = JsonValue::object();
        skipSpace();
        if (peek() == '}') {
            ++m_pos;
            return obj;
        }
        while (true) {
            skipSpace();
            if (peek() != '"')
                fail(QStringLiteral("expected a \"key\" in an object"));
            const QString key = string();
            skipSpace();
            if (peek() != ':')
                fail(QStringLiteral("expected ':' after a key"));
            ++m_pos;
            skipSpace();
            obj.insert(key, value(depth + 1));
            skipSpace();
            if (peek() == ',') {
                ++m_pos;
                continue;
            }
            if (peek() == '}') {
                ++m_pos;
                return obj;
            }
            fail(QStringLiteral("expected ',' or '}' in an object"));
        }
    }

    const QByteArray &m_text;
    qsizetype m_pos = 0;
};

} // namespace

JsonValue JsonValue::boolean(bool b)
{
    JsonValue v;
    v.m_type = Type::Bool;
    v.m_bool = b;
    return v;
}

JsonValue JsonValue::integer(qint64 n)
{
    return integerText(QString::number(n));
}

JsonValue JsonValue::integerText(const QString &digits)
{
    JsonValue v;
    v.m_type = Type::Integer;
    v.m_text = digits;
    return v;
}

JsonValue JsonValue::floating(double d)
{
    JsonValue v;
    v.m_type = Type::Float;
    v.m_double = d;
    return v;
}

JsonValue JsonValue::string(const QString &s)
{
    JsonValue v;
    v.m_type = Type::String;
    v.m_text = s;
    return v;
}

JsonValue JsonValue::array(QList<JsonValue> items)
{
    JsonValue v;
    v.m_type = Type::Array;
    v.m_items = std::make_shared<QList<JsonValue>>(std::move(items));
    return v;
}

JsonValue JsonValue::object(QList<Member> members)
{
    JsonValue v;
    v.m_type = Type::Object;
    v.m_members = std::make_shared<QList<Member>>();
    for (auto &m : members)
        v.insert(m.first, std::move(m.second));
    return v;
}

JsonValue JsonValue::fromVariant(const QVariant &value)
{
    if (!value.isValid() || value.isNull())
        return {};
    switch (value.metaType().id()) {
    case QMetaType::Bool: return boolean(value.toBool());
    case QMetaType::Int:
    case QMetaType::LongLong:
    case QMetaType::Long:
    case QMetaType::Short:
    case QMetaType::Char:
    case QMetaType::SChar: return integer(value.toLongLong());
    case QMetaType::UInt:
    case QMetaType::ULongLong:
    case QMetaType::ULong:
    case QMetaType::UShort:
    case QMetaType::UChar: return integerText(QString::number(value.toULongLong()));
    case QMetaType::Double:
    case QMetaType::Float: return floating(value.toDouble());
    case QMetaType::QVariantList:
    case QMetaType::QStringList: {
        JsonValue arr = array();
        for (const QVariant &item : value.toList())
            arr.append(fromVariant(item));
        return arr;
    }
    case QMetaType::QVariantMap: {
        JsonValue obj = object();
        const QVariantMap map = value.toMap();
        for (auto it = map.cbegin(); it != map.cend(); ++it)
            obj.insert(it.key(), fromVariant(it.value()));
        return obj;
    }
    case QMetaType::QVariantHash: {
        JsonValue obj = object();
        const QVariantHash hash = value.toHash();
        for (auto it = hash.cbegin(); it != hash.cend(); ++it)
            obj.insert(it.key(), fromVariant(it.value()));
        return obj;
    }
    default: return string(value.toString());
    }
}

JsonValue JsonValue::parse(const QByteArray &utf8)
{
    return Parser(utf8).document();
}

double JsonValue::toDouble() const
{
    return m_type == Type::Integer ? m_text.toDouble() : m_double;
}

qint64 JsonValue::toInteger(bool *ok) const
{
    if (m_type == Type::Integer)
        return m_text.toLongLong(ok);
    if (ok)
        *ok = false;
    return 0;
}

const QList<JsonValue> &JsonValue::items() const
{
    return m_items ? *m_items : noItems();
}

const QList<JsonValue::Member> &JsonValue::members() const
{
    return m_members ? *m_members : noMembers();
}

JsonValue JsonValue::value(const QString &key) const
{
    for (const Member &m : members()) {
        if (m.first == key)
            return m.second;
    }
    return {};
}

bool JsonValue::contains(const QString &key) const
{
    return std::any_of(members().cbegin(), members().cend(), [&](const Member &m) { return m.first == key; });
}

void JsonValue::insert(const QString &key, JsonValue value)
{
    if (m_type != Type::Object) {
        m_type = Type::Object;
        m_members = std::make_shared<QList<Member>>();
    }
    if (m_members.use_count() > 1)
        m_members = std::make_shared<QList<Member>>(*m_members);
    for (Member &m : *m_members) {
        if (m.first == key) {
            m.second = std::move(value);
            return;
        }
    }
    m_members->append({key, std::move(value)});
}

void JsonValue::append(JsonValue value)
{
    if (m_type != Type::Array) {
        m_type = Type::Array;
        m_items = std::make_shared<QList<JsonValue>>();
    }
    if (m_items.use_count() > 1)
        m_items = std::make_shared<QList<JsonValue>>(*m_items);
    m_items->append(std::move(value));
}

QString JsonValue::pythonFloatRepr(double d)
{
    if (std::isnan(d))
        return QStringLiteral("NaN");
    if (std::isinf(d))
        return d > 0 ? QStringLiteral("Infinity") : QStringLiteral("-Infinity");
    // The shortest digits that read back as d (what repr uses), then Python's layout: fixed
    // notation when -4 <= exponent < 16, otherwise d.ddde+XX with at least two exponent digits.
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, d, std::chars_format::scientific);
    const std::string sci(buffer, result.ptr);
    const auto ePos = sci.find('e');
    std::string mantissa = sci.substr(0, ePos);
    const int exponent = std::stoi(sci.substr(ePos + 1));
    const bool negative = mantissa.front() == '-';
    if (negative)
        mantissa.erase(0, 1);
    std::string digits;
    for (char c : mantissa) {
        if (c != '.')
            digits += c;
    }
    std::string out;
    if (exponent < -4 || exponent >= 16) {
        out = digits.substr(0, 1);
        if (digits.size() > 1)
            out += "." + digits.substr(1);
        char exp[16];
        std::snprintf(exp, sizeof exp, "e%c%02d", exponent < 0 ? '-' : '+', std::abs(exponent));
        out += exp;
    } else if (exponent < 0) {
        out = "0." + std::string(size_t(-exponent - 1), '0') + digits;
    } else {
        const size_t intLen = size_t(exponent) + 1;
        if (digits.size() <= intLen)
            out = digits + std::string(intLen - digits.size(), '0') + ".0";
        else
            out = digits.substr(0, intLen) + "." + digits.substr(intLen);
    }
    return QString::fromLatin1((negative ? "-" : "") + out);
}

void JsonValue::write(QByteArray &out, int indent, int depth) const
{
    const auto newline = [&](int level) {
        if (indent > 0) {
            out += '\n';
            out += QByteArray(qsizetype(indent) * level, ' ');
        }
    };
    switch (m_type) {
    case Type::Null: out += "null"; break;
    case Type::Bool: out += m_bool ? "true" : "false"; break;
    case Type::Integer: out += m_text.toLatin1(); break;
    case Type::Float:
        if (!std::isfinite(m_double))
            throw JsonError(QStringLiteral("%1 is not allowed in JSON (only finite numbers are)").arg(pythonFloatRepr(m_double)));
        out += pythonFloatRepr(m_double).toLatin1();
        break;
    case Type::String: writeString(out, m_text); break;
    case Type::Array: {
        out += '[';
        const auto &list = items();
        for (qsizetype i = 0; i < list.size(); ++i) {
            if (i)
                out += indent > 0 ? "," : ",";
            newline(depth + 1);
            list.at(i).write(out, indent, depth + 1);
        }
        if (!list.isEmpty())
            newline(depth);
        out += ']';
        break;
    }
    case Type::Object: {
        QList<const Member *> sorted;
        for (const Member &m : members())
            sorted << &m;
        std::sort(sorted.begin(), sorted.end(), [](const Member *a, const Member *b) { return codePointLess(a->first, b->first); });
        out += '{';
        for (qsizetype i = 0; i < sorted.size(); ++i) {
            if (i)
                out += ',';
            newline(depth + 1);
            writeString(out, sorted.at(i)->first);
            out += indent > 0 ? ": " : ":";
            sorted.at(i)->second.write(out, indent, depth + 1);
        }
        if (!sorted.isEmpty())
            newline(depth);
        out += '}';
        break;
    }
    }
}

QByteArray JsonValue::canonical() const
{
    QByteArray out;
    write(out, 0, 0);
    return out;
}

QString JsonValue::pretty(int indent) const
{
    QByteArray out;
    write(out, std::max(1, indent), 0);
    return QString::fromUtf8(out);
}

} // namespace dbdeck

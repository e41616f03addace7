#include "store/jsonvalue.h"

#include "store/jsonparser.h"


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
    return parseJsonText(utf8);
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

#include "store/jsonvalue.h"

#include "store/canonicaljson.h"
#include "store/jsondocument.h"
#include "db/utf8.h"

#include <QHash>

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
// U+FFFF before U+E000..U+FFFF. Shifting the surrogates above U+E000..U+FFFF gives code point
// order without converting anything.
char16_t codePointOrder(char16_t u)
{
    if (u < 0xD800)
        return u;
    return u < 0xE000 ? char16_t(u + 0x2000) : char16_t(u - 0x800);
}

bool codePointLess(const QString &a, const QString &b)
{
    const qsizetype n = std::min(a.size(), b.size());
    const char16_t *ua = QStringView(a).utf16(), *ub = QStringView(b).utf16();
    for (qsizetype i = 0; i < n; ++i) {
        if (ua[i] != ub[i])
            return codePointOrder(ua[i]) < codePointOrder(ub[i]);
    }
    return a.size() < b.size();
}

void writeString(QByteArray &out, const QString &s)
{
    QByteArray utf8;
    utf8.reserve(s.size() * 3);
    const qsizetype lone = Utf8::appendUtf16(utf8, s);
    if (lone >= 0)
        throw JsonError(QStringLiteral("the text has a lone surrogate \\u%1, which cannot be written as UTF-8")
                            .arg(uint(s.at(lone).unicode()), 4, 16, QLatin1Char('0')));
    CanonicalJson::appendString(out, utf8.constData(), utf8.size());
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
    // As a Python dict: a repeated key keeps its first place and its last value. A hash keeps
    // that linear for objects with many keys.
    if (members.size() <= 8) {
        for (auto &m : members)
            v.insert(m.first, std::move(m.second));
        return v;
    }
    QHash<QString, qsizetype> at;
    at.reserve(members.size());
    v.m_members->reserve(members.size());
    for (auto &m : members) {
        const auto it = at.constFind(m.first);
        if (it != at.cend()) {
            (*v.m_members)[*it].second = std::move(m.second);
            continue;
        }
        at.insert(m.first, v.m_members->size());
        v.m_members->append({std::move(m.first), std::move(m.second)});
    }
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
    JsonDocument document;
    document.parse(utf8);
    return document.toValue(JsonDocument::root());
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
    char buffer[32];
    return QString::fromLatin1(buffer, CanonicalJson::floatRepr(d, buffer));
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
    case Type::Float: CanonicalJson::appendFloat(out, m_double); break;
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

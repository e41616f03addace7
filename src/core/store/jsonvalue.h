#pragma once

#include "db/errors.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QVariant>

#include <memory>

namespace dbdeck {

// JSON that cannot be parsed or cannot be written canonically (NaN, Infinity, a lone surrogate).
class JsonError : public DbError
{
public:
    using DbError::DbError;
};

// A JSON value that keeps what canonical output needs and QJsonValue loses: whether a number was
// an integer or a float (1 vs 1.0), integers of any size exactly, and keys as written.
// canonical() is byte-identical to Python's
//   json.dumps(v, ensure_ascii=False, separators=(",", ":"), sort_keys=True, allow_nan=False)
// Hand-written because neither Qt's JSON classes nor any Debian-packaged C++ library produces
// Python's float repr and code-point key order.
class JsonValue
{
public:
    enum class Type { Null, Bool, Integer, Float, String, Array, Object };
    using Member = QPair<QString, JsonValue>;

    JsonValue() = default; // null
    static JsonValue boolean(bool b);
    static JsonValue integer(qint64 n);
    static JsonValue integerText(const QString &digits); // exact, any size; "-12"
    static JsonValue floating(double d);
    static JsonValue string(const QString &s);
    static JsonValue array(QList<JsonValue> items = {});
    static JsonValue object(QList<Member> members = {});
    // QVariantMap/QVariantHash/QVariantList/QString/bool/ints/double/null (and QJsonValue via toVariant()).
    static JsonValue fromVariant(const QVariant &value);

    // Parses one JSON text (UTF-8). Like Python's json.loads: NaN/Infinity literals are read
    // (and refused on output), a repeated key keeps its last value. Throws JsonError with the
    // position and what was expected.
    static JsonValue parse(const QByteArray &utf8);

    Type type() const { return m_type; }
    bool isNull() const { return m_type == Type::Null; }
    bool isObject() const { return m_type == Type::Object; }
    bool toBool() const { return m_bool; }
    double toDouble() const;
    qint64 toInteger(bool *ok = nullptr) const;
    QString toString() const { return m_text; } // String: the text; Integer: the digits
    const QList<JsonValue> &items() const;
    const QList<Member> &members() const;
    // Object lookup (null when absent).
    JsonValue value(const QString &key) const;
    bool contains(const QString &key) const;
    void insert(const QString &key, JsonValue value); // replaces an existing key
    void append(JsonValue value);

    // The canonical UTF-8 text. Throws JsonError for NaN/Infinity and lone surrogates.
    QByteArray canonical() const;
    // Indented for people (keys sorted as in canonical()); same errors.
    QString pretty(int indent = 2) const;

    // Python's repr() of a float, e.g. 1e-05, 100.0, 1e+16.
    static QString pythonFloatRepr(double d);

private:
    void write(QByteArray &out, int indent, int depth) const;

    Type m_type = Type::Null;
    bool m_bool = false;
    double m_double = 0;
    QString m_text;
    std::shared_ptr<QList<JsonValue>> m_items;
    std::shared_ptr<QList<Member>> m_members;
};

} // namespace dbdeck

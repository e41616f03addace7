#include "store/jsonvalue.h"

#include <QFile>
#include <QTest>

#include <cmath>

using namespace dbdeck;

class tst_JsonValue : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void goldenVectors_data();
    void goldenVectors();
    void pythonFloatRepr_data();
    void pythonFloatRepr();
    void refusesNonFiniteAndLoneSurrogates_data();
    void refusesNonFiniteAndLoneSurrogates();
    void refusesLoneSurrogatesMadeInCode();
    void parseErrorsSayWhere_data();
    void parseErrorsSayWhere();
    void keysSortByCodePointNotUtf16();
    void fromVariantKeepsIntegersAndFloatsApart();
    void prettyIsIndentedAndSorted();
};

void tst_JsonValue::goldenVectors_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("canonical");
    QTest::addColumn<bool>("error");
    QFile file(QStringLiteral(DBDECK_TEST_DATA "/canonical_json.jsonl"));
    QVERIFY2(file.open(QIODevice::ReadOnly), "tests/data/canonical_json.jsonl is missing");
    int line = 0;
    int used = 0;
    while (!file.atEnd()) {
        const QByteArray text = file.readLine().trimmed();
        ++line;
        if (text.isEmpty())
            continue;
        const JsonValue vector = JsonValue::parse(text);
        if (!vector.contains(QStringLiteral("input")))
            continue; // datetime vectors: tst_utctime
        QTest::addRow("line %d", line) << vector.value(QStringLiteral("input")).toString().toUtf8()
                                       << vector.value(QStringLiteral("canonical")).toString().toUtf8()
                                       << vector.value(QStringLiteral("error")).toBool();
        ++used;
    }
    QVERIFY(used >= 39);
}

void tst_JsonValue::goldenVectors()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, canonical);
    QFETCH(bool, error);
    if (error) {
        QVERIFY_THROWS_EXCEPTION(JsonError, JsonValue::parse(input).canonical());
        return;
    }
    QCOMPARE(JsonValue::parse(input).canonical(), canonical);
    // Canonical output is a fixed point.
    QCOMPARE(JsonValue::parse(canonical).canonical(), canonical);
}

void tst_JsonValue::pythonFloatRepr_data()
{
    QTest::addColumn<double>("value");
    QTest::addColumn<QString>("repr");
    // Each as Python 3.11's repr() prints it.
    QTest::newRow("1e16") << 1e16 << "1e+16";
    QTest::newRow("1e15") << 1e15 << "1000000000000000.0";
    QTest::newRow("1e-5") << 1e-5 << "1e-05";
    QTest::newRow("1e-4") << 1e-4 << "0.0001";
    QTest::newRow("-0.0") << -0.0 << "-0.0";
    QTest::newRow("0.1+0.2") << 0.1 + 0.2 << "0.30000000000000004";
    QTest::newRow("max") << 1.7976931348623157e308 << "1.7976931348623157e+308";
    QTest::newRow("min subnormal") << 5e-324 << "5e-324";
    QTest::newRow("1e22") << 1e22 << "1e+22";
    QTest::newRow("123456789.123") << 123456789.123 << "123456789.123";
    QTest::newRow("1.5e300") << 1.5e300 << "1.5e+300";
    QTest::newRow("-2.5e-7") << -2.5e-7 << "-2.5e-07";
}

void tst_JsonValue::pythonFloatRepr()
{
    QFETCH(double, value);
    QFETCH(QString, repr);
    QCOMPARE(JsonValue::pythonFloatRepr(value), repr);
}

void tst_JsonValue::refusesNonFiniteAndLoneSurrogates_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("message");
    QTest::newRow("NaN") << QByteArray("[NaN]") << "NaN is not allowed in JSON (only finite numbers are)";
    QTest::newRow("Infinity") << QByteArray("{\"a\":Infinity}") << "Infinity is not allowed in JSON";
    QTest::newRow("-Infinity") << QByteArray("-Infinity") << "-Infinity is not allowed in JSON";
    QTest::newRow("overflow") << QByteArray("1e400") << "Infinity is not allowed in JSON";
    QTest::newRow("lone high surrogate") << QByteArray("\"a\\ud800b\"") << "invalid JSON at character 3: \\ud800 is a lone surrogate";
    QTest::newRow("lone low surrogate in key") << QByteArray("{\"\\udc00\":1}") << "invalid JSON at character 3: \\udc00 is a lone surrogate";
}

void tst_JsonValue::refusesNonFiniteAndLoneSurrogates()
{
    QFETCH(QByteArray, input);
    QFETCH(QString, message);
    try {
        JsonValue::parse(input).canonical();
        QFAIL("no JsonError");
    } catch (const JsonError &error) {
        QVERIFY2(error.message().startsWith(message), qPrintable(error.message()));
    }
}

void tst_JsonValue::refusesLoneSurrogatesMadeInCode()
{
    try {
        JsonValue::object({{QStringLiteral("k"), JsonValue::string(QStringLiteral("a") + QChar(0xD800))}}).canonical();
        QFAIL("no JsonError");
    } catch (const JsonError &error) {
        QCOMPARE(error.message(), QStringLiteral("the text has a lone surrogate \\ud800, which cannot be written as UTF-8"));
    }
}

void tst_JsonValue::parseErrorsSayWhere_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("message");
    QTest::newRow("empty") << QByteArray("") << "invalid JSON at character 1: the text ends where a value was expected";
    QTest::newRow("trailing comma") << QByteArray("[1,]") << "invalid JSON at character 4: expected a value";
    QTest::newRow("unquoted key") << QByteArray("{a:1}") << "invalid JSON at character 2: expected a \"key\" in an object";
    QTest::newRow("unclosed string") << QByteArray("\"abc") << "invalid JSON at character 5: a string is not closed";
    QTest::newRow("bad escape") << QByteArray("\"\\x\"") << "invalid JSON at character 3: unknown escape \\x";
    QTest::newRow("leading zero") << QByteArray("01") << "invalid JSON at character 2: unexpected text after the JSON value";
    QTest::newRow("raw newline in string") << QByteArray("\"a\nb\"") << "invalid JSON at character 3: a control character inside a string must be escaped";
    QTest::newRow("two values") << QByteArray("{} {}") << "invalid JSON at character 4: unexpected text after the JSON value";
}

void tst_JsonValue::parseErrorsSayWhere()
{
    QFETCH(QByteArray, input);
    QFETCH(QString, message);
    try {
        JsonValue::parse(input);
        QFAIL("no JsonError");
    } catch (const JsonError &error) {
        QCOMPARE(error.message(), message);
    }
}

void tst_JsonValue::keysSortByCodePointNotUtf16()
{
    // U+1F600 (a surrogate pair in UTF-16) sorts after U+FF01 by code point, before it by UTF-16 unit.
    const JsonValue v = JsonValue::parse(QStringLiteral("{\"\U0001F600\":1,\"\uFF01\":2,\"a\":3}").toUtf8());
    QCOMPARE(QString::fromUtf8(v.canonical()), QStringLiteral("{\"a\":3,\"\uFF01\":2,\"\U0001F600\":1}"));
}

void tst_JsonValue::fromVariantKeepsIntegersAndFloatsApart()
{
    const QVariantMap map{{QStringLiteral("i"), 2}, {QStringLiteral("f"), 2.0}, {QStringLiteral("big"), qint64(9007199254740993LL)},
                          {QStringLiteral("list"), QVariantList{true, QVariant(), QStringLiteral("x")}}};
    QCOMPARE(JsonValue::fromVariant(map).canonical(), QByteArray("{\"big\":9007199254740993,\"f\":2.0,\"i\":2,\"list\":[true,null,\"x\"]}"));
}

void tst_JsonValue::prettyIsIndentedAndSorted()
{
    const JsonValue v = JsonValue::parse("{\"b\":[1,{\"d\":null}],\"a\":\"x\",\"e\":{}}");
    QCOMPARE(v.pretty(), QStringLiteral("{\n  \"a\": \"x\",\n  \"b\": [\n    1,\n    {\n      \"d\": null\n    }\n  ],\n  \"e\": {}\n}"));
}

QTEST_GUILESS_MAIN(tst_JsonValue)
#include "tst_jsonvalue.moc"

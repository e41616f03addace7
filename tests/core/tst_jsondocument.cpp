#include "store/jsondocument.h"
#include "store/jsonvalue.h"

#include <QFile>
#include <QTest>

#include <cmath>

using namespace dbdeck;

namespace {

QByteArray canonicalOf(const QByteArray &text)
{
    JsonDocument document;
    document.parse(text);
    return document.canonical(JsonDocument::root());
}

QString errorOf(const QByteArray &text)
{
    try {
        canonicalOf(text);
    } catch (const JsonError &error) {
        return error.message();
    }
    return QStringLiteral("(no error)");
}

} // namespace

class tst_JsonDocument : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void pythonDifferential_data();
    void pythonDifferential();
    void refusals_data();
    void refusals();
    void numbersAsPythonReadsThem_data();
    void numbersAsPythonReadsThem();
    void nestsDeeperThanPython();
    void manyKeysAreLinear();
    void keepsNoncharacters();
    void membersAndLookups();
    void documentIsReusable();
};

void tst_JsonDocument::pythonDifferential_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("canonical");
    QTest::addColumn<bool>("error");
    // Made by tests/data/generators/json_vectors.py with Python's json module (see the file).
    QFile file(QStringLiteral(DBDECK_TEST_DATA "/json_differential.jsonl"));
    QVERIFY2(file.open(QIODevice::ReadOnly), "tests/data/json_differential.jsonl is missing");
    int line = 0;
    while (!file.atEnd()) {
        const QByteArray text = file.readLine().trimmed();
        ++line;
        const JsonValue v = JsonValue::parse(text);
        QTest::addRow("line %d: %s", line, qPrintable(v.value(QStringLiteral("case")).toString()))
            << QByteArray::fromBase64(v.value(QStringLiteral("input")).toString().toLatin1())
            << QByteArray::fromBase64(v.value(QStringLiteral("canonical")).toString().toLatin1())
            << v.value(QStringLiteral("error")).toBool();
    }
    QVERIFY(line >= 10000);
}

void tst_JsonDocument::pythonDifferential()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, canonical);
    QFETCH(bool, error);
    if (error) {
        QVERIFY_THROWS_EXCEPTION(JsonError, canonicalOf(input));
        QVERIFY_THROWS_EXCEPTION(JsonError, JsonValue::parse(input).canonical());
        return;
    }
    QCOMPARE(canonicalOf(input), canonical);
    // The tree built from the same parse writes the same bytes.
    QCOMPARE(JsonValue::parse(input).canonical(), canonical);
}

void tst_JsonDocument::refusals_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("message");
    QTest::newRow("invalid start byte") << QByteArray("{\"a\":\"ok\",\"b\":\"\xff\"}")
                                        << "invalid UTF-8 at byte 16: 0xff cannot start a character";
    QTest::newRow("cut short") << QByteArray("\"caf\xc3") << "invalid UTF-8 at byte 5: 0xc3 is cut short";
    QTest::newRow("encoded surrogate") << QByteArray("\"\xed\xa0\x80\"")
                                       << "invalid UTF-8 at byte 2: 0xed 0xa0 0x80 is not a valid character (overlong, a surrogate, or above U+10FFFF)";
    QTest::newRow("overlong") << QByteArray("\"\xc0\xaf\"") << "invalid UTF-8 at byte 2: 0xc0 cannot start a character";
    QTest::newRow("stray continuation") << QByteArray("[\"a\",\"\x80\"]") << "invalid UTF-8 at byte 7: 0x80 continues a character that did not start";
    QTest::newRow("\\u with 0x") << QByteArray("\"\\u0x41\"") << "invalid JSON at character 3: \\u must be followed by four hex digits";
    QTest::newRow("\\u with three digits") << QByteArray("\"\\u004\"") << "invalid JSON at character 3: \\u must be followed by four hex digits";
    QTest::newRow("\\u with a sign") << QByteArray("\"\\u+041\"") << "invalid JSON at character 3: \\u must be followed by four hex digits";
    QTest::newRow("lone high surrogate") << QByteArray("\"a\\ud800b\"")
                                         << "invalid JSON at character 3: \\ud800 is a lone surrogate (half of a UTF-16 pair without its other half), which cannot be stored as UTF-8";
    QTest::newRow("lone low surrogate in a key") << QByteArray("{\"\\udc00\":1}")
                                                 << "invalid JSON at character 3: \\udc00 is a lone surrogate (half of a UTF-16 pair without its other half), which cannot be stored as UTF-8";
    QTest::newRow("4301 digits") << QByteArray(4301, '7')
                                 << "invalid JSON at character 1: an integer with 4301 digits; at most 4300 are allowed (Python's limit for reading integers)";
    QTest::newRow("character, not byte") << QByteArray("{\"é\":x}") << "invalid JSON at character 6: expected a value";
    QTest::newRow("BOM inside a text") << QByteArray("\xef\xbb\xbf{}") << "invalid JSON at character 1: expected a value";
    QTest::newRow("overflow") << QByteArray("[1e400]") << "Infinity is not allowed in JSON (only finite numbers are)";
}

void tst_JsonDocument::refusals()
{
    QFETCH(QByteArray, input);
    QFETCH(QString, message);
    QCOMPARE(errorOf(input), message);
}

void tst_JsonDocument::numbersAsPythonReadsThem_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("canonical");
    // Each as json.dumps(json.loads(input)) prints it (Python 3.11).
    QTest::newRow("4300 digits") << QByteArray(4300, '9') << QByteArray(4300, '9');
    QTest::newRow("-4300 digits") << "-" + QByteArray(4300, '9') << "-" + QByteArray(4300, '9');
    QTest::newRow("underflow") << QByteArray("1e-400") << QByteArray("0.0");
    QTest::newRow("negative underflow") << QByteArray("-1e-400") << QByteArray("-0.0");
    QTest::newRow("underflow from the digits") << "0." + QByteArray(400, '0') + "1" << QByteArray("0.0");
    QTest::newRow("below the smallest subnormal") << QByteArray("2e-324") << QByteArray("0.0");
    QTest::newRow("smallest subnormal") << QByteArray("4.9e-324") << QByteArray("5e-324");
    QTest::newRow("500 fraction digits") << "0." + QByteArray(500, '3') << QByteArray("0.3333333333333333");
    QTest::newRow("huge exponent of zero") << QByteArray("0e999999999999") << QByteArray("0.0");
    QTest::newRow("-0") << QByteArray("-0") << QByteArray("0");
    QTest::newRow("-0.0") << QByteArray("-0.0") << QByteArray("-0.0");
}

void tst_JsonDocument::numbersAsPythonReadsThem()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, canonical);
    QCOMPARE(canonicalOf(input), canonical);
}

void tst_JsonDocument::nestsDeeperThanPython()
{
    // Python's json.loads accepts 994 levels from a fresh interpreter; dbdeck takes maxDepth.
    const int depth = JsonDocument::maxDepth;
    const QByteArray arrays = QByteArray(depth, '[') + QByteArray(depth, ']');
    QCOMPARE(canonicalOf(arrays), arrays);
    QByteArray objects;
    for (int i = 0; i < depth; ++i)
        objects += "{\"k\": ";
    objects += "1" + QByteArray(depth, '}');
    QVERIFY(canonicalOf(objects).startsWith("{\"k\":{\"k\":"));
    QCOMPARE(JsonValue::parse(arrays).canonical(), arrays);
    QCOMPARE(errorOf(QByteArray(depth + 1, '[') + QByteArray(depth + 1, ']')),
             QStringLiteral("invalid JSON at character %1: nested more than %2 levels deep").arg(depth + 1).arg(depth));
}

void tst_JsonDocument::manyKeysAreLinear()
{
    // 200,000 keys (and each written twice): quadratic work here took minutes, linear takes
    // milliseconds; ctest's timeout is the bound, no clock is read.
    const int keys = 200000;
    QByteArray text = "{";
    for (int i = keys - 1; i >= 0; --i)
        text += "\"k" + QByteArray::number(i) + "\":" + QByteArray::number(i) + ",\"k" + QByteArray::number(i) + "\":" + QByteArray::number(-i) + ",";
    text.back() = '}';
    const QByteArray canonical = canonicalOf(text);
    QVERIFY(canonical.startsWith("{\"k0\":0,\"k1\":-1,\"k10\":-10,"));
    const JsonValue value = JsonValue::parse(text);
    QCOMPARE(value.members().size(), keys);
    QCOMPARE(value.value(QStringLiteral("k7")).toInteger(), -7);
    QCOMPARE(value.canonical(), canonical);
}

void tst_JsonDocument::keepsNoncharacters()
{
    const QByteArray text = "{\"k\\uffff\":\"\xef\xbf\xbe\\ufffe\\uffff\xef\xbf\xbf\"}";
    const QByteArray expected = "{\"k\xef\xbf\xbf\":\"\xef\xbf\xbe\xef\xbf\xbe\xef\xbf\xbf\xef\xbf\xbf\"}";
    QCOMPARE(canonicalOf(text), expected);
    QCOMPARE(JsonValue::parse(text).canonical(), expected);
    QCOMPARE(JsonValue::string(QString(QChar(0xFFFE)) + QChar(0xFFFF)).canonical(), QByteArray("\"\xef\xbf\xbe\xef\xbf\xbf\""));
}

void tst_JsonDocument::membersAndLookups()
{
    JsonDocument document;
    const QByteArray text = R"({"a":1,"b":"x\ny","a":[true,null],"c":{"d":2.5}})";
    document.parse(text);
    const JsonDocument::Node root = JsonDocument::root();
    QCOMPARE(document.kind(root), JsonDocument::Kind::Object);
    QCOMPARE(document.size(root), 4u);
    const JsonDocument::Node a = document.member(root, "a");
    QCOMPARE(document.kind(a), JsonDocument::Kind::Array); // the last "a"
    QCOMPARE(document.size(a), 2u);
    QCOMPARE(document.text(document.member(root, "b")), QByteArrayView("x\ny"));
    QCOMPARE(document.number(document.member(document.member(root, "c"), "d")), 2.5);
    QCOMPARE(document.member(root, "zz"), 0u);
    QCOMPARE(document.canonical(root), QByteArray(R"({"a":[true,null],"b":"x\ny","c":{"d":2.5}})"));
}

void tst_JsonDocument::documentIsReusable()
{
    JsonDocument document;
    document.parse(QByteArray(R"({"long":"\u00e9\u00e9\u00e9\u00e9","n":[1,2,3]})"));
    document.parse(QByteArray(R"(["\u00e8"])"));
    QCOMPARE(document.canonical(JsonDocument::root()), QByteArray("[\"\xc3\xa8\"]"));
    QVERIFY_THROWS_EXCEPTION(JsonError, document.parse(QByteArray("[1,")));
    document.parse(QByteArray("7"));
    QCOMPARE(document.canonical(JsonDocument::root()), QByteArray("7"));
}

QTEST_GUILESS_MAIN(tst_JsonDocument)
#include "tst_jsondocument.moc"

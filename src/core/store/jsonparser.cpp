#include "store/jsonparser.h"

#include <QRegularExpression>

#include <charconv>
#include <cmath>
#include <cstring>

namespace dbdeck {

namespace {

// A recursive-descent parser over the UTF-8 bytes; strings are decoded to QString as they end.
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

JsonValue parseJsonText(const QByteArray &utf8)
{
    return Parser(utf8).document();
}

} // namespace dbdeck

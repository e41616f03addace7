#include "config/pythontext.h"

#include <QDir>
#include <QRegularExpression>

namespace dbdeck {

namespace {

int hexValue(QChar c)
{
    const char16_t u = c.unicode();
    if (u >= '0' && u <= '9')
        return u - '0';
    if (u >= 'a' && u <= 'f')
        return u - 'a' + 10;
    if (u >= 'A' && u <= 'F')
        return u - 'A' + 10;
    return -1;
}

const QRegularExpression &pythonNumberDigits()
{
    // Python's int(): digits with single underscores between them.
    static const QRegularExpression re(QStringLiteral("\\A[+-]?[0-9](?:_?[0-9])*\\z"));
    return re;
}

} // namespace

bool PythonText::isSpace(QChar c)
{
    // str.isspace(): Unicode White_Space plus the ASCII separators \x1c-\x1f.
    const char16_t u = c.unicode();
    return c.isSpace() || (u >= 0x1c && u <= 0x1f);
}

QString PythonText::strip(const QString &text)
{
    qsizetype begin = 0, end = text.size();
    while (begin < end && isSpace(text.at(begin)))
        ++begin;
    while (end > begin && isSpace(text.at(end - 1)))
        --end;
    return text.mid(begin, end - begin);
}

QString PythonText::unquote(const QString &text, bool *malformed)
{
    if (!text.contains(QLatin1Char('%')))
        return text;
    QString out;
    QByteArray bytes; // consecutive %XX escapes are one UTF-8 sequence
    const auto flush = [&] {
        if (!bytes.isEmpty()) {
            out += QString::fromUtf8(bytes); // invalid UTF-8 becomes U+FFFD, as errors="replace"
            bytes.clear();
        }
    };
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text.at(i) == QLatin1Char('%') && i + 2 < text.size() && hexValue(text.at(i + 1)) >= 0 && hexValue(text.at(i + 2)) >= 0) {
            bytes.append(char(hexValue(text.at(i + 1)) * 16 + hexValue(text.at(i + 2))));
            i += 2;
            continue;
        }
        if (text.at(i) == QLatin1Char('%') && malformed)
            *malformed = true;
        flush();
        out += text.at(i);
    }
    flush();
    return out;
}

QList<PythonText::QueryItem> PythonText::parseQsl(const QString &query)
{
    QList<QueryItem> items;
    qsizetype start = 0;
    while (start <= query.size()) {
        qsizetype end = query.indexOf(QLatin1Char('&'), start);
        if (end < 0)
            end = query.size();
        const QString pair = query.mid(start, end - start);
        const qsizetype eq = pair.indexOf(QLatin1Char('='));
        if (eq >= 0 && eq + 1 < pair.size()) { // no '=' or a blank value: dropped
            QString key = pair.left(eq), value = pair.mid(eq + 1);
            bool malformed = false;
            QueryItem item{unquote(key.replace(QLatin1Char('+'), QLatin1Char(' ')), &malformed),
                           unquote(value.replace(QLatin1Char('+'), QLatin1Char(' ')), &malformed), start,
                           start + eq + 1, pair.size() - eq - 1, false};
            item.malformed = malformed;
            items.append(item);
        }
        start = end + 1;
    }
    return items;
}

std::optional<qlonglong> PythonText::toInt(const QString &text)
{
    QString t = strip(text);
    if (!pythonNumberDigits().match(t).hasMatch())
        return std::nullopt;
    bool ok = false;
    const qlonglong value = t.remove(QLatin1Char('_')).toLongLong(&ok);
    return ok ? std::optional<qlonglong>(value) : std::nullopt;
}

std::optional<double> PythonText::toFloat(const QString &text)
{
    static const QRegularExpression number(QStringLiteral(
        "\\A[+-]?(?:(?:[0-9](?:_?[0-9])*)?\\.?[0-9](?:_?[0-9])*|[0-9](?:_?[0-9])*\\.)(?:[eE][+-]?[0-9](?:_?[0-9])*)?\\z"));
    static const QRegularExpression special(QStringLiteral("\\A[+-]?(?:inf|infinity|nan)\\z"),
                                            QRegularExpression::CaseInsensitiveOption);
    QString t = strip(text);
    if (special.match(t).hasMatch()) {
        const bool negative = t.startsWith(QLatin1Char('-'));
        if (t.contains(QLatin1String("nan"), Qt::CaseInsensitive))
            return std::numeric_limits<double>::quiet_NaN();
        return negative ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
    }
    if (!number.match(t).hasMatch())
        return std::nullopt;
    bool ok = false;
    const double value = t.remove(QLatin1Char('_')).toDouble(&ok);
    return ok ? std::optional<double>(value) : std::nullopt;
}

std::optional<bool> PythonText::asBool(const QString &text)
{
    const QString v = strip(text).toLower();
    for (const char *t : {"true", "yes", "on", "y", "t", "1"}) {
        if (v == QLatin1String(t))
            return true;
    }
    for (const char *f : {"false", "no", "off", "n", "f", "0"}) {
        if (v == QLatin1String(f))
            return false;
    }
    return std::nullopt;
}

QString PythonText::absPath(const QString &path)
{
    const QString joined = path.startsWith(QLatin1Char('/')) ? path : QDir::currentPath() + QLatin1Char('/') + path;
    // posixpath.normpath: exactly two leading slashes are kept, one or three and more become one.
    qsizetype slashes = 0;
    while (slashes < joined.size() && joined.at(slashes) == QLatin1Char('/'))
        ++slashes;
    const QString root = slashes == 2 ? QStringLiteral("//") : (slashes > 0 ? QStringLiteral("/") : QString());
    QStringList parts;
    for (const QString &part : joined.split(QLatin1Char('/'))) {
        if (part.isEmpty() || part == QLatin1String("."))
            continue;
        if (part == QLatin1String("..") && (!parts.isEmpty() && parts.last() != QLatin1String(".."))) {
            parts.removeLast();
            continue;
        }
        if (part == QLatin1String("..") && !root.isEmpty())
            continue;
        parts << part;
    }
    const QString out = root + parts.join(QLatin1Char('/'));
    return out.isEmpty() ? QStringLiteral(".") : out;
}

std::optional<bool> PythonText::pydanticBool(const QString &text)
{
    const QString v = text.toLower();
    for (const char *t : {"1", "on", "t", "true", "y", "yes"}) {
        if (v == QLatin1String(t))
            return true;
    }
    for (const char *f : {"0", "off", "f", "false", "n", "no"}) {
        if (v == QLatin1String(f))
            return false;
    }
    return std::nullopt;
}

std::optional<qlonglong> PythonText::BigInt::value() const
{
    bool ok = false;
    const qlonglong v = digits.toLongLong(&ok);
    if (!ok)
        return std::nullopt;
    return negative ? -v : v;
}

std::optional<PythonText::BigInt> PythonText::pydanticInt(const QString &text)
{
    static const QRegularExpression number(QStringLiteral("\\A([+-]?)([0-9](?:_?[0-9])*)(?:\\.0+)?\\z"));
    const auto m = number.match(strip(text));
    if (!m.hasMatch())
        return std::nullopt;
    BigInt result;
    result.digits = m.captured(2).remove(QLatin1Char('_'));
    while (result.digits.size() > 1 && result.digits.startsWith(QLatin1Char('0')))
        result.digits.remove(0, 1);
    result.negative = m.captured(1) == QLatin1String("-") && result.digits != QLatin1String("0");
    return result;
}

} // namespace dbdeck

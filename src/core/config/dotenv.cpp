#include "config/dotenv.h"

#include "config/pythontext.h"
#include "config/redactor.h"
#include "db/errors.h"

#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QRegularExpression>
#include <QStringDecoder>

namespace dbdeck {

namespace {

// python-dotenv's regular expressions (parser.py), in the same order of use.
QRegularExpression re(const char *pattern)
{
    return QRegularExpression(QString::fromLatin1(pattern), QRegularExpression::UseUnicodePropertiesOption);
}

struct Grammar
{
    QRegularExpression multilineWhitespace = re("\\s*");
    QRegularExpression whitespace = re("[^\\S\\r\\n]*");
    QRegularExpression exportPrefix = re("(?:export[^\\S\\r\\n]+)?");
    QRegularExpression singleQuotedKey = re("'([^']+)'");
    QRegularExpression unquotedKey = re("([^=\\#\\s]+)");
    QRegularExpression equalSign = re("(=[^\\S\\r\\n]*)");
    QRegularExpression singleQuotedValue = re("'((?:\\\\'|[^'])*)'");
    QRegularExpression doubleQuotedValue = re("\"((?:\\\\\"|[^\"])*)\"");
    QRegularExpression unquotedValue = re("([^\\r\\n]*)");
    QRegularExpression comment = re("(?:[^\\S\\r\\n]*#[^\\r\\n]*)?");
    QRegularExpression endOfLine = re("[^\\S\\r\\n]*(?:\\r\\n|\\n|\\r|$)");
    QRegularExpression restOfLine = re("[^\\r\\n]*(?:\\r|\\n|\\r\\n)?");
    QRegularExpression inlineComment = re("\\s+#[^\\n]*");
};

const Grammar &grammar()
{
    static const Grammar g;
    return g;
}

struct ParseError
{
};

// python-dotenv's Reader: a position in the text and the line it is on.
class Reader
{
public:
    explicit Reader(const QString &text) : m_text(text) {}
    bool hasNext() const { return m_pos < m_text.size(); }
    QChar peek() const { return hasNext() ? m_text.at(m_pos) : QChar(); }
    qsizetype pos() const { return m_pos; }
    int line() const { return m_line; }
    const QString &text() const { return m_text; }
    QString readRegex(const QRegularExpression &regex)
    {
        const auto m = regex.match(m_text, m_pos, QRegularExpression::NormalMatch,
                                   QRegularExpression::AnchorAtOffsetMatchOption);
        if (!m.hasMatch())
            throw ParseError{};
        advance(m.capturedEnd(0));
        return m.lastCapturedIndex() >= 1 ? m.captured(1) : QString();
    }

private:
    void advance(qsizetype to)
    {
        for (qsizetype i = m_pos; i < to; ++i) {
            const QChar c = m_text.at(i);
            if (c == QLatin1Char('\n') || (c == QLatin1Char('\r') && (i + 1 >= m_text.size() || m_text.at(i + 1) != QLatin1Char('\n'))))
                ++m_line;
        }
        m_pos = to;
    }
    QString m_text;
    qsizetype m_pos = 0;
    int m_line = 1;
};

// Python's codecs "unicode-escape" applied to one two-character escape.
QString decodeEscapes(const QString &value, const QString &escapable)
{
    QString out;
    out.reserve(value.size());
    for (qsizetype i = 0; i < value.size(); ++i) {
        const QChar c = value.at(i);
        if (c == QLatin1Char('\\') && i + 1 < value.size() && escapable.contains(value.at(i + 1))) {
            const char e = char(value.at(++i).unicode());
            switch (e) {
            case 'a': out += QChar(0x07); break;
            case 'b': out += QChar(0x08); break;
            case 'f': out += QChar(0x0c); break;
            case 'n': out += QChar(0x0a); break;
            case 'r': out += QChar(0x0d); break;
            case 't': out += QChar(0x09); break;
            case 'v': out += QChar(0x0b); break;
            default: out += QLatin1Char(e); break; // \\ \' \"
            }
            continue;
        }
        out += c;
    }
    return out;
}

QString parseValue(Reader &reader)
{
    const Grammar &g = grammar();
    const QChar c = reader.peek();
    if (c == QLatin1Char('\''))
        return decodeEscapes(reader.readRegex(g.singleQuotedValue), QStringLiteral("\\'"));
    if (c == QLatin1Char('"'))
        return decodeEscapes(reader.readRegex(g.doubleQuotedValue), QStringLiteral("\\'\"abfnrtv"));
    if (c.isNull() || c == QLatin1Char('\n') || c == QLatin1Char('\r'))
        return QString();
    QString part = reader.readRegex(g.unquotedValue);
    const auto m = g.inlineComment.match(part);
    if (m.hasMatch())
        part.truncate(m.capturedStart());
    qsizetype end = part.size();
    while (end > 0 && PythonText::isSpace(part.at(end - 1)))
        --end;
    return part.left(end);
}

// Where strict UTF-8 decoding (Python's) first fails, for the message.
qsizetype firstInvalidUtf8(const QByteArray &bytes)
{
    qsizetype i = 0;
    while (i < bytes.size()) {
        const auto b = uchar(bytes.at(i));
        const int length = b < 0x80 ? 1 : (b >= 0xc2 && b <= 0xdf) ? 2 : (b >= 0xe0 && b <= 0xef) ? 3 : (b >= 0xf0 && b <= 0xf4) ? 4 : 0;
        if (length == 0 || i + length > bytes.size())
            return i;
        for (int k = 1; k < length; ++k) {
            if ((uchar(bytes.at(i + k)) & 0xc0) != 0x80)
                return i;
        }
        i += length;
    }
    return i;
}

} // namespace

DotEnvFile DotEnv::readFile(const QString &path)
{
    const QFileInfo info(path);
    const QString shown = info.absoluteFilePath();
    if (info.isSymLink() && !info.exists())
        throw ConfigError(QStringLiteral("cannot read .env file %1: it is a symbolic link to %2, which does not exist")
                              .arg(shown, info.symLinkTarget()));
    if (info.isDir())
        throw ConfigError(QStringLiteral("cannot read .env file %1: it is a folder").arg(shown));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw ConfigError(QStringLiteral("cannot read .env file %1: %2").arg(shown, file.errorString()));
    const QByteArray bytes = file.readAll();
    // python-dotenv (as pydantic-settings calls it) reads strict UTF-8 and keeps a BOM.
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::ConvertInitialBom | QStringDecoder::Flag::Stateless);
    const QString text = decoder.decode(bytes);
    if (decoder.hasError()) {
        const qsizetype offset = firstInvalidUtf8(bytes);
        const int line = int(bytes.left(offset).count('\n')) + 1;
        throw ConfigError(QStringLiteral("cannot read .env file %1: line %2 is not UTF-8 (byte offset %3); the application "
                                         "(python-dotenv) cannot read it either: save the file as UTF-8")
                              .arg(shown).arg(line).arg(offset));
    }
    return parse(text, shown);
}

DotEnvFile DotEnv::parse(const QString &text, const QString &fileName)
{
    const Grammar &g = grammar();
    DotEnvFile result;
    Reader reader(text);
    while (reader.hasNext()) {
        const qsizetype markPos = reader.pos();
        int statementLine = reader.line();
        try {
            reader.readRegex(g.multilineWhitespace);
            if (!reader.hasNext())
                break;
            statementLine = reader.line();
            reader.readRegex(g.exportPrefix);
            if (reader.peek() == QLatin1Char('#')) {
                reader.readRegex(g.comment);
                reader.readRegex(g.endOfLine);
                continue;
            }
            const QString key = reader.peek() == QLatin1Char('\'') ? reader.readRegex(g.singleQuotedKey)
                                                                   : reader.readRegex(g.unquotedKey);
            reader.readRegex(g.whitespace);
            std::optional<QString> value;
            if (reader.peek() == QLatin1Char('=')) {
                reader.readRegex(g.equalSign);
                value = parseValue(reader);
            }
            reader.readRegex(g.comment);
            reader.readRegex(g.endOfLine);
            result.entries.append({key, value, statementLine});
        } catch (const ParseError &) {
            reader.readRegex(g.restOfLine);
            // Redact first, then cut: the cut must never leave part of a password visible.
            QString statement = Redactor::scrub(text.mid(markPos, reader.pos() - markPos).trimmed());
            if (statement.size() > 80)
                statement = statement.left(77) + QStringLiteral("...");
            result.warnings << QStringLiteral("%1:%2: skipped a statement that python-dotenv cannot parse either "
                                              "(the application ignores it too): \"%3\"")
                                   .arg(fileName).arg(statementLine).arg(statement);
        }
    }
    return result;
}

QList<DotEnvEntry> DotEnv::interpolate(const QList<DotEnvEntry> &entries, const QProcessEnvironment &environment)
{
    static const QRegularExpression variable(QStringLiteral("\\$\\{(?<name>[^}:]*)(?::-(?<default>[^}]*))?\\}"));
    QHash<QString, std::optional<QString>> seen; // the file's values so far; they win over the environment
    QList<DotEnvEntry> out;
    for (const DotEnvEntry &entry : entries) {
        DotEnvEntry resolved = entry;
        if (entry.value) {
            QString value;
            qsizetype cursor = 0;
            auto it = variable.globalMatch(*entry.value);
            while (it.hasNext()) {
                const auto m = it.next();
                value += entry.value->mid(cursor, m.capturedStart() - cursor);
                const QString name = m.captured(QStringLiteral("name"));
                if (seen.contains(name))
                    value += seen.value(name).value_or(QString());
                else if (environment.contains(name))
                    value += environment.value(name);
                else
                    value += m.captured(QStringLiteral("default"));
                cursor = m.capturedEnd();
            }
            value += entry.value->mid(cursor);
            resolved.value = value;
        }
        seen.insert(entry.key, resolved.value);
        out.append(resolved);
    }
    return out;
}

} // namespace dbdeck

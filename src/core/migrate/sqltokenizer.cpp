#include "migrate/sqltokenizer.h"

namespace dbdeck {

QString SqlToken::identifier() const
{
    if (kind == Kind::Word)
        return text.toLower();
    if (kind != Kind::QuotedIdentifier || text.size() < 2)
        return text;
    const QChar open = text.front();
    QString inner = text.mid(1, text.size() - (unterminated ? 1 : 2));
    if (open == QLatin1Char('"'))
        inner.replace(QStringLiteral("\"\""), QStringLiteral("\""));
    else if (open == QLatin1Char('`'))
        inner.replace(QStringLiteral("``"), QStringLiteral("`"));
    return inner;
}

QString SqlToken::stringValue() const
{
    if (kind == Kind::DollarString) {
        const qsizetype tagEnd = text.indexOf(QLatin1Char('$'), 1);
        const qsizetype tagSize = tagEnd + 1;
        return text.mid(tagSize, text.size() - 2 * tagSize);
    }
    if (kind != Kind::String)
        return {};
    const qsizetype open = text.indexOf(QLatin1Char('\''));
    QString inner = text.mid(open + 1, text.size() - open - (unterminated ? 1 : 2));
    return inner.replace(QStringLiteral("''"), QStringLiteral("'"));
}

namespace {

bool isWordStart(QChar c)
{
    return c.isLetter() || c == QLatin1Char('_') || c.isHighSurrogate() || c.unicode() >= 0x80;
}

bool isWordChar(QChar c)
{
    return isWordStart(c) || c.isDigit() || c == QLatin1Char('$');
}

class Tokenizer
{
public:
    Tokenizer(const QString &text, SqlSplitter::Dialect dialect, int firstLine)
        : m_text(text), m_postgres(dialect == SqlSplitter::Dialect::Postgres), m_line(firstLine)
    {}

    QList<SqlToken> run()
    {
        m_tokens.reserve(m_text.size() / 6); // about one token per six characters of SQL
        while (m_pos < m_text.size()) {
            const QChar c = m_text.at(m_pos);
            if (c.isSpace()) {
                advance();
                continue;
            }
            begin();
            if (c == QLatin1Char('-') && peek(1) == QLatin1Char('-'))
                lineComment();
            else if (c == QLatin1Char('/') && peek(1) == QLatin1Char('*'))
                blockComment();
            else if (c == QLatin1Char('\''))
                quoted(SqlToken::Kind::String, QLatin1Char('\''), false);
            else if (c == QLatin1Char('"'))
                quoted(SqlToken::Kind::QuotedIdentifier, QLatin1Char('"'), false);
            else if (!m_postgres && c == QLatin1Char('`'))
                quoted(SqlToken::Kind::QuotedIdentifier, QLatin1Char('`'), false);
            else if (!m_postgres && c == QLatin1Char('['))
                bracketed();
            else if (c == QLatin1Char('$'))
                dollar();
            else if (c.isDigit() || (c == QLatin1Char('.') && peek(1).isDigit()))
                number();
            else if (isWordStart(c))
                word();
            else if (c == QLatin1Char('?') && !m_postgres)
                parameter(1);
            else if ((c == QLatin1Char(':') || c == QLatin1Char('@')) && !m_postgres && isWordStart(peek(1)))
                parameter(1);
            else if (QStringView(u"(),;.[]").contains(c))
                take(SqlToken::Kind::Punctuation, 1);
            else
                op();
        }
        return std::move(m_tokens);
    }

private:
    QChar peek(qsizetype ahead) const
    {
        const qsizetype at = m_pos + ahead;
        return at < m_text.size() ? m_text.at(at) : QChar();
    }

    void advance()
    {
        const QChar c = m_text.at(m_pos++);
        if (c == QLatin1Char('\n')) {
            ++m_line;
            m_column = 1;
        } else if (!c.isLowSurrogate()) {
            ++m_column;
        }
    }

    void advanceBy(qsizetype n)
    {
        for (qsizetype i = 0; i < n && m_pos < m_text.size(); ++i)
            advance();
    }

    void begin()
    {
        m_start = m_pos;
        m_startPosition = {m_line, m_column};
    }

    void finish(SqlToken::Kind kind, bool unterminated = false)
    {
        SqlToken token;
        token.kind = kind;
        token.text = m_text.mid(m_start, m_pos - m_start);
        token.offset = m_start;
        token.position = m_startPosition;
        token.unterminated = unterminated;
        m_tokens.append(std::move(token));
    }

    void take(SqlToken::Kind kind, qsizetype length)
    {
        advanceBy(length);
        finish(kind);
    }

    void lineComment()
    {
        while (m_pos < m_text.size() && m_text.at(m_pos) != QLatin1Char('\n'))
            advance();
        finish(SqlToken::Kind::LineComment);
    }

    // PostgreSQL nests block comments; SQLite ends one at the first */.
    void blockComment()
    {
        advanceBy(2);
        int depth = 1;
        while (m_pos < m_text.size()) {
            if (m_text.at(m_pos) == QLatin1Char('*') && peek(1) == QLatin1Char('/')) {
                advanceBy(2);
                if (--depth == 0)
                    return finish(SqlToken::Kind::BlockComment);
            } else if (m_postgres && m_text.at(m_pos) == QLatin1Char('/') && peek(1) == QLatin1Char('*')) {
                advanceBy(2);
                ++depth;
            } else {
                advance();
            }
        }
        finish(SqlToken::Kind::BlockComment, true);
    }

    // From the opening quote (already at m_pos) to the closing one; a doubled quote is an escaped
    // one, and with backslashEscapes (PostgreSQL E'...') so is \'.
    void quoted(SqlToken::Kind kind, QChar close, bool backslashEscapes)
    {
        advance();
        while (m_pos < m_text.size()) {
            const QChar c = m_text.at(m_pos);
            if (backslashEscapes && c == QLatin1Char('\\') && m_pos + 1 < m_text.size()) {
                advanceBy(2);
            } else if (c == close) {
                advance();
                if (m_pos < m_text.size() && m_text.at(m_pos) == close) {
                    advance();
                    continue;
                }
                return finish(kind);
            } else {
                advance();
            }
        }
        finish(kind, true);
    }

    void bracketed()
    {
        advance();
        while (m_pos < m_text.size()) {
            if (m_text.at(m_pos) == QLatin1Char(']')) {
                advance();
                return finish(SqlToken::Kind::QuotedIdentifier);
            }
            advance();
        }
        finish(SqlToken::Kind::QuotedIdentifier, true);
    }

    void dollar()
    {
        if (peek(1).isDigit()) // $1 on PostgreSQL; SQLite takes $1 as a parameter as well
            return parameter(1);
        if (!m_postgres) {
            if (isWordStart(peek(1)))
                return parameter(1);
            return take(SqlToken::Kind::Operator, 1);
        }
        // $tag$ ... $tag$: the tag is an identifier without '$' (or empty).
        qsizetype end = m_pos + 1;
        while (end < m_text.size() && (isWordStart(m_text.at(end)) || m_text.at(end).isDigit()))
            ++end;
        if (end >= m_text.size() || m_text.at(end) != QLatin1Char('$'))
            return take(SqlToken::Kind::Operator, 1);
        const QString tag = m_text.mid(m_pos, end - m_pos + 1);
        advanceBy(tag.size());
        const qsizetype close = m_text.indexOf(tag, m_pos);
        if (close < 0) {
            advanceBy(m_text.size() - m_pos);
            return finish(SqlToken::Kind::DollarString, true);
        }
        advanceBy(close + tag.size() - m_pos);
        finish(SqlToken::Kind::DollarString);
    }

    void number()
    {
        if (m_text.at(m_pos) == QLatin1Char('0') && (peek(1) == QLatin1Char('x') || peek(1) == QLatin1Char('X'))) {
            advanceBy(2);
            while (m_pos < m_text.size() && (m_text.at(m_pos).isDigit() || QStringView(u"abcdefABCDEF_").contains(m_text.at(m_pos))))
                advance();
            return finish(SqlToken::Kind::Number);
        }
        while (m_pos < m_text.size() && (m_text.at(m_pos).isDigit() || m_text.at(m_pos) == QLatin1Char('_')))
            advance();
        if (m_pos < m_text.size() && m_text.at(m_pos) == QLatin1Char('.')) {
            advance();
            while (m_pos < m_text.size() && m_text.at(m_pos).isDigit())
                advance();
        }
        if (m_pos < m_text.size() && (m_text.at(m_pos) == QLatin1Char('e') || m_text.at(m_pos) == QLatin1Char('E'))) {
            const QChar next = peek(1);
            const bool sign = next == QLatin1Char('+') || next == QLatin1Char('-');
            if (next.isDigit() || (sign && peek(2).isDigit())) {
                advanceBy(sign ? 2 : 1);
                while (m_pos < m_text.size() && m_text.at(m_pos).isDigit())
                    advance();
            }
        }
        finish(SqlToken::Kind::Number);
    }

    void word()
    {
        // String prefixes: E'..' (PostgreSQL escapes), X'..' (blob), B'..', N'..'.
        const QChar first = m_text.at(m_pos).toUpper();
        if (peek(1) == QLatin1Char('\'') && QStringView(u"EXBN").contains(first)) {
            advance();
            return quoted(SqlToken::Kind::String, QLatin1Char('\''), m_postgres && first == QLatin1Char('E'));
        }
        while (m_pos < m_text.size() && isWordChar(m_text.at(m_pos)))
            advance();
        finish(SqlToken::Kind::Word);
    }

    void parameter(qsizetype prefix)
    {
        advanceBy(prefix);
        while (m_pos < m_text.size() && isWordChar(m_text.at(m_pos)))
            advance();
        finish(SqlToken::Kind::Parameter);
    }

    void op()
    {
        static const QStringList longOperators{QStringLiteral("->>"), QStringLiteral("||"), QStringLiteral("::"),
                                               QStringLiteral("<="), QStringLiteral(">="), QStringLiteral("<>"),
                                               QStringLiteral("!="), QStringLiteral("=="), QStringLiteral("->"),
                                               QStringLiteral("<<"), QStringLiteral(">>")};
        for (const QString &candidate : longOperators) {
            if (QStringView(m_text).mid(m_pos, candidate.size()) == candidate)
                return take(SqlToken::Kind::Operator, candidate.size());
        }
        take(SqlToken::Kind::Operator, 1);
    }

    const QString &m_text;
    bool m_postgres;
    qsizetype m_pos = 0;
    int m_line;
    int m_column = 1;
    qsizetype m_start = 0;
    SqlPosition m_startPosition;
    QList<SqlToken> m_tokens;
};

} // namespace

QList<SqlToken> SqlTokenizer::tokenize(const QString &text, SqlSplitter::Dialect dialect, int firstLine)
{
    return Tokenizer(text, dialect, firstLine).run();
}

} // namespace dbdeck

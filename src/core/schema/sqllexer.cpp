#include "schema/sqllexer.h"

#include <QSet>

namespace dbdeck {

namespace {

bool isWordStart(QChar c)
{
    return c.isLetter() || c == QLatin1Char('_') || c.unicode() > 127;
}

bool isWordChar(QChar c)
{
    return c.isLetterOrNumber() || c == QLatin1Char('_') || c == QLatin1Char('$') || c.unicode() > 127;
}

// Keywords of SQLite and PostgreSQL that appear in DDL and expressions. Upper-cased in
// normalized text and quoted when used as names.
const QSet<QString> &keywords()
{
    static const QSet<QString> set = [] {
        const char *const words[] = {
            "ABORT", "ACTION", "ADD", "AFTER", "ALL", "ALTER", "ALWAYS", "AND", "ANY", "AS", "ASC", "AUTOINCREMENT",
            "BEFORE", "BEGIN", "BETWEEN", "BY", "CASCADE", "CASE", "CAST", "CHECK", "COLLATE", "COLUMN", "CONFLICT",
            "CONSTRAINT", "CREATE", "CROSS", "CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP", "DEFAULT",
            "DEFERRABLE", "DEFERRED", "DELETE", "DESC", "DISTINCT", "DO", "DROP", "EACH", "ELSE", "END", "ESCAPE",
            "EXCEPT", "EXISTS", "FAIL", "FALSE", "FILTER", "FOR", "FOREIGN", "FROM", "FULL", "GENERATED", "GLOB",
            "GROUP", "HAVING", "IF", "IGNORE", "IMMEDIATE", "IN", "INDEX", "INITIALLY", "INNER", "INSERT",
            "INSTEAD", "INTERSECT", "INTO", "IS", "ISNULL", "JOIN", "KEY", "LEFT", "LIKE", "LIMIT", "MATCH",
            "NATURAL", "NO", "NOT", "NOTNULL", "NULL", "NULLS", "OF", "OFFSET", "ON", "OR", "ORDER", "OUTER",
            "OVER", "PARTITION", "PRIMARY", "RAISE", "RECURSIVE", "REFERENCES", "REGEXP", "REPLACE", "RESTRICT",
            "RETURNING", "RIGHT", "ROLLBACK", "ROW", "ROWID", "SELECT", "SET", "STORED", "STRICT", "TABLE",
            "TEMP", "TEMPORARY", "THEN", "TO", "TRIGGER", "TRUE", "UNION", "UNIQUE", "UPDATE", "USING", "VALUES",
            "VIEW", "VIRTUAL", "WHEN", "WHERE", "WINDOW", "WITH", "WITHOUT", "ILIKE", "SIMILAR", "ARRAY",
            "IDENTITY", "EXECUTE", "FUNCTION", "PROCEDURE", "STATEMENT", "INCLUDE", "ONLY", "LATERAL",
        };
        QSet<QString> s;
        for (const char *w : words)
            s.insert(QLatin1String(w));
        return s;
    }();
    return set;
}

// Words after which "(" is not a function call's: "IN (", "AS (", "CHECK (".
bool spacedBeforeParen(const LexToken &t)
{
    return t.kind == LexToken::Kind::Word && SqlLexer::isKeyword(t.text)
        && !t.isWord("CAST") && !t.isWord("EXISTS") && !t.isWord("REPLACE") && !t.isWord("LEFT") && !t.isWord("RIGHT");
}

class Lexer
{
public:
    explicit Lexer(const QString &text) : m_text(text) {}

    QList<LexToken> run()
    {
        while (m_pos < m_text.size()) {
            const QChar c = m_text.at(m_pos);
            if (c.isSpace()) {
                ++m_pos;
            } else if (c == QLatin1Char('-') && peek(1) == QLatin1Char('-')) {
                while (m_pos < m_text.size() && m_text.at(m_pos) != QLatin1Char('\n'))
                    ++m_pos;
            } else if (c == QLatin1Char('/') && peek(1) == QLatin1Char('*')) {
                const qsizetype close = m_text.indexOf(QLatin1String("*/"), m_pos + 2);
                m_pos = close < 0 ? m_text.size() : close + 2;
            } else if (c == QLatin1Char('\'')) {
                quoted(LexToken::Kind::String, QLatin1Char('\''), m_pos, true);
            } else if ((c == QLatin1Char('x') || c == QLatin1Char('X') || c == QLatin1Char('e') || c == QLatin1Char('E'))
                       && peek(1) == QLatin1Char('\'')) {
                const qsizetype start = m_pos++;
                quoted(LexToken::Kind::String, QLatin1Char('\''), start, true);
            } else if (c == QLatin1Char('"') || c == QLatin1Char('`')) {
                quoted(LexToken::Kind::QuotedIdentifier, c, m_pos, false);
            } else if (c == QLatin1Char('[') && !isSubscript()) {
                quoted(LexToken::Kind::QuotedIdentifier, QLatin1Char(']'), m_pos, false);
            } else if (c == QLatin1Char('$') && dollarQuote()) {
                // consumed
            } else if (isWordStart(c)) {
                const qsizetype start = m_pos;
                while (m_pos < m_text.size() && isWordChar(m_text.at(m_pos)))
                    ++m_pos;
                push(LexToken::Kind::Word, m_text.mid(start, m_pos - start), start);
            } else if (c.isDigit() || (c == QLatin1Char('.') && peek(1).isDigit())) {
                number();
            } else if (c == QLatin1Char('?') || ((c == QLatin1Char(':') || c == QLatin1Char('@') || c == QLatin1Char('$'))
                                                  && (isWordStart(peek(1)) || peek(1).isDigit()) && !(c == QLatin1Char(':') && lastIsColon()))) {
                const qsizetype start = m_pos++;
                while (m_pos < m_text.size() && isWordChar(m_text.at(m_pos)))
                    ++m_pos;
                push(LexToken::Kind::Parameter, m_text.mid(start, m_pos - start), start);
            } else {
                symbol();
            }
        }
        return m_tokens;
    }

private:
    QChar peek(qsizetype offset) const
    {
        const qsizetype at = m_pos + offset;
        return at < m_text.size() ? m_text.at(at) : QChar();
    }

    // PostgreSQL's ARRAY[...] and x[1] are subscripts, SQLite's [name] a quoted identifier.
    bool isSubscript() const
    {
        if (m_tokens.isEmpty())
            return false;
        const LexToken &last = m_tokens.last();
        if (last.isWord("ARRAY"))
            return true;
        const bool adjacent = last.end == m_pos;
        return adjacent && ((last.kind == LexToken::Kind::Word && !SqlLexer::isKeyword(last.text))
                            || last.kind == LexToken::Kind::QuotedIdentifier || last.isSymbol(")") || last.isSymbol("]"));
    }

    bool lastIsColon() const { return !m_tokens.isEmpty() && m_tokens.last().text == QLatin1String(":"); }

    void push(LexToken::Kind kind, const QString &text, qsizetype start)
    {
        m_tokens.append({kind, text, start, m_pos});
    }

    // A quoted token; a doubled closing quote stands for itself.
    void quoted(LexToken::Kind kind, QChar close, qsizetype start, bool keepQuotes)
    {
        ++m_pos;
        QString inner;
        while (m_pos < m_text.size()) {
            const QChar c = m_text.at(m_pos);
            if (c == close) {
                if (peek(1) == close && close != QLatin1Char(']')) {
                    inner += c;
                    m_pos += 2;
                    continue;
                }
                ++m_pos;
                break;
            }
            inner += c;
            ++m_pos;
        }
        push(kind, keepQuotes ? m_text.mid(start, m_pos - start) : inner, start);
    }

    bool dollarQuote()
    {
        qsizetype end = m_pos + 1;
        while (end < m_text.size() && isWordChar(m_text.at(end)) && m_text.at(end) != QLatin1Char('$'))
            ++end;
        if (end >= m_text.size() || m_text.at(end) != QLatin1Char('$') || (end > m_pos + 1 && m_text.at(m_pos + 1).isDigit()))
            return false;
        const QString tag = m_text.mid(m_pos, end - m_pos + 1);
        const qsizetype close = m_text.indexOf(tag, end + 1);
        const qsizetype start = m_pos;
        m_pos = close < 0 ? m_text.size() : close + tag.size();
        push(LexToken::Kind::String, m_text.mid(start, m_pos - start), start);
        return true;
    }

    void number()
    {
        const qsizetype start = m_pos;
        while (m_pos < m_text.size()) {
            const QChar c = m_text.at(m_pos);
            if (c.isLetterOrNumber() || c == QLatin1Char('.') || c == QLatin1Char('_'))
                ++m_pos;
            else if ((c == QLatin1Char('+') || c == QLatin1Char('-')) && (m_text.at(m_pos - 1) == QLatin1Char('e') || m_text.at(m_pos - 1) == QLatin1Char('E')))
                ++m_pos;
            else
                break;
        }
        push(LexToken::Kind::Number, m_text.mid(start, m_pos - start), start);
    }

    void symbol()
    {
        static const char *const multi[] = {"->>", "<=", ">=", "<>", "!=", "==", "||", "::", "->", "<<", ">>"};
        const qsizetype start = m_pos;
        for (const char *op : multi) {
            const QLatin1String s(op);
            if (QStringView(m_text).mid(m_pos, s.size()) == s) {
                m_pos += s.size();
                push(LexToken::Kind::Symbol, s, start);
                return;
            }
        }
        ++m_pos;
        push(LexToken::Kind::Symbol, m_text.mid(start, 1), start);
    }

    const QString &m_text;
    qsizetype m_pos = 0;
    QList<LexToken> m_tokens;
};

bool needsSpace(const LexToken &prev, const LexToken &next)
{
    if (prev.isSymbol("(") || prev.isSymbol(".") || prev.isSymbol("::") || prev.isSymbol("["))
        return false;
    if (next.isSymbol("]") || (next.isSymbol("[") && (prev.isWord("ARRAY") || prev.kind != LexToken::Kind::Symbol)))
        return false;
    if (next.isSymbol(")") || next.isSymbol(",") || next.isSymbol(".") || next.isSymbol("::") || next.isSymbol(";"))
        return false;
    if (next.isSymbol("(") && prev.kind != LexToken::Kind::Symbol)
        return spacedBeforeParen(prev) || prev.kind == LexToken::Kind::String || prev.kind == LexToken::Kind::Number;
    return true;
}

QString tokenText(const LexToken &t)
{
    switch (t.kind) {
    case LexToken::Kind::Word:
        return SqlLexer::isKeyword(t.text) ? t.text.toUpper() : t.text;
    case LexToken::Kind::QuotedIdentifier:
        return SqlLexer::quoteIdentifier(t.text);
    default:
        return t.text;
    }
}

} // namespace

bool LexToken::isWord(const char *word) const
{
    return kind == Kind::Word && text.compare(QLatin1String(word), Qt::CaseInsensitive) == 0;
}

bool LexToken::isSymbol(const char *symbol) const
{
    return kind == Kind::Symbol && text == QLatin1String(symbol);
}

QString LexToken::identifier() const
{
    return kind == Kind::Word || kind == Kind::QuotedIdentifier ? text : QString();
}

QList<LexToken> SqlLexer::tokenize(const QString &text)
{
    return Lexer(text).run();
}

QString SqlLexer::normalize(const QList<LexToken> &tokens, qsizetype from, qsizetype to)
{
    QString out;
    for (qsizetype i = from; i < to && i < tokens.size(); ++i) {
        if (i > from && needsSpace(tokens.at(i - 1), tokens.at(i)))
            out += QLatin1Char(' ');
        out += tokenText(tokens.at(i));
    }
    return out;
}

QString SqlLexer::normalize(const QString &text)
{
    const QList<LexToken> tokens = tokenize(text);
    return normalize(tokens, 0, tokens.size());
}

QString SqlLexer::comparisonKey(const QString &text)
{
    QList<LexToken> tokens = tokenize(text);
    // Enclosing parentheses around the whole text say nothing: DEFAULT ('x') is DEFAULT 'x'.
    while (tokens.size() >= 2 && tokens.first().isSymbol("(") && tokens.last().isSymbol(")")) {
        int depth = 0;
        bool enclosing = true;
        for (qsizetype i = 0; i < tokens.size() - 1; ++i) {
            if (tokens.at(i).isSymbol("("))
                ++depth;
            else if (tokens.at(i).isSymbol(")") && --depth == 0) {
                enclosing = false;
                break;
            }
        }
        if (!enclosing)
            break;
        tokens = tokens.mid(1, tokens.size() - 2);
    }
    QString key;
    for (const LexToken &t : tokens) {
        key += QLatin1Char(' ');
        if (t.kind == LexToken::Kind::Word)
            key += t.text.toLower();
        else if (t.kind == LexToken::Kind::QuotedIdentifier)
            key += t.text == t.text.toLower() ? t.text : QLatin1Char('"') + t.text + QLatin1Char('"');
        else
            key += t.text;
    }
    return key;
}

QStringList SqlLexer::splitStatements(const QString &script)
{
    const QList<LexToken> tokens = tokenize(script);
    QStringList statements;
    qsizetype start = 0;
    bool trigger = false; // CREATE TRIGGER: its body's ';' do not end it
    int bodyDepth = 0;    // BEGIN ... END, CASE ... END inside a trigger body
    for (qsizetype i = 0; i < tokens.size(); ++i) {
        const LexToken &t = tokens.at(i);
        if (t.isWord("TRIGGER") && i > start && i <= start + 3 && tokens.at(start).isWord("CREATE"))
            trigger = true;
        if (trigger && (t.isWord("BEGIN") || (bodyDepth > 0 && t.isWord("CASE"))))
            ++bodyDepth;
        else if (trigger && bodyDepth > 0 && t.isWord("END"))
            --bodyDepth;
        if (t.isSymbol(";") && bodyDepth == 0) {
            if (i > start)
                statements << script.mid(tokens.at(start).begin, tokens.at(i - 1).end - tokens.at(start).begin);
            start = i + 1;
            trigger = false;
        }
    }
    if (start < tokens.size())
        statements << script.mid(tokens.at(start).begin, tokens.last().end - tokens.at(start).begin);
    return statements;
}

bool SqlLexer::mentions(const QString &text, const QString &identifier)
{
    for (const LexToken &t : tokenize(text)) {
        if ((t.kind == LexToken::Kind::Word || t.kind == LexToken::Kind::QuotedIdentifier)
            && t.text.compare(identifier, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

bool SqlLexer::isKeyword(const QString &word)
{
    return keywords().contains(word.toUpper());
}

QString SqlLexer::quoteIdentifier(const QString &name)
{
    bool plain = !name.isEmpty() && (name.at(0).isLower() || name.at(0) == QLatin1Char('_')) && !isKeyword(name);
    for (QChar c : name) {
        if (!(c.isLower() || c.isDigit() || c == QLatin1Char('_')) || c.unicode() > 127)
            plain = false;
    }
    if (plain)
        return name;
    QString quoted = name;
    quoted.replace(QLatin1Char('"'), QLatin1String("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

} // namespace dbdeck

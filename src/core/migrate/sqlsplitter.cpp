#include "migrate/sqlsplitter.h"

namespace dbdeck {

namespace {

bool isWordChar(QChar c)
{
    return c.isLetterOrNumber() || c == QLatin1Char('_');
}

class Splitter
{
public:
    Splitter(const QString &text, SqlSplitter::Dialect dialect) : m_text(text), m_dialect(dialect) {}

    QList<SqlStatement> run()
    {
        while (m_pos < m_text.size()) {
            const QChar c = m_text.at(m_pos);
            if (c == QLatin1Char('-') && peek(1) == QLatin1Char('-')) {
                skipLineComment();
            } else if (c == QLatin1Char('/') && peek(1) == QLatin1Char('*')) {
                skipBlockComment();
            } else if (c == QLatin1Char('\'') || c == QLatin1Char('"') || c == QLatin1Char('`')) {
                markStart();
                skipQuoted(c);
            } else if (c == QLatin1Char('[') && m_dialect == SqlSplitter::Dialect::Sqlite) {
                markStart();
                skipQuoted(QLatin1Char(']'));
            } else if (c == QLatin1Char('$') && m_dialect == SqlSplitter::Dialect::Postgres && tryDollarQuote()) {
                // consumed
            } else if (c == QLatin1Char(';')) {
                if (m_triggerBody)
                    ++m_pos;
                else
                    finishStatement(m_pos++);
            } else if (isWordChar(c)) {
                markStart();
                word();
            } else {
                if (!c.isSpace())
                    markStart();
                advance();
            }
        }
        finishStatement(m_text.size());
        return m_statements;
    }

private:
    QChar peek(qsizetype offset) const
    {
        const qsizetype at = m_pos + offset;
        return at < m_text.size() ? m_text.at(at) : QChar();
    }

    void advance()
    {
        if (m_text.at(m_pos) == QLatin1Char('\n'))
            ++m_line;
        ++m_pos;
    }

    void markStart()
    {
        if (m_start < 0) {
            m_start = m_pos;
            m_startLine = m_line;
        }
    }

    void skipLineComment()
    {
        while (m_pos < m_text.size() && m_text.at(m_pos) != QLatin1Char('\n'))
            ++m_pos;
    }

    void skipBlockComment()
    {
        m_pos += 2;
        while (m_pos < m_text.size() && !(m_text.at(m_pos) == QLatin1Char('*') && peek(1) == QLatin1Char('/')))
            advance();
        m_pos = std::min(m_pos + 2, m_text.size());
    }

    // From an opening quote to its closing one; a doubled closing quote is an escaped one.
    void skipQuoted(QChar close)
    {
        advance();
        while (m_pos < m_text.size()) {
            if (m_text.at(m_pos) == close) {
                if (close != QLatin1Char(']') && peek(1) == close) {
                    m_pos += 2;
                    continue;
                }
                ++m_pos;
                return;
            }
            advance();
        }
    }

    bool tryDollarQuote()
    {
        qsizetype end = m_pos + 1;
        while (end < m_text.size() && isWordChar(m_text.at(end)) && !m_text.at(end).isDigit())
            ++end;
        if (end >= m_text.size() || m_text.at(end) != QLatin1Char('$'))
            return false;
        const QString tag = m_text.mid(m_pos, end - m_pos + 1);
        markStart();
        while (m_pos <= end)
            advance();
        const qsizetype close = m_text.indexOf(tag, m_pos);
        const qsizetype stop = close < 0 ? m_text.size() : close + tag.size();
        while (m_pos < stop)
            advance();
        return true;
    }

    void word()
    {
        const qsizetype from = m_pos;
        while (m_pos < m_text.size() && isWordChar(m_text.at(m_pos)))
            ++m_pos;
        const QString w = m_text.mid(from, m_pos - from).toUpper();
        if (m_words.size() < 4)
            m_words.append(w);
        // CREATE [TEMP|TEMPORARY] TRIGGER ... BEGIN <body> END: ';' inside the body belongs to it.
        if (!m_inTrigger && m_words.size() <= 3 && w == QLatin1String("TRIGGER") && m_words.first() == QLatin1String("CREATE"))
            m_inTrigger = true;
        if (m_inTrigger && !m_triggerBody && w == QLatin1String("BEGIN")) {
            m_triggerBody = true;
            m_caseDepth = 0;
        } else if (m_triggerBody) {
            if (w == QLatin1String("CASE"))
                ++m_caseDepth;
            else if (w == QLatin1String("END")) {
                if (m_caseDepth > 0)
                    --m_caseDepth;
                else
                    m_triggerBody = false;
            }
        }
    }

    void finishStatement(qsizetype end)
    {
        if (m_start >= 0) {
            const QString sql = m_text.mid(m_start, end - m_start).trimmed();
            if (!sql.isEmpty())
                m_statements.append({sql, m_startLine});
        }
        m_start = -1;
        m_words.clear();
        m_inTrigger = false;
        m_triggerBody = false;
    }

    const QString &m_text;
    SqlSplitter::Dialect m_dialect;
    qsizetype m_pos = 0;
    int m_line = 1;
    qsizetype m_start = -1;
    int m_startLine = 1;
    QStringList m_words;
    bool m_inTrigger = false;
    bool m_triggerBody = false;
    int m_caseDepth = 0;
    QList<SqlStatement> m_statements;
};

} // namespace

QList<SqlStatement> SqlSplitter::split(const QString &script, Dialect dialect)
{
    return Splitter(script, dialect).run();
}

} // namespace dbdeck

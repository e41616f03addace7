#include "migrate/sqltokencursor.h"

namespace dbdeck {

SqlTokenCursor::SqlTokenCursor(const QList<SqlToken> &tokens, const QString &source, qsizetype sourceOffset,
                               TokenRange range)
    : m_tokens(tokens), m_source(source), m_sourceOffset(sourceOffset), m_range(range), m_pos(range.begin)
{}

const SqlToken &SqlTokenCursor::peek(qsizetype ahead) const
{
    static const SqlToken none;
    const qsizetype at = m_pos + ahead;
    return at >= m_range.begin && at < m_range.end ? m_tokens.at(at) : none;
}

SqlPosition SqlTokenCursor::position() const
{
    if (!atEnd())
        return current().position;
    return m_range.isEmpty() ? SqlPosition() : m_tokens.at(m_range.end - 1).position;
}

bool SqlTokenCursor::atAny(std::initializer_list<const char *> keywords) const
{
    for (const char *keyword : keywords) {
        if (at(keyword))
            return true;
    }
    return false;
}

bool SqlTokenCursor::accept(const char *keyword)
{
    if (!at(keyword))
        return false;
    next();
    return true;
}

bool SqlTokenCursor::acceptSequence(std::initializer_list<const char *> keywords)
{
    qsizetype ahead = 0;
    for (const char *keyword : keywords) {
        if (!peek(ahead++).isKeyword(keyword))
            return false;
    }
    m_pos += qsizetype(keywords.size());
    return true;
}

bool SqlTokenCursor::acceptPunctuation(QChar c)
{
    if (!atPunctuation(c))
        return false;
    next();
    return true;
}

QString SqlTokenCursor::readName(SqlPosition *position)
{
    if (atEnd() || !(current().isName() || current().kind == SqlToken::Kind::String))
        return {};
    if (position)
        *position = current().position;
    // SQLite accepts a 'string' where a name is expected; treat it as one.
    QString name = current().kind == SqlToken::Kind::String ? current().stringValue() : current().identifier();
    next();
    while (atPunctuation(QLatin1Char('.')) && peek(1).isName()) {
        next();
        name = current().identifier();
        next();
    }
    return name;
}

TokenRange SqlTokenCursor::readParenthesized()
{
    if (!atPunctuation(QLatin1Char('(')))
        return {m_pos, m_pos};
    const qsizetype open = m_pos;
    int depth = 0;
    for (; m_pos < m_range.end; ++m_pos) {
        const SqlToken &t = m_tokens.at(m_pos);
        if (t.isPunctuation(QLatin1Char('(')))
            ++depth;
        else if (t.isPunctuation(QLatin1Char(')')) && --depth == 0)
            break;
    }
    const TokenRange inside{open + 1, m_pos};
    next();
    return inside;
}

void SqlTokenCursor::skipToTopLevel(std::initializer_list<const char *> keywords, QChar stop)
{
    int depth = 0;
    for (; !atEnd(); next()) {
        const SqlToken &t = current();
        if (depth == 0) {
            if (!stop.isNull() && t.isPunctuation(stop))
                return;
            if (atAny(keywords))
                return;
        }
        if (t.isPunctuation(QLatin1Char('(')))
            ++depth;
        else if (t.isPunctuation(QLatin1Char(')')))
            --depth;
    }
}

QStringList SqlTokenCursor::readNameList(bool *allPlain)
{
    const TokenRange inside = readParenthesized();
    QStringList names;
    bool plain = !inside.isEmpty();
    for (const TokenRange &item : splitTopLevel(inside)) {
        const SqlToken &first = m_tokens.at(item.begin);
        // "col", "col ASC", "col COLLATE x", "col DESC NULLS LAST": a plain column.
        bool simple = first.isName();
        for (qsizetype i = item.begin + 1; simple && i < item.end; ++i) {
            const SqlToken &t = m_tokens.at(i);
            simple = t.isKeyword("ASC") || t.isKeyword("DESC") || t.isKeyword("NULLS") || t.isKeyword("FIRST")
                || t.isKeyword("LAST") || t.isKeyword("COLLATE") || (i > item.begin + 1 && m_tokens.at(i - 1).isKeyword("COLLATE"));
        }
        if (simple)
            names << first.identifier();
        else
            plain = false;
    }
    if (allPlain)
        *allPlain = plain;
    return names;
}

QList<TokenRange> SqlTokenCursor::splitTopLevel(TokenRange range) const
{
    QList<TokenRange> items;
    int depth = 0;
    qsizetype start = range.begin;
    for (qsizetype i = range.begin; i < range.end; ++i) {
        const SqlToken &t = m_tokens.at(i);
        if (t.isPunctuation(QLatin1Char('(')) || t.isPunctuation(QLatin1Char('[')))
            ++depth;
        else if (t.isPunctuation(QLatin1Char(')')) || t.isPunctuation(QLatin1Char(']')))
            --depth;
        else if (depth == 0 && t.isPunctuation(QLatin1Char(','))) {
            if (i > start)
                items.append({start, i});
            start = i + 1;
        }
    }
    if (range.end > start)
        items.append({start, range.end});
    return items;
}

QString SqlTokenCursor::textOf(TokenRange range) const
{
    if (range.isEmpty())
        return {};
    const qsizetype from = m_tokens.at(range.begin).offset - m_sourceOffset;
    const qsizetype to = m_tokens.at(range.end - 1).end() - m_sourceOffset;
    return m_source.mid(from, to - from);
}

QList<SqlToken> SqlTokenCursor::tokensOf(TokenRange range) const
{
    return m_tokens.mid(range.begin, range.size());
}

} // namespace dbdeck

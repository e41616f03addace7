#pragma once

#include "migrate/sqltoken.h"

#include <QList>
#include <QString>

#include <initializer_list>
#include <utility>

namespace dbdeck {

// A half-open range [begin, end) of token indexes.
struct TokenRange
{
    qsizetype begin = 0;
    qsizetype end = 0;
    bool isEmpty() const { return end <= begin; }
    qsizetype size() const { return end - begin; }
};

// Walks the tokens of one statement (comments already left out) for the statement analyzer:
// keywords, qualified names, parenthesized groups and top-level commas.
class SqlTokenCursor
{
public:
    // source is the text the tokens' offsets refer to, shifted by sourceOffset.
    SqlTokenCursor(const QList<SqlToken> &tokens, const QString &source, qsizetype sourceOffset,
                   TokenRange range);

    bool atEnd() const { return m_pos >= m_range.end; }
    qsizetype pos() const { return m_pos; }
    void setPos(qsizetype pos) { m_pos = pos; }
    TokenRange range() const { return m_range; }
    const QList<SqlToken> &tokens() const { return m_tokens; }

    // The current token (an empty Word at the end) and the one `ahead` after it.
    const SqlToken &current() const { return peek(0); }
    const SqlToken &peek(qsizetype ahead = 1) const;
    SqlPosition position() const;
    void next() { if (!atEnd()) ++m_pos; }

    bool at(const char *keyword) const { return current().isKeyword(keyword); }
    bool atAny(std::initializer_list<const char *> keywords) const;
    bool atPunctuation(QChar c) const { return !atEnd() && current().isPunctuation(c); }
    // Consumes the keyword (or the whole sequence) when it is next.
    bool accept(const char *keyword);
    bool acceptSequence(std::initializer_list<const char *> keywords);
    bool acceptPunctuation(QChar c);

    // A name, possibly schema-qualified (main.runs, "public"."runs"): the last part's identifier,
    // or empty when no name is next. *position is where the name starts.
    QString readName(SqlPosition *position = nullptr);
    // At '(': the range inside the parentheses, moving past the ')'. Empty when not at '('.
    TokenRange readParenthesized();
    // Moves to the next token at depth 0 that is one of the keywords or `stop` punctuation.
    void skipToTopLevel(std::initializer_list<const char *> keywords, QChar stop = QChar());
    // The names inside a parenthesized list "(a, b)"; empty when an item is not a plain name.
    QStringList readNameList(bool *allPlain = nullptr);

    // The range's items split at top-level commas.
    QList<TokenRange> splitTopLevel(TokenRange range) const;
    // The source text from the range's first token to the end of its last, as written.
    QString textOf(TokenRange range) const;
    QList<SqlToken> tokensOf(TokenRange range) const;
    // A cursor over a part of the same tokens.
    SqlTokenCursor sub(TokenRange range) const { return SqlTokenCursor(m_tokens, m_source, m_sourceOffset, range); }

private:
    const QList<SqlToken> &m_tokens;
    const QString &m_source;
    qsizetype m_sourceOffset;
    TokenRange m_range;
    qsizetype m_pos;
};

} // namespace dbdeck

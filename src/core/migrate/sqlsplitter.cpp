#include "migrate/sqlsplitter.h"

namespace dbdeck {

namespace {

bool isWordStart(QChar c)
{
    if (c.unicode() >= 0x80)
        return !c.isSpace(); // both dialects take any non-ASCII character into identifiers
    return c.isLetterOrNumber() || c == QLatin1Char('_');
}

bool isWordPart(QChar c)
{
    return isWordStart(c) || c == QLatin1Char('$'); // "a$b" is one identifier in both dialects
}

bool is(QStringView word, const char *keyword)
{
    return word.compare(QLatin1String(keyword), Qt::CaseInsensitive) == 0;
}

// sqlite3_complete()'s state machine (sqlite/src/complete.c), which the sqlite3 shell uses to
// decide where a statement ends: inside CREATE TRIGGER only "; END ;" ends it.
enum SqliteState { Invalid, Start, Normal, Explain, Create, Trigger, Semi, End };
enum SqliteToken { TkSemi, TkWhitespace, TkOther, TkExplain, TkCreate, TkTemp, TkTrigger, TkEnd };
constexpr SqliteState kSqliteTransitions[8][8] = {
    //            SEMI   WS       OTHER    EXPLAIN  CREATE   TEMP     TRIGGER  END
    /* Invalid */ {Start, Invalid, Normal, Explain, Create, Normal, Normal, Normal},
    /* Start   */ {Start, Start, Normal, Explain, Create, Normal, Normal, Normal},
    /* Normal  */ {Start, Normal, Normal, Normal, Normal, Normal, Normal, Normal},
    /* Explain */ {Start, Explain, Explain, Normal, Create, Normal, Normal, Normal},
    /* Create  */ {Start, Create, Normal, Normal, Normal, Create, Trigger, Normal},
    /* Trigger */ {Semi, Trigger, Trigger, Trigger, Trigger, Trigger, Trigger, Trigger},
    /* Semi    */ {Semi, Semi, Trigger, Trigger, Trigger, Trigger, Trigger, End},
    /* End     */ {Start, End, Trigger, Trigger, Trigger, Trigger, Trigger, Trigger},
};

SqliteToken sqliteKeyword(QStringView word)
{
    if (is(word, "EXPLAIN"))
        return TkExplain;
    if (is(word, "CREATE"))
        return TkCreate;
    if (is(word, "TEMP") || is(word, "TEMPORARY"))
        return TkTemp;
    if (is(word, "TRIGGER"))
        return TkTrigger;
    if (is(word, "END"))
        return TkEnd;
    return TkOther;
}

class Splitter
{
public:
    Splitter(const QString &text, SqlSplitter::Dialect dialect)
        : m_text(text), m_size(text.size()), m_postgres(dialect == SqlSplitter::Dialect::Postgres)
    {}

    QList<SqlStatement> run()
    {
        while (m_pos < m_size) {
            const QChar c = m_text.at(m_pos);
            const QChar next = m_pos + 1 < m_size ? m_text.at(m_pos + 1) : QChar();
            if (c == QLatin1Char('-') && next == QLatin1Char('-')) {
                skipLineComment();
            } else if (c == QLatin1Char('/') && next == QLatin1Char('*')) {
                skipBlockComment();
            } else if (c == QLatin1Char('\'') || c == QLatin1Char('"')) {
                otherToken();
                skipQuoted(c, false);
            } else if (!m_postgres && (c == QLatin1Char('`') || c == QLatin1Char('['))) {
                otherToken();
                skipQuoted(c == QLatin1Char('[') ? QLatin1Char(']') : c, false);
            } else if (c == QLatin1Char('$') && m_postgres && dollarQuote()) {
                // consumed
            } else if (c == QLatin1Char(';')) {
                semicolon();
            } else if (isWordStart(c)) {
                word();
            } else if (c.isSpace()) {
                ++m_pos;
            } else {
                otherToken();
                if (m_postgres && c == QLatin1Char('('))
                    ++m_parenDepth;
                else if (m_postgres && c == QLatin1Char(')') && m_parenDepth > 0)
                    --m_parenDepth;
                ++m_pos;
            }
        }
        finishStatement(m_size);
        return m_statements;
    }

private:
    // A token that is part of a statement: the statement starts at the first one.
    void markStart()
    {
        if (m_start >= 0)
            return;
        // Lines are counted only up to each statement's start, so the whole pass stays linear.
        for (; m_linesCountedTo < m_pos; ++m_linesCountedTo) {
            if (m_text.at(m_linesCountedTo) == QLatin1Char('\n'))
                ++m_line;
        }
        m_start = m_pos;
        m_startLine = m_line;
    }

    void otherToken()
    {
        markStart();
        if (!m_postgres)
            m_sqliteState = kSqliteTransitions[m_sqliteState][TkOther];
    }

    void skipLineComment()
    {
        while (m_pos < m_size && m_text.at(m_pos) != QLatin1Char('\n'))
            ++m_pos;
    }

    // SQLite's end at the first "*/"; PostgreSQL's nest ("/* a /* b */ still a */").
    void skipBlockComment()
    {
        int depth = 1;
        m_pos += 2;
        while (m_pos < m_size) {
            const QChar c = m_text.at(m_pos);
            const QChar next = m_pos + 1 < m_size ? m_text.at(m_pos + 1) : QChar();
            if (c == QLatin1Char('*') && next == QLatin1Char('/')) {
                m_pos += 2;
                if (--depth == 0)
                    return;
            } else if (m_postgres && c == QLatin1Char('/') && next == QLatin1Char('*')) {
                m_pos += 2;
                ++depth;
            } else {
                ++m_pos;
            }
        }
    }

    // From an opening quote to its closing one; a doubled closing quote is an escaped one, and
    // in PostgreSQL's E'...' strings so is a backslash-escaped one. Unterminated: to the end.
    void skipQuoted(QChar close, bool backslashEscapes)
    {
        ++m_pos;
        while (m_pos < m_size) {
            const QChar c = m_text.at(m_pos);
            if (backslashEscapes && c == QLatin1Char('\\')) {
                m_pos += 2;
                continue;
            }
            if (c == close) {
                if (close != QLatin1Char(']') && m_pos + 1 < m_size && m_text.at(m_pos + 1) == close) {
                    m_pos += 2;
                    continue;
                }
                ++m_pos;
                return;
            }
            ++m_pos;
        }
        m_pos = m_size;
    }

    // $$ ... $$ or $tag$ ... $tag$; a tag starts with a letter or _ and goes on with letters,
    // digits or _ ($fn1$). "$1" is a parameter, not a quote.
    bool dollarQuote()
    {
        qsizetype end = m_pos + 1;
        if (end < m_size && m_text.at(end) != QLatin1Char('$')) {
            if (m_text.at(end).isDigit() || !isWordStart(m_text.at(end)))
                return false;
            while (end < m_size && isWordStart(m_text.at(end)))
                ++end;
        }
        if (end >= m_size || m_text.at(end) != QLatin1Char('$'))
            return false;
        markStart();
        const QStringView tag = QStringView(m_text).mid(m_pos, end - m_pos + 1);
        const qsizetype close = QStringView(m_text).indexOf(tag, end + 1);
        m_pos = close < 0 ? m_size : close + tag.size();
        return true;
    }

    void word()
    {
        markStart();
        const qsizetype from = m_pos;
        while (m_pos < m_size && isWordPart(m_text.at(m_pos)))
            ++m_pos;
        const QStringView w = QStringView(m_text).mid(from, m_pos - from);
        if (m_leadingWords.size() < 4) {
            m_leadingWords.append(w.toString().toUpper());
            m_routine = m_postgres && isRoutineDefinition();
        }
        if (!m_postgres) {
            m_sqliteState = kSqliteTransitions[m_sqliteState][sqliteKeyword(w)];
            return;
        }
        if (w.size() == 1 && is(w, "E") && m_pos < m_size && m_text.at(m_pos) == QLatin1Char('\'')) {
            skipQuoted(QLatin1Char('\''), true); // E'it\'s'
            return;
        }
        // psql's heuristic for SQL-standard bodies: in CREATE [OR REPLACE] FUNCTION|PROCEDURE,
        // outside parentheses, BEGIN ... END nest (and CASE ... END inside them).
        if (m_routine && m_parenDepth == 0) {
            if (is(w, "BEGIN"))
                ++m_beginDepth;
            else if (is(w, "CASE") && m_beginDepth > 0)
                ++m_beginDepth;
            else if (is(w, "END") && m_beginDepth > 0)
                --m_beginDepth;
        }
    }

    bool isRoutineDefinition() const
    {
        const auto at = [&](int i) { return m_leadingWords.value(i); };
        const auto routine = [](const QString &w) { return w == QLatin1String("FUNCTION") || w == QLatin1String("PROCEDURE"); };
        return at(0) == QLatin1String("CREATE")
            && (routine(at(1)) || (at(1) == QLatin1String("OR") && at(2) == QLatin1String("REPLACE") && routine(at(3))));
    }

    void semicolon()
    {
        bool ends = true;
        if (m_postgres) {
            ends = m_parenDepth == 0 && m_beginDepth == 0;
        } else {
            m_sqliteState = kSqliteTransitions[m_sqliteState][TkSemi];
            ends = m_sqliteState == Start;
        }
        if (ends)
            finishStatement(m_pos);
        ++m_pos;
    }

    bool transactionControl() const
    {
        const QString first = m_leadingWords.value(0);
        const QString second = m_leadingWords.value(1);
        for (const char *keyword : {"BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE"}) {
            if (first == QLatin1String(keyword))
                return true;
        }
        return m_postgres
            && (first == QLatin1String("ABORT")
                || ((first == QLatin1String("START") || first == QLatin1String("PREPARE")) && second == QLatin1String("TRANSACTION")));
    }

    void finishStatement(qsizetype end)
    {
        if (m_start >= 0) {
            const QString sql = m_text.mid(m_start, end - m_start).trimmed();
            if (!sql.isEmpty())
                m_statements.append({sql, m_startLine, m_leadingWords, transactionControl()});
        }
        m_start = -1;
        m_leadingWords.clear();
        m_routine = false;
        m_sqliteState = Start;
        m_parenDepth = 0;
        m_beginDepth = 0;
    }

    const QString &m_text;
    const qsizetype m_size;
    const bool m_postgres;
    qsizetype m_pos = 0;
    qsizetype m_linesCountedTo = 0;
    int m_line = 1;
    qsizetype m_start = -1;
    int m_startLine = 1;
    QStringList m_leadingWords;
    bool m_routine = false;
    SqliteState m_sqliteState = Start;
    int m_parenDepth = 0;
    int m_beginDepth = 0;
    QList<SqlStatement> m_statements;
};

} // namespace

QList<SqlStatement> SqlSplitter::split(const QString &script, Dialect dialect)
{
    return Splitter(script, dialect).run();
}

} // namespace dbdeck

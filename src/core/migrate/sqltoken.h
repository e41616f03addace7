#pragma once

#include <QString>

namespace dbdeck {

// Where something stands in a migration file: 1-based line and column (in characters).
struct SqlPosition
{
    int line = 0;
    int column = 0;
    bool isValid() const { return line > 0; }
    friend bool operator==(const SqlPosition &a, const SqlPosition &b) { return a.line == b.line && a.column == b.column; }
    friend bool operator<(const SqlPosition &a, const SqlPosition &b)
    {
        return a.line != b.line ? a.line < b.line : a.column < b.column;
    }
};

// One lexical token of a SQL script, with its verbatim text and where it starts.
struct SqlToken
{
    enum class Kind {
        Word,             // keyword or unquoted identifier: CREATE, runs, created_at
        QuotedIdentifier, // "x" (both), `x` and [x] (SQLite)
        String,           // 'x', E'x', X'00', N'x'
        DollarString,     // $$ x $$, $tag$ x $tag$ (PostgreSQL)
        Number,           // 1, 1.5, 1e3, 0x1F
        Parameter,        // ?, ?1, :name, @name, $name (SQLite), $1 (PostgreSQL)
        Punctuation,      // ( ) , ; . [ ]
        Operator,         // = <> || :: -> and the other operators
        LineComment,      // -- to the end of the line
        BlockComment,     // /* */ (nested on PostgreSQL)
    };

    Kind kind = Kind::Word;
    QString text;       // verbatim, quotes included
    qsizetype offset = 0; // in the tokenized text
    SqlPosition position;
    bool unterminated = false; // a string, quoted identifier or comment that runs to the end

    bool isComment() const { return kind == Kind::LineComment || kind == Kind::BlockComment; }
    // An unquoted word equal to keyword, ignoring case ("create" is CREATE).
    bool isKeyword(const char *keyword) const
    {
        return kind == Kind::Word && text.compare(QLatin1String(keyword), Qt::CaseInsensitive) == 0;
    }
    bool isPunctuation(QChar c) const { return kind == Kind::Punctuation && text.size() == 1 && text.front() == c; }
    bool isName() const { return kind == Kind::Word || kind == Kind::QuotedIdentifier; }
    // An identifier's name as the database sees it: quotes removed, "" undoubled. Unquoted
    // words are folded to lower case (PostgreSQL folds them, SQLite ignores case).
    QString identifier() const;
    // A string literal's value (quotes removed, '' undoubled); empty for other kinds.
    QString stringValue() const;
    qsizetype end() const { return offset + text.size(); }
};

} // namespace dbdeck

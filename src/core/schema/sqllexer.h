#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace dbdeck {

// One token of a SQL text. Comments and white space are not tokens.
struct LexToken
{
    enum class Kind {
        Word,             // unquoted identifier or keyword: status, CHECK
        QuotedIdentifier, // "x", [x] or `x` (text is the identifier without quotes)
        String,           // 'text' (text keeps the quotes, '' doubled), also x'ab', E'..', $$..$$
        Number,
        Symbol,           // ( ) , ; . and operators such as <= || :: ->>
        Parameter,        // ? :name @name $1
    };
    Kind kind = Kind::Symbol;
    QString text;
    qsizetype begin = 0; // offsets into the lexed text
    qsizetype end = 0;

    bool isWord(const char *word) const;   // case-insensitive keyword test
    bool isSymbol(const char *symbol) const;
    // The identifier this token names (Word or QuotedIdentifier), else empty.
    QString identifier() const;
};

// A SQL tokenizer for both dialects (SQLite's [brackets] and `backticks`, PostgreSQL's dollar
// quoting and E'' strings). schema/ needs real tokens to read what SQLite's PRAGMAs do not tell
// (constraint names, CHECK and generated expressions, WITHOUT ROWID, index expressions), to
// compare expressions without caring about spacing or keyword case, and to split a declared
// schema into statements. Hand-written: neither Qt nor SQLite exports a tokenizer.
class SqlLexer
{
public:
    static QList<LexToken> tokenize(const QString &text);

    // The text with one canonical spacing and upper-case keywords: "length(message) <= 16384".
    static QString normalize(const QString &text);
    static QString normalize(const QList<LexToken> &tokens, qsizetype from, qsizetype to);
    // Two expressions that mean the same to the database compare equal: spacing, comments,
    // keyword case, "quoted" lower-case names and enclosing parentheses are not differences.
    static QString comparisonKey(const QString &text);
    static bool sameExpression(const QString &a, const QString &b) { return comparisonKey(a) == comparisonKey(b); }

    // The statements of a script (CREATE TRIGGER ... BEGIN ... END kept whole), without the ';'.
    static QStringList splitStatements(const QString &script);

    // Whether any token of the text names this identifier (case-insensitive): which views and
    // triggers mention a table or column.
    static bool mentions(const QString &text, const QString &identifier);

    static bool isKeyword(const QString &word);
    // "name" quoted only when it has to be (not a plain lower-case name, or a keyword).
    static QString quoteIdentifier(const QString &name);
};

} // namespace dbdeck

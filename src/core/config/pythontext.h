#pragma once

#include <QList>
#include <QPair>
#include <QString>

#include <optional>

namespace dbdeck {

// How the application's Python libraries read text, for the few readings dbdeck must match
// exactly: urllib.parse (SQLAlchemy's URLs), int()/float() (SQLAlchemy's driver options),
// os.path.abspath (pysqlite's file name) and pydantic v2's lax bool and int.
// Written by hand because Qt's readings differ in the details that matter here (QUrl decodes
// differently, QString::toInt accepts no underscores, QDir::cleanPath folds "//").
class PythonText
{
public:
    struct QueryItem
    {
        QString key;
        QString value;
        qsizetype keyStart = 0;   // where the raw key starts in the query text
        qsizetype valueStart = 0; // where the raw value starts in the query text
        qsizetype valueLength = 0;
        bool malformed = false; // a '%' in key or value not followed by two hex digits
    };

    // urllib.parse.unquote(text, errors="replace"). A '%' not followed by two hex digits is kept
    // as Python keeps it; *malformed (when given) is set when there was one.
    static QString unquote(const QString &text, bool *malformed = nullptr);
    // urllib.parse.parse_qsl(query): '&'-separated, '+' is a space, blank values dropped.
    static QList<QueryItem> parseQsl(const QString &query);
    // int(text) / float(text) of a str: surrounding whitespace, a sign, '_' between digits.
    static std::optional<qlonglong> toInt(const QString &text);
    static std::optional<double> toFloat(const QString &text);
    // SQLAlchemy's util.asbool on a str: true/yes/on/y/t/1, false/no/off/n/f/0, any case, trimmed.
    static std::optional<bool> asBool(const QString &text);
    // os.path.abspath on POSIX: joined to the working directory, normalized, symlinks kept.
    static QString absPath(const QString &path);

    // pydantic v2 (lax mode) reading a str as bool: exactly 1/0, on/off, t/f, true/false, y/n,
    // yes/no in any case; no surrounding whitespace.
    static std::optional<bool> pydanticBool(const QString &text);
    // pydantic v2 reading a str as int: trimmed, '_' between digits, an optional fraction of
    // zeros ("5000.0"). Returns the digits (without sign, leading zeros removed) and the sign
    // so that numbers beyond 64 bits are still reported exactly.
    struct BigInt
    {
        bool negative = false;
        QString digits; // "0" for zero
        std::optional<qlonglong> value() const;
    };
    static std::optional<BigInt> pydanticInt(const QString &text);
    // Python's str.strip() whitespace.
    static bool isSpace(QChar c);
    static QString strip(const QString &text);
};

} // namespace dbdeck

#pragma once

#include <QByteArray>
#include <QStringView>

namespace dbdeck {

// UTF-8 as Python's "utf-8" codec reads and writes it: no overlong forms, no encoded surrogates
// (U+D800..U+DFFF), nothing above U+10FFFF; noncharacters such as U+FFFE are ordinary text.
// Counting is in code points, which is what Python's len() counts.
// Hand-written: QString's converters replace what they cannot decode instead of saying where,
// and the ingest hot path works on bytes without a UTF-16 detour.
class Utf8
{
public:
    // The offset of the first byte that does not belong to valid UTF-8, or -1 when all of it is.
    static qsizetype firstInvalid(const char *data, qsizetype size);
    // "0xff cannot start a character", "0xe2 0x82 is cut short", ...: why firstInvalid stopped.
    static QString describeInvalid(const char *data, qsizetype size, qsizetype at);
    // Code points in valid UTF-8.
    static qsizetype codePoints(const char *data, qsizetype size);
    // Bytes taken by the first n code points of valid UTF-8 (all of it when it has fewer).
    static qsizetype prefixBytes(const char *data, qsizetype size, qsizetype n);
    static void appendCodePoint(QByteArray &out, char32_t cp);
    // Valid UTF-8 as a QString, exactly (QString::fromUtf8 drops a leading U+FEFF).
    static QString toUtf16(const char *data, qsizetype size);
    // UTF-16 to UTF-8, code point by code point (U+FFFE and U+FFFF kept as they are). Returns the
    // index of a lone surrogate, which UTF-8 cannot hold, or -1 when all was converted.
    static qsizetype appendUtf16(QByteArray &out, QStringView text);
};

} // namespace dbdeck

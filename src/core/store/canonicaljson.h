#pragma once

#include <QByteArray>

namespace dbdeck {

// The pieces of Python's
//   json.dumps(v, ensure_ascii=False, separators=(",", ":"), sort_keys=True, allow_nan=False)
// that JsonValue and JsonDocument share: strings escaped as Python escapes them (only '"', '\'
// and control characters; everything else, U+FFFE and U+FFFF included, stays as UTF-8) and
// floats as Python's repr() writes them.
class CanonicalJson
{
public:
    // Appends a quoted, escaped string; utf8 must be valid UTF-8.
    static void appendString(QByteArray &out, const char *utf8, qsizetype size);
    // Appends repr(d); throws JsonError for NaN and infinities (allow_nan=False).
    static void appendFloat(QByteArray &out, double d);
    // Python's repr() of a float into buffer (at least 32 bytes): "1e-05", "100.0", "1e+16",
    // "NaN", "Infinity". Returns the length.
    static int floatRepr(double d, char *buffer);
};

} // namespace dbdeck

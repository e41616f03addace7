#pragma once

#include <QString>

namespace dbdeck {

// Time-ordered UUIDs (version 7, RFC 9562): 48 bits of Unix milliseconds, then random bits, with
// a counter so ids made in the same millisecond in one process still ascend. Ordered keys keep
// B-tree inserts at the end of the index; random v4 keys scatter them and get far slower as
// tables grow. The text is an ordinary UUID, so PostgreSQL's uuid type accepts it.
class Uuid7
{
public:
    static QString generate();
    // Version 7 and the RFC variant, in canonical lower-case 8-4-4-4-12 form.
    static bool isValid(const QString &text);
};

} // namespace dbdeck

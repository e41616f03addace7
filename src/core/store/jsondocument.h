#pragma once

#include "store/jsonvalue.h"

#include <QByteArray>
#include <QByteArrayView>

#include <vector>

namespace dbdeck {

// One JSON text parsed the way Python's json.loads reads it, into a flat array of nodes instead
// of a tree: integers exact and apart from floats (up to Python's 4300-digit limit), floats
// correctly rounded (underflow gives 0.0, overflow infinity, which canonical output refuses),
// NaN/Infinity literals read, a repeated key keeping its last value. Beyond Python, it refuses
// invalid UTF-8 and lone surrogates (UTF-8 storage cannot hold them) and nesting deeper than
// maxDepth. Parsing is one pass without recursion, linear in the input.
//
// Made for the ingest hot path: one document is reused line after line (its buffers keep their
// capacity), strings without escapes point into the caller's bytes, and the canonical form of
// any node is written straight from the parse. The bytes given to parse() must stay alive and
// unchanged while the document is used. JsonValue::parse builds its tree from one of these.
class JsonDocument
{
public:
    enum class Kind : quint8 { Null, False, True, Integer, Float, String, Array, Object };
    using Node = quint32;
    static constexpr int maxDepth = 10000;
    static constexpr int maxIntegerDigits = 4300; // Python's default int_max_str_digits

    // Throws JsonError ("invalid JSON at character N: ...", "invalid UTF-8 at byte N: ...").
    void parse(const char *data, qsizetype size);
    void parse(const QByteArray &text) { parse(text.constData(), text.size()); }

    static constexpr Node root() { return 0; }
    Kind kind(Node n) const { return m_nodes[n].kind; }
    // The node after n and everything inside it.
    Node next(Node n) const { return m_nodes[n].next; }
    // Array: its items; object: its members as written (repeated keys counted each time).
    quint32 size(Node n) const { return m_nodes[n].length; }
    // String: the decoded UTF-8; Integer: its digits as written (with a leading '-').
    QByteArrayView text(Node n) const;
    double number(Node n) const { return m_numbers[m_nodes[n].offset]; }
    // The value of key in object n (the last one when the key is repeated), or 0 when absent (0
    // is the root, which is never a member's value).
    Node member(Node object, QByteArrayView key) const;
    // Members of object n: for (Node k = first member key; k != end; k = next(k + 1)) with value k + 1.
    Node end(Node container) const { return m_nodes[container].next; }

    // Canonical text, as JsonValue::canonical() writes it. Throws JsonError for NaN/Infinity.
    void writeCanonical(Node n, QByteArray &out) const;
    QByteArray canonical(Node n) const;
    JsonValue toValue(Node n) const;

private:
    struct Entry
    {
        quint32 next;
        quint32 length;
        quint32 offset;  // String/Integer: bytes in the input or m_strings; Float: index in m_numbers
        Kind kind;
        bool inInput;    // String/Integer: the bytes are the caller's (no escapes to decode)
    };

    [[noreturn]] void fail(const QString &what) const;
    Node push(Kind kind);
    void skipSpace();
    bool literal(const char *word, qsizetype n);
    void scalar();
    void string();
    void number();
    void key(Node object);
    bool hexQuad(qsizetype at, char16_t *unit) const;
    void sortedMembers(Node object, std::vector<quint32> &scratch, size_t base) const;

    const char *m_data = nullptr;
    qsizetype m_size = 0;
    qsizetype m_pos = 0;
    std::vector<Entry> m_nodes;
    std::vector<char> m_strings;
    std::vector<double> m_numbers;
    std::vector<Node> m_stack;
    mutable std::vector<quint32> m_scratch;
};

} // namespace dbdeck

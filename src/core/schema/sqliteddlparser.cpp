#include "schema/sqliteddlparser.h"

namespace dbdeck {

namespace {

using Tokens = QList<LexToken>;

// The index just past the group that opens at tokens[open] ("(").
qsizetype skipGroup(const Tokens &tokens, qsizetype open)
{
    int depth = 0;
    for (qsizetype i = open; i < tokens.size(); ++i) {
        if (tokens.at(i).isSymbol("("))
            ++depth;
        else if (tokens.at(i).isSymbol(")") && --depth == 0)
            return i + 1;
    }
    return tokens.size();
}

// Splits tokens[from, to) at top-level commas into [begin, end) ranges.
QList<QPair<qsizetype, qsizetype>> splitItems(const Tokens &tokens, qsizetype from, qsizetype to)
{
    QList<QPair<qsizetype, qsizetype>> items;
    qsizetype start = from;
    int depth = 0;
    for (qsizetype i = from; i < to; ++i) {
        const LexToken &t = tokens.at(i);
        if (t.isSymbol("("))
            ++depth;
        else if (t.isSymbol(")"))
            --depth;
        else if (t.isSymbol(",") && depth == 0) {
            items.append({start, i});
            start = i + 1;
        }
    }
    if (start < to)
        items.append({start, to});
    return items;
}

bool startsConstraint(const LexToken &t)
{
    return t.isWord("CONSTRAINT") || t.isWord("PRIMARY") || t.isWord("NOT") || t.isWord("NULL") || t.isWord("UNIQUE")
        || t.isWord("CHECK") || t.isWord("DEFAULT") || t.isWord("COLLATE") || t.isWord("REFERENCES")
        || t.isWord("GENERATED") || t.isWord("AS");
}

QStringList identifiersIn(const Tokens &tokens, qsizetype open)
{
    // "(a, b COLLATE x DESC)" -> a, b: the first identifier of each item.
    QStringList names;
    const qsizetype close = skipGroup(tokens, open) - 1;
    for (const auto &[b, e] : splitItems(tokens, open + 1, close)) {
        if (b < e)
            names << tokens.at(b).identifier();
    }
    return names;
}

// Reads "REFERENCES t (cols) ON DELETE ... DEFERRABLE ..." starting after REFERENCES; returns the
// deferrable clause and moves i past the clause.
QString readForeignKeyTail(const Tokens &tokens, qsizetype &i, qsizetype end)
{
    ++i; // table name
    if (i < end && tokens.at(i).isSymbol("("))
        i = skipGroup(tokens, i);
    QString deferrable;
    while (i < end) {
        const LexToken &t = tokens.at(i);
        if (t.isWord("ON")) {
            i += 2; // ON DELETE|UPDATE
            if (i < end && (tokens.at(i).isWord("SET") || tokens.at(i).isWord("NO")))
                ++i;
            ++i;
        } else if (t.isWord("MATCH")) {
            i += 2;
        } else if (t.isWord("NOT") && i + 1 < end && tokens.at(i + 1).isWord("DEFERRABLE")) {
            i += 2;
            if (i < end && tokens.at(i).isWord("INITIALLY"))
                i += 2;
        } else if (t.isWord("DEFERRABLE")) {
            ++i;
            QString when = QStringLiteral("DEFERRED");
            if (i < end && tokens.at(i).isWord("INITIALLY")) {
                when = tokens.at(i + 1).text.toUpper();
                i += 2;
            } else {
                when = QStringLiteral("IMMEDIATE"); // SQLite's default for a bare DEFERRABLE
            }
            deferrable = QStringLiteral("DEFERRABLE INITIALLY ") + when;
        } else {
            break;
        }
    }
    return deferrable;
}

void skipConflictClause(const Tokens &tokens, qsizetype &i, qsizetype end)
{
    if (i + 1 < end && tokens.at(i).isWord("ON") && tokens.at(i + 1).isWord("CONFLICT"))
        i += 3;
}

void parseColumn(const Tokens &tokens, qsizetype b, qsizetype e, ParsedSqliteTable &table)
{
    ParsedSqliteTable::Column column;
    column.name = tokens.at(b).identifier();
    qsizetype i = b + 1;
    const qsizetype typeStart = i;
    while (i < e && !startsConstraint(tokens.at(i))) {
        if (tokens.at(i).isSymbol("("))
            i = skipGroup(tokens, i);
        else
            ++i;
    }
    column.type = SqlLexer::normalize(tokens, typeStart, i).toUpper();
    QString name;
    while (i < e) {
        const LexToken &t = tokens.at(i);
        SchemaConstraint c;
        c.name = name;
        c.columns = QStringList{column.name};
        if (t.isWord("CONSTRAINT")) {
            name = tokens.value(i + 1).identifier();
            i += 2;
            continue;
        }
        if (t.isWord("PRIMARY")) {
            c.kind = ConstraintKind::PrimaryKey;
            i += 2;
            if (i < e && (tokens.at(i).isWord("ASC") || tokens.at(i).isWord("DESC")))
                ++i;
            skipConflictClause(tokens, i, e);
            if (i < e && tokens.at(i).isWord("AUTOINCREMENT")) {
                column.autoincrement = true;
                ++i;
            }
            table.constraints << c;
        } else if (t.isWord("UNIQUE")) {
            c.kind = ConstraintKind::Unique;
            ++i;
            skipConflictClause(tokens, i, e);
            table.constraints << c;
        } else if (t.isWord("CHECK")) {
            c.kind = ConstraintKind::Check;
            c.columns.clear();
            const qsizetype close = skipGroup(tokens, i + 1);
            c.expression = SqlLexer::normalize(tokens, i + 2, close - 1);
            i = close;
            table.constraints << c;
        } else if (t.isWord("REFERENCES")) {
            c.kind = ConstraintKind::ForeignKey;
            c.refTable = tokens.value(i + 1).identifier();
            ++i;
            c.deferrable = readForeignKeyTail(tokens, i, e);
            table.constraints << c;
        } else if (t.isWord("COLLATE")) {
            column.collation = tokens.value(i + 1).identifier().toUpper();
            i += 2;
        } else if (t.isWord("GENERATED") || t.isWord("AS")) {
            while (i < e && !tokens.at(i).isSymbol("("))
                ++i;
            const qsizetype close = skipGroup(tokens, i);
            column.generated = SqlLexer::normalize(tokens, i + 1, close - 1);
            i = close;
            if (i < e && (tokens.at(i).isWord("STORED") || tokens.at(i).isWord("VIRTUAL")))
                ++i;
        } else if (t.isWord("DEFAULT")) {
            ++i;
            if (i < e && (tokens.at(i).isSymbol("-") || tokens.at(i).isSymbol("+")))
                ++i;
            if (i < e && tokens.at(i).isSymbol("("))
                i = skipGroup(tokens, i);
            else
                ++i;
        } else if (t.isWord("NOT") || t.isWord("NULL")) {
            i += t.isWord("NOT") ? 2 : 1;
            skipConflictClause(tokens, i, e);
        } else {
            ++i;
        }
        name.clear();
    }
    table.columns << column;
}

void parseTableConstraint(const Tokens &tokens, qsizetype b, qsizetype e, ParsedSqliteTable &table)
{
    SchemaConstraint c;
    qsizetype i = b;
    if (tokens.at(i).isWord("CONSTRAINT")) {
        c.name = tokens.value(i + 1).identifier();
        i += 2;
    }
    if (i >= e)
        return;
    const LexToken &t = tokens.at(i);
    if (t.isWord("PRIMARY") || t.isWord("UNIQUE")) {
        c.kind = t.isWord("PRIMARY") ? ConstraintKind::PrimaryKey : ConstraintKind::Unique;
        while (i < e && !tokens.at(i).isSymbol("("))
            ++i;
        c.columns = identifiersIn(tokens, i);
    } else if (t.isWord("CHECK")) {
        c.kind = ConstraintKind::Check;
        const qsizetype close = skipGroup(tokens, i + 1);
        c.expression = SqlLexer::normalize(tokens, i + 2, close - 1);
    } else if (t.isWord("FOREIGN")) {
        c.kind = ConstraintKind::ForeignKey;
        i += 2;
        c.columns = identifiersIn(tokens, i);
        i = skipGroup(tokens, i);
        if (i < e && tokens.at(i).isWord("REFERENCES")) {
            c.refTable = tokens.value(i + 1).identifier();
            ++i;
            c.deferrable = readForeignKeyTail(tokens, i, e);
        }
    } else {
        return;
    }
    table.constraints << c;
}

} // namespace

ParsedSqliteTable SqliteDdlParser::parseTable(const QString &createSql)
{
    ParsedSqliteTable table;
    const Tokens tokens = SqlLexer::tokenize(createSql);
    qsizetype open = 0;
    while (open < tokens.size() && !tokens.at(open).isSymbol("("))
        ++open;
    if (open >= tokens.size())
        return table; // CREATE TABLE ... AS SELECT: columns come from the PRAGMAs alone
    const qsizetype close = skipGroup(tokens, open);
    for (const auto &[b, e] : splitItems(tokens, open + 1, close - 1)) {
        if (b >= e)
            continue;
        const LexToken &first = tokens.at(b);
        const bool constraint = first.kind == LexToken::Kind::Word
            && (first.isWord("CONSTRAINT") || first.isWord("PRIMARY") || first.isWord("UNIQUE") || first.isWord("CHECK")
                || first.isWord("FOREIGN"));
        if (constraint)
            parseTableConstraint(tokens, b, e, table);
        else
            parseColumn(tokens, b, e, table);
    }
    for (qsizetype i = close; i < tokens.size(); ++i) {
        if (tokens.at(i).isWord("ROWID"))
            table.withoutRowid = true;
        else if (tokens.at(i).isWord("STRICT"))
            table.strict = true;
    }
    return table;
}

ParsedSqliteIndex SqliteDdlParser::parseIndex(const QString &createSql)
{
    ParsedSqliteIndex index;
    const Tokens tokens = SqlLexer::tokenize(createSql);
    qsizetype open = 0;
    while (open < tokens.size() && !tokens.at(open).isSymbol("("))
        ++open;
    if (open >= tokens.size())
        return index;
    const qsizetype close = skipGroup(tokens, open);
    for (const auto &[b, e0] : splitItems(tokens, open + 1, close - 1)) {
        SchemaIndexKey key;
        qsizetype e = e0;
        if (e > b && (tokens.at(e - 1).isWord("ASC") || tokens.at(e - 1).isWord("DESC"))) {
            key.descending = tokens.at(e - 1).isWord("DESC");
            --e;
        }
        if (e - 2 > b && tokens.at(e - 2).isWord("COLLATE")) {
            key.collation = tokens.at(e - 1).identifier().toUpper();
            e -= 2;
        }
        if (e - b == 1 && tokens.at(b).kind != LexToken::Kind::String && tokens.at(b).kind != LexToken::Kind::Number)
            key.column = tokens.at(b).identifier();
        else
            key.expression = SqlLexer::normalize(tokens, b, e);
        index.keys << key;
    }
    if (close < tokens.size() && tokens.at(close).isWord("WHERE"))
        index.where = SqlLexer::normalize(tokens, close + 1, tokens.size());
    return index;
}

} // namespace dbdeck

#include "migrate/tabledefinitionparser.h"

namespace dbdeck {

namespace {

// Words that end a column's type and start one of its constraints.
const std::initializer_list<const char *> columnConstraintWords{
    "CONSTRAINT", "PRIMARY", "NOT", "NULL", "UNIQUE", "CHECK", "DEFAULT", "COLLATE", "REFERENCES", "GENERATED", "AS",
    "AUTOINCREMENT"};

void skipConflictClause(SqlTokenCursor &c)
{
    if (c.acceptSequence({"ON", "CONFLICT"}))
        c.next(); // ROLLBACK | ABORT | FAIL | IGNORE | REPLACE
}

// PostgreSQL 15: UNIQUE NULLS [NOT] DISTINCT.
void skipNullsDistinct(SqlTokenCursor &c)
{
    if (!c.acceptSequence({"NULLS", "NOT", "DISTINCT"}))
        c.acceptSequence({"NULLS", "DISTINCT"});
}

// What follows REFERENCES: table [(columns)] and its actions, deferrability and NOT VALID.
void readReferences(SqlTokenCursor &c, ConstraintDefinition *fk)
{
    fk->referencedTable = c.readName();
    if (c.atPunctuation(QLatin1Char('(')))
        fk->referencedColumns = c.readNameList();
    while (!c.atEnd()) {
        if (c.accept("ON")) {
            c.next(); // DELETE | UPDATE
            if (c.accept("SET") || c.accept("NO"))
                c.next(); // NULL | DEFAULT | ACTION
            else
                c.next(); // CASCADE | RESTRICT
            if (c.atPunctuation(QLatin1Char('('))) // PostgreSQL 15: SET NULL (col)
                c.readParenthesized();
        } else if (c.accept("MATCH") || c.accept("INITIALLY")) {
            c.next();
        } else if (c.accept("DEFERRABLE")) {
        } else if (c.acceptSequence({"NOT", "DEFERRABLE"})) {
        } else if (c.acceptSequence({"NOT", "VALID"})) {
            fk->notValid = true;
        } else {
            return;
        }
    }
}

} // namespace

bool TableDefinitionParser::startsTableConstraint(const SqlToken &t)
{
    return t.isKeyword("CONSTRAINT") || t.isKeyword("PRIMARY") || t.isKeyword("UNIQUE") || t.isKeyword("CHECK")
        || t.isKeyword("FOREIGN") || t.isKeyword("EXCLUDE");
}

void TableDefinitionParser::parseDefinitions(const SqlTokenCursor &cursor, TokenRange inside,
                                             QList<ColumnDefinition> *columns, QList<ConstraintDefinition> *constraints)
{
    for (const TokenRange &item : cursor.splitTopLevel(inside)) {
        const SqlToken &first = cursor.tokens().at(item.begin);
        if (first.isKeyword("LIKE")) // PostgreSQL: LIKE other_table
            continue;
        if (startsTableConstraint(first))
            constraints->append(parseTableConstraint(cursor, item));
        else
            columns->append(parseColumn(cursor, item));
    }
}

void TableDefinitionParser::readType(SqlTokenCursor &c, QString *type, QString *typeName, QStringList *arguments,
                                     SqlPosition *position, std::initializer_list<const char *> stopWords)
{
    const qsizetype begin = c.pos();
    *position = c.position();
    QStringList words;
    while (!c.atEnd() && !c.atAny(stopWords)) {
        if (c.atPunctuation(QLatin1Char('('))) {
            const TokenRange inside = c.readParenthesized();
            for (const TokenRange &argument : c.splitTopLevel(inside))
                arguments->append(c.textOf(argument));
        } else if (c.atPunctuation(QLatin1Char('['))) {
            while (!c.atEnd() && !c.atPunctuation(QLatin1Char(']')))
                c.next();
            c.next();
            if (!words.isEmpty())
                words.last() += QStringLiteral("[]");
        } else if (c.current().kind == SqlToken::Kind::Word || c.current().kind == SqlToken::Kind::QuotedIdentifier) {
            words << c.current().identifier().toUpper();
            c.next();
        } else {
            break;
        }
    }
    *typeName = words.join(QLatin1Char(' '));
    *type = c.textOf({begin, c.pos()}).simplified();
    if (c.pos() == begin)
        *position = SqlPosition();
}

ColumnDefinition TableDefinitionParser::parseColumn(const SqlTokenCursor &cursor, TokenRange item)
{
    SqlTokenCursor c = cursor.sub(item);
    ColumnDefinition column;
    column.name = c.readName(&column.position);
    readType(c, &column.type, &column.typeName, &column.typeArguments, &column.typePosition, columnConstraintWords);

    QString pendingName;
    SqlPosition pendingPosition;
    auto addConstraint = [&](ConstraintDefinition::Kind kind, SqlPosition at) -> ConstraintDefinition & {
        ConstraintDefinition constraint;
        constraint.kind = kind;
        constraint.columnLevel = true;
        constraint.columns = {column.name};
        constraint.name = pendingName;
        constraint.position = pendingName.isEmpty() ? at : pendingPosition;
        pendingName.clear();
        column.constraints.append(constraint);
        return column.constraints.last();
    };
    while (!c.atEnd()) {
        const SqlPosition at = c.position();
        if (c.accept("CONSTRAINT")) {
            pendingPosition = at;
            pendingName = c.readName();
        } else if (c.accept("PRIMARY")) {
            c.accept("KEY");
            if (!c.accept("ASC"))
                c.accept("DESC");
            skipConflictClause(c);
            column.primaryKey = true;
            column.notNull = true;
            addConstraint(ConstraintDefinition::Kind::PrimaryKey, at);
            if (c.accept("AUTOINCREMENT"))
                column.autoincrement = true;
        } else if (c.acceptSequence({"NOT", "NULL"})) {
            column.notNull = true;
            skipConflictClause(c);
        } else if (c.accept("UNIQUE")) {
            skipNullsDistinct(c);
            skipConflictClause(c);
            addConstraint(ConstraintDefinition::Kind::Unique, at);
        } else if (c.accept("CHECK")) {
            ConstraintDefinition &check = addConstraint(ConstraintDefinition::Kind::Check, at);
            check.expression = c.textOf(c.readParenthesized());
            c.acceptSequence({"NO", "INHERIT"});
        } else if (c.accept("DEFAULT")) {
            column.hasDefault = true;
            column.defaultPosition = c.position();
            const qsizetype begin = c.pos();
            if (c.atPunctuation(QLatin1Char('('))) {
                c.readParenthesized();
            } else {
                c.next();
                c.skipToTopLevel(columnConstraintWords);
            }
            column.defaultTokens = c.tokensOf({begin, c.pos()});
        } else if (c.accept("COLLATE")) {
            c.readName();
        } else if (c.accept("REFERENCES")) {
            ConstraintDefinition &fk = addConstraint(ConstraintDefinition::Kind::ForeignKey, at);
            readReferences(c, &fk);
        } else if (c.accept("GENERATED")) {
            if (!c.accept("ALWAYS"))
                c.acceptSequence({"BY", "DEFAULT"});
            c.accept("AS");
            if (c.accept("IDENTITY")) {
                column.identity = true;
                c.readParenthesized();
            } else {
                column.generated = true;
                c.readParenthesized();
                column.stored = c.accept("STORED");
                c.accept("VIRTUAL");
            }
        } else if (c.accept("AS")) { // SQLite: AS (expr) [STORED | VIRTUAL]
            column.generated = true;
            c.readParenthesized();
            column.stored = c.accept("STORED");
            c.accept("VIRTUAL");
        } else if (c.accept("AUTOINCREMENT")) {
            column.autoincrement = true;
        } else {
            c.next(); // NULL, DEFERRABLE and what else this view does not need
        }
    }
    return column;
}

ConstraintDefinition TableDefinitionParser::parseTableConstraint(const SqlTokenCursor &cursor, TokenRange item)
{
    SqlTokenCursor c = cursor.sub(item);
    ConstraintDefinition constraint;
    constraint.position = c.position();
    if (c.accept("CONSTRAINT"))
        constraint.name = c.readName();
    const bool primary = c.acceptSequence({"PRIMARY", "KEY"});
    if (primary || c.accept("UNIQUE")) {
        constraint.kind = primary ? ConstraintDefinition::Kind::PrimaryKey : ConstraintDefinition::Kind::Unique;
        skipNullsDistinct(c);
        if (c.acceptSequence({"USING", "INDEX"}))
            constraint.usingIndex = c.readName();
        else
            constraint.columns = c.readNameList();
        skipConflictClause(c);
    } else if (c.accept("CHECK")) {
        constraint.kind = ConstraintDefinition::Kind::Check;
        constraint.expression = c.textOf(c.readParenthesized());
        c.acceptSequence({"NO", "INHERIT"});
    } else if (c.acceptSequence({"FOREIGN", "KEY"})) {
        constraint.kind = ConstraintDefinition::Kind::ForeignKey;
        constraint.columns = c.readNameList();
        c.accept("REFERENCES");
        readReferences(c, &constraint);
    } else if (c.accept("EXCLUDE")) {
        constraint.kind = ConstraintDefinition::Kind::Exclude;
    }
    while (!c.atEnd()) {
        if (c.acceptSequence({"NOT", "VALID"}))
            constraint.notValid = true;
        else
            c.next();
    }
    return constraint;
}

} // namespace dbdeck

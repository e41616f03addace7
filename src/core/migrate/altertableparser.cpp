#include "migrate/altertableparser.h"

#include "migrate/tabledefinitionparser.h"

namespace dbdeck {

QList<AlterAction> AlterTableParser::parseActions(const SqlTokenCursor &cursor, TokenRange actions)
{
    QList<AlterAction> result;
    for (const TokenRange &item : cursor.splitTopLevel(actions)) {
        SqlTokenCursor c = cursor.sub(item);
        result.append(parseAction(c));
    }
    return result;
}

AlterAction AlterTableParser::parseAction(SqlTokenCursor &c)
{
    AlterAction action;
    action.position = c.position();
    const TokenRange range = c.range();
    if (c.accept("ADD")) {
        if (TableDefinitionParser::startsTableConstraint(c.current())) {
            action.kind = AlterAction::Kind::AddConstraint;
            action.constraint = TableDefinitionParser::parseTableConstraint(c, {c.pos(), range.end});
        } else {
            action.kind = AlterAction::Kind::AddColumn;
            c.accept("COLUMN");
            c.acceptSequence({"IF", "NOT", "EXISTS"});
            action.columnDefinition = TableDefinitionParser::parseColumn(c, {c.pos(), range.end});
            action.column = action.columnDefinition.name;
        }
    } else if (c.accept("DROP")) {
        if (c.accept("CONSTRAINT")) {
            action.kind = AlterAction::Kind::DropConstraint;
            c.acceptSequence({"IF", "EXISTS"});
            action.objectName = c.readName();
        } else {
            action.kind = AlterAction::Kind::DropColumn;
            c.accept("COLUMN");
            c.acceptSequence({"IF", "EXISTS"});
            action.column = c.readName();
        }
    } else if (c.accept("ALTER")) {
        c.accept("COLUMN");
        action.column = c.readName();
        parseAlterColumn(c, &action);
    } else if (c.accept("VALIDATE")) {
        action.kind = AlterAction::Kind::ValidateConstraint;
        c.accept("CONSTRAINT");
        action.objectName = c.readName();
    } else if (c.accept("RENAME")) {
        if (c.accept("TO")) {
            action.kind = AlterAction::Kind::RenameTable;
            action.newName = c.readName();
        } else if (c.accept("CONSTRAINT")) {
            action.kind = AlterAction::Kind::RenameConstraint;
            action.objectName = c.readName();
            c.accept("TO");
            action.newName = c.readName();
        } else {
            action.kind = AlterAction::Kind::RenameColumn;
            c.accept("COLUMN");
            action.column = c.readName();
            c.accept("TO");
            action.newName = c.readName();
        }
    }
    return action;
}

void AlterTableParser::parseAlterColumn(SqlTokenCursor &c, AlterAction *action)
{
    if (c.acceptSequence({"SET", "DATA", "TYPE"}) || c.accept("TYPE")) {
        action->kind = AlterAction::Kind::AlterColumnType;
        SqlPosition typePosition;
        TableDefinitionParser::readType(c, &action->newType, &action->newTypeName, &action->newTypeArguments,
                                        &typePosition, {"COLLATE", "USING"});
        if (c.accept("COLLATE"))
            c.readName();
        if (c.accept("USING"))
            action->usingExpression = c.textOf({c.pos(), c.range().end});
    } else if (c.acceptSequence({"SET", "NOT", "NULL"})) {
        action->kind = AlterAction::Kind::SetNotNull;
    } else if (c.acceptSequence({"DROP", "NOT", "NULL"})) {
        action->kind = AlterAction::Kind::DropNotNull;
    } else if (c.acceptSequence({"SET", "DEFAULT"})) {
        action->kind = AlterAction::Kind::SetDefault;
        action->defaultTokens = c.tokensOf({c.pos(), c.range().end});
    } else if (c.acceptSequence({"DROP", "DEFAULT"})) {
        action->kind = AlterAction::Kind::DropDefault;
    }
}

} // namespace dbdeck

#pragma once

#include "migrate/sqltoken.h"

#include <QList>
#include <QString>

namespace dbdeck {

// A function call in an expression: its name (lower case), where it is and how many arguments.
struct SqlFunctionCall
{
    QString name;
    SqlPosition position;
    int arguments = 0;
};

// Small questions the lint rules ask about an expression's tokens (a DEFAULT, a CHECK, a whole
// statement).
class SqlExpression
{
public:
    // The tokens as one line of text, for messages: "nextval ( 'seq' )" -> "nextval('seq')".
    static QString text(const QList<SqlToken> &tokens);
    // A literal: 'x', 1, -1.5, NULL, TRUE, FALSE, X'00', maybe in parentheses, maybe with a
    // PostgreSQL cast ('{}'::jsonb). SQLite accepts only these as an added column's default.
    static bool isConstant(const QList<SqlToken> &tokens);
    // Every name(...) call; a name right after '.' (schema.func) counts by its last part.
    static QList<SqlFunctionCall> functionCalls(const QList<SqlToken> &tokens);
    // PostgreSQL: the first call that may be volatile (nextval, random, gen_random_uuid, a
    // function not known to be stable), or empty. *known is true when it is known to be volatile.
    static QString volatileCall(const QList<SqlToken> &tokens, bool *known = nullptr);
};

} // namespace dbdeck

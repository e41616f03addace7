#pragma once

#include "migrate/sqltoken.h"
#include "migrate/statementanalysis.h"

#include <QList>
#include <QString>

namespace dbdeck {

// Builds the StatementAnalysis of one statement from its tokens.
class StatementAnalyzer
{
public:
    // tokens: the statement's tokens without comments; sql: the statement's text, whose first
    // character is at offset sqlOffset of the text the tokens were cut from.
    static StatementAnalysis analyze(const QList<SqlToken> &tokens, const QString &sql, qsizetype sqlOffset);
};

} // namespace dbdeck

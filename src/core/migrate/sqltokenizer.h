#pragma once

#include "migrate/sqlsplitter.h"
#include "migrate/sqltoken.h"

#include <QList>
#include <QString>

namespace dbdeck {

// Cuts SQL text into tokens with their line and column, for the migration linter.
// SQLite: 'strings' with '', "identifiers", `backticks`, [brackets], X'blobs', -- and /* */
// comments (not nested), ?, ?1, :name, @name and $name parameters.
// PostgreSQL: the same strings and identifiers, E'\'' escape strings, $$ and $tag$ dollar
// quotes, nested /* /* */ */ comments, $1 parameters, :: casts; [ ] are subscripts.
// Hand-written: neither Qt nor SQLite exposes a tokenizer (sqlite3's is internal), and the linter
// needs positions, comments and both dialects.
class SqlTokenizer
{
public:
    // Line numbers start at firstLine (a migration section's text starts on line 1 already, as
    // MigrationFile pads it to keep file line numbers).
    static QList<SqlToken> tokenize(const QString &text, SqlSplitter::Dialect dialect, int firstLine = 1);
};

} // namespace dbdeck

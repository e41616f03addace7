#pragma once

#include <QList>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <optional>

namespace dbdeck {

// One NAME[=VALUE] statement read from a .env file.
struct DotEnvEntry
{
    QString key;                  // as written (quotes removed)
    std::optional<QString> value; // unquoted, escapes resolved; nullopt for a NAME without '='
    int line = 0;                 // 1-based line of the name
};

struct DotEnvFile
{
    QList<DotEnvEntry> entries;
    // Statements python-dotenv cannot parse: it skips them with a warning, and so does dbdeck.
    QStringList warnings;
};

// Reads .env files exactly as python-dotenv 1.x does (its parser's grammar, ported statement
// by statement; tests/data/pydantic_settings.jsonl is the reference): blank lines and # comments,
// optional "export ", names up to '=', '#' or white space ('quoted' names too), 'single' quotes
// (only \' and \\ are escapes), "double" quotes (\n \t \" \\ \' \a \b \f \r \v), both may span
// lines; unquoted values end at white space followed by '#'. A statement that does not parse is
// skipped. Then interpolate() expands ${NAME} and ${NAME:-default}, as dotenv_values() does.
class DotEnv
{
public:
    // Throws ConfigError naming the file when it cannot be read, is not UTF-8 (python-dotenv
    // stops there with UnicodeDecodeError) or is not a file (a folder, a dangling symlink).
    static DotEnvFile readFile(const QString &path);
    static DotEnvFile parse(const QString &text, const QString &fileNameForMessages);
    // python-dotenv's resolve_variables(override=True): ${NAME} takes NAME from the statements
    // above it, else the environment, else the default after ":-" (else empty). Every value is
    // expanded, whatever its quotes.
    static QList<DotEnvEntry> interpolate(const QList<DotEnvEntry> &entries, const QProcessEnvironment &environment);
};

} // namespace dbdeck

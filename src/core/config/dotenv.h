#pragma once

#include <QList>
#include <QString>

namespace dbdeck {

// One KEY=VALUE assignment read from a .env file.
struct DotEnvEntry
{
    QString key;   // as written in the file
    QString value; // unquoted, escapes resolved
    int line = 0;  // 1-based
};

// Reads .env files the way python-dotenv does for the common cases: blank lines and # comments,
// optional "export ", single quotes (literal), double quotes (\n, \t, \", \\ escapes), unquoted
// values with trailing " # comment". Variable expansion (${VAR}) is not performed.
class DotEnv
{
public:
    // Throws ConfigError naming the file (and line) when it cannot be read or a line is malformed.
    static QList<DotEnvEntry> readFile(const QString &path);
    static QList<DotEnvEntry> parse(const QString &text, const QString &fileNameForErrors);
};

} // namespace dbdeck

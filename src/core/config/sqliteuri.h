#pragma once

#include <QString>

#include <optional>

namespace dbdeck {

// A SQLite URI filename ("file:data/app.db?mode=ro"), read as SQLite itself reads it when a
// connection is opened with SQLITE_OPEN_URI (https://sqlite.org/uri.html): the path is
// %-decoded, the authority must be empty or "localhost", and the parameters decide the mode.
// Used to know which file a URI-mode URL names (to show it, and to check it exists) and
// whether it opens read-only; SQLite does the opening.
class SqliteUri
{
public:
    // A name that does not start with "file:" is an ordinary file name, also in URI mode.
    static bool isUri(const QString &name);
    // nullopt with *error for what SQLite would refuse (a remote authority, an unknown mode).
    static std::optional<SqliteUri> parse(const QString &name, QString *error);

    QString path() const { return m_path; } // decoded, as written (may be relative or ":memory:")
    bool isMemory() const { return m_path == QLatin1String(":memory:") || m_mode == QLatin1String("memory"); }
    QString mode() const { return m_mode; } // "ro", "rw", "rwc", "memory" or empty
    bool immutable() const { return m_immutable; }
    // mode=ro or immutable=1: SQLite opens the file read-only whatever the flags say.
    bool readOnly() const { return m_mode == QLatin1String("ro") || m_immutable; }

private:
    QString m_path;
    QString m_mode;
    bool m_immutable = false;
};

} // namespace dbdeck

#pragma once

#include <QHash>
#include <QSet>
#include <QString>
#include <QStringList>

namespace dbdeck {

class DbConfig;

// What the linter is told to keep quiet about.
// Per project: the LINT_IGNORE setting, comma-separated entries "rule-id" (everywhere),
// "NNNN:rule-id" (in migration NNNN only) and "NNNN:*" (every rule in migration NNNN) — the way
// to quiet a merged migration, which must not be edited.
// Per statement: a comment "-- dbdeck:ignore rule-id[, rule-id...] [reason]" inside the statement,
// on the lines just before it, or after it on its last line.
class LintSuppressions
{
public:
    // Throws ConfigError naming the setting, where it came from, the bad entry and what is allowed.
    static LintSuppressions fromSetting(const QString &value, const QString &origin);
    static LintSuppressions fromConfig(const DbConfig &config);

    bool suppresses(const QString &rule, qint64 version) const;
    bool isEmpty() const { return m_everywhere.isEmpty() && m_byVersion.isEmpty(); }

    struct CommentIgnore
    {
        bool present = false; // the comment has a dbdeck:ignore marker
        QStringList rules;    // the ids it names, lower case, in order
    };
    static CommentIgnore parseComment(const QString &commentText);

private:
    QSet<QString> m_everywhere;
    QHash<qint64, QSet<QString>> m_byVersion; // "*": every rule
};

} // namespace dbdeck

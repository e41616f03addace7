#include "migrate/lintsuppressions.h"

#include "config/dbconfig.h"
#include "db/errors.h"
#include "migrate/lintrule.h"

#include <QRegularExpression>

namespace dbdeck {

namespace {

const QLatin1String settingName("LINT_IGNORE");

bool isRuleChar(QChar c)
{
    return c.isLetterOrNumber() || c == QLatin1Char('-') || c == QLatin1Char('_');
}

} // namespace

LintSuppressions LintSuppressions::fromSetting(const QString &value, const QString &origin)
{
    LintSuppressions result;
    static const QRegularExpression entryPattern(QStringLiteral("^(?:(\\d+):)?([A-Za-z0-9_-]+|\\*)$"));
    for (const QString &raw : value.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QString entry = raw.trimmed();
        if (entry.isEmpty())
            continue;
        const auto bad = [&](const QString &why) {
            throw ConfigError(QStringLiteral("%1 from %2 has a bad entry \"%3\": %4; allowed are comma-separated "
                                             "rule-id, NNNN:rule-id and NNNN:* (dbdeck-cli lint --rules lists the rules)")
                                  .arg(settingName, origin, entry, why));
        };
        const auto m = entryPattern.match(entry);
        if (!m.hasMatch())
            bad(QStringLiteral("it is not of the form rule-id, NNNN:rule-id or NNNN:*"));
        const QString rule = m.captured(2).toLower();
        if (rule == QLatin1String("*") && !m.hasCaptured(1))
            bad(QStringLiteral("\"*\" needs a migration version (NNNN:*); to turn the linter off, do not run it"));
        if (rule != QLatin1String("*") && !LintRules::find(rule))
            bad(QStringLiteral("there is no rule \"%1\"").arg(rule));
        if (m.hasCaptured(1) && !m.captured(1).isEmpty())
            result.m_byVersion[m.captured(1).toLongLong()].insert(rule);
        else
            result.m_everywhere.insert(rule);
    }
    return result;
}

LintSuppressions LintSuppressions::fromConfig(const DbConfig &config)
{
    QString origin = QStringLiteral("default");
    for (const SettingValue &value : config.values()) {
        if (value.name == settingName)
            origin = value.origin;
    }
    return fromSetting(config.lintIgnore(), origin);
}

bool LintSuppressions::suppresses(const QString &rule, qint64 version) const
{
    if (m_everywhere.contains(rule))
        return true;
    const auto it = m_byVersion.constFind(version);
    return it != m_byVersion.cend() && (it->contains(rule) || it->contains(QStringLiteral("*")));
}

LintSuppressions::CommentIgnore LintSuppressions::parseComment(const QString &text)
{
    CommentIgnore result;
    static const QLatin1String marker("dbdeck:ignore");
    const qsizetype at = text.indexOf(marker, 0, Qt::CaseInsensitive);
    if (at < 0)
        return result;
    qsizetype pos = at + marker.size();
    if (pos < text.size() && isRuleChar(text.at(pos)))
        return result; // "dbdeck:ignored" or the like is not the marker
    result.present = true;
    // rule[, rule]... : the list ends at the first id not followed by a comma; the rest is a reason.
    while (true) {
        while (pos < text.size() && text.at(pos).isSpace())
            ++pos;
        const qsizetype start = pos;
        while (pos < text.size() && isRuleChar(text.at(pos)))
            ++pos;
        if (pos == start)
            break;
        result.rules << text.mid(start, pos - start).toLower();
        while (pos < text.size() && text.at(pos).isSpace() && text.at(pos) != QLatin1Char('\n'))
            ++pos;
        if (pos >= text.size() || text.at(pos) != QLatin1Char(','))
            break;
        ++pos;
    }
    return result;
}

} // namespace dbdeck

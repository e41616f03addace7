#include "configsource.h"

#include "db/errors.h"

#include <QFileInfo>

namespace dbdeck::gui {

ConfigSource ConfigSource::fromInputs(ConfigInputs inputs)
{
    ConfigSource source;
    source.m_inputs = std::move(inputs);
    return source;
}

ConfigSource ConfigSource::fixed(std::optional<DbConfig> config, const QString &error)
{
    ConfigSource source;
    source.m_fixed = std::move(config);
    source.m_error = error;
    return source;
}

DbConfig ConfigSource::load() const
{
    if (m_inputs)
        return DbConfig::load(*m_inputs);
    if (m_fixed)
        return *m_fixed;
    throw ConfigError(m_error);
}

QList<SettingValue> ConfigSource::describe() const
{
    if (m_inputs)
        return DbConfig::describe(*m_inputs);
    if (m_fixed)
        return m_fixed->values();
    return {};
}

DbConfig ConfigSource::forFile(const QString &path, QStringList *replaced) const
{
    const QString url = QStringLiteral("sqlite:///") + QFileInfo(path).absoluteFilePath();
    const QString origin = QStringLiteral("opened in the inspector");
    try {
        return load().withDatabaseUrl(url, origin);
    } catch (const ConfigError &) {
        if (!m_inputs)
            return DbConfig::forUrl(url).withDatabaseUrl(url, origin);
    }
    // The user's settings where they are good, the defaults where they are not (flags win).
    ConfigInputs inputs = *m_inputs;
    for (const SettingValue &v : DbConfig::describe(inputs)) {
        if (!v.problem.isEmpty() && v.name != QLatin1String("DB_URL")) {
            inputs.flags.insert(v.name, DbConfig::defaultValue(v.name));
            *replaced << v.name;
        }
    }
    inputs.flags.insert(QStringLiteral("DB_URL"), url);
    try {
        return DbConfig::load(inputs).withDatabaseUrl(url, origin);
    } catch (const ConfigError &) {
        // The inputs themselves are unusable (a missing --env-file): defaults only.
        *replaced << QStringLiteral("all settings");
        return DbConfig::forUrl(url).withDatabaseUrl(url, origin);
    }
}

} // namespace dbdeck::gui

#pragma once

#include "config/dbconfig.h"

#include <functional>
#include <optional>

namespace dbdeck::gui {

// Where the window's configuration comes from, so that Reload (F5) can read it again after the
// user fixed .env, and so that a file can be opened even while the configuration is bad.
class ConfigSource
{
public:
    // The command line's inputs: flags, environment, .env — read again on every load().
    static ConfigSource fromInputs(ConfigInputs inputs);
    // A configuration given once (tests, tools); with none, loading always fails with error.
    static ConfigSource fixed(std::optional<DbConfig> config, const QString &error = {});

    DbConfig load() const; // throws ConfigError
    // Every setting with its source, bad values marked (empty when not known).
    QList<SettingValue> describe() const;
    // The configuration with another SQLite file. When the configuration itself does not load,
    // its bad settings are replaced by their defaults, and *replaced names them.
    DbConfig forFile(const QString &path, QStringList *replaced) const; // throws ConfigError

private:
    std::optional<ConfigInputs> m_inputs;
    std::optional<DbConfig> m_fixed;
    QString m_error;
};

} // namespace dbdeck::gui

#include "config/configoptions.h"

namespace dbdeck {

namespace {

QStringList flagNames(const QString &setting)
{
    QStringList names{DbConfig::flagName(setting)};
    if (setting == QLatin1String("MIGRATIONS_DIR"))
        names << QStringLiteral("migrations"); // the short spelling the docs use
    return names;
}

} // namespace

void ConfigOptions::addTo(QCommandLineParser &parser)
{
    parser.addOption({QStringLiteral("env-file"),
                      QStringLiteral("Read settings from this .env file instead of ./.env."), QStringLiteral("path")});
    for (const QString &setting : DbConfig::settingNames()) {
        parser.addOption({flagNames(setting), QStringLiteral("%1: %2").arg(setting, DbConfig::settingHelp(setting)),
                          QStringLiteral("value")});
    }
}

ConfigInputs ConfigOptions::inputsFrom(const QCommandLineParser &parser)
{
    ConfigInputs inputs;
    for (const QString &setting : DbConfig::settingNames()) {
        const QString flag = DbConfig::flagName(setting);
        if (parser.isSet(flag))
            inputs.flags.insert(setting, parser.value(flag));
    }
    inputs.envFile = parser.value(QStringLiteral("env-file"));
    return inputs;
}

} // namespace dbdeck

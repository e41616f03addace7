#include "command.h"

#include "db/database.h"

#include <unistd.h>

namespace dbdeck::cli {

namespace {

QStringList flagNames(const QString &setting)
{
    QStringList names{DbConfig::flagName(setting)};
    if (setting == QLatin1String("MIGRATIONS_DIR"))
        names << QStringLiteral("migrations"); // the short spelling the docs use
    return names;
}

} // namespace

void addGlobalOptions(QCommandLineParser &parser)
{
    parser.addOption({QStringLiteral("env-file"), QStringLiteral("Read settings from this .env file instead of ./.env."),
                      QStringLiteral("path")});
    for (const QString &setting : DbConfig::settingNames()) {
        parser.addOption({flagNames(setting),
                          QStringLiteral("%1: %2").arg(setting, DbConfig::settingHelp(setting)),
                          QStringLiteral("value")});
    }
}

CommandContext::CommandContext(QCommandLineParser &p, QTextStream &o, QTextStream &e) : parser(p), out(o), err(e) {}

CommandContext::~CommandContext() = default;

const DbConfig &CommandContext::config()
{
    if (!m_config) {
        ConfigInputs inputs;
        for (const QString &setting : DbConfig::settingNames()) {
            const QString flag = DbConfig::flagName(setting);
            if (parser.isSet(flag))
                inputs.flags.insert(setting, parser.value(flag));
        }
        inputs.envFile = parser.value(QStringLiteral("env-file"));
        m_config = std::make_unique<DbConfig>(DbConfig::load(inputs));
    }
    return *m_config;
}

Database &CommandContext::database()
{
    if (!m_database)
        m_database = std::make_unique<Database>(config());
    return *m_database;
}

QString CommandContext::format(const QStringList &allowed)
{
    const QString value = parser.isSet(QStringLiteral("format")) ? parser.value(QStringLiteral("format")).toLower()
                                                                 : allowed.first();
    if (!allowed.contains(value))
        throw UsageError(QStringLiteral("--format %1 is not supported here; allowed: %2")
                             .arg(value, allowed.join(QStringLiteral(", "))));
    return value;
}

bool CommandContext::interactive() const
{
    return isatty(STDOUT_FILENO) == 1 && qEnvironmentVariable("CI").isEmpty();
}

} // namespace dbdeck::cli

#include "command.h"

#include "config/configoptions.h"
#include "db/database.h"

#include <unistd.h>

namespace dbdeck::cli {

void addGlobalOptions(QCommandLineParser &parser)
{
    ConfigOptions::addTo(parser);
}

CommandContext::CommandContext(QCommandLineParser &p, QTextStream &o, QTextStream &e) : parser(p), out(o), err(e) {}

CommandContext::~CommandContext() = default;

const DbConfig &CommandContext::config()
{
    if (!m_config) {
        m_config = std::make_unique<DbConfig>(DbConfig::load(ConfigOptions::inputsFrom(parser)));
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

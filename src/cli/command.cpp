#include "command.h"

#include "config/configoptions.h"
#include "db/database.h"
#include "migrate/migrator.h"
#include "store/jsonvalue.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <unistd.h>

namespace dbdeck::cli {

void addGlobalOptions(QCommandLineParser &parser)
{
    ConfigOptions::addTo(parser);
}

CommandContext::CommandContext(QCommandLineParser &p, QTextStream &o, QTextStream &e) : parser(p), out(o), err(e) {}

CommandContext::~CommandContext()
{
    m_migrator.reset();
    m_database.reset();
}

const DbConfig &CommandContext::config()
{
    if (!m_config) {
        m_config = std::make_unique<DbConfig>(DbConfig::load(ConfigOptions::inputsFrom(parser)));
        for (const QString &warning : m_config->warnings())
            err << "warning: " << warning << '\n';
        err.flush();
    }
    return *m_config;
}

Database &CommandContext::database()
{
    if (!m_database)
        m_database = std::make_unique<Database>(config(), Database::Access::LookFirst);
    return *m_database;
}

Migrator &CommandContext::migrator()
{
    if (!m_migrator)
        m_migrator = std::make_unique<Migrator>(database(), MigrationSet::load(config().migrationsDir()));
    return *m_migrator;
}

void printJson(QTextStream &out, const QJsonValue &value)
{
    // Canonical JSON (sorted keys, Python's number format), the same bytes Python would print.
    out << QString::fromUtf8(JsonValue::fromVariant(value.toVariant()).canonical()) << '\n';
}

void addFormatOption(QCommandLineParser &parser)
{
    parser.addOption({QStringLiteral("format"), QStringLiteral("Output format: table or json."), QStringLiteral("format"),
                      QStringLiteral("table")});
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

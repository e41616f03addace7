#include "config/dbconfig.h"

#include "config/dotenv.h"
#include "config/pythontext.h"
#include "config/redactor.h"
#include "db/errors.h"

#include <QHash>

#include <QFileInfo>

namespace dbdeck {

namespace {

enum class Kind { Url, Bool, NonNegativeInt, Choice, Text, List, NameList };

struct SettingSpec
{
    const char *name;
    const char *defaultValue;
    Kind kind;
    QStringList choices;
    const char *help;
    bool sqliteOnly;
};

const QList<SettingSpec> &specs()
{
    static const QList<SettingSpec> table{
        {"DB_URL", "sqlite:///./data/app.db", Kind::Url, {},
         "database URL in SQLAlchemy syntax", false},
        {"ECHO_SQL", "false", Kind::Bool, {}, "log every SQL statement (category dbdeck.sql)", false},
        {"POOL_PRE_PING", "true", Kind::Bool, {},
         "check an idle connection is alive before use (PostgreSQL only)", false},
        {"SQLITE_BUSY_TIMEOUT_MS", "5000", Kind::NonNegativeInt, {},
         "how long a SQLite connection waits for a lock, in ms", true},
        {"SQLITE_JOURNAL_MODE", "WAL", Kind::Choice,
         {"DELETE", "TRUNCATE", "PERSIST", "MEMORY", "WAL", "OFF"}, "SQLite journal_mode", true},
        {"SQLITE_SYNCHRONOUS", "NORMAL", Kind::Choice, {"OFF", "NORMAL", "FULL", "EXTRA"},
         "SQLite synchronous", true},
        {"SQLITE_FOREIGN_KEYS", "true", Kind::Bool, {}, "enforce foreign keys on SQLite", true},
        {"MIGRATIONS_DIR", "./migrations", Kind::Text, {}, "folder of NNNN_slug.sql migrations", false},
        {"SCHEMA_DIR", "./schema", Kind::Text, {}, "the declared schema: a folder of .sql files or one .sql file", false},
        {"APP_ENV", "development", Kind::Text, {},
         "environment tag recorded in the database (a protected one is never reset)", false},
        {"LINT_IGNORE", "", Kind::List, {},
         "migration lint rules to keep quiet: rule-id, NNNN:rule-id or NNNN:*, comma-separated", false},
        {"PROTECTED_ENVS", "production,prod,live", Kind::NameList, {},
         "comma-separated environment names (any case) whose databases are never reset and downgraded only on request",
         false},
    };
    return table;
}

const SettingSpec *findSpec(const QString &name)
{
    for (const auto &spec : specs()) {
        if (name.compare(QLatin1String(spec.name), Qt::CaseInsensitive) == 0)
            return &spec;
    }
    return nullptr;
}

[[noreturn]] void badValue(const SettingSpec &spec, const QString &origin, const QString &value,
                           const QString &allowed)
{
    throw ConfigError(QStringLiteral("%1 from %2 has a bad value \"%3\": %4")
                          .arg(QLatin1String(spec.name), origin, Redactor::scrub(value), Redactor::scrub(allowed)));
}

// SQLite's PRAGMA synchronous reads names, numbers and its boolean words; anything else it
// silently takes as NORMAL, which is why dbdeck refuses it.
std::optional<QString> sqliteSynchronous(const QString &text)
{
    const QString v = PythonText::strip(text).toUpper();
    static const QHash<QString, QString> words{
        {QStringLiteral("OFF"), QStringLiteral("OFF")},       {QStringLiteral("NORMAL"), QStringLiteral("NORMAL")},
        {QStringLiteral("FULL"), QStringLiteral("FULL")},     {QStringLiteral("EXTRA"), QStringLiteral("EXTRA")},
        {QStringLiteral("0"), QStringLiteral("OFF")},         {QStringLiteral("1"), QStringLiteral("NORMAL")},
        {QStringLiteral("2"), QStringLiteral("FULL")},        {QStringLiteral("3"), QStringLiteral("EXTRA")},
        {QStringLiteral("ON"), QStringLiteral("NORMAL")},     {QStringLiteral("YES"), QStringLiteral("NORMAL")},
        {QStringLiteral("TRUE"), QStringLiteral("NORMAL")},   {QStringLiteral("NO"), QStringLiteral("OFF")},
        {QStringLiteral("FALSE"), QStringLiteral("OFF")}};
    if (!words.contains(v))
        return std::nullopt;
    return words.value(v);
}

} // namespace

QStringList DbConfig::settingNames()
{
    QStringList names;
    for (const auto &spec : specs())
        names << QLatin1String(spec.name);
    return names;
}

QString DbConfig::flagName(const QString &setting)
{
    return setting.toLower().replace(QLatin1Char('_'), QLatin1Char('-'));
}

QString DbConfig::settingHelp(const QString &setting)
{
    const SettingSpec *spec = findSpec(setting);
    if (!spec)
        return {};
    QString help = QLatin1String(spec->help);
    if (!spec->choices.isEmpty())
        help += QStringLiteral(": ") + spec->choices.join(QStringLiteral(", "));
    if (!*spec->defaultValue)
        return help + QStringLiteral(" (default: none)");
    return help + QStringLiteral(" (default %1)").arg(QLatin1String(spec->defaultValue));
}

void DbConfig::apply(const QString &name, const QString &value, const QString &origin)
{
    // Values are read as the application's pydantic-settings reads them (no trimming of text,
    // pydantic v2's bool and int rules); where pydantic accepts what SQLite cannot use, the
    // error says so.
    const SettingSpec &spec = *findSpec(name);
    QString normalized = value;
    const QString pydanticAccepts = QStringLiteral("the application's settings (pydantic) accept it, but ");
    switch (spec.kind) {
    case Kind::Url: {
        QString why;
        const auto url = DbUrl::parse(value, &why);
        if (!url)
            badValue(spec, origin, value, why);
        m_url = *url;
        normalized = m_url.redacted();
        break;
    }
    case Kind::Bool: {
        const auto b = PythonText::pydanticBool(value);
        if (!b)
            badValue(spec, origin, value,
                     QStringLiteral("allowed are true/false, 1/0, yes/no, on/off, t/f, y/n in any case, "
                                    "without surrounding spaces (as pydantic reads booleans)"));
        normalized = *b ? QStringLiteral("true") : QStringLiteral("false");
        if (name == QLatin1String("ECHO_SQL"))
            m_echoSql = *b;
        else if (name == QLatin1String("POOL_PRE_PING"))
            m_poolPrePing = *b;
        else
            m_foreignKeys = *b;
        break;
    }
    case Kind::NonNegativeInt: {
        const auto n = PythonText::pydanticInt(value);
        const QString allowed = QStringLiteral("allowed is a whole number of milliseconds from 0 to %1 "
                                               "(as pydantic reads it: 5000, 5_000 and 5000.0 are the same)")
                                    .arg(std::numeric_limits<int>::max());
        if (!n)
            badValue(spec, origin, value, allowed);
        if (n->negative)
            badValue(spec, origin, value, QStringLiteral("it must be 0 or more; ") + allowed);
        const auto v = n->value();
        if (!v || *v > std::numeric_limits<int>::max())
            badValue(spec, origin, value,
                     pydanticAccepts + QStringLiteral("SQLite's busy timeout is a 32-bit number: at most %1 ms")
                                           .arg(std::numeric_limits<int>::max()));
        m_busyTimeoutMs = int(*v);
        normalized = QString::number(*v);
        break;
    }
    case Kind::Choice: {
        if (name == QLatin1String("SQLITE_JOURNAL_MODE")) {
            normalized = PythonText::strip(value).toUpper();
            if (!spec.choices.contains(normalized))
                badValue(spec, origin, value,
                         pydanticAccepts + QStringLiteral("SQLite has no such journal mode (it would silently keep the "
                                                          "current one); allowed are %1")
                                               .arg(spec.choices.join(QStringLiteral(", "))));
            m_journalMode = normalized;
        } else {
            const auto level = sqliteSynchronous(value);
            if (!level)
                badValue(spec, origin, value,
                         pydanticAccepts + QStringLiteral("SQLite would silently use NORMAL; allowed are OFF, NORMAL, "
                                                          "FULL, EXTRA or 0-3 (and SQLite's on/off, yes/no, true/false)"));
            normalized = *level;
            m_synchronous = normalized;
        }
        break;
    }
    case Kind::List: { // checked by its user (the linter knows its rule ids); empty is fine
        QStringList entries;
        for (const QString &entry : value.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            if (!entry.trimmed().isEmpty())
                entries << entry.trimmed();
        }
        normalized = entries.join(QLatin1Char(','));
        m_lintIgnore = normalized;
        break;
    }
    case Kind::NameList: {
        // "Production, prod" -> production,prod: names compare case-insensitively.
        QStringList names;
        for (const QString &part : value.split(QLatin1Char(','))) {
            const QString name = part.trimmed().toLower();
            if (name.isEmpty())
                badValue(spec, origin, value, QStringLiteral("allowed is a comma-separated list of environment names, none of them empty"));
            if (!names.contains(name))
                names << name;
        }
        m_protectedEnvs = names;
        normalized = names.join(QLatin1Char(','));
        break;
    }
    case Kind::Text:
        if (value.isEmpty())
            badValue(spec, origin, value, pydanticAccepts + QStringLiteral("dbdeck needs a value: it must not be empty"));
        if (name == QLatin1String("MIGRATIONS_DIR")) {
            const QFileInfo folder(value);
            if (folder.exists() && !folder.isDir())
                badValue(spec, origin, value,
                         QStringLiteral("%1 is a file, not a folder of NNNN_slug.sql migrations").arg(folder.absoluteFilePath()));
            m_migrationsDir = value;
        } else if (name == QLatin1String("SCHEMA_DIR")) {
            m_schemaDir = value;
        } else {
            m_appEnv = value;
        }
        break;
    }
    for (auto &entry : m_values) {
        if (entry.name == name)
            entry.value = normalized;
    }
}

QList<SettingValue> DbConfig::choose(const ConfigInputs &inputs, QString *envFileUsed, QStringList *warnings)
{
    struct Chosen
    {
        QString value;
        SettingSource source = SettingSource::Default;
        QString origin = QStringLiteral("default");
    };
    QHash<QString, Chosen> chosen;
    for (const auto &spec : specs())
        chosen.insert(QLatin1String(spec.name), {QLatin1String(spec.defaultValue)});

    // .env: an explicit --env-file must be readable; the implicit ./.env only when present.
    QString envPath = inputs.envFile;
    const QFileInfo implicit(QStringLiteral(".env"));
    if (envPath.isEmpty() && inputs.readDotEnv && (implicit.exists() || implicit.isSymLink()))
        envPath = QStringLiteral(".env");
    if (!envPath.isEmpty()) {
        if (!QFileInfo::exists(envPath) && !QFileInfo(envPath).isSymLink())
            throw ConfigError(QStringLiteral("cannot read .env file %1: it does not exist")
                                  .arg(QFileInfo(envPath).absoluteFilePath()));
        const QString absolute = QFileInfo(envPath).absoluteFilePath();
        *envFileUsed = absolute;
        const DotEnvFile file = DotEnv::readFile(envPath);
        *warnings += file.warnings;
        for (const auto &entry : DotEnv::interpolate(file.entries, inputs.environment)) {
            if (entry.line == 1 && entry.key.startsWith(QChar(0xFEFF)) && findSpec(entry.key.mid(1)))
                *warnings << QStringLiteral("%1:1: the file starts with a UTF-8 byte order mark, so the application "
                                              "(python-dotenv) reads the first name as \"\\ufeff%2\" and ignores "
                                              "it; dbdeck does the same. Save the file without a BOM.")
                                   .arg(absolute, entry.key.mid(1));
            const SettingSpec *spec = findSpec(entry.key);
            if (!spec)
                continue;
            const QString name = QLatin1String(spec->name);
            // A NAME without '=' replaces an earlier NAME=value with nothing: the default.
            chosen[name] = entry.value ? Chosen{*entry.value, SettingSource::DotEnv,
                                                QStringLiteral(".env %1:%2").arg(absolute).arg(entry.line)}
                                       : Chosen{QLatin1String(spec->defaultValue)};
        }
    }
    // Environment names are case-insensitive; an exact upper-case name wins over other spellings.
    const QStringList keys = inputs.environment.keys();
    for (const auto &spec : specs()) {
        const QString name = QLatin1String(spec.name);
        QString found;
        bool have = false;
        for (const QString &key : keys) {
            if (key.compare(name, Qt::CaseInsensitive) == 0 && (!have || key == name)) {
                found = inputs.environment.value(key);
                have = true;
            }
        }
        if (have)
            chosen[name] = {found, SettingSource::Environment, QStringLiteral("environment")};
    }
    for (auto it = inputs.flags.cbegin(); it != inputs.flags.cend(); ++it) {
        const SettingSpec *spec = findSpec(it.key());
        if (!spec)
            throw ConfigError(QStringLiteral("unknown setting \"%1\"; known settings are %2")
                                  .arg(it.key(), settingNames().join(QStringLiteral(", "))));
        chosen[QLatin1String(spec->name)] = {it.value(), SettingSource::Flag,
                                             QStringLiteral("flag --") + flagName(QLatin1String(spec->name))};
    }

    QList<SettingValue> values;
    for (const auto &spec : specs()) {
        const QString name = QLatin1String(spec.name);
        const Chosen &c = chosen.value(name);
        values.append({name, c.value, c.source, c.origin, false, {}});
    }
    return values;
}

DbConfig DbConfig::load(const ConfigInputs &inputs)
{
    DbConfig config;
    config.m_values = choose(inputs, &config.m_envFileUsed, &config.m_warnings);
    for (const SettingValue &v : QList<SettingValue>(config.m_values))
        config.apply(v.name, v.value, v.origin);
    for (auto &entry : config.m_values) {
        const SettingSpec *spec = findSpec(entry.name);
        entry.ignored = (spec->sqliteOnly && config.backend() != Backend::Sqlite)
            || (entry.name == QLatin1String("POOL_PRE_PING") && config.backend() == Backend::Sqlite);
    }
    return config;
}

QList<SettingValue> DbConfig::describe(const ConfigInputs &inputs)
{
    QList<SettingValue> values;
    QString envFile;
    QStringList warnings;
    try {
        values = choose(inputs, &envFile, &warnings);
    } catch (const ConfigError &) {
        return {};
    }
    for (SettingValue &v : values) {
        DbConfig scratch; // each setting's value is checked on its own, as load() checks it
        try {
            scratch.apply(v.name, v.value, v.origin);
        } catch (const ConfigError &error) {
            v.problem = error.message();
        }
        if (v.name == QLatin1String("DB_URL") && v.problem.isEmpty())
            v.value = scratch.m_url.redacted();
        else if (v.name == QLatin1String("DB_URL"))
            v.value = DbUrl::redactText(v.value);
    }
    return values;
}

QString DbConfig::defaultValue(const QString &setting)
{
    const SettingSpec *spec = findSpec(setting);
    return spec ? QLatin1String(spec->defaultValue) : QString();
}

DbConfig DbConfig::withDatabaseUrl(const QString &url, const QString &origin) const
{
    DbConfig copy = *this;
    for (auto &entry : copy.m_values) {
        if (entry.name == QLatin1String("DB_URL")) {
            entry.source = SettingSource::Flag;
            entry.origin = origin;
        }
    }
    copy.apply(QStringLiteral("DB_URL"), url, origin);
    for (auto &entry : copy.m_values) {
        const SettingSpec *spec = findSpec(entry.name);
        entry.ignored = (spec->sqliteOnly && copy.backend() != Backend::Sqlite)
            || (entry.name == QLatin1String("POOL_PRE_PING") && copy.backend() == Backend::Sqlite);
    }
    return copy;
}

DbConfig DbConfig::forUrl(const QString &url)
{
    ConfigInputs inputs;
    inputs.environment = QProcessEnvironment();
    inputs.readDotEnv = false;
    inputs.flags.insert(QStringLiteral("DB_URL"), url);
    return load(inputs);
}

} // namespace dbdeck

#pragma once

#include "config/dburl.h"

#include <QHash>
#include <QList>
#include <QProcessEnvironment>
#include <QString>

namespace dbdeck {

enum class SettingSource { Default, DotEnv, Environment, Flag };

// One effective setting and where it came from.
struct SettingValue
{
    QString name;        // e.g. "DB_URL"
    QString value;       // normalized (SQLITE_JOURNAL_MODE upper case, ...); DB_URL with the password as ***
    SettingSource source = SettingSource::Default;
    QString origin;      // for people: "default", "environment", ".env /p/.env:3", "flag --db-url"
    bool ignored = false; // true when it does not apply to the configured backend
    QString problem;      // DbConfig::describe only: why the value is bad, empty when it is fine
};

// What DbConfig::load reads, highest precedence first: flags, environment, .env, defaults.
struct ConfigInputs
{
    QHash<QString, QString> flags; // setting name (any case) -> value given on the command line
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    QString envFile;               // --env-file; empty means ./.env if it exists
    bool readDotEnv = true;
};

// The application's database settings, with the names and defaults of the Python application.
class DbConfig
{
public:
    // Throws ConfigError naming the setting, its source, the bad value and what is allowed.
    static DbConfig load(const ConfigInputs &inputs = {});
    // Every setting with its value and where it came from, as load() would choose them, without
    // refusing bad values: each bad one carries its problem (what load() would throw). For
    // showing a configuration that does not load. Empty when the inputs themselves are unusable
    // (an --env-file that does not exist, an unknown setting name).
    static QList<SettingValue> describe(const ConfigInputs &inputs);
    static QString defaultValue(const QString &setting);
    // Defaults only, with DB_URL replaced: for tests and tools that open a given file.
    static DbConfig forUrl(const QString &url);

    // The same settings with another database (e.g. a file opened in the inspector).
    // Throws ConfigError for a bad URL.
    DbConfig withDatabaseUrl(const QString &url, const QString &origin) const;

    static QStringList settingNames();
    static QString flagName(const QString &setting); // "DB_URL" -> "db-url"
    static QString settingHelp(const QString &setting);

    const DbUrl &url() const { return m_url; }
    Backend backend() const { return m_url.backend(); }
    bool echoSql() const { return m_echoSql; }
    // On SQLite there is nothing to ping: the "connection" is a file handle in this process, it
    // cannot be dropped by a server or a firewall. It matters for PostgreSQL only.
    bool poolPrePing() const { return m_poolPrePing; }
    int busyTimeoutMs() const { return m_busyTimeoutMs; }
    QString journalMode() const { return m_journalMode; }   // upper case, e.g. "WAL"
    QString synchronous() const { return m_synchronous; }   // upper case, e.g. "NORMAL"
    bool foreignKeys() const { return m_foreignKeys; }
    QString migrationsDir() const { return m_migrationsDir; }
    QString schemaDir() const { return m_schemaDir; }       // the declared schema (SCHEMA_DIR)
    QString appEnv() const { return m_appEnv; }
    QString lintIgnore() const { return m_lintIgnore; }   // LINT_IGNORE, as given (see LintSuppressions)
    // PROTECTED_ENVS, lower case; and whether an environment name is one of them (any case).
    QStringList protectedEnvs() const { return m_protectedEnvs; }
    bool isProtectedEnv(const QString &name) const { return m_protectedEnvs.contains(name.trimmed().toLower()); }
    QString envFileUsed() const { return m_envFileUsed; }   // empty when no .env was read

    QList<SettingValue> values() const { return m_values; }
    // Things the user should know that do not stop dbdeck (a .env statement that does not parse,
    // a BOM); `config` prints them, the CLI shows them on standard error.
    QStringList warnings() const { return m_warnings; }

private:
    static QList<SettingValue> choose(const ConfigInputs &inputs, QString *envFileUsed, QStringList *warnings);
    void apply(const QString &name, const QString &value, const QString &origin);

    DbUrl m_url;
    bool m_echoSql = false;
    bool m_poolPrePing = true;
    int m_busyTimeoutMs = 5000;
    QString m_journalMode;
    QString m_synchronous;
    bool m_foreignKeys = true;
    QString m_migrationsDir;
    QString m_schemaDir;
    QString m_appEnv;
    QString m_lintIgnore;
    QStringList m_protectedEnvs;
    QString m_envFileUsed;
    QList<SettingValue> m_values;
    QStringList m_warnings;
};

} // namespace dbdeck

#pragma once

#include "config/dbconfig.h"

#include <QCommandLineParser>
#include <QString>
#include <QJsonValue>
#include <QTextStream>

#include <functional>
#include <memory>

namespace dbdeck {
class Database;
class Migrator;
}

namespace dbdeck::cli {

// What a subcommand gets: the parsed command line, the configuration, and the output streams.
class CommandContext
{
public:
    CommandContext(QCommandLineParser &parser, QTextStream &out, QTextStream &err);
    ~CommandContext();

    QCommandLineParser &parser;
    QTextStream &out;
    QTextStream &err;

    // Loaded on first use from flags, environment and .env. Throws ConfigError.
    const DbConfig &config();
    // Opened on first use. Throws DbError. Every command opens it LookFirst: a SQLite file is
    // read-only (no journal-mode switch, nothing created) until the command's first write
    // (Transaction in Write mode, MigrationAttempt, Resetter call Database::ensureWritable()),
    // so commands that only look, and writers refused before writing, leave it byte-identical.
    Database &database();
    // The migrations folder (MIGRATIONS_DIR / --migrations) against this database.
    Migrator &migrator();
    // "table" (default) or "json", validated against what the command allows.
    QString format(const QStringList &allowed = {QStringLiteral("table"), QStringLiteral("json")});
    // True when stdout is a terminal (progress bars) — never in CI.
    bool interactive() const;

private:
    std::unique_ptr<DbConfig> m_config;
    std::unique_ptr<Database> m_database;
    std::unique_ptr<Migrator> m_migrator;
};

// Thrown for a bad command line; main prints it with the usage hint and exits 2.
class UsageError : public std::runtime_error
{
public:
    explicit UsageError(const QString &message) : std::runtime_error(message.toStdString()), text(message) {}
    QString text;
};

struct Command
{
    QString name;
    QString summary;
    std::function<void(QCommandLineParser &)> addOptions; // may be empty
    std::function<int(CommandContext &)> run;
};

// Prints a JSON value on one line, keys in a stable order.
void printJson(QTextStream &out, const QJsonValue &value);

// --format table|json (CommandContext::format() checks the value).
void addFormatOption(QCommandLineParser &parser);

// Options every command accepts: --db-url, --env-file and one flag per setting.
void addGlobalOptions(QCommandLineParser &parser);

} // namespace dbdeck::cli

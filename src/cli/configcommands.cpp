#include "configcommands.h"

#include "config/libpqparameters.h"
#include "config/redactor.h"
#include "db/database.h"
#include "db/errors.h"
#include "exitcodes.h"
#include "texttable.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QThread>

namespace dbdeck::cli {

namespace {

QString backendName(Backend backend)
{
    return backend == Backend::Sqlite ? QStringLiteral("SQLite") : QStringLiteral("PostgreSQL");
}

int runConfig(CommandContext &ctx)
{
    const QString format = ctx.format();
    const DbConfig &config = ctx.config();
    if (format == QLatin1String("json")) {
        QJsonArray settings;
        for (const SettingValue &value : config.values()) {
            settings.append(QJsonObject{{QStringLiteral("name"), value.name},
                                        {QStringLiteral("value"), value.value},
                                        {QStringLiteral("source"), value.origin},
                                        {QStringLiteral("ignored"), value.ignored}});
        }
        printJson(ctx.out, QJsonObject{{QStringLiteral("backend"), backendName(config.backend())},
                                       {QStringLiteral("env_file"), config.envFileUsed()},
                                       {QStringLiteral("settings"), settings},
                                       {QStringLiteral("url"), config.url().describe()},
                                       {QStringLiteral("warnings"), QJsonArray::fromStringList(config.warnings())}});
        return ExitOk;
    }
    TextTable table({QStringLiteral("SETTING"), QStringLiteral("VALUE"), QStringLiteral("SOURCE")});
    for (const SettingValue &value : config.values()) {
        QString source = value.origin;
        if (value.ignored)
            source += QStringLiteral(" (ignored on %1)").arg(backendName(config.backend()));
        table.addRow({value.name, value.value, source});
    }
    ctx.out << table.render();
    ctx.out << "\nbackend: " << backendName(config.backend());
    const DbUrl &url = config.url();
    if (config.backend() == Backend::Sqlite) {
        ctx.out << ", file " << url.sqliteFilePath();
        if (url.sqliteUri())
            ctx.out << " (SQLite URI " << url.sqliteOpenName() << (url.sqliteReadOnlyByUrl() ? ", read-only" : "") << ')';
    } else {
        QStringList words;
        for (const auto &[key, value] : url.libpqParameters())
            words << Redactor::scrub(key + QLatin1Char('=') + (LibpqParameters::isSecret(key) ? QStringLiteral("***") : value));
        ctx.out << ", libpq " << (words.isEmpty() ? QStringLiteral("defaults") : words.join(QLatin1Char(' ')));
    }
    ctx.out << "\n.env: " << (config.envFileUsed().isEmpty() ? QStringLiteral("none read") : config.envFileUsed())
            << '\n';
    return ExitOk;
}

int runPragmas(CommandContext &ctx)
{
    const QString format = ctx.format();
    bool ok = false;
    const int count = ctx.parser.value(QStringLiteral("connections")).toInt(&ok);
    if (!ok || count < 1 || count > 64)
        throw UsageError(QStringLiteral("--connections must be a whole number from 1 to 64"));
    Database &db = ctx.database();
    if (db.backend() != Backend::Sqlite) {
        ctx.out << "PRAGMAs are SQLite settings; this database is PostgreSQL, where they do not apply.\n";
        return ExitOk;
    }
    if (!db.exists()) {
        // Looking does not create it: say what the first write will apply.
        const QString why = QStringLiteral("the database does not exist yet; dbdeck creates it on the first write "
                                           "(for instance dbdeck-cli upgrade) with the configured PRAGMAs");
        if (format == QLatin1String("json")) {
            printJson(ctx.out, QJsonObject{{QStringLiteral("database"), db.displayName()}, {QStringLiteral("exists"), false},
                                           {QStringLiteral("note"), why}, {QStringLiteral("connections"), QJsonArray()}});
        } else {
            ctx.out << "database: " << db.displayName() << '\n' << why << '\n';
        }
        return ExitOk;
    }
    db.connection();
    // Further connections from their own threads show that every connection gets the PRAGMAs.
    QString threadError;
    for (int i = 1; i < count; ++i) {
        QThread *thread = QThread::create([&db, &threadError] {
            try {
                db.connection();
            } catch (const DbError &error) {
                threadError = error.message();
            }
        });
        thread->setObjectName(QStringLiteral("worker-%1").arg(i));
        thread->start();
        thread->wait();
        delete thread;
        if (!threadError.isEmpty())
            throw DbError(threadError);
    }
    const QList<ConnectionInfo> infos = db.connections();
    if (format == QLatin1String("json")) {
        QJsonArray connections;
        for (const ConnectionInfo &info : infos) {
            QJsonArray pragmas;
            for (const PragmaReading &p : info.pragmas) {
                pragmas.append(QJsonObject{{QStringLiteral("name"), p.name},
                                           {QStringLiteral("configured"), p.configured},
                                           {QStringLiteral("effective"), p.effective},
                                           {QStringLiteral("matches"), p.matches()},
                                           {QStringLiteral("deferred"), p.deferred},
                                           {QStringLiteral("note"), p.note}});
            }
            connections.append(QJsonObject{{QStringLiteral("connection"), info.name},
                                           {QStringLiteral("thread"), info.thread},
                                           {QStringLiteral("read_only"), info.readOnly},
                                           {QStringLiteral("pragmas"), pragmas},
                                           {QStringLiteral("warnings"), QJsonArray::fromStringList(info.warnings)}});
        }
        printJson(ctx.out, QJsonObject{{QStringLiteral("database"), db.displayName()}, {QStringLiteral("exists"), true},
                                       {QStringLiteral("connections"), connections}});
        return ExitOk;
    }
    ctx.out << "database: " << db.displayName() << '\n';
    for (const ConnectionInfo &info : infos) {
        ctx.out << "\nconnection " << info.name << " (" << info.thread
                << (info.readOnly ? QStringLiteral(", read-only: looking only") : QString()) << ")\n";
        TextTable table({QStringLiteral("PRAGMA"), QStringLiteral("CONFIGURED"), QStringLiteral("EFFECTIVE"),
                         QString()});
        for (const PragmaReading &p : info.pragmas)
            table.addRow({p.name, p.configured, p.effective,
                          p.deferred ? p.note : p.matches() ? QString() : QStringLiteral("MISMATCH")});
        ctx.out << table.render();
        for (const QString &warning : info.warnings)
            ctx.out << "warning: " << warning << '\n';
    }
    return ExitOk;
}

} // namespace

QList<Command> configCommands()
{
    const auto formatOption = [](QCommandLineParser &parser) {
        parser.addOption({QStringLiteral("format"), QStringLiteral("Output format: table or json."),
                          QStringLiteral("format"), QStringLiteral("table")});
    };
    return {
        {QStringLiteral("config"), QStringLiteral("Print every effective setting and where it came from."),
         formatOption, runConfig},
        {QStringLiteral("pragmas"), QStringLiteral("Open the database and show configured vs effective PRAGMAs."),
         [formatOption](QCommandLineParser &parser) {
             formatOption(parser);
             parser.addOption({QStringLiteral("connections"),
                               QStringLiteral("Open this many connections, each from its own thread."),
                               QStringLiteral("n"), QStringLiteral("1")});
         },
         runPragmas},
    };
}

} // namespace dbdeck::cli

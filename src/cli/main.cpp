#include "command.h"
#include "admincommands.h"
#include "configcommands.h"
#include "datacommands.h"
#include "lintcommands.h"
#include "migratereadcommands.h"
#include "migratewritecommands.h"
#include "recentcommands.h"
#include "schemacommands.h"
#include "config/redactor.h"
#include "recoverycommands.h"
#include "db/errors.h"
#include "exitcodes.h"

#include <QCoreApplication>
#include <QTextStream>
#include <QThread>

#include <cstdio>
#include <functional>

using namespace dbdeck;
using namespace dbdeck::cli;

namespace {

QList<Command> allCommands()
{
    QList<Command> commands;
    commands += configCommands();
    commands += migrateReadCommands();
    commands += migrateWriteCommands();
    commands += lintCommands();
    commands += recoveryCommands();
    commands += dataCommands();
    commands += recentCommands();
    commands += adminCommands();
    commands += schemaCommands();
    return commands;
}

QString commandList(const QList<Command> &commands)
{
    QString text = QStringLiteral("Commands:\n");
    for (const Command &command : commands)
        text += QStringLiteral("  %1  %2\n").arg(command.name.leftJustified(14), command.summary);
    return text;
}

// A command's --help: its own options first, then those every command accepts.
QString commandHelp(const Command &command)
{
    QCommandLineParser help;
    help.setApplicationDescription(QStringLiteral("dbdeck-cli %1: %2").arg(command.name, command.summary));
    help.addPositionalArgument(command.name, command.summary);
    if (command.addOptions)
        command.addOptions(help);
    help.addHelpOption();
    addGlobalOptions(help);
    return help.helpText();
}

int exitCodeFor(const DbError &error)
{
    if (dynamic_cast<const ConfigError *>(&error))
        return ExitConfig;
    if (dynamic_cast<const NotFoundError *>(&error))
        return ExitNotFound;
    if (dynamic_cast<const ConflictError *>(&error) || dynamic_cast<const ConstraintError *>(&error))
        return ExitConflict;
    if (dynamic_cast<const BusyError *>(&error))
        return ExitBusy;
    if (dynamic_cast<const CancelledError *>(&error))
        return ExitDbError;
    return ExitDbError;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QThread::currentThread()->setObjectName(QStringLiteral("main"));
    QCoreApplication::setApplicationName(QStringLiteral("dbdeck-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral(DBDECK_VERSION));
    if (qEnvironmentVariableIsEmpty("QT_MESSAGE_PATTERN"))
        qSetMessagePattern(QStringLiteral("%{category}: %{message}"));
    Redactor::installMessageFilter(); // no log line shows a password, whatever its origin

    QTextStream out(stdout);
    QTextStream err(stderr);
    const QList<Command> commands = allCommands();

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("dbdeck-cli: the application's database from a terminal or CI.\n\n") + commandList(commands));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("command"), QStringLiteral("The command to run (see above)."));
    addGlobalOptions(parser);

    // "downgrade -1" is a target, not an option: move such arguments behind "--" — unless the
    // option before it takes a value ("--sqlite-busy-timeout-ms -5" is that option's value).
    const QStringList raw = QCoreApplication::arguments();
    const auto stepsMoved = [&raw](const std::function<bool(const QString &)> &takesValue) {
        QStringList args, steps;
        for (qsizetype i = 0; i < raw.size(); ++i) {
            const QString &arg = raw.at(i);
            const bool step = i > 0 && arg.size() > 1 && arg.startsWith(QLatin1Char('-')) && arg.mid(1).toInt() > 0
                              && arg.mid(1).front().isDigit();
            if (step && !takesValue(raw.at(i - 1)))
                steps << arg;
            else
                args << arg;
        }
        if (!steps.isEmpty())
            args << QStringLiteral("--") << steps;
        return args;
    };
    QStringList args = stepsMoved([](const QString &) { return false; });
    parser.parse(args); // a first pass only to find the command; errors are reported below
    const QStringList positional = parser.positionalArguments();
    const Command *command = nullptr;
    if (!positional.isEmpty()) {
        for (const Command &candidate : commands) {
            if (candidate.name == positional.first())
                command = &candidate;
        }
        if (!command) {
            err << "dbdeck-cli: unknown command \"" << positional.first() << "\"\n" << commandList(commands);
            return ExitUsage;
        }
        parser.clearPositionalArguments();
        parser.addPositionalArgument(command->name, command->summary);
        if (command->addOptions)
            command->addOptions(parser);
        // Which options take a value: ask a parser with the same options.
        args = stepsMoved([command](const QString &previous) {
            if (!previous.startsWith(QLatin1Char('-')) || previous.contains(QLatin1Char('=')))
                return false;
            QCommandLineParser probe;
            addGlobalOptions(probe);
            if (command->addOptions)
                command->addOptions(probe);
            probe.parse({QStringLiteral("dbdeck-cli"), previous, QStringLiteral("value")});
            const QString name = previous.mid(previous.startsWith(QLatin1String("--")) ? 2 : 1);
            return probe.isSet(name) && probe.value(name) == QLatin1String("value");
        });
    }
    if (!parser.parse(args)) {
        err << "dbdeck-cli: " << parser.errorText() << "\nRun dbdeck-cli --help for usage.\n";
        return ExitUsage;
    }
    if (parser.isSet(QStringLiteral("version"))) {
        out << "dbdeck-cli " << QCoreApplication::applicationVersion() << '\n';
        return ExitOk;
    }
    if (parser.isSet(QStringLiteral("help")) && command) {
        out << commandHelp(*command);
        return ExitOk;
    }
    if (parser.isSet(QStringLiteral("help")) || !command) {
        out << parser.helpText();
        return command || parser.isSet(QStringLiteral("help")) ? ExitOk : ExitUsage;
    }

    CommandContext context(parser, out, err);
    try {
        const int code = command->run(context);
        out.flush();
        return code;
    } catch (const UsageError &error) {
        out.flush();
        err << "dbdeck-cli " << command->name << ": " << Redactor::scrub(error.text) << '\n';
        return ExitUsage;
    } catch (const DbError &error) {
        out.flush();
        err << "dbdeck-cli " << command->name << ": error: " << Redactor::scrub(error.message()) << '\n';
        return exitCodeFor(error);
    }
}

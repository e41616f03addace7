#include "command.h"
#include "admincommands.h"
#include "configcommands.h"
#include "datacommands.h"
#include "migratereadcommands.h"
#include "migratewritecommands.h"
#include "db/errors.h"
#include "exitcodes.h"

#include <QCoreApplication>
#include <QTextStream>
#include <QThread>

#include <cstdio>

using namespace dbdeck;
using namespace dbdeck::cli;

namespace {

QList<Command> allCommands()
{
    QList<Command> commands;
    commands += configCommands();
    commands += migrateReadCommands();
    commands += migrateWriteCommands();
    commands += dataCommands();
    commands += adminCommands();
    return commands;
}

QString commandList(const QList<Command> &commands)
{
    QString text = QStringLiteral("Commands:\n");
    for (const Command &command : commands)
        text += QStringLiteral("  %1  %2\n").arg(command.name.leftJustified(14), command.summary);
    return text;
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

    // "downgrade -1" is a target, not an option: move such arguments behind "--".
    QStringList args;
    QStringList steps;
    for (const QString &arg : QCoreApplication::arguments()) {
        if (arg.size() > 1 && arg.startsWith(QLatin1Char('-')) && arg.mid(1).toInt() > 0 && arg.mid(1).front().isDigit())
            steps << arg;
        else
            args << arg;
    }
    if (!steps.isEmpty())
        args << QStringLiteral("--") << steps;
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
    }
    if (!parser.parse(args)) {
        err << "dbdeck-cli: " << parser.errorText() << "\nRun dbdeck-cli --help for usage.\n";
        return ExitUsage;
    }
    if (parser.isSet(QStringLiteral("version"))) {
        out << "dbdeck-cli " << QCoreApplication::applicationVersion() << '\n';
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
        err << "dbdeck-cli " << command->name << ": " << error.text << '\n';
        return ExitUsage;
    } catch (const DbError &error) {
        out.flush();
        err << "dbdeck-cli " << command->name << ": error: " << error.message() << '\n';
        return exitCodeFor(error);
    }
}

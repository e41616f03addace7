#pragma once

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace dbdeck::test {

// Runs dbdeck-cli the way a user would, in a given folder, with a clean environment plus the
// variables given: nothing from the developer's own DB_URL or .env leaks in.
struct CliResult
{
    int exitCode = -1;
    QString out;
    QString err;
};

inline CliResult runCli(const QString &workingDir, const QStringList &args,
                        const QList<QPair<QString, QString>> &env = {}, const QStringList &prefix = {},
                        const QByteArray &input = {})
{
    QProcessEnvironment environment;
    environment.insert(QStringLiteral("PATH"), qEnvironmentVariable("PATH"));
    environment.insert(QStringLiteral("LANG"), QStringLiteral("C.UTF-8"));
    for (const auto &[name, value] : env)
        environment.insert(name, value);
    QProcess process;
    process.setWorkingDirectory(workingDir);
    process.setProcessEnvironment(environment);
    if (prefix.isEmpty()) {
        process.start(QStringLiteral(DBDECK_CLI), args);
    } else {
        process.start(prefix.first(), prefix.mid(1) + QStringList{QStringLiteral(DBDECK_CLI)} + args);
    }
    process.waitForStarted();
    if (!input.isEmpty())
        process.write(input);
    process.closeWriteChannel();
    process.waitForFinished(120000);
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            QString::fromUtf8(process.readAllStandardOutput()), QString::fromUtf8(process.readAllStandardError())};
}

} // namespace dbdeck::test

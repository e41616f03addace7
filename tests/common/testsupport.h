#pragma once

#include "config/dbconfig.h"

#include <QFile>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <initializer_list>
#include <utility>

namespace dbdeck::test {

// A configuration for one test: an empty environment, no .env, DB_URL and any other settings
// given as flags. Nothing from the developer's own environment leaks into a test.
inline DbConfig configFor(const QString &url,
                          std::initializer_list<std::pair<const char *, const char *>> settings = {})
{
    ConfigInputs inputs;
    inputs.environment = QProcessEnvironment();
    inputs.readDotEnv = false;
    inputs.flags.insert(QStringLiteral("DB_URL"), url);
    for (const auto &[name, value] : settings)
        inputs.flags.insert(QLatin1String(name), QLatin1String(value));
    return DbConfig::load(inputs);
}

// Writes a file for a test, failing loudly if it cannot.
inline void writeFile(const QString &path, const QByteArray &content)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size())
        qFatal("cannot write %s", qPrintable(path));
}

inline void writeFile(const QString &path, const QString &content)
{
    writeFile(path, content.toUtf8());
}

inline void writeFile(const QString &path, const char *content)
{
    writeFile(path, QByteArray(content));
}

inline QString sqliteUrl(const QString &absolutePath)
{
    return QStringLiteral("sqlite:///") + absolutePath; // absolute: sqlite:////tmp/x.db
}

} // namespace dbdeck::test

#pragma once

#include "config/dbconfig.h"

#include <QCommandLineParser>

namespace dbdeck {

// The command-line options every dbdeck program accepts for its settings: --env-file and one
// --<setting> flag per setting (--db-url, --sqlite-journal-mode, ..., --migrations).
class ConfigOptions
{
public:
    static void addTo(QCommandLineParser &parser);
    // The inputs DbConfig::load needs, with the flags the user set on this command line.
    static ConfigInputs inputsFrom(const QCommandLineParser &parser);
};

} // namespace dbdeck

#include "config/configoptions.h"
#include "db/errors.h"
#include "mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>

using namespace dbdeck;

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("dbdeck"));
    QApplication::setOrganizationName(QStringLiteral("dbdeck"));
    QApplication::setApplicationVersion(QStringLiteral(DBDECK_VERSION));
    QApplication::setApplicationDisplayName(QStringLiteral("dbdeck"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("dbdeck: inspect and migrate the application's database."));
    parser.addHelpOption();
    parser.addVersionOption();
    ConfigOptions::addTo(parser);
    parser.process(app);

    std::optional<DbConfig> config;
    QString configError;
    try {
        config = DbConfig::load(ConfigOptions::inputsFrom(parser));
    } catch (const ConfigError &error) {
        configError = error.message();
    }
    gui::MainWindow window(config, configError);
    window.show();
    return app.exec();
}

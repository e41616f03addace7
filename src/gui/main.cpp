#include "config/configoptions.h"
#include "db/errors.h"
#include "mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>

using namespace dbdeck;

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("dbdeck"));
    QApplication::setOrganizationName(QStringLiteral("dbdeck"));
    QApplication::setApplicationVersion(QStringLiteral(DBDECK_VERSION));
    QApplication::setApplicationDisplayName(QStringLiteral("dbdeck"));
    QApplication::setDesktopFileName(QStringLiteral("org.dbdeck.Inspector"));
    QIcon icon;
    for (int size : {32, 64, 256})
        icon.addFile(QStringLiteral(":/icons/dbdeck-%1.png").arg(size));
    QApplication::setWindowIcon(icon);

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("dbdeck: inspect and migrate the application's database."));
    parser.addHelpOption();
    parser.addVersionOption();
    ConfigOptions::addTo(parser);
    parser.addOption({QStringLiteral("tab"), QStringLiteral("Start on this tab: migrations, tables, runs, health or connection."),
                      QStringLiteral("name")});
    parser.process(app);

    std::optional<DbConfig> config;
    QString configError;
    try {
        config = DbConfig::load(ConfigOptions::inputsFrom(parser));
    } catch (const ConfigError &error) {
        configError = error.message();
    }
    gui::MainWindow window(config, configError);
    if (parser.isSet(QStringLiteral("tab")))
        window.showTab(parser.value(QStringLiteral("tab")));
    window.show();
    return app.exec();
}

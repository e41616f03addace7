#include "config/configoptions.h"
#include "config/redactor.h"
#include "db/errors.h"
#include "mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>

#include <cstdio>
#include <memory>

using namespace dbdeck;

namespace {

void describe(QCommandLineParser &parser)
{
    parser.setApplicationDescription(QStringLiteral("dbdeck: inspect and migrate the application's database."));
    parser.addHelpOption();
    parser.addVersionOption();
    ConfigOptions::addTo(parser);
    parser.addOption({QStringLiteral("tab"), QStringLiteral("Start on this tab: migrations, tables, schema, runs, health or connection."),
                      QStringLiteral("name")});
}

// --help, --version and a bad command line are answered without a display: QApplication would
// abort on a machine that has none before the parser could print anything.
std::optional<int> answerWithoutDisplay(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("dbdeck"));
    QCoreApplication::setApplicationVersion(QStringLiteral(DBDECK_VERSION));
    QCommandLineParser parser;
    describe(parser);
    if (!parser.parse(QCoreApplication::arguments())) {
        std::fprintf(stderr, "dbdeck: %s\nRun dbdeck --help for usage.\n", qPrintable(parser.errorText()));
        return 2;
    }
    if (parser.isSet(QStringLiteral("version"))) {
        std::printf("dbdeck %s\n", DBDECK_VERSION);
        return 0;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        std::printf("%s", qPrintable(parser.helpText()));
        return 0;
    }
    return std::nullopt;
}

} // namespace

int main(int argc, char *argv[])
{
    Redactor::installMessageFilter(); // no log line shows a password, whatever its origin (Qt's drivers too)
    if (const std::optional<int> code = answerWithoutDisplay(argc, argv))
        return *code;

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
    describe(parser);
    parser.process(app);

    gui::MainWindow window(gui::ConfigSource::fromInputs(ConfigOptions::inputsFrom(parser)));
    if (parser.isSet(QStringLiteral("tab")))
        window.showTab(parser.value(QStringLiteral("tab")));
    window.show();
    return app.exec();
}

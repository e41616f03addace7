// Takes the README's screenshots of the inspector: every tab of a real MainWindow on a given
// database, grabbed to PNG files (QWidget::grab, so no screen-capture tool is needed; run it
// under xvfb-run or QT_QPA_PLATFORM=offscreen). Not a test: it asserts nothing.
//
//   dbdeck-screenshots --db-url sqlite:////tmp/demo.db --out docs/screenshots [--dark] [--size 1200x780]
//                      [--autogenerate "what the migration does"]
//
// Writes <prefix>-<tab><suffix>.png for each tab: inspector-migrations.png, inspector-tables.png,
// inspector-schema.png, inspector-runs.png, inspector-health.png, inspector-connection.png;
// with --dark the suffix is "-dark" unless --suffix says otherwise (inspector-tables-dark.png).
// --autogenerate shows the Schema tab's Autogenerate preview (from SCHEMA_DIR) instead of the DDL.
#include "config/configoptions.h"
#include "mainwindow.h"
#include "messagearea.h"
#include "runspanel.h"
#include "schemapanel.h"
#include "sessionpanel.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QElapsedTimer>
#include <QStyleFactory>
#include <QTabWidget>
#include <QTreeView>
#include <QTableView>
#include <QThread>

using namespace dbdeck;

namespace {

QPalette darkPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
    p.setColor(QPalette::WindowText, QColor(0xe0, 0xe0, 0xe0));
    p.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    p.setColor(QPalette::AlternateBase, QColor(0x26, 0x26, 0x26));
    p.setColor(QPalette::Text, QColor(0xe0, 0xe0, 0xe0));
    p.setColor(QPalette::Button, QColor(0x35, 0x35, 0x35));
    p.setColor(QPalette::ButtonText, QColor(0xe0, 0xe0, 0xe0));
    p.setColor(QPalette::Highlight, QColor(0x2a, 0x82, 0xda));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::ToolTipBase, QColor(0x35, 0x35, 0x35));
    p.setColor(QPalette::ToolTipText, QColor(0xe0, 0xe0, 0xe0));
    p.setColor(QPalette::PlaceholderText, QColor(0x90, 0x90, 0x90));
    p.setColor(QPalette::Link, QColor(0x6c, 0xb4, 0xff));
    p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x80, 0x80, 0x80));
    p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x80, 0x80, 0x80));
    p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x80, 0x80, 0x80));
    return p;
}

void wait(int ms)
{
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < ms) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
        QThread::msleep(10);
    }
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("dbdeck-screenshots"));
    QApplication::setApplicationDisplayName(QStringLiteral("dbdeck"));
    QCommandLineParser parser;
    parser.addHelpOption();
    ConfigOptions::addTo(parser);
    parser.addOption({QStringLiteral("out"), QStringLiteral("Folder for the PNG files."), QStringLiteral("dir"), QStringLiteral(".")});
    parser.addOption({QStringLiteral("prefix"), QStringLiteral("File name prefix."), QStringLiteral("name"), QStringLiteral("inspector")});
    parser.addOption({QStringLiteral("suffix"), QStringLiteral("File name suffix (default: \"-dark\" with --dark, none otherwise)."), QStringLiteral("text")});
    parser.addOption({QStringLiteral("dark"), QStringLiteral("Use a dark palette (Fusion style).")});
    parser.addOption({QStringLiteral("size"), QStringLiteral("Window size."), QStringLiteral("WxH"), QStringLiteral("1200x780")});
    parser.addOption({QStringLiteral("autogenerate"), QStringLiteral("On the Schema tab, preview the migration autogenerate would write, named so."),
                      QStringLiteral("message")});
    parser.addOption({QStringLiteral("select-event"), QStringLiteral("Select this row of the events list."), QStringLiteral("row"), QStringLiteral("0")});
    parser.process(app);
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    if (parser.isSet(QStringLiteral("dark")))
        QApplication::setPalette(darkPalette());

    gui::MainWindow window(gui::ConfigSource::fromInputs(ConfigOptions::inputsFrom(parser)));
    const QStringList size = parser.value(QStringLiteral("size")).split(QLatin1Char('x'));
    window.resize(size.value(0).toInt(), size.value(1).toInt());
    window.show();
    wait(2500);
    auto *tabs = window.findChild<QTabWidget *>(QStringLiteral("tabs"));
    auto *runs = window.findChild<gui::RunsPanel *>();
    if (auto *events = runs->findChild<QTableView *>(QStringLiteral("eventsTable")); events && events->model()->rowCount() > 0)
        events->selectRow(parser.value(QStringLiteral("select-event")).toInt());
    if (auto *tree = window.findChild<gui::SchemaPanel *>()->findChild<QTreeView *>(QStringLiteral("tree")); tree->model()->rowCount() > 0) {
        const QModelIndex firstTable = tree->model()->index(0, 0, tree->model()->index(0, 0));
        tree->expand(firstTable);
        tree->setCurrentIndex(firstTable); // its DDL beside the tree
    }
    if (parser.isSet(QStringLiteral("autogenerate"))) {
        auto *schema = window.findChild<gui::SchemaPanel *>();
        schema->findChild<QLineEdit *>(QStringLiteral("messageEdit"))->setText(parser.value(QStringLiteral("autogenerate")));
        schema->findChild<QPushButton *>(QStringLiteral("previewButton"))->click();
        const auto *preview = schema->findChild<QPlainTextEdit *>(QStringLiteral("previewText"));
        QElapsedTimer waited;
        waited.start();
        while (preview->toPlainText().isEmpty() && waited.elapsed() < 30000)
            wait(100);
    }
    const QString out = parser.value(QStringLiteral("out"));
    const QString suffix = parser.isSet(QStringLiteral("suffix")) ? parser.value(QStringLiteral("suffix"))
        : parser.isSet(QStringLiteral("dark"))                     ? QStringLiteral("-dark")
                                                                   : QString();
    QDir().mkpath(out);
    const QStringList names{QStringLiteral("migrations"), QStringLiteral("tables"), QStringLiteral("schema"), QStringLiteral("runs"), QStringLiteral("health"), QStringLiteral("connection")};
    for (int i = 0; i < tabs->count() && i < names.size(); ++i) {
        tabs->setCurrentIndex(i);
        wait(600);
        const QString file = QDir(out).filePath(QStringLiteral("%1-%2%3.png").arg(parser.value(QStringLiteral("prefix")), names.at(i), suffix));
        window.grab().save(file);
        std::printf("%s\n", qPrintable(file));
    }
    return 0;
}

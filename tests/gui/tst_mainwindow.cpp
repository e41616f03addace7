#include "db/database.h"
#include "mainwindow.h"
#include "testsupport.h"

#include <QLabel>
#include <QStatusBar>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace dbdeck;
using namespace dbdeck::gui;
using dbdeck::test::configFor;
using dbdeck::test::sqliteUrl;

class tst_MainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void showsSettingsAndEffectivePragmas();
    void highlightsPragmaMismatch();
    void configErrorIsShownAndNoDatabaseTouched();
    void openFailureIsShown();
    void newDatabaseIsNotCreatedByLooking();
};

void tst_MainWindow::showsSettingsAndEffectivePragmas()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("app.db"));
    Database(configFor(sqliteUrl(path))).connection(); // an existing (empty) database
    MainWindow window(configFor(sqliteUrl(path)), QString());
    window.show();
    auto *settings = window.findChild<QTableWidget *>(QStringLiteral("settingsTable"));
    auto *pragmas = window.findChild<QTableWidget *>(QStringLiteral("pragmaTable"));
    QVERIFY(settings && pragmas);
    QCOMPARE(settings->item(0, 0)->text(), QStringLiteral("DB_URL"));
    QCOMPARE(settings->item(0, 1)->text(), sqliteUrl(path));
    QCOMPARE(settings->item(0, 2)->text(), QStringLiteral("flag --db-url"));
    QTRY_COMPARE(pragmas->rowCount(), 4);
    QStringList rows;
    for (int row = 0; row < pragmas->rowCount(); ++row)
        rows << pragmas->item(row, 1)->text() + QLatin1Char('=') + pragmas->item(row, 3)->text();
    QCOMPARE(rows, (QStringList{QStringLiteral("busy_timeout=5000"), QStringLiteral("journal_mode=WAL"),
                                QStringLiteral("synchronous=NORMAL"), QStringLiteral("foreign_keys=ON")}));
    QTRY_VERIFY(window.findChild<QLabel *>(QStringLiteral("statusDriver"))->text().startsWith(QStringLiteral("SQLite 3.")));
    QVERIFY(window.findChild<QLabel *>(QStringLiteral("statusUrl"))->text().startsWith(sqliteUrl(path)));
    QVERIFY(window.windowTitle().contains(sqliteUrl(path)));
    QVERIFY(QFile::exists(path));
    QVERIFY(window.errorText().isEmpty());
}

void tst_MainWindow::highlightsPragmaMismatch()
{
    MainWindow window(configFor(QStringLiteral("sqlite:///:memory:")), QString());
    window.show();
    auto *pragmas = window.findChild<QTableWidget *>(QStringLiteral("pragmaTable"));
    auto *warnings = window.findChild<QLabel *>(QStringLiteral("warningsLabel"));
    QTRY_COMPARE(pragmas->rowCount(), 4);
    QCOMPARE(pragmas->item(1, 3)->text(), QStringLiteral("MEMORY"));
    QVERIFY(pragmas->item(1, 3)->toolTip().startsWith(QStringLiteral("Mismatch")));
    QVERIFY(!warnings->isHidden());
    QVERIFY(warnings->text().contains(QStringLiteral("PRAGMA journal_mode is MEMORY, not the configured WAL")));
}

void tst_MainWindow::configErrorIsShownAndNoDatabaseTouched()
{
    MainWindow window(std::nullopt, QStringLiteral("SQLITE_JOURNAL_MODE from environment has a bad value \"wall\""));
    window.show();
    QVERIFY(window.errorText().contains(QStringLiteral("SQLITE_JOURNAL_MODE from environment has a bad value \"wall\"")));
    QVERIFY(window.errorText().contains(QStringLiteral("no database was opened")));
    QCOMPARE(window.findChild<QTableWidget *>(QStringLiteral("pragmaTable"))->rowCount(), 0);
}

void tst_MainWindow::openFailureIsShown()
{
    QTemporaryDir dir;
    MainWindow window(configFor(sqliteUrl(dir.path())), QString());
    window.show();
    QTRY_VERIFY(!window.errorText().isEmpty());
    QVERIFY2(window.errorText().contains(QStringLiteral("it is a folder, not a file")), qPrintable(window.errorText()));
}

void tst_MainWindow::newDatabaseIsNotCreatedByLooking()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("data/app.db"));
    MainWindow window(configFor(sqliteUrl(path)), QString());
    window.show();
    auto *url = window.findChild<QLabel *>(QStringLiteral("statusUrl"));
    QTRY_VERIFY(url->text().endsWith(QStringLiteral("(new)")));
    QVERIFY(window.errorText().isEmpty());
    QVERIFY(window.findChild<QLabel *>(QStringLiteral("warningsLabel"))->text().contains(QStringLiteral("does not exist yet")));
    QVERIFY(!QFile::exists(path));
}

QTEST_MAIN(tst_MainWindow)
#include "tst_mainwindow.moc"

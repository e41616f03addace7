// Adopting a database dbdeck does not manage from the Migrations tab, as `dbdeck-cli baseline`:
// the tab says whose the database is, Apply is disabled, *Adopt (baseline)…* asks for the version
// and a confirmation, refuses a schema that differs (listing how) until *Adopt anyway…*.
#include "adoptcontroller.h"
#include "db/database.h"
#include "guisupport.h"
#include "mainwindow.h"
#include "messagearea.h"
#include "migrate/migrator.h"
#include "migrationspanel.h"
#include "statusbadges.h"
#include "testsupport.h"
#include "unmanageddb.h"

#include <QAction>
#include <QDir>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

using namespace dbdeck;
using namespace dbdeck::gui;
using dbdeck::test::child;
using dbdeck::test::configFor;
using dbdeck::test::sqliteUrl;

class tst_AdoptController : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void anAlembicDatabaseIsAdoptedAtTheChosenVersion();
    void aSchemaThatDiffersIsRefusedUntilAccepted();
    void cancellingChangesNothing();

private:
    MigrationsPanel *openWindow();
    QAction *action(const QString &text) const;
    void click(const QString &text);
    int count(const QString &sql);

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
    QStringList m_questions;
    bool m_answer = true;
    QString m_chosen;
    std::unique_ptr<MainWindow> m_window;
};

void tst_AdoptController::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void tst_AdoptController::init()
{
    QSettings().clear();
    m_dir = std::make_unique<QTemporaryDir>();
    m_path = m_dir->filePath(QStringLiteral("app.db"));
    m_questions.clear();
    m_answer = true;
    m_chosen = QStringLiteral("0001_create_runs");
}

void tst_AdoptController::cleanup()
{
    m_window.reset();
}

MigrationsPanel *tst_AdoptController::openWindow()
{
    m_window = std::make_unique<MainWindow>(configFor(sqliteUrl(m_path), {{"MIGRATIONS_DIR", DBDECK_SOURCE_DIR "/migrations"}}), QString());
    m_window->show();
    auto *panel = m_window->findChild<MigrationsPanel *>();
    panel->setConfirmation([this](const QString &question) {
        m_questions << question;
        return m_answer;
    });
    panel->findChild<AdoptController *>()->setVersionChooser([this](const QStringList &names) {
        return names.contains(m_chosen) ? m_chosen : QString();
    });
    return panel;
}

QAction *tst_AdoptController::action(const QString &text) const
{
    return test::messageAction(m_window->findChild<MigrationsPanel *>()->messageArea(), text);
}

void tst_AdoptController::click(const QString &text)
{
    QVERIFY2(test::clickMessageAction(m_window->findChild<MigrationsPanel *>()->messageArea(), text), qPrintable(text));
}

int tst_AdoptController::count(const QString &sql)
{
    Database db(configFor(sqliteUrl(m_path)), Database::Access::LookFirst); // another connection, as another process
    return db.scalar(sql).toInt();
}

void tst_AdoptController::anAlembicDatabaseIsAdoptedAtTheChosenVersion()
{
    {
        Database db(configFor(sqliteUrl(m_path)));
        test::createUnmanagedSchema(db, 1, QStringLiteral("4f2a9c1b7d3e"));
    }
    MigrationsPanel *panel = openWindow();
    QTRY_VERIFY_WITH_TIMEOUT(action(QStringLiteral("Adopt (baseline)…")), 30000);
    QCOMPARE(panel->messageArea()->kind(), MessageArea::Kind::Warning);
    QVERIFY2(panel->messageArea()->text().contains(QStringLiteral("managed by Alembic, revision 4f2a9c1b7d3e")),
             qPrintable(panel->messageArea()->text()));
    QVERIFY(!child<QPushButton>(panel, "applyButton")->isEnabled());

    click(QStringLiteral("Adopt (baseline)…"));
    QCOMPARE(m_questions.size(), 1);
    QVERIFY2(m_questions.first().contains(QStringLiteral("up to 0001_create_runs as applied")), qPrintable(m_questions.first()));
    QTRY_VERIFY_WITH_TIMEOUT(panel->messageArea()->text().contains(QStringLiteral("Adopted: recorded 1 migration(s)")), 30000);
    QCOMPARE(m_window->badges()->text(QStringLiteral("statusAccess")), QStringLiteral("read-write"));
    // Recorded, journaled, nothing ran: 0002 is pending and Apply runs only that.
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM dbdeck_schema_migrations")), 1);
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM dbdeck_migration_journal WHERE operation = 'baseline' AND outcome = 'succeeded'")), 1);
    QTRY_VERIFY_WITH_TIMEOUT(panel->headerText().contains(QStringLiteral("1 pending")), 30000);
    auto *apply = child<QPushButton>(panel, "applyButton");
    QTRY_VERIFY_WITH_TIMEOUT(apply->isEnabled(), 30000);
    QTest::mouseClick(apply, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(panel->headerText().contains(QStringLiteral("up to date")), 30000);
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM alembic_version")), 1); // Alembic's table stays
}

void tst_AdoptController::aSchemaThatDiffersIsRefusedUntilAccepted()
{
    {
        Database db(configFor(sqliteUrl(m_path)));
        test::createUnmanagedSchema(db, 2, {}, QStringLiteral("ALTER TABLE runs ADD COLUMN note TEXT;"));
    }
    m_chosen = QStringLiteral("0002_create_events");
    MigrationsPanel *panel = openWindow();
    QTRY_VERIFY_WITH_TIMEOUT(action(QStringLiteral("Adopt (baseline)…")), 30000);
    click(QStringLiteral("Adopt (baseline)…"));
    QTRY_COMPARE_WITH_TIMEOUT(panel->messageArea()->kind(), MessageArea::Kind::Error, 30000);
    QVERIFY2(panel->messageArea()->text().contains(QStringLiteral("runs.note")), qPrintable(panel->messageArea()->text()));
    QVERIFY(action(QStringLiteral("Adopt anyway…")));
    QVERIFY(!QFile::exists(m_path + QStringLiteral("-journal")));
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM sqlite_schema WHERE name LIKE 'dbdeck_%'")), 0); // refused: nothing created

    click(QStringLiteral("Adopt anyway…"));
    QCOMPARE(m_questions.size(), 2);
    QTRY_VERIFY_WITH_TIMEOUT(panel->messageArea()->text().contains(QStringLiteral("Adopted: recorded 2 migration(s)")), 30000);
    QVERIFY2(panel->messageArea()->text().contains(QStringLiteral("accepted")), qPrintable(panel->messageArea()->text()));
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM dbdeck_schema_migrations")), 2);
    QTRY_VERIFY_WITH_TIMEOUT(panel->headerText().contains(QStringLiteral("up to date")), 30000);
}

void tst_AdoptController::cancellingChangesNothing()
{
    {
        Database db(configFor(sqliteUrl(m_path)));
        test::createUnmanagedSchema(db, 1);
    }
    MigrationsPanel *panel = openWindow();
    QTRY_VERIFY_WITH_TIMEOUT(action(QStringLiteral("Adopt (baseline)…")), 30000);
    m_answer = false;
    click(QStringLiteral("Adopt (baseline)…"));
    QCOMPARE(m_questions.size(), 1);
    m_chosen.clear(); // the version chooser cancelled
    click(QStringLiteral("Adopt (baseline)…"));
    QCOMPARE(m_questions.size(), 1);
    QTest::qWait(500);
    QVERIFY(action(QStringLiteral("Adopt (baseline)…")));
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM sqlite_schema WHERE name LIKE 'dbdeck_%'")), 0);
    QCOMPARE(panel->messageArea()->kind(), MessageArea::Kind::Warning);
}

QTEST_MAIN(tst_AdoptController)
#include "tst_adoptcontroller.moc"

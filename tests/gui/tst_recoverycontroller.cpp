#include "db/database.h"
#include "db/errors.h"
#include "dialoganswer.h"
#include "guisupport.h"
#include "mainwindow.h"
#include "messagearea.h"
#include "migrate/migrationerror.h"
#include "migrate/migrator.h"
#include "migrationspanel.h"
#include "resumedialog.h"
#include "statusbadges.h"
#include "testsupport.h"

#include <QAction>
#include <QDir>
#include <QElapsedTimer>
#include <QMessageBox>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

#include <atomic>
#include <thread>

using namespace dbdeck;
using namespace dbdeck::gui;
using dbdeck::test::answerNextDialog;
using dbdeck::test::configFor;
using dbdeck::test::sqliteUrl;
using dbdeck::test::writeFile;

// The Migrations tab's recovery of a transaction:false migration left part-way: the CLI's
// resume, mark-applied and mark-not-applied as buttons in the message area, each confirmed in a
// dialog, run on a worker, journaled, and checked here from a second connection.
class tst_RecoveryController : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void resumeRunsTheRestFromTheStatementItStoppedAt();
    void markAppliedRecordsItRunningNothing();
    void markNotAppliedOnAFailedPartialMigration();
    void cancellingTheConfirmationChangesNothing();
    void aReadOnlyDatabaseDisablesRecoveryWithTheReason();

private:
    DbConfig config() const { return configFor(sqliteUrl(m_path)); }
    void interrupt();
    MigrationStatus status3();
    int journalRows();
    MigrationsPanel *openWindow();
    QAction *action(const QString &text) const;
    void click(const QString &text);

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
    QString m_folder;
    QByteArray m_folderUtf8;
    std::unique_ptr<MainWindow> m_window;
};

void tst_RecoveryController::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void tst_RecoveryController::init()
{
    QSettings().clear();
    m_dir = std::make_unique<QTemporaryDir>();
    m_path = m_dir->filePath(QStringLiteral("app.db"));
    m_folder = m_dir->filePath(QStringLiteral("migrations"));
    m_folderUtf8 = m_folder.toUtf8();
    QDir().mkpath(m_folder);
    for (const QString &name : {QStringLiteral("0001_create_runs.sql"), QStringLiteral("0002_create_events.sql")})
        QVERIFY(QFile::copy(QStringLiteral(DBDECK_SOURCE_DIR "/migrations/") + name, m_folder + QLatin1Char('/') + name));
    Database db(config());
    Migrator(db, MigrationSet::load(m_folder)).upgrade({});
}

void tst_RecoveryController::cleanup()
{
    m_window.reset();
}

// A real interrupted migration: 0003 has four statements, the third slow; its run is cancelled
// (MigrationRunOptions::cancel, as SIGTERM does in the CLI) once two are done, so it stops at a
// safe point before statement 3 or 4, which never ran.
void tst_RecoveryController::interrupt()
{
    writeFile(m_folder + QStringLiteral("/0003_batches.sql"),
              "-- migrate:up transaction:false\nCREATE TABLE marks (x INTEGER);\nINSERT INTO marks VALUES (1);\n"
              "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000000) SELECT count(*) FROM n;\n"
              "INSERT INTO marks VALUES (2);\n");
    std::atomic_bool cancel{false};
    std::thread runner([&] {
        Database db(config());
        MigrationRunOptions options;
        options.cancel = &cancel;
        Migrator(db, MigrationSet::load(m_folder)).upgrade(options);
    });
    {
        Database watcher(config());
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < 30000) {
            try {
                if (watcher.scalar(QStringLiteral("SELECT statements_done FROM dbdeck_migration_progress WHERE version = 3")).toInt() >= 2)
                    break;
            } catch (const DbError &) {
                // the progress table or row is not there yet
            }
            QThread::msleep(2);
        }
    }
    cancel = true;
    runner.join();
    QCOMPARE(status3().state, MigrationState::Interrupted);
}

MigrationStatus tst_RecoveryController::status3()
{
    Database db(config()); // a second connection, as another process would look
    return *Migrator(db, MigrationSet::load(m_folder)).status().find(3);
}

int tst_RecoveryController::journalRows()
{
    Database db(config());
    return db.scalar(QStringLiteral("SELECT count(*) FROM dbdeck_migration_journal")).toInt();
}

MigrationsPanel *tst_RecoveryController::openWindow()
{
    m_window = std::make_unique<MainWindow>(configFor(sqliteUrl(m_path), {{"MIGRATIONS_DIR", m_folderUtf8.constData()}}), QString());
    m_window->show();
    auto *panel = m_window->findChild<MigrationsPanel *>();
    if (!QTest::qWaitFor([&] { return panel->headerText().startsWith(QStringLiteral("Current")); }, 30000))
        qFatal("the migrations did not load");
    return panel;
}

QAction *tst_RecoveryController::action(const QString &text) const
{
    return test::messageAction(m_window->findChild<MigrationsPanel *>()->messageArea(), text);
}

void tst_RecoveryController::click(const QString &text)
{
    QVERIFY2(test::clickMessageAction(m_window->findChild<MigrationsPanel *>()->messageArea(), text), qPrintable(text));
}

void tst_RecoveryController::resumeRunsTheRestFromTheStatementItStoppedAt()
{
    interrupt();
    const int stoppedAt = status3().statementsDone + 1;
    const int before = journalRows();
    MigrationsPanel *panel = openWindow();
    QTRY_VERIFY(action(QStringLiteral("Resume…")));
    // Never "0 pending" above it: the header counts it as interrupted.
    QVERIFY2(panel->headerText().contains(QStringLiteral("1 interrupted")), qPrintable(panel->headerText()));
    QVERIFY2(!panel->headerText().contains(QStringLiteral("pending")), qPrintable(panel->headerText()));
    QCOMPARE(panel->messageArea()->kind(), MessageArea::Kind::Error);
    QVERIFY2(panel->messageArea()->text().contains(QStringLiteral("0003_batches was cancelled before statement %1 of 4").arg(stoppedAt)),
             qPrintable(panel->messageArea()->text()));
    QVERIFY(action(QStringLiteral("Mark applied…")));
    QVERIFY(action(QStringLiteral("Mark not applied…")));

    int offered = 0;
    QStringList statements;
    answerNextDialog(QStringLiteral("Resume"), [&](QDialog *dialog) {
        auto *resume = qobject_cast<ResumeDialog *>(dialog);
        QVERIFY(resume);
        offered = resume->fromStatement();
        statements = resume->statementLines();
    });
    click(QStringLiteral("Resume…"));
    QCOMPARE(offered, stoppedAt); // the default is the statement it stopped at
    QCOMPARE(statements.size(), 4);
    QVERIFY2(statements.at(0).contains(QStringLiteral("[ran]")), qPrintable(statements.join(QLatin1Char('\n'))));
    QVERIFY2(statements.at(stoppedAt - 1).contains(QStringLiteral("did not run")), qPrintable(statements.join(QLatin1Char('\n'))));
    QTRY_VERIFY_WITH_TIMEOUT(panel->headerText().contains(QStringLiteral("up to date")), 30000);
    QTRY_VERIFY(panel->messageArea()->text().contains(QStringLiteral("Resumed 0003_batches from statement %1").arg(stoppedAt)));
    QCOMPARE(m_window->badges()->text(QStringLiteral("statusAccess")), QStringLiteral("read-write")); // it asked to write

    QCOMPARE(status3().state, MigrationState::Applied);
    Database db(config());
    QCOMPARE(db.scalar(QStringLiteral("SELECT count(*) FROM marks")).toInt(), 2); // each insert ran once
    QCOMPARE(journalRows(), before + 1);
    QCOMPARE(db.scalar(QStringLiteral("SELECT operation || ' ' || outcome FROM dbdeck_migration_journal ORDER BY id DESC LIMIT 1")).toString(),
             QStringLiteral("resume succeeded"));
}

void tst_RecoveryController::markAppliedRecordsItRunningNothing()
{
    interrupt();
    const int done = status3().statementsDone;
    MigrationsPanel *panel = openWindow();
    QTRY_VERIFY(action(QStringLiteral("Mark applied…")));
    QString asked;
    answerNextDialog(QStringLiteral("Yes"), [&](QDialog *dialog) { asked = qobject_cast<QMessageBox *>(dialog)->text(); });
    click(QStringLiteral("Mark applied…"));
    QVERIFY2(asked.contains(QStringLiteral("Record 0003_batches as applied, running nothing?")), qPrintable(asked));
    QVERIFY2(asked.contains(QStringLiteral("Statements 1 to %1 of 4 ran.").arg(done)), qPrintable(asked));
    QTRY_VERIFY_WITH_TIMEOUT(panel->headerText().contains(QStringLiteral("up to date")), 30000);
    QTRY_VERIFY(panel->messageArea()->text().contains(QStringLiteral("Marked 0003 as applied (nothing ran)")));

    QCOMPARE(status3().state, MigrationState::Applied);
    Database db(config());
    QCOMPARE(db.scalar(QStringLiteral("SELECT count(*) FROM marks")).toInt(), 1); // statement 4 never ran
    QCOMPARE(db.scalar(QStringLiteral("SELECT operation || ' ' || outcome FROM dbdeck_migration_journal ORDER BY id DESC LIMIT 1")).toString(),
             QStringLiteral("mark-applied succeeded"));
}

void tst_RecoveryController::markNotAppliedOnAFailedPartialMigration()
{
    writeFile(m_folder + QStringLiteral("/0003_backfill.sql"),
              "-- migrate:up transaction:false\nCREATE TABLE t1 (x INTEGER);\nINSERT INTO nope VALUES (1);\n");
    {
        Database db(config());
        QVERIFY_THROWS_EXCEPTION(MigrationError, Migrator(db, MigrationSet::load(m_folder)).upgrade({}));
        db.exec(QStringLiteral("DROP TABLE t1")); // the user undid statement 1 by hand
    }
    QCOMPARE(status3().state, MigrationState::FailedPartial);
    MigrationsPanel *panel = openWindow();
    QTRY_VERIFY(action(QStringLiteral("Mark not applied…")));
    QVERIFY(action(QStringLiteral("Run it again…"))); // failed-partial: upgrade --retry-partial too
    QVERIFY2(panel->headerText().contains(QStringLiteral("1 failed-partial")), qPrintable(panel->headerText()));
    answerNextDialog(QStringLiteral("Yes"));
    click(QStringLiteral("Mark not applied…"));
    QTRY_VERIFY_WITH_TIMEOUT(panel->headerText().contains(QStringLiteral("1 pending")), 30000);

    QCOMPARE(status3().state, MigrationState::Pending);
    Database db(config());
    QCOMPARE(db.scalar(QStringLiteral("SELECT count(*) FROM dbdeck_schema_migrations WHERE version = 3")).toInt(), 0);
    QCOMPARE(db.scalar(QStringLiteral("SELECT operation || ' ' || outcome FROM dbdeck_migration_journal ORDER BY id DESC LIMIT 1")).toString(),
             QStringLiteral("mark-not-applied succeeded"));
}

void tst_RecoveryController::cancellingTheConfirmationChangesNothing()
{
    interrupt();
    const int before = journalRows();
    MigrationsPanel *panel = openWindow();
    QTRY_VERIFY(action(QStringLiteral("Resume…")));
    for (const QString &text : {QStringLiteral("Resume…"), QStringLiteral("Mark applied…"), QStringLiteral("Mark not applied…")}) {
        bool shown = false;
        answerNextDialog(QStringLiteral("Cancel"), [&](QDialog *) { shown = true; });
        click(text);
        QVERIFY2(shown, qPrintable(text));
    }
    QTest::qWait(500);
    QCOMPARE(journalRows(), before);
    QCOMPARE(status3().state, MigrationState::Interrupted);
    QVERIFY(panel->headerText().contains(QStringLiteral("1 interrupted")));
    QVERIFY(action(QStringLiteral("Resume…"))); // still offered
}

void tst_RecoveryController::aReadOnlyDatabaseDisablesRecoveryWithTheReason()
{
    interrupt();
    const int before = journalRows();
    m_window = std::make_unique<MainWindow>(configFor(QStringLiteral("sqlite:///file:%1?mode=ro&uri=true").arg(m_path),
                                                      {{"MIGRATIONS_DIR", m_folderUtf8.constData()}}),
                                            QString());
    m_window->show();
    QTRY_VERIFY_WITH_TIMEOUT(action(QStringLiteral("Resume…")), 30000);
    for (const QString &text : {QStringLiteral("Resume…"), QStringLiteral("Mark applied…"), QStringLiteral("Mark not applied…")}) {
        QAction *a = action(text);
        QVERIFY2(!a->isEnabled(), qPrintable(text));
        QVERIFY2(a->toolTip().contains(QStringLiteral("the URL opens %1 read-only").arg(m_path)), qPrintable(a->toolTip()));
    }
    QCOMPARE(status3().state, MigrationState::Interrupted);
    QCOMPARE(journalRows(), before);
}

QTEST_MAIN(tst_RecoveryController)
#include "tst_recoverycontroller.moc"

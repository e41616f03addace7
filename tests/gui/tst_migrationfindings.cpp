#include "celltablemodel.h"
#include "db/database.h"
#include "dialoganswer.h"
#include "guisupport.h"
#include "mainwindow.h"
#include "messagearea.h"
#include "migrate/migrator.h"
#include "migrationspanel.h"
#include "testsupport.h"

#include <QAction>
#include <QDir>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace dbdeck;
using namespace dbdeck::gui;
using dbdeck::test::answerNextDialog;
using dbdeck::test::child;
using dbdeck::test::configFor;
using dbdeck::test::sqliteUrl;
using dbdeck::test::writeFile;

// Lint and preflight findings beside each pending migration, before Apply (issue 14): a marker
// in the list, the findings of the selected one under its SQL, and Apply as the CLI decides it:
// lint errors fail `check` (Apply disabled, saying why), violating rows fail `upgrade
// --preflight` (Apply asks first).
class tst_MigrationFindings : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void aLintErrorIsShownAndDisablesApply();
    void violatingRowsAreCountedAndApplyAsksFirst();
    void aCleanMigrationSaysSoAndApplies();

private:
    DbConfig config() const { return configFor(sqliteUrl(m_path)); }
    MigrationsPanel *openWindow();
    QString markerOf(MigrationsPanel *panel, const QString &version) const;
    int journalRows();

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
    QString m_folder;
    QByteArray m_folderUtf8;
    std::unique_ptr<MainWindow> m_window;
};

void tst_MigrationFindings::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void tst_MigrationFindings::init()
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
    for (int i = 1; i <= 3; ++i) // three runs of the same kind
        db.exec(QStringLiteral("INSERT INTO runs (id, kind, status, created_at, updated_at) VALUES (?, 'ingest', 'queued', "
                               "'2026-01-01 00:00:00.000000', '2026-01-01 00:00:00.000000')"),
                {QStringLiteral("run-%1").arg(i)});
}

void tst_MigrationFindings::cleanup()
{
    m_window.reset();
}

MigrationsPanel *tst_MigrationFindings::openWindow()
{
    m_window = std::make_unique<MainWindow>(configFor(sqliteUrl(m_path), {{"MIGRATIONS_DIR", m_folderUtf8.constData()}}), QString());
    m_window->show();
    auto *panel = m_window->findChild<MigrationsPanel *>();
    if (!QTest::qWaitFor([&] { return panel->headerText().startsWith(QStringLiteral("Current")); }, 30000))
        qFatal("the migrations did not load");
    return panel;
}

QString tst_MigrationFindings::markerOf(MigrationsPanel *panel, const QString &version) const
{
    const int row = panel->migrationsModel()->rowOfKey(version);
    return row < 0 ? QString() : panel->migrationsModel()->text(row, 3);
}

int tst_MigrationFindings::journalRows()
{
    Database db(config());
    return db.scalar(QStringLiteral("SELECT count(*) FROM dbdeck_migration_journal")).toInt();
}

void tst_MigrationFindings::aLintErrorIsShownAndDisablesApply()
{
    writeFile(m_folder + QStringLiteral("/0003_drop_events.sql"), "-- migrate:up\nDROP TABLE events;\n");
    MigrationsPanel *panel = openWindow();
    QTRY_VERIFY_WITH_TIMEOUT(panel->findings().has_value(), 30000);
    QTRY_VERIFY(markerOf(panel, QStringLiteral("0003")).contains(QStringLiteral("1 error(s)")));
    auto *findings = child<QLabel>(panel, "findingsLabel");
    QVERIFY(!findings->isHidden());
    QVERIFY2(findings->text().contains(QStringLiteral("line 2:1: error destructive-drop-table")), qPrintable(findings->text()));
    // As `dbdeck-cli check` fails on lint errors: Apply is disabled, and the message says why.
    QVERIFY(!child<QPushButton>(panel, "applyButton")->isEnabled());
    QVERIFY2(panel->applyAction()->toolTip().startsWith(QStringLiteral("Disabled: lint found 1 error(s)")), qPrintable(panel->applyAction()->toolTip()));
    QCOMPARE(panel->messageArea()->kind(), MessageArea::Kind::Warning);
    QVERIFY2(panel->messageArea()->text().contains(QStringLiteral("0003_drop_events line 2: destructive-drop-table")),
             qPrintable(panel->messageArea()->text()));
    QVERIFY(panel->messageArea()->text().contains(QStringLiteral("-- dbdeck:ignore")));
}

void tst_MigrationFindings::violatingRowsAreCountedAndApplyAsksFirst()
{
    writeFile(m_folder + QStringLiteral("/0003_unique_kind.sql"),
              "-- migrate:up\nCREATE UNIQUE INDEX uq_runs_kind ON runs (kind);\n-- migrate:down\nDROP INDEX uq_runs_kind;\n");
    MigrationsPanel *panel = openWindow();
    QTRY_VERIFY_WITH_TIMEOUT(markerOf(panel, QStringLiteral("0003")).contains(QStringLiteral("3 row(s) violate")), 30000);
    auto *findings = child<QLabel>(panel, "findingsLabel");
    QVERIFY2(findings->text().contains(QStringLiteral("3 of 3 row(s) share their value with another row")), qPrintable(findings->text()));
    QCOMPARE(panel->messageArea()->kind(), MessageArea::Kind::Warning);
    QVERIFY(panel->messageArea()->text().contains(QStringLiteral("The preflight found what would make one fail")));
    auto *apply = child<QPushButton>(panel, "applyButton");
    QTRY_VERIFY(apply->isEnabled());

    // Declined: nothing runs.
    const int before = journalRows();
    QString asked;
    answerNextDialog(QStringLiteral("Cancel"), [&](QDialog *dialog) { asked = qobject_cast<QMessageBox *>(dialog)->text(); });
    QTest::mouseClick(apply, Qt::LeftButton);
    QVERIFY2(asked.contains(QStringLiteral("3 of 3 row(s) share their value")), qPrintable(asked));
    QTest::qWait(300);
    QCOMPARE(journalRows(), before);
    QVERIFY(panel->headerText().contains(QStringLiteral("1 pending")));

    // Confirmed: it runs, and fails on the rows the preflight counted.
    answerNextDialog(QStringLiteral("Yes"));
    QTest::mouseClick(apply, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(panel->messageArea()->kind() == MessageArea::Kind::Error, 30000);
    QVERIFY2(panel->messageArea()->text().contains(QStringLiteral("UNIQUE")), qPrintable(panel->messageArea()->text()));
    QCOMPARE(journalRows(), before + 1);
}

void tst_MigrationFindings::aCleanMigrationSaysSoAndApplies()
{
    writeFile(m_folder + QStringLiteral("/0003_widgets.sql"),
              "-- migrate:up\nCREATE TABLE widgets (id TEXT NOT NULL, CONSTRAINT pk_widgets PRIMARY KEY (id));\n"
              "-- migrate:down\nDROP TABLE widgets;\n");
    MigrationsPanel *panel = openWindow();
    auto *findings = child<QLabel>(panel, "findingsLabel");
    QTRY_COMPARE_WITH_TIMEOUT(findings->text(), QStringLiteral("Lint and preflight: no findings."), 30000);
    QCOMPARE(markerOf(panel, QStringLiteral("0003")), QString());
    auto *apply = child<QPushButton>(panel, "applyButton");
    QTRY_VERIFY(apply->isEnabled());
    QTest::mouseClick(apply, Qt::LeftButton); // no question: nothing to confirm
    QTRY_VERIFY_WITH_TIMEOUT(panel->headerText().contains(QStringLiteral("up to date")), 30000);
    QVERIFY(findings->isHidden()); // applied: no findings shown for it
}

QTEST_MAIN(tst_MigrationFindings)
#include "tst_migrationfindings.moc"

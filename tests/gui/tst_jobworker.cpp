#include "db/database.h"
#include "guisupport.h"
#include "jobworker.h"
#include "migrateddb.h"
#include "migrate/migrationerror.h"
#include "migrate/migrator.h"
#include "testsupport.h"

#include <QDir>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace dbdeck;
using namespace dbdeck::gui;
using dbdeck::test::configFor;
using dbdeck::test::sqliteUrl;

// The long-jobs worker, driven directly on the test's thread.
class tst_JobWorker : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cancellingACountKeepsTheTablesCounted();
    void anObsoleteCountIsSkipped();
    void recoverMarksAFailedPartialMigrationApplied();
    void checkPendingLintsAndCountsViolatingRows();
};

void tst_JobWorker::cancellingACountKeepsTheTablesCounted()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("app.db"));
    test::migratedDatabase(path);
    auto generations = std::make_shared<Generations>();
    JobWorker worker(configFor(sqliteUrl(path)), generations);
    // Cancel as the third table starts, the way the Cancel button does from the GUI thread.
    connect(&worker, &JobWorker::countsProgress, &worker, [&worker](int done) {
        if (done == 2)
            worker.cancel();
    }, Qt::DirectConnection);
    QSignalSpy ready(&worker, &JobWorker::countsReady);
    worker.countTables(generations->next(View::Counts));
    QCOMPARE(ready.size(), 1);
    const CountsReport report = ready.first().first().value<CountsReport>();
    QVERIFY(!report.complete);
    // The tables counted before Cancel reached the counter stay (2, or 3 when the third had begun).
    QVERIFY2(report.counts.size() >= 2 && report.counts.size() < 6, qPrintable(QString::number(report.counts.size())));
    QCOMPARE(report.counts.first().table, QStringLiteral("dbdeck_metadata"));
    QVERIFY(report.note.startsWith(QStringLiteral("cancelled")));
}

void tst_JobWorker::anObsoleteCountIsSkipped()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("app.db"));
    test::migratedDatabase(path);
    auto generations = std::make_shared<Generations>();
    JobWorker worker(configFor(sqliteUrl(path)), generations);
    QSignalSpy ready(&worker, &JobWorker::countsReady);
    const quint64 first = generations->next(View::Counts);
    const quint64 second = generations->next(View::Counts); // asked again before the first began
    worker.countTables(first);
    QCOMPARE(ready.size(), 0);
    worker.countTables(second);
    QCOMPARE(ready.size(), 1);
}

void tst_JobWorker::recoverMarksAFailedPartialMigrationApplied()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("app.db"));
    const QString folder = dir.filePath(QStringLiteral("migrations"));
    QDir().mkpath(folder);
    test::writeFile(folder + QStringLiteral("/0001_steps.sql"),
                    "-- migrate:up transaction:false\nCREATE TABLE t1 (x INTEGER);\nINSERT INTO nope VALUES (1);\n");
    const QByteArray dirSetting = folder.toUtf8();
    const DbConfig cfg = configFor(sqliteUrl(path), {{"MIGRATIONS_DIR", dirSetting.constData()}});
    {
        Database db(cfg);
        QVERIFY_THROWS_EXCEPTION(MigrationError, Migrator(db, MigrationSet::load(folder)).upgrade({}));
    }
    JobWorker worker(cfg, std::make_shared<Generations>());
    QSignalSpy recovered(&worker, &JobWorker::recovered);
    worker.recover({RecoveryRequest::Action::MarkApplied, 7, 0}); // no such migration: refused, said why
    QCOMPARE(recovered.size(), 1);
    RecoveryOutcome outcome = recovered.takeFirst().first().value<RecoveryOutcome>();
    QVERIFY(!outcome.ok);
    QVERIFY2(outcome.message.contains(QStringLiteral("no migration has version 0007")), qPrintable(outcome.message));
    worker.recover({RecoveryRequest::Action::MarkApplied, 1, 0});
    outcome = recovered.takeFirst().first().value<RecoveryOutcome>();
    QVERIFY2(outcome.ok, qPrintable(outcome.message));
    QCOMPARE(outcome.message, QStringLiteral("Marked 0001 as applied (nothing ran): the database is at 0001."));
    Database db(cfg);
    QCOMPARE(Migrator(db, MigrationSet::load(folder)).status().find(1)->state, MigrationState::Applied);
}

void tst_JobWorker::checkPendingLintsAndCountsViolatingRows()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("app.db"));
    const QString folder = dir.filePath(QStringLiteral("migrations"));
    QDir().mkpath(folder);
    test::writeFile(folder + QStringLiteral("/0001_items.sql"), "-- migrate:up\nCREATE TABLE items (id INTEGER, kind TEXT);\n");
    const QByteArray dirSetting = folder.toUtf8();
    const DbConfig cfg = configFor(sqliteUrl(path), {{"MIGRATIONS_DIR", dirSetting.constData()}});
    {
        Database db(cfg);
        Migrator(db, MigrationSet::load(folder)).upgrade({});
        db.exec(QStringLiteral("INSERT INTO items VALUES (1, 'a'), (2, 'a'), (3, 'b')"));
    }
    test::writeFile(folder + QStringLiteral("/0002_unique.sql"), "-- migrate:up\nCREATE UNIQUE INDEX uq_items_kind ON items (kind);\n");
    test::writeFile(folder + QStringLiteral("/0003_drop.sql"), "-- migrate:up\nDELETE FROM items;\n");
    auto generations = std::make_shared<Generations>();
    JobWorker worker(cfg, generations);
    QSignalSpy checked(&worker, &JobWorker::pendingChecked);
    worker.checkPending(generations->next(View::Findings));
    QCOMPARE(checked.size(), 1);
    const PendingFindings findings = checked.first().first().value<PendingFindings>();
    QVERIFY2(findings.notes.isEmpty(), qPrintable(findings.notes.join(QLatin1Char('\n'))));
    QCOMPARE(findings.byVersion.value(2).violations(), 1);
    QCOMPARE(findings.byVersion.value(2).violatingRows(), 2); // the two rows of kind 'a'
    QCOMPARE(findings.byVersion.value(3).lintErrors(), 1);    // destructive-delete-without-where
    QCOMPARE(findings.lintErrors(), 1);
    QVERIFY(!findings.key.isEmpty());
}

QTEST_MAIN(tst_JobWorker)
#include "tst_jobworker.moc"

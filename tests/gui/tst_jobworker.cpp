#include "db/database.h"
#include "guisupport.h"
#include "jobworker.h"
#include "migrateddb.h"
#include "testsupport.h"

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

QTEST_MAIN(tst_JobWorker)
#include "tst_jobworker.moc"

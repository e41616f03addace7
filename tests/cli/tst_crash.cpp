#include "clirunner.h"
#include "testsupport.h"
#include "db/database.h"
#include "migrate/migrator.h"

#include <QDir>
#include <QElapsedTimer>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <csignal>

using namespace dbdeck;
using dbdeck::test::configFor;
using dbdeck::test::runCli;
using dbdeck::test::sqliteUrl;
using dbdeck::test::writeFile;

namespace {

constexpr int kRows = 4000; // rows per statement: a few ms each, so kills land inside statements too

// Migrations 2 and 4 are transactional, 3 and 5 transaction:false; every statement inserts
// kRows rows tagged (migration, statement) into marks, whose primary key makes running any
// statement twice fail loudly.
const QList<QPair<int, bool>> kMigrations{{2, true}, {3, false}, {4, true}, {5, false}};
constexpr int kStatements = 4;

QString statementFor(int migration, int step)
{
    return QStringLiteral("INSERT INTO marks (migration, step, x) WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c"
                          " WHERE x < %3) SELECT %1, %2, x FROM c;\n").arg(migration).arg(step).arg(kRows);
}

void writeMigrations(const QString &folder)
{
    QDir().mkpath(folder);
    writeFile(folder + QStringLiteral("/0001_marks.sql"),
              "-- migrate:up\nCREATE TABLE marks (migration INTEGER NOT NULL, step INTEGER NOT NULL, x INTEGER NOT NULL,"
              " CONSTRAINT pk_marks PRIMARY KEY (migration, step, x));\n");
    for (const auto &[n, transactional] : kMigrations) {
        QString text = transactional ? QStringLiteral("-- migrate:up\n") : QStringLiteral("-- migrate:up transaction:false\n");
        for (int step = 1; step <= kStatements; ++step)
            text += statementFor(n, step);
        writeFile(QStringLiteral("%1/%2_batch.sql").arg(folder, MigrationFile::formatVersion(n)), text);
    }
}

} // namespace

// Issue 10 §9: dbdeck-cli upgrade killed at random points, again and again. After every kill the
// database is intact, no migration is half-applied or recorded wrongly, and the documented
// recovery (resume where status says, then upgrade) ends with every migration applied once.
class tst_Crash : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void upgradeKilledAtRandomPointsRecovers();

private:
    // Checks the invariants after a kill; returns the interrupted migrations' recovery commands.
    void verifyAndPlanRecovery(const QString &url, const QString &folder, QString *state, QList<QStringList> *commands);
    QTemporaryDir m_dir;
};

void tst_Crash::verifyAndPlanRecovery(const QString &url, const QString &folder, QString *state, QList<QStringList> *commands)
{
    Database db(configFor(url));
    if (!db.exists())
        return;
    [&] { QCOMPARE(db.scalar(QStringLiteral("PRAGMA integrity_check")).toString(), QStringLiteral("ok")); }();
    Migrator migrator(db, MigrationSet::load(folder));
    const StatusReport st = migrator.status();
    const bool marks = db.hasTable(QStringLiteral("marks"));
    const auto rows = [&](int migration, int step) {
        return marks ? db.scalar(QStringLiteral("SELECT count(*) FROM marks WHERE migration = ? AND step = ?"), {migration, step}).toInt() : 0;
    };
    for (const auto &[n, transactional] : kMigrations) {
        const MigrationStatus *m = st.find(n);
        QVERIFY(m);
        *state += QStringLiteral("%1:%2 ").arg(n).arg(stateName(m->state));
        QVERIFY2(m->state == MigrationState::Applied || m->state == MigrationState::Pending
                     || (!transactional && m->state == MigrationState::Interrupted),
                 qPrintable(stateName(m->state)));
        for (int step = 1; step <= kStatements; ++step) {
            const int count = rows(n, step);
            QVERIFY2(count == 0 || count == kRows, "a statement half-applied");
            if (m->state == MigrationState::Applied)
                QVERIFY2(count == kRows, qPrintable(QStringLiteral("%1 applied but statement %2 missing").arg(m->name).arg(step)));
            else if (m->state == MigrationState::Pending)
                QVERIFY2(count == 0, qPrintable(QStringLiteral("%1 pending but statement %2 ran").arg(m->name).arg(step)));
            else if (step <= m->statementsDone)
                QVERIFY2(count == kRows, "a statement recorded done did not run");
            else if (step > m->statementsDone + 1 || m->cancelled)
                QVERIFY2(count == 0, "a statement after the interruption point ran");
        }
        if (m->state == MigrationState::Interrupted) {
            // What the user does after looking: resume after the last statement that did run.
            const int k = m->statementsDone + 1;
            const int from = rows(n, k) == kRows ? k + 1 : k;
            *commands << (from > kStatements ? QStringList{QStringLiteral("mark-applied"), MigrationFile::formatVersion(n)}
                                            : QStringList{QStringLiteral("resume"), MigrationFile::formatVersion(n),
                                                          QStringLiteral("--from"), QString::number(from)});
        }
    }
}

void tst_Crash::upgradeKilledAtRandomPointsRecovers()
{
    const QString folder = m_dir.filePath(QStringLiteral("m"));
    writeMigrations(folder);
    QProcessEnvironment env;
    env.insert(QStringLiteral("PATH"), qEnvironmentVariable("PATH"));

    // How long a whole upgrade takes here, so that the kills spread over all of it.
    const QString calibration = sqliteUrl(m_dir.filePath(QStringLiteral("calibration.db")));
    QElapsedTimer timer;
    timer.start();
    QCOMPARE(runCli(m_dir.path(), {QStringLiteral("upgrade"), QStringLiteral("--migrations"), folder, QStringLiteral("--db-url"), calibration}).exitCode, 0);
    const qint64 fullRunMs = std::max<qint64>(timer.elapsed(), 50);

    const int trials = 30;
    int interrupted = 0;
    QRandomGenerator random(20261122);
    for (int trial = 0; trial < trials; ++trial) {
        const QString url = sqliteUrl(m_dir.filePath(QStringLiteral("crash-%1.db").arg(trial)));
        const QStringList common{QStringLiteral("--migrations"), folder, QStringLiteral("--db-url"), url,
                                 QStringLiteral("--lock-timeout"), QStringLiteral("30")};
        QProcess victim;
        victim.setProcessEnvironment(env);
        victim.setWorkingDirectory(m_dir.path());
        victim.start(QStringLiteral(DBDECK_CLI), QStringList{QStringLiteral("upgrade")} + common);
        QVERIFY(victim.waitForStarted(10000));
        const int delayMs = int(random.bounded(quint32(fullRunMs + fullRunMs / 10)));
        victim.waitForFinished(delayMs); // an upper bound on how long it may run, not a synchronisation
        const bool term = trial % 4 == 3; // every fourth a polite stop request instead of kill -9
        if (victim.state() != QProcess::NotRunning) {
            ::kill(pid_t(victim.processId()), term ? SIGTERM : SIGKILL);
            ++interrupted;
        }
        if (victim.state() != QProcess::NotRunning)
            QVERIFY(victim.waitForFinished(60000));

        QString state;
        QList<QStringList> recovery;
        verifyAndPlanRecovery(url, folder, &state, &recovery);
        if (QTest::currentTestFailed())
            qWarning("trial %d (delay %d ms, %s): %s", trial, delayMs, term ? "SIGTERM" : "SIGKILL", qPrintable(state));
        QVERIFY(!QTest::currentTestFailed());
        for (const QStringList &command : recovery) {
            const auto r = runCli(m_dir.path(), command + common);
            QVERIFY2(r.exitCode == 0, qPrintable(QStringLiteral("trial %1: %2: %3").arg(trial).arg(command.join(QLatin1Char(' ')), r.err)));
        }
        const auto r = runCli(m_dir.path(), QStringList{QStringLiteral("upgrade")} + common);
        QVERIFY2(r.exitCode == 0, qPrintable(QStringLiteral("trial %1 (%2): %3").arg(trial).arg(state, r.err)));

        Database db(configFor(url));
        QCOMPARE(db.scalar(QStringLiteral("PRAGMA integrity_check")).toString(), QStringLiteral("ok"));
        QCOMPARE(db.scalar(QStringLiteral("SELECT count(*) FROM dbdeck_schema_migrations WHERE state = 'applied'")).toInt(), 5);
        QCOMPARE(db.scalar(QStringLiteral("SELECT count(*) FROM dbdeck_migration_progress")).toInt(), 0);
        QCOMPARE(db.scalar(QStringLiteral("SELECT count(*) FROM marks")).toInt(), int(kMigrations.size()) * kStatements * kRows);
        QCOMPARE(db.scalar(QStringLiteral("SELECT count(*) FROM (SELECT DISTINCT migration, step FROM marks)")).toInt(),
                 int(kMigrations.size()) * kStatements);
        QCOMPARE(db.scalar(QStringLiteral("SELECT count(*) FROM dbdeck_migration_journal WHERE outcome = 'running'")).toInt(), 0);
    }
    qInfo("%d of %d runs were stopped part-way (a whole run takes about %lld ms here)", interrupted, trials, fullRunMs);
    QVERIFY2(interrupted >= trials / 2, "too few kills landed while upgrade was running");
}

QTEST_GUILESS_MAIN(tst_Crash)
#include "tst_crash.moc"

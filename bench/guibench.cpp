#include "guibench.h"

#include "celltablemodel.h"
#include "config/dbconfig.h"
#include "datatableview.h"
#include "db/database.h"
#include "db/transaction.h"
#include "eventsmodel.h"
#include "healthpanel.h"
#include "mainwindow.h"
#include "messagearea.h"
#include "migrate/migrator.h"
#include "runsmodel.h"
#include "runspanel.h"
#include "store/store.h"
#include "tablespanel.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QProcess>
#include <QPushButton>
#include <QStandardPaths>
#include <QTextStream>
#include <QThread>
#include <QTimer>

#include <algorithm>

#include <time.h>

namespace dbdeck::bench {

namespace {

constexpr double kGoalMs = 50.0;

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

DbConfig configFor(const QString &path, const QString &synchronous = QStringLiteral("NORMAL"))
{
    ConfigInputs inputs;
    inputs.environment = QProcessEnvironment();
    inputs.readDotEnv = false;
    inputs.flags.insert(QStringLiteral("DB_URL"), QStringLiteral("sqlite:///") + path);
    inputs.flags.insert(QStringLiteral("MIGRATIONS_DIR"), QStringLiteral(DBDECK_SOURCE_DIR "/migrations"));
    inputs.flags.insert(QStringLiteral("SQLITE_SYNCHRONOUS"), synchronous);
    return DbConfig::load(inputs);
}

qint64 threadCpuNanos()
{
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return qint64(t.tv_sec) * 1000000000 + t.tv_nsec;
}

// Measures how long the GUI thread's event loop goes without running a zero-interval timer:
// the longest time the window could not repaint or react. Each gap also records how much of it
// the GUI thread spent on the CPU: on a loaded machine a thread also waits for a core, which is
// the machine's stall, not the program's.
class StallMeter
{
public:
    StallMeter()
    {
        m_timer.setInterval(0);
        QObject::connect(&m_timer, &QTimer::timeout, [this] {
            const qint64 now = m_clock.nsecsElapsed();
            const qint64 cpu = threadCpuNanos();
            if (m_last >= 0) {
                m_gaps << (now - m_last) / 1e6;
                m_busy << (cpu - m_lastCpu) / 1e6;
            }
            m_last = now;
            m_lastCpu = cpu;
        });
    }
    void start()
    {
        m_gaps.clear();
        m_busy.clear();
        m_last = -1;
        m_clock.start();
        m_timer.start();
    }
    void stop() { m_timer.stop(); }
    double longest() const { return m_gaps.isEmpty() ? 0 : *std::max_element(m_gaps.begin(), m_gaps.end()); }
    double longestBusy() const { return m_busy.isEmpty() ? 0 : *std::max_element(m_busy.begin(), m_busy.end()); }
    double percentile(double p) const
    {
        if (m_gaps.isEmpty())
            return 0;
        QList<double> sorted = m_gaps;
        std::sort(sorted.begin(), sorted.end());
        return sorted.at(std::min<qsizetype>(sorted.size() - 1, qsizetype(p * double(sorted.size()))));
    }
    qsizetype ticks() const { return m_gaps.size(); }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = -1;
    qint64 m_lastCpu = 0;
    QList<double> m_gaps;
    QList<double> m_busy;
};

// Runs the event loop until done() or the timeout; false on timeout.
bool waitFor(const std::function<bool()> &done, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    while (!done()) {
        if (timer.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
        QThread::usleep(200);
    }
    return true;
}

QString runId(int i)
{
    return QStringLiteral("bench-run-%1").arg(i, 3, 10, QLatin1Char('0'));
}

// The database, generated once: `runs` runs of `events` events each, ~0.75 KB a row with its
// payload and indexes.
QString ensureDatabase(const QString &folder, int runs, int events)
{
    QDir().mkpath(folder);
    const QString path = QDir(folder).filePath(QStringLiteral("gui-%1x%2.db").arg(runs).arg(events));
    if (QFileInfo::exists(path) && QFileInfo::exists(path + QStringLiteral(".complete")))
        return path;
    QFile::remove(path);
    out() << "generating " << path << " (" << runs << " runs of " << events << " events, once)…\n";
    out().flush();
    QElapsedTimer timer;
    timer.start();
    {
        Database db(configFor(path, QStringLiteral("OFF")));
        Migrator(db, MigrationSet::load(QStringLiteral(DBDECK_SOURCE_DIR "/migrations"))).upgrade({});
        for (int r = 0; r < runs; ++r) {
            Transaction tx(db, Transaction::Mode::Write);
            db.exec(QStringLiteral("INSERT INTO runs (id, kind, status, created_at, updated_at) VALUES (?, 'ingest', 'running', ?, ?)"),
                    {runId(r), QStringLiteral("2026-01-01 00:00:00.%1").arg(r, 6, 10, QLatin1Char('0')), QStringLiteral("2026-01-01 00:00:00.000000")});
            db.exec(QStringLiteral("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %1) "
                                   "INSERT INTO events (id, run_id, seq, level, kind, message, payload_json, created_at) "
                                   "SELECT ? || '-' || i, ?, i, CASE WHEN i % 97 = 0 THEN 'error' WHEN i % 13 = 0 THEN 'warning' ELSE 'info' END, "
                                   "'progress', 'processed ' || (i % 5000) || ' rows (page ' || i || ')', "
                                   "'{\"note\":\"' || hex(randomblob(230)) || '\",\"page\":' || i || ',\"rows\":' || (i % 5000) || '}', "
                                   "strftime('%Y-%m-%d %H:%M:%f', '2026-01-01', '+' || i || ' seconds') || '000' FROM n")
                        .arg(events),
                    {runId(r), runId(r)});
            tx.commit();
            if ((r + 1) % 5 == 0) {
                out() << "  " << (r + 1) << " of " << runs << " runs, " << timer.elapsed() / 1000 << " s\n";
                out().flush();
            }
        }
    }
    QFile complete(path + QStringLiteral(".complete"));
    complete.open(QIODevice::WriteOnly);
    out() << "generated in " << QString::number(timer.elapsed() / 1000.0, 'f', 1) << " s, "
          << QString::number(QFileInfo(path).size() / 1e9, 'f', 2) << " GB\n";
    return path;
}

// The "other process": appends 20 events every 20 ms to a run, until killed.
int appendForever(const QString &path, const QString &run)
{
    Database db(configFor(path));
    Store store(db);
    for (;;) {
        QList<NewEvent> batch;
        for (int i = 0; i < 20; ++i) {
            NewEvent e;
            e.kind = QStringLiteral("progress");
            e.message = QStringLiteral("appended while the inspector watches");
            batch << e;
        }
        store.appendEvents(run, batch);
        QThread::msleep(20);
    }
}

struct Phase
{
    QString name;
    double longest = 0;     // wall clock
    double longestBusy = 0; // of which the GUI thread ran on a CPU, in the busiest gap
    double p99 = 0;
    qsizetype ticks = 0;
};

void report(const QList<Phase> &phases)
{
    out() << "\n" << QStringLiteral("%1  %2  %3  %4  %5\n").arg(QStringLiteral("phase"), -58).arg(QStringLiteral("longest stall"), 13)
                         .arg(QStringLiteral("GUI CPU"), 9).arg(QStringLiteral("p99"), 8).arg(QStringLiteral("ticks"), 8);
    double worst = 0;
    double worstBusy = 0;
    for (const Phase &p : phases) {
        out() << QStringLiteral("%1  %2  %3  %4  %5\n").arg(p.name, -58).arg(QStringLiteral("%1 ms").arg(p.longest, 0, 'f', 1), 13)
                     .arg(QStringLiteral("%1 ms").arg(p.longestBusy, 0, 'f', 1), 9).arg(QStringLiteral("%1 ms").arg(p.p99, 0, 'f', 1), 8)
                     .arg(p.ticks, 8);
        worst = std::max(worst, p.longest);
        worstBusy = std::max(worstBusy, p.longestBusy);
    }
    out() << "\nlongest GUI-thread stall: " << QString::number(worst, 'f', 1) << " ms wall clock, of which at most "
          << QString::number(worstBusy, 'f', 1) << " ms on a CPU (the rest: waiting for a core on a loaded machine)\n"
          << "goal: no stall over " << kGoalMs << " ms — " << (worst <= kGoalMs ? "met" : worstBusy <= kGoalMs ? "met by the GUI thread's own work, not by the wall clock" : "NOT met")
          << "\n";
}

} // namespace

int runGuiBench(int argc, char *argv[])
{
    if (argc >= 5 && qstrcmp(argv[2], "--append-forever") == 0) {
        QCoreApplication app(argc, argv);
        return appendForever(QString::fromLocal8Bit(argv[3]), QString::fromLocal8Bit(argv[4]));
    }
    if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY") && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen"); // the window still lays out, paints and updates
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("dbdeck-bench"));
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("gui"), QStringLiteral("The GUI benchmark."));
    parser.addOption({QStringLiteral("runs"), QStringLiteral("Runs in the database."), QStringLiteral("n"), QStringLiteral("30")});
    parser.addOption({QStringLiteral("events"), QStringLiteral("Events per run."), QStringLiteral("n"), QStringLiteral("100000")});
    parser.addOption({QStringLiteral("switches"), QStringLiteral("Run switches per phase."), QStringLiteral("n"), QStringLiteral("20")});
    parser.addOption({QStringLiteral("seconds"), QStringLiteral("Duration of the appending and long-job phases."), QStringLiteral("n"), QStringLiteral("20")});
    parser.addOption({QStringLiteral("cache"), QStringLiteral("Where the generated database is kept."), QStringLiteral("dir"),
                      QDir(QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation)).filePath(QStringLiteral("dbdeck-bench"))});
    parser.process(app);
    const int runs = std::max(2, parser.value(QStringLiteral("runs")).toInt());
    const int events = std::max(1, parser.value(QStringLiteral("events")).toInt());
    const int switches = std::max(1, parser.value(QStringLiteral("switches")).toInt());
    const int seconds = std::max(1, parser.value(QStringLiteral("seconds")).toInt());
    const QString path = ensureDatabase(parser.value(QStringLiteral("cache")), runs, events);
    out() << "database: " << path << ", " << QString::number(QFileInfo(path).size() / 1e9, 'f', 2) << " GB; platform "
          << QGuiApplication::platformName() << "\n";
    out().flush();

    gui::MainWindow window(configFor(path), QString());
    window.resize(1200, 800);
    window.show();
    window.showTab(QStringLiteral("runs"));
    auto *panel = window.findChild<gui::RunsPanel *>();
    auto *tables = window.findChild<gui::TablesPanel *>();
    // Let the first count finish, so that it does not run in the phases it does not belong to.
    waitFor([&] { return panel->runsModel()->rowCount() >= runs && tables->model()->rowCount() > 0; }, 600000);
    StallMeter meter;
    QList<Phase> phases;
    const auto measure = [&](const QString &name, const std::function<void()> &work) {
        meter.start();
        work();
        meter.stop();
        phases << Phase{name, meter.longest(), meter.longestBusy(), meter.percentile(0.99), meter.ticks()};
        out() << "  " << name << ": " << QString::number(meter.longest(), 'f', 1) << " ms\n";
        out().flush();
    };
    const auto switchRuns = [&](int count, int offset) {
        for (int i = 0; i < count; ++i) {
            const QString id = runId((i + offset) % runs);
            panel->selectRun(id);
            waitFor([&] { return panel->eventsModel()->runId() == id && panel->eventsModel()->rowCount() > 0; }, 60000);
        }
    };

    measure(QStringLiteral("switching between runs of %1 events").arg(events), [&] { switchRuns(switches, 0); });
    measure(QStringLiteral("scrolling a run's events (fetching 10 pages)"), [&] {
        auto *view = panel->findChild<gui::DataTableView *>(QStringLiteral("eventsTable"));
        for (int page = 0; page < 10; ++page) {
            const int rows = panel->eventsModel()->rowCount();
            view->scrollToBottom();
            waitFor([&] { return panel->eventsModel()->rowCount() > rows; }, 60000);
        }
    });

    QProcess appender;
    appender.start(QCoreApplication::applicationFilePath(), {QStringLiteral("gui"), QStringLiteral("--append-forever"), path, runId(0)});
    appender.waitForStarted();
    panel->selectRun(runId(0));
    measure(QStringLiteral("another process appending 1,000 events/s to the run shown"), [&] {
        QElapsedTimer timer;
        timer.start();
        waitFor([&] { return timer.elapsed() > seconds * 1000; }, seconds * 1000 + 1000);
    });
    measure(QStringLiteral("... and switching runs meanwhile"), [&] { switchRuns(switches, 1); });
    appender.kill();
    appender.waitForFinished();

    // The count and the integrity check, on the long-jobs worker.
    window.showTab(QStringLiteral("tables"));
    tables->reload();
    auto *health = window.findChild<gui::HealthPanel *>();
    health->startCheck(QStringLiteral("integrity"));
    window.showTab(QStringLiteral("runs"));
    measure(QStringLiteral("switching runs while a count and an integrity check run"), [&] { switchRuns(switches, 2); });
    measure(QStringLiteral("... idle while they run (up to --seconds)"), [&] {
        QElapsedTimer timer;
        timer.start();
        waitFor([&] { return timer.elapsed() > seconds * 1000 || health->messageArea()->text().contains(QStringLiteral(": ok")); }, seconds * 1000 + 1000);
    });
    const bool checkDone = health->messageArea()->text().contains(QStringLiteral(": ok"));
    out() << "  integrity check " << (checkDone ? "finished" : "still running: cancelled") << "\n";
    window.close();
    report(phases);
    return 0;
}

} // namespace dbdeck::bench

#include "clirunner.h"

#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using dbdeck::test::CliResult;
using dbdeck::test::runCli;

namespace {

QString shellQuoted(const QString &arg)
{
    return QLatin1Char('\'') + QString(arg).replace(QLatin1Char('\''), QStringLiteral("'\\''")) + QLatin1Char('\'');
}

} // namespace

// dbdeck-cli's output for people in a terminal: progress on a terminal only, ended before the
// summary; tables within the terminal's width; digits grouped in thousands (never in csv or
// json); a command's --help with its own options first.
class tst_CliTerminal : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void progressOnATerminalEndsBeforeTheSummary();
    void noProgressWithoutATerminal();
    void tablesFitTheTerminalWidth();
    void humanOutputGroupsThousands();
    void commandHelpShowsItsOwnOptionsFirst();

private:
    CliResult cli(const QStringList &args, const QList<QPair<QString, QString>> &env = {}) { return runCli(m_dir->path(), args, env); }
    // Runs the CLI with a pseudo-terminal as its standard output and error (script(1)): the
    // combined stream, as a user sees it.
    QString onTerminal(const QStringList &args);

    std::unique_ptr<QTemporaryDir> m_dir;
};

void tst_CliTerminal::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QCOMPARE(cli({QStringLiteral("upgrade"), QStringLiteral("--migrations"), QStringLiteral(DBDECK_SOURCE_DIR "/migrations")}).exitCode, 0);
}

QString tst_CliTerminal::onTerminal(const QStringList &args)
{
    const QString script = QStandardPaths::findExecutable(QStringLiteral("script"));
    if (script.isEmpty())
        qFatal("script(1) (util-linux) is needed to give the CLI a terminal");
    QStringList command{shellQuoted(QStringLiteral(DBDECK_CLI))};
    for (const QString &arg : args)
        command << shellQuoted(arg);
    QProcess process;
    QProcessEnvironment environment;
    environment.insert(QStringLiteral("PATH"), qEnvironmentVariable("PATH"));
    environment.insert(QStringLiteral("LANG"), QStringLiteral("C.UTF-8"));
    environment.insert(QStringLiteral("TERM"), QStringLiteral("xterm"));
    process.setProcessEnvironment(environment);
    process.setWorkingDirectory(m_dir->path());
    process.start(script, {QStringLiteral("-qefc"), command.join(QLatin1Char(' ')), QStringLiteral("/dev/null")});
    process.waitForFinished(120000);
    return QString::fromUtf8(process.readAllStandardOutput()).replace(QStringLiteral("\r\n"), QStringLiteral("\n"));
}

void tst_CliTerminal::progressOnATerminalEndsBeforeTheSummary()
{
    const QString out = onTerminal({QStringLiteral("sample-data"), QStringLiteral("--runs"), QStringLiteral("3"), QStringLiteral("--events"), QStringLiteral("3000")});
    QVERIFY2(out.contains(QStringLiteral("generating 3 runs and 3,000 events…")), qPrintable(out)); // a phase that used to be silent
    // The summary starts on a line of its own, not glued to the last progress line.
    QVERIFY2(out.contains(QRegularExpression(QStringLiteral("(^|\\n)3,003 lines: 3 runs and 3,000 events added, 0 already present\\n"))),
             qPrintable(out));
    const QString counts = onTerminal({QStringLiteral("counts")});
    QVERIFY2(counts.contains(QStringLiteral("counting events")), qPrintable(counts));
    QVERIFY(counts.contains(QRegularExpression(QStringLiteral("\\nTABLE +ROWS"))));
    const QString health = onTerminal({QStringLiteral("health")});
    QVERIFY2(health.contains(QStringLiteral("integrity check…")), qPrintable(health));
    QVERIFY(health.contains(QRegularExpression(QStringLiteral("\\nintegrity check: +ok\\n"))));
}

void tst_CliTerminal::noProgressWithoutATerminal()
{
    const CliResult r = cli({QStringLiteral("sample-data"), QStringLiteral("--runs"), QStringLiteral("3"), QStringLiteral("--events"), QStringLiteral("3000")});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.err, QString()); // a pipe or a log file gets no progress
    QCOMPARE(r.out, QStringLiteral("3,003 lines: 3 runs and 3,000 events added, 0 already present\n"));
}

void tst_CliTerminal::tablesFitTheTerminalWidth()
{
    cli({QStringLiteral("sample-data"), QStringLiteral("--runs"), QStringLiteral("5"), QStringLiteral("--events"), QStringLiteral("50")});
    for (const QString &what : {QStringLiteral("runs"), QStringLiteral("events")}) {
        const CliResult r = cli({QStringLiteral("recent"), what}, {{QStringLiteral("COLUMNS"), QStringLiteral("60")}});
        QCOMPARE(r.exitCode, 0);
        for (const QString &line : r.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
            QVERIFY2(line.size() <= 60 || line.startsWith(QLatin1Char('(')), qPrintable(line));
        QVERIFY(r.out.contains(QStringLiteral("…")));
    }
    // Not a terminal and no COLUMNS: nothing is cut.
    const CliResult wide = cli({QStringLiteral("recent"), QStringLiteral("runs")});
    QVERIFY(!wide.out.contains(QStringLiteral("…")));
}

void tst_CliTerminal::humanOutputGroupsThousands()
{
    QCOMPARE(cli({QStringLiteral("sample-data"), QStringLiteral("--runs"), QStringLiteral("2"), QStringLiteral("--events"), QStringLiteral("1500")}).out,
             QStringLiteral("1,502 lines: 2 runs and 1,500 events added, 0 already present\n"));
    QVERIFY(cli({QStringLiteral("counts")}).out.contains(QRegularExpression(QStringLiteral("\\nevents\\s+1,500\\s+3\\n"))));
    QVERIFY(cli({QStringLiteral("counts"), QStringLiteral("--format"), QStringLiteral("csv")}).out.contains(QStringLiteral("\r\nevents,1500,3,false,application\r\n")));
    QVERIFY(cli({QStringLiteral("counts"), QStringLiteral("--format"), QStringLiteral("json")}).out.contains(QStringLiteral("\"rows\":1500,")));
}

void tst_CliTerminal::commandHelpShowsItsOwnOptionsFirst()
{
    for (const QString &command : {QStringLiteral("recent"), QStringLiteral("counts"), QStringLiteral("ingest")}) {
        const CliResult r = cli({command, QStringLiteral("--help")});
        QCOMPARE(r.exitCode, 0);
        const qsizetype own = r.out.indexOf(command == QLatin1String("ingest") ? QStringLiteral("--on-error") : QStringLiteral("--format"));
        const qsizetype global = r.out.indexOf(QStringLiteral("--db-url"));
        QVERIFY2(own > 0 && global > own, qPrintable(r.out));
        QVERIFY(r.out.startsWith(QStringLiteral("Usage: ")));
    }
}

QTEST_GUILESS_MAIN(tst_CliTerminal)
#include "tst_cliterminal.moc"

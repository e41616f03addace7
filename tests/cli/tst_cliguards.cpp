#include "clirunner.h"
#include "testsupport.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using dbdeck::test::CliResult;
using dbdeck::test::runCli;

// The guarded destructive commands as a user meets them: exit codes, messages, the backup.
class tst_CliGuards : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void protectedDowngradeNeedsPermissionAndName();
    void resetRefusesAProtectedEnvironmentInAnyCase();
    void stampRefusesANewerDatabase();
    void badProtectedEnvsIsAConfigurationError();
};

namespace {

QStringList with(const QString &migrations, QStringList args)
{
    return args << QStringLiteral("--migrations") << migrations;
}

} // namespace

void tst_CliGuards::protectedDowngradeNeedsPermissionAndName()
{
    QTemporaryDir dir;
    const QString m = QStringLiteral(DBDECK_SOURCE_DIR "/migrations");
    const QList<QPair<QString, QString>> prod{{QStringLiteral("APP_ENV"), QStringLiteral("Production")}};
    QCOMPARE(runCli(dir.path(), with(m, {QStringLiteral("upgrade")}), prod).exitCode, 0);

    CliResult r = runCli(dir.path(), with(m, {QStringLiteral("downgrade"), QStringLiteral("-1")}));
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(QStringLiteral("refusing to downgrade: this database is tagged Production")), qPrintable(r.err));
    QVERIFY2(r.err.contains(QStringLiteral("pass --allow-protected --confirm app")), qPrintable(r.err));
    r = runCli(dir.path(), with(m, {QStringLiteral("downgrade"), QStringLiteral("-1"), QStringLiteral("--allow-protected"),
                                    QStringLiteral("--confirm"), QStringLiteral("ap")}));
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(QStringLiteral("the name typed (\"ap\") is not the database's name (\"app\")")), qPrintable(r.err));
    QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("data/backups"))));
    QVERIFY(runCli(dir.path(), with(m, {QStringLiteral("current")})).out.contains(QStringLiteral("0002")));

    r = runCli(dir.path(), with(m, {QStringLiteral("downgrade"), QStringLiteral("-1"), QStringLiteral("--allow-protected"),
                                    QStringLiteral("--confirm"), QStringLiteral("app")}));
    QCOMPARE(r.exitCode, 0);
    const QRegularExpression backup(QStringLiteral("protected database: verified backup written to (\\S+/data/backups/app-\\S+\\.db)\n"));
    const auto match = backup.match(r.out);
    QVERIFY2(match.hasMatch(), qPrintable(r.out));
    QVERIFY(QFile::exists(match.captured(1)));
    QVERIFY2(r.out.contains(QStringLiteral("downgraded 0002 -> 0001 (1 migration(s))")), qPrintable(r.out));
}

void tst_CliGuards::resetRefusesAProtectedEnvironmentInAnyCase()
{
    QTemporaryDir dir;
    const QString m = QStringLiteral(DBDECK_SOURCE_DIR "/migrations");
    QCOMPARE(runCli(dir.path(), with(m, {QStringLiteral("upgrade")})).exitCode, 0);
    const QList<QPair<QString, QString>> env{{QStringLiteral("APP_ENV"), QStringLiteral("PROD")},
                                             {QStringLiteral("DBDECK_ALLOW_RESET"), QStringLiteral("1")}};
    const CliResult r = runCli(dir.path(), with(m, {QStringLiteral("reset"), QStringLiteral("--confirm"), QStringLiteral("app")}), env);
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(QStringLiteral("APP_ENV is \"PROD\", a protected environment (PROTECTED_ENVS: production, prod, live): "
                                           "it is never reset")), qPrintable(r.err));
    QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("data/backups"))));
}

void tst_CliGuards::stampRefusesANewerDatabase()
{
    QTemporaryDir dir;
    const QString m = QStringLiteral(DBDECK_SOURCE_DIR "/migrations");
    QCOMPARE(runCli(dir.path(), with(m, {QStringLiteral("upgrade")})).exitCode, 0);
    // An older checkout: only the first migration file.
    const QString older = dir.filePath(QStringLiteral("older"));
    QVERIFY(QDir().mkpath(older));
    QVERIFY(QFile::copy(m + QStringLiteral("/0001_create_runs.sql"), older + QStringLiteral("/0001_create_runs.sql")));
    const CliResult r = runCli(dir.path(), with(older, {QStringLiteral("stamp"), QStringLiteral("head")}));
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(QStringLiteral("refusing to stamp: the database is at version 0002, newer than the newest migration "
                                           "file 0001")), qPrintable(r.err));
    QVERIFY(runCli(dir.path(), with(m, {QStringLiteral("current")})).out.contains(QStringLiteral("0002")));
}

void tst_CliGuards::badProtectedEnvsIsAConfigurationError()
{
    QTemporaryDir dir;
    const CliResult r = runCli(dir.path(), {QStringLiteral("status"), QStringLiteral("--protected-envs"), QStringLiteral("prod,,live")});
    QCOMPARE(r.exitCode, 3);
    QVERIFY2(r.err.contains(QStringLiteral("PROTECTED_ENVS from flag --protected-envs has a bad value \"prod,,live\"")), qPrintable(r.err));
    QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("data"))));
}

QTEST_GUILESS_MAIN(tst_CliGuards)
#include "tst_cliguards.moc"

#include "db/postgresbackup.h"

#include "config/dburl.h"
#include "config/libpqparameters.h"
#include "config/redactor.h"
#include "db/database.h"
#include "db/errors.h"

#include <QFile>
#include <QProcess>
#include <QSqlQuery>
#include <QStandardPaths>

namespace dbdeck {

namespace {

// "COPY public.\"odd (name)\" (a, b) FROM stdin;" -> public."odd (name)": the name ends at the
// first blank outside double quotes.
QString copiedTable(const QByteArray &line)
{
    bool quoted = false;
    qsizetype end = 5;
    for (; end < line.size(); ++end) {
        if (line.at(end) == '"')
            quoted = !quoted;
        else if (line.at(end) == ' ' && !quoted)
            break;
    }
    return QString::fromUtf8(line.mid(5, end - 5));
}

// Row counts per table as pg_dump wrote them: in COPY's text format every row is one line.
QHash<QString, qint64> countDumpedRows(QFile &dump, bool *complete)
{
    QHash<QString, qint64> counts;
    QString table;
    bool inCopy = false;
    *complete = false;
    while (!dump.atEnd()) {
        QByteArray line = dump.readLine();
        if (line.endsWith('\n'))
            line.chop(1);
        if (inCopy) {
            if (line == "\\.")
                inCopy = false;
            else
                ++counts[table];
        } else if (line.startsWith("COPY ") && line.endsWith(" FROM stdin;")) {
            table = copiedTable(line);
            counts.insert(table, 0);
            inCopy = true;
        } else if (line == "-- PostgreSQL database dump complete") {
            *complete = true;
        }
    }
    return counts;
}

} // namespace

bool PostgresBackup::available()
{
    return !QStandardPaths::findExecutable(QStringLiteral("pg_dump")).isEmpty();
}

BackupResult PostgresBackup::write(Database &db, const QString &path)
{
    const QString pgDump = QStandardPaths::findExecutable(QStringLiteral("pg_dump"));
    if (pgDump.isEmpty())
        throw DbError(QStringLiteral("pg_dump is not installed, so no backup can be taken; install it (package "
                                     "postgresql-client); nothing was changed"));
    // The tables as pg_dump names them, locked so that none changes until the caller commits.
    QStringList tables;
    QSqlQuery q = db.exec(QStringLiteral("SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) FROM pg_class c"
                                         " JOIN pg_namespace n ON n.oid = c.relnamespace"
                                         " WHERE n.nspname = current_schema() AND c.relkind = 'r' ORDER BY 1"));
    while (q.next())
        tables << q.value(0).toString();
    q.finish();
    QHash<QString, qint64> counts;
    if (!tables.isEmpty())
        db.exec(QStringLiteral("LOCK TABLE %1 IN EXCLUSIVE MODE").arg(tables.join(QStringLiteral(", "))));
    for (const QString &table : std::as_const(tables))
        counts.insert(table, db.scalar(QStringLiteral("SELECT count(*) FROM %1").arg(table)).toLongLong());

    // The connection the application's driver would make (host lists, sslmode, options, ...) as
    // a conninfo string; the password through the environment, never on the command line.
    QList<QPair<QString, QString>> parameters;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const auto &[key, value] : db.config().url().libpqParameters()) {
        if (key == QLatin1String("password"))
            env.insert(QStringLiteral("PGPASSWORD"), value);
        else
            parameters.append({key, value});
    }
    parameters.append({QStringLiteral("fallback_application_name"), QStringLiteral("dbdeck")});
    const QStringList args{QStringLiteral("--no-owner"), QStringLiteral("--lock-wait-timeout=60000"), QStringLiteral("--file"), path,
                           QStringLiteral("--dbname"), LibpqParameters::connectOptions(parameters)};
    QProcess dump;
    dump.setProcessEnvironment(env);
    dump.start(pgDump, args);
    if (!dump.waitForFinished(600000) || dump.exitStatus() != QProcess::NormalExit || dump.exitCode() != 0) {
        dump.kill();
        throw DbError(QStringLiteral("pg_dump failed, so no backup was kept and nothing was changed: %1")
                          .arg(Redactor::scrub(QString::fromLocal8Bit(dump.readAllStandardError()).trimmed())));
    }

    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw DbError(QStringLiteral("the backup %1 could not be opened to verify it: %2; nothing was changed")
                          .arg(path, file.errorString()));
    bool complete = false;
    const QHash<QString, qint64> dumped = countDumpedRows(file, &complete);
    if (!complete)
        throw DbError(QStringLiteral("the backup %1 could not be verified: pg_dump did not finish it (no \"dump complete\" "
                                     "line); nothing was changed").arg(path));
    return DatabaseBackup::requireSameCounts(counts, dumped, path);
}

} // namespace dbdeck

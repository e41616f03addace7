#include "migratebench.h"

#include "benchsupport.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTextStream>

namespace dbdeck::bench {

namespace {

QString migrationBody(int n)
{
    return QStringLiteral("CREATE TABLE bench_%1 (id INTEGER NOT NULL, name TEXT NOT NULL, value REAL,"
                          " CONSTRAINT pk_bench_%1 PRIMARY KEY (id));\n"
                          "CREATE INDEX ix_bench_%1_name ON bench_%1 (name);\n"
                          "INSERT INTO bench_%1 (id, name, value) VALUES (1, 'alpha', 1.5), (2, 'beta', 2.5), (3, 'gamma', 3.5);\n")
        .arg(n);
}

// Writes N migration files; returns the same SQL as one shell script, a transaction per migration.
QByteArray writeMigrations(const QString &folder, int migrations)
{
    QDir().mkpath(folder);
    QByteArray script = "PRAGMA journal_mode = WAL;\nPRAGMA synchronous = NORMAL;\nPRAGMA foreign_keys = ON;\n";
    for (int n = 1; n <= migrations; ++n) {
        const QString body = migrationBody(n);
        QFile file(QStringLiteral("%1/%2_bench_%3.sql").arg(folder).arg(n, 4, 10, QLatin1Char('0')).arg(n));
        file.open(QIODevice::WriteOnly);
        file.write(QStringLiteral("-- migrate:up\n%1-- migrate:down\nDROP TABLE bench_%2;\n").arg(body).arg(n).toUtf8());
        script += "BEGIN IMMEDIATE;\n" + body.toUtf8() + "COMMIT;\n";
    }
    return script;
}

void removeDatabase(const QString &path)
{
    for (const char *suffix : {"", "-wal", "-shm"})
        QFile::remove(path + QLatin1String(suffix));
}

} // namespace

int runMigrateBench(int migrations, int runs)
{
    QTextStream out(stdout);
    QTemporaryDir dir;
    const QString folder = dir.filePath(QStringLiteral("migrations"));
    const QString script = writeScript(dir.filePath(QStringLiteral("script.sql")), writeMigrations(folder, migrations));
    const QString db = dir.filePath(QStringLiteral("new.db"));
    const QList<Command> commands{
        {{cliPath(), QStringLiteral("--db-url"), QStringLiteral("sqlite:///") + db, QStringLiteral("--migrations"), folder, QStringLiteral("upgrade")}},
        {{QStringLiteral("sqlite3"), QStringLiteral("-bail"), db}, script},
    };
    const auto results = interleave(runs, commands, [&](int) { removeDatabase(db); });
    out << "dbdeck-bench migrate: " << migrations << " generated migrations (a table, an index, 3 rows each) on a new database, "
        << "whole processes, " << runs << " interleaved runs each\n";
    out << "  dbdeck-cli upgrade (files, checksums, lock, journal, a transaction per migration): " << describe(wall(results.at(0)), QStringLiteral("ms"))
        << "; CPU " << describe(cpu(results.at(0)), QStringLiteral("ms")) << '\n';
    out << "  sqlite3 shell, the same SQL and PRAGMAs, a transaction per migration:               " << describe(wall(results.at(1)), QStringLiteral("ms"))
        << "; CPU " << describe(cpu(results.at(1)), QStringLiteral("ms")) << '\n';
    out << goalLine(QStringLiteral("dbdeck's time <= 1.2x the shell's"), ratios(wall(results.at(0)), wall(results.at(1))), [](double r) { return r <= 1.2; });
    return 0;
}

int runStatusBench(int migrations, int runs)
{
    QTextStream out(stdout);
    QTemporaryDir dir;
    const QString folder = dir.filePath(QStringLiteral("migrations"));
    writeMigrations(folder, migrations);
    const QString db = dir.filePath(QStringLiteral("applied.db"));
    const QString url = QStringLiteral("sqlite:///") + db;
    runProcess({{cliPath(), QStringLiteral("--db-url"), url, QStringLiteral("--migrations"), folder, QStringLiteral("upgrade")}}); // set-up
    const QList<Command> commands{
        {{cliPath(), QStringLiteral("--db-url"), url, QStringLiteral("--migrations"), folder, QStringLiteral("status")}},
        {{QStringLiteral("sqlite3"), db, QStringLiteral("SELECT version, name, checksum, state, applied_at FROM dbdeck_schema_migrations ORDER BY version")}},
    };
    const auto results = interleave(runs, commands, {});
    out << "dbdeck-bench status: " << migrations << " migrations, all applied, whole processes, " << runs << " interleaved runs each\n";
    out << "  dbdeck-cli status (reads and checks every file): " << describe(wall(results.at(0)), QStringLiteral("ms")) << "; CPU "
        << describe(cpu(results.at(0)), QStringLiteral("ms")) << '\n';
    out << "  sqlite3 shell listing the applied table (for scale): " << describe(wall(results.at(1)), QStringLiteral("ms")) << '\n';
    out << goalLine(QStringLiteral("dbdeck-cli status <= 150 ms"), wall(results.at(0)), [](double ms) { return ms <= 150; }, 1);
    return 0;
}

} // namespace dbdeck::bench

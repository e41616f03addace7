#include "migratebench.h"

#include "benchsupport.h"
#include "config/dbconfig.h"
#include "db/database.h"
#include "migrate/migrator.h"

#include <QDir>
#include <QFile>
#include <QProcessEnvironment>
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

} // namespace

int runMigrateBench(int migrations, int runs)
{
    QTextStream out(stdout);
    QTemporaryDir dir;
    const QString folder = dir.filePath(QStringLiteral("migrations"));
    QDir().mkpath(folder);
    QByteArray inTransactions = "PRAGMA journal_mode = WAL;\nPRAGMA synchronous = NORMAL;\nPRAGMA foreign_keys = ON;\n";
    QByteArray autocommit = inTransactions;
    for (int n = 1; n <= migrations; ++n) {
        const QString body = migrationBody(n);
        QFile file(QStringLiteral("%1/%2_bench_%3.sql").arg(folder, MigrationFile::formatVersion(n)).arg(n));
        file.open(QIODevice::WriteOnly);
        file.write(QStringLiteral("-- migrate:up\n%1-- migrate:down\nDROP TABLE bench_%2;\n").arg(body).arg(n).toUtf8());
        inTransactions += "BEGIN IMMEDIATE;\n" + body.toUtf8() + "COMMIT;\n";
        autocommit += body.toUtf8();
    }

    int counter = 0;
    QString path;
    const auto fresh = [&] {
        path = dir.filePath(QStringLiteral("run-%1.db").arg(++counter));
    };
    const QList<double> dbdeckMs = measure(runs, fresh, [&] {
        ConfigInputs inputs;
        inputs.environment = QProcessEnvironment();
        inputs.readDotEnv = false;
        inputs.flags.insert(QStringLiteral("DB_URL"), QStringLiteral("sqlite:///") + path);
        Database db(DbConfig::load(inputs));
        Migrator migrator(db, MigrationSet::load(folder));
        migrator.upgrade({});
    });
    const QList<double> shellMs = measure(runs, fresh, [&] { runSqliteShell(path, inTransactions); });
    const QList<double> plainMs = measure(runs, fresh, [&] { runSqliteShell(path, autocommit); });

    const double ratio = median(dbdeckMs) / median(shellMs);
    out << "dbdeck-bench migrate: " << migrations << " generated migrations (a table, an index, 3 rows each) on a new "
        << "database, " << runs << " runs each\n";
    out << "  dbdeck upgrade (load files, checksums, lock, journal, one transaction per migration): " << describe(dbdeckMs) << '\n';
    out << "  sqlite3 shell, the same SQL and PRAGMAs, one transaction per migration (baseline):    " << describe(shellMs) << '\n';
    out << "  sqlite3 shell, the same SQL concatenated, autocommit:                                 " << describe(plainMs) << '\n';
    out << QStringLiteral("  ratio dbdeck / baseline: %1x (goal <= 1.30x) %2\n")
               .arg(ratio, 0, 'f', 2)
               .arg(ratio <= 1.3 ? QStringLiteral("MET") : QStringLiteral("NOT MET"));
    return 0;
}

} // namespace dbdeck::bench

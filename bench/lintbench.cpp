#include "lintbench.h"

#include "benchsupport.h"
#include "migrate/migrationlinter.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTextStream>

namespace dbdeck::bench {

namespace {

// A realistic migration: a table with constraints, an index, a few rows; every third one alters
// an earlier table, so the existing-table rules run too.
QString migrationText(int n)
{
    QString up = QStringLiteral(
        "CREATE TABLE bench_%1 (\n    id TEXT NOT NULL,\n    kind TEXT NOT NULL DEFAULT 'a',\n    value REAL,\n"
        "    created_at TEXT NOT NULL,\n    CONSTRAINT pk_bench_%1 PRIMARY KEY (id),\n"
        "    CONSTRAINT ck_bench_%1_kind CHECK (kind IN ('a', 'b'))\n);\n"
        "CREATE INDEX ix_bench_%1_created_at ON bench_%1 (created_at);\n"
        "INSERT INTO bench_%1 (id, kind, value, created_at) VALUES ('x', 'a', 1.5, '2026-01-01 00:00:00.000000');\n")
                     .arg(n);
    if (n % 3 == 0)
        up += QStringLiteral("ALTER TABLE bench_%1 ADD COLUMN note TEXT;\n").arg(n - 1);
    return QStringLiteral("-- migration %1\n-- migrate:up\n%2\n-- migrate:down\nDROP TABLE bench_%1;\n").arg(n).arg(up);
}

} // namespace

int runLintBench(int migrations, int runs)
{
    QTextStream out(stdout);
    QTemporaryDir dir;
    const QString folder = dir.filePath(QStringLiteral("migrations"));
    QDir().mkpath(folder);
    for (int n = 1; n <= migrations; ++n) {
        QFile file(QStringLiteral("%1/%2_bench_%3.sql").arg(folder, MigrationFile::formatVersion(n)).arg(n));
        file.open(QIODevice::WriteOnly);
        file.write(migrationText(n).toUtf8());
    }
    int findings = 0;
    const QList<double> loadMs = measure(runs, [] {}, [&] { MigrationSet::load(folder); });
    const QList<double> lintMs = measure(runs, [] {}, [&] {
        const MigrationSet set = MigrationSet::load(folder);
        findings = int(MigrationLinter(LintOptions()).lint(set.files()).findings().size());
    });
    const double added = median(lintMs) - median(loadMs);
    const double ratio = added / median(loadMs);
    out << "dbdeck-bench lint: " << migrations << " generated migrations as one run (SQLite rules), " << runs
        << " runs each; " << findings << " findings\n";
    out << "  load the files (read, parse, checksum: what status pays; baseline): " << describe(loadMs) << '\n';
    out << "  load and lint them (what check adds for pending migrations):        " << describe(lintMs) << '\n';
    out << QStringLiteral("  linting adds %1 ms, %2x the loading (goal <= 1.00x) %3\n")
               .arg(added, 0, 'f', 1)
               .arg(ratio, 0, 'f', 2)
               .arg(ratio <= 1.0 ? QStringLiteral("MET") : QStringLiteral("NOT MET"));
    return 0;
}

} // namespace dbdeck::bench

#include "schemadiffbench.h"

#include "benchsupport.h"
#include "config/dbconfig.h"
#include "db/database.h"
#include "schema/ddlapplier.h"
#include "schema/declaredschema.h"
#include "schema/schemadiff.h"
#include "schema/schemareader.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTextStream>

namespace dbdeck::bench {

namespace {

QString schemaSql(int tables, bool changed)
{
    QString sql;
    for (int n = 1; n <= tables; ++n) {
        sql += QStringLiteral("CREATE TABLE t%1 (id INTEGER NOT NULL, parent_id INTEGER, name TEXT NOT NULL DEFAULT '', "
                              "status TEXT NOT NULL DEFAULT 'new', created_at TEXT NOT NULL%2, "
                              "CONSTRAINT pk_t%1 PRIMARY KEY (id), "
                              "CONSTRAINT ck_t%1_status CHECK (status IN ('new', 'done'%3)), "
                              "CONSTRAINT fk_t%1_parent_id_t%4 FOREIGN KEY (parent_id) REFERENCES t%4 (id) ON DELETE CASCADE);\n")
                   .arg(n)
                   .arg(changed && n % 10 == 0 ? QStringLiteral(", note TEXT") : QString())
                   .arg(changed && n % 25 == 0 ? QStringLiteral(", 'failed'") : QString())
                   .arg(n == 1 ? tables : n - 1);
        sql += QStringLiteral("CREATE INDEX ix_t%1_parent_id ON t%1 (parent_id);\n"
                              "CREATE INDEX ix_t%1_status_created_at ON t%1 (status, created_at%2);\n")
                   .arg(n)
                   .arg(changed && n % 40 == 0 ? QStringLiteral(" DESC") : QString());
    }
    return sql;
}

} // namespace

int runSchemaDiffBench(int tables, int runs)
{
    QTextStream out(stdout);
    QTemporaryDir dir;
    const DbConfig config = DbConfig::forUrl(QStringLiteral("sqlite:///") + dir.filePath(QStringLiteral("live.db")));
    Database live(config);
    DdlApplier::apply(live, schemaSql(tables, false), QStringLiteral("bench schema"), DdlApplier::Mode::Transaction);
    QFile declared(dir.filePath(QStringLiteral("declared.sql")));
    declared.open(QIODevice::WriteOnly);
    declared.write(schemaSql(tables, true).toUtf8());
    declared.close();

    int differences = 0;
    const QList<double> whole = measure(runs, [] {}, [&] {
        const Schema a = SchemaReader::create(live)->read();
        const Schema b = DeclaredSchema::load(declared.fileName(), config);
        differences = int(SchemaDiff::compare(a, b).size());
    });
    const Schema a = SchemaReader::create(live)->read();
    const Schema b = DeclaredSchema::load(declared.fileName(), config);
    const QList<double> compareOnly = measure(runs, [] {}, [&] { SchemaDiff::compare(a, b); });
    const QList<double> readOnly = measure(runs, [] {}, [&] { SchemaReader::create(live)->read(); });

    out << "schema-diff: " << tables << " tables (" << tables * 2 << " indexes, " << tables << " foreign keys), "
        << differences << " differences found, " << runs << " runs\n";
    out << "  diff live declared (read + declared on scratch + compare): " << describe(whole) << '\n';
    out << "  introspection of the live file alone:                       " << describe(readOnly) << '\n';
    out << "  comparison of the two models alone:                          " << describe(compareOnly) << '\n';
    const double ms = median(whole);
    out << QStringLiteral("  goal: under 1000 ms for the whole diff: %1 (%2 of the goal)\n")
               .arg(ms < 1000 ? QStringLiteral("met") : QStringLiteral("NOT met"))
               .arg(QStringLiteral("%1%").arg(ms / 10.0, 0, 'f', 0));
    out.flush();
    return ms < 1000 ? 0 : 1;
}

} // namespace dbdeck::bench

#include "migrate/autogenerator.h"

#include "db/cancellation.h"
#include "db/database.h"
#include "migrate/migratedschema.h"
#include "migrate/migrationerror.h"
#include "migrate/schemachangewriter.h"
#include "schema/declaredschema.h"
#include "schema/schemaddl.h"
#include "schema/schemaerror.h"
#include "schema/schemareader.h"
#include "schema/scratchdatabase.h"

#include <QFile>

namespace dbdeck {

namespace {

QString listed(const QList<SchemaDifference> &differences, const QString &a, const QString &b)
{
    QStringList lines;
    for (const SchemaDifference &d : differences)
        lines << d.toString(a, b);
    return lines.join(QStringLiteral("\n  "));
}

// "CREATE [UNIQUE] INDEX name ..." -> "CREATE [UNIQUE] INDEX CONCURRENTLY name ...".
QString concurrently(const QString &definition)
{
    const qsizetype at = definition.indexOf(QLatin1String("INDEX "));
    return at < 0 ? definition : definition.left(at + 6) + QStringLiteral("CONCURRENTLY ") + definition.mid(at + 6);
}

} // namespace

Autogenerator::Autogenerator(const DbConfig &config, MigrationSet set, QString schemaPath)
    : m_config(config), m_set(std::move(set)), m_schemaPath(std::move(schemaPath))
{}

QList<MigrationDraft> Autogenerator::draftsFor(const Schema &current, const Schema &target, const QString &message,
                                               const QSet<QString> &tablesWithRows)
{
    // On PostgreSQL, new indexes on tables that hold rows are built without locking out writes.
    QSet<QString> concurrent;
    QString concurrentUp, concurrentDown;
    if (target.backend == Backend::Postgres) {
        for (const SchemaTable &t : target.tables) {
            const SchemaTable *was = current.table(t.name);
            if (!was || !tablesWithRows.contains(t.name))
                continue;
            for (const SchemaIndex &ix : t.indexes) {
                bool existed = false;
                for (const SchemaIndex &old : was->indexes)
                    existed = existed || old.name == ix.name;
                if (existed)
                    continue;
                concurrent << ix.name;
                concurrentUp += concurrently(ix.definition) + QStringLiteral(";\n");
                concurrentDown += QStringLiteral("DROP INDEX CONCURRENTLY %1;\n").arg(SchemaDdl::quote(ix.name));
            }
        }
    }
    const auto writer = SchemaChangeWriter::create(target.backend);
    const MigrationScript up = writer->write(current, target, concurrent);
    const MigrationScript down = writer->write(target, current, concurrent);
    QList<MigrationDraft> drafts;
    if (!up.sql.trimmed().isEmpty() || !down.sql.trimmed().isEmpty()) {
        MigrationDraft draft;
        draft.message = message;
        draft.up = up.sql;
        draft.down = down.sql;
        draft.upForeignKeysOff = up.foreignKeysOff;
        draft.downForeignKeysOff = down.foreignKeysOff;
        draft.notes = up.notes;
        for (const QString &n : down.notes) {
            if (n.startsWith(QLatin1String("destructive")))
                draft.notes << QStringLiteral("down ") + n;
        }
        drafts << draft;
    }
    if (!concurrent.isEmpty()) {
        MigrationDraft draft;
        draft.message = message + QStringLiteral(" (indexes, built concurrently)");
        draft.up = concurrentUp;
        draft.down = concurrentDown;
        draft.transactional = false;
        draft.notes << QStringLiteral("CREATE INDEX CONCURRENTLY cannot run in a transaction: this file is transaction:false");
        drafts << draft;
    }
    return drafts;
}

QSet<QString> Autogenerator::tablesWithRows(Database &db)
{
    QSet<QString> found;
    if (db.backend() != Backend::Postgres)
        return found;
    const Schema live = SchemaReader::create(db)->read();
    for (const SchemaTable &t : live.tables) {
        CancellationScope::checkpoint();
        if (db.scalar(QStringLiteral("SELECT EXISTS (SELECT 1 FROM %1)").arg(SchemaDdl::quote(t.name))).toBool())
            found << t.name;
    }
    return found;
}

AutogenerateResult Autogenerator::generate(const QString &message, const QSet<QString> &tablesWithRows) const
{
    AutogenerateResult result;
    result.current = MigratedSchema::build(m_set, m_config);
    result.target = DeclaredSchema::load(m_schemaPath, m_config);
    result.differences = SchemaDiff::compare(result.current, result.target);
    if (!result.differences.isEmpty())
        result.drafts = draftsFor(result.current, result.target, message, tablesWithRows);
    return result;
}

void Autogenerator::verify(const AutogenerateResult &result) const
{
    ScratchDatabase scratch(m_config);
    MigratedSchema::applyTo(scratch, m_set);
    const Schema before = scratch.read();
    for (const MigrationDraft &d : result.drafts)
        scratch.apply(d.up, QStringLiteral("the generated up section"), d.upForeignKeysOff);
    const QList<SchemaDifference> missed = SchemaDiff::compare(scratch.read(), result.target);
    if (!missed.isEmpty())
        throw SchemaError(QStringLiteral("the generated migration does not reach the declared schema, so nothing was written:\n  %1")
                              .arg(listed(missed, QStringLiteral("the migrated scratch database"), QStringLiteral("declared"))));
    for (auto it = result.drafts.crbegin(); it != result.drafts.crend(); ++it)
        scratch.apply(it->down, QStringLiteral("the generated down section"), it->downForeignKeysOff);
    const QList<SchemaDifference> unreturned = SchemaDiff::compare(scratch.read(), before);
    if (!unreturned.isEmpty())
        throw SchemaError(QStringLiteral("the generated down section does not return to the previous schema, so nothing was written:\n  %1")
                              .arg(listed(unreturned, QStringLiteral("after down"), QStringLiteral("before"))));
}

QStringList Autogenerator::write(const AutogenerateResult &result, const QString &message) const
{
    verify(result);
    CancellationScope::checkpoint(); // the last moment to stop: after it, every file or none
    QStringList paths;
    try {
        for (const MigrationDraft &d : result.drafts)
            paths << MigrationSet::writeRevision(m_set.folder(), d.transactional ? message : message + QStringLiteral(" indexes"), d.text());
    } catch (...) {
        for (const QString &p : paths) // all or nothing
            QFile::remove(p);
        throw;
    }
    return paths;
}

} // namespace dbdeck

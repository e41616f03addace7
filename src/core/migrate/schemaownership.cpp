#include "migrate/schemaownership.h"

#include "db/database.h"
#include "migrate/migrationtables.h"

namespace dbdeck {

namespace {

const char *kAlembicTable = "alembic_version";

QStringList userTables(Database &db)
{
    QStringList names;
    QSqlQuery q = db.backend() == Backend::Sqlite
        ? db.exec(QStringLiteral("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name"))
        : db.exec(QStringLiteral("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
                                 " AND table_type = 'BASE TABLE' ORDER BY table_name"));
    while (q.next())
        names << q.value(0).toString();
    return names;
}

} // namespace

QString SchemaOwnership::ownerOf(const QString &table)
{
    const QString lower = table.toLower();
    if (lower.startsWith(QLatin1String("dbdeck_")))
        return QStringLiteral("dbdeck");
    if (lower == QLatin1String(kAlembicTable))
        return QStringLiteral("Alembic");
    if (lower.startsWith(QLatin1String("sqlite_")))
        return QStringLiteral("SQLite");
    return QStringLiteral("application");
}

SchemaOwnership SchemaOwnership::read(Database &db)
{
    SchemaOwnership o;
    o.m_exists = db.exists();
    if (!o.m_exists)
        return o;
    for (const QString &table : userTables(db)) {
        const QString owner = ownerOf(table);
        if (owner == QLatin1String("dbdeck"))
            o.m_dbdeckTables = true;
        else if (owner == QLatin1String("Alembic"))
            o.m_alembic = true;
        else if (owner == QLatin1String("application"))
            o.m_applicationTables << table;
    }
    if (o.m_alembic && MigrationTables::hasColumn(db, QLatin1String(kAlembicTable), QStringLiteral("version_num"))) {
        const QVariant revision = db.scalar(QStringLiteral("SELECT version_num FROM alembic_version"));
        o.m_alembicRevision = revision.isValid() ? revision.toString() : QString();
    }
    if (o.m_dbdeckTables && MigrationTables::exist(db)) {
        const auto any = [&db](const QString &sql) { return db.scalar(sql).toLongLong() > 0; };
        // A version row (applied or failed-partial); a transaction:false migration under way or
        // left part-way; an attempt that succeeded (a stamp to base leaves no row) or is running
        // now (another runner's first upgrade). Not history: only refused or failed attempts.
        o.m_history = any(QStringLiteral("SELECT count(*) FROM dbdeck_schema_migrations"))
            || (db.hasTable(MigrationTables::progress()) && any(QStringLiteral("SELECT count(*) FROM dbdeck_migration_progress")))
            || (db.hasTable(MigrationTables::journal())
                && any(QStringLiteral("SELECT count(*) FROM dbdeck_migration_journal WHERE outcome IN ('succeeded', 'running')")));
    }
    return o;
}

QString SchemaOwnership::describe() const
{
    if (m_history)
        return QStringLiteral("managed by dbdeck");
    if (m_applicationTables.isEmpty())
        return m_exists ? QStringLiteral("new (no application tables yet)") : QStringLiteral("new (not created yet)");
    if (m_alembic)
        return m_alembicRevision.isEmpty() ? QStringLiteral("not managed by dbdeck: managed by Alembic (no revision recorded)")
                                           : QStringLiteral("not managed by dbdeck: managed by Alembic, revision %1").arg(m_alembicRevision);
    return QStringLiteral("not managed by dbdeck");
}

QString SchemaOwnership::advice() const
{
    if (!unmanaged())
        return {};
    QString text = QStringLiteral("it has application tables (%1) but no dbdeck history, so migrating it would fail on tables "
                                  "that already exist. If its schema is what dbdeck's migrations produce up to some version, adopt "
                                  "it with `dbdeck-cli baseline VERSION`: that records migrations up to VERSION as applied without "
                                  "running them (refused when the schema differs, unless --accept-differences)")
                       .arg(m_applicationTables.join(QStringLiteral(", ")));
    if (m_alembic)
        text += QStringLiteral("; coming from Alembic: baseline at the version matching Alembic's revision%1, then migrate with "
                               "dbdeck from there (alembic_version is left as it is)")
                    .arg(m_alembicRevision.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(m_alembicRevision));
    return text;
}

QString SchemaOwnership::refusal(const QString &operation) const
{
    return QStringLiteral("refusing to %1: this database is %2; %3. Nothing was changed.").arg(operation, describe(), advice());
}

} // namespace dbdeck

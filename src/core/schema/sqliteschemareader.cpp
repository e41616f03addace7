#include "schema/sqliteschemareader.h"

#include "db/database.h"
#include "db/transaction.h"
#include "schema/sqliteddlparser.h"
#include "schema/sqllexer.h"

#include <QHash>
#include <QMap>

#include <algorithm>
#include <QSqlRecord>

namespace dbdeck {

namespace {

QString quoted(const QString &name)
{
    QString q = name;
    q.replace(QLatin1Char('"'), QLatin1String("\"\""));
    return QLatin1Char('"') + q + QLatin1Char('"');
}

QString fkAction(const QString &pragmaValue)
{
    return pragmaValue.isEmpty() ? QStringLiteral("NO ACTION") : pragmaValue.toUpper();
}

bool sameColumns(const QStringList &a, const QStringList &b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        if (a.at(i).compare(b.at(i), Qt::CaseInsensitive) != 0)
            return false;
    }
    return true;
}

} // namespace

Schema SqliteSchemaReader::read()
{
    Schema schema;
    schema.backend = Backend::Sqlite;
    schema.name = QStringLiteral("main");
    if (!m_db.exists())
        return schema;
    Transaction snapshot(m_db, Transaction::Mode::Read);
    struct Entry
    {
        QString type, name, table, sql;
    };
    QList<Entry> entries;
    {
        QSqlQuery q = m_db.exec(QStringLiteral("SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY name"));
        while (q.next())
            entries.append({q.value(0).toString(), q.value(1).toString(), q.value(2).toString(), q.value(3).toString()});
    }
    QHash<QString, QString> indexSql;
    for (const Entry &e : entries) {
        if (e.type == QLatin1String("index"))
            indexSql.insert(e.name, e.sql);
    }
    for (const Entry &e : entries) {
        if (Schema::isBookkeepingTable(e.table))
            continue;
        if (e.type == QLatin1String("table") && !e.sql.startsWith(QLatin1String("CREATE VIRTUAL"), Qt::CaseInsensitive)) {
            SchemaTable table = readTable(e.name, e.sql);
            readIndexes(table, indexSql);
            schema.tables << table;
        } else if (e.type == QLatin1String("view")) {
            schema.views.append({e.name, SqlLexer::normalize(e.sql), {}});
        }
    }
    for (const Entry &e : entries) {
        if (e.type == QLatin1String("trigger") && !Schema::isBookkeepingTable(e.table)) {
            if (SchemaTable *table = schema.table(e.table))
                table->triggers.append({e.name, table->name, SqlLexer::normalize(e.sql)});
            for (SchemaView &view : schema.views) {
                if (view.name.compare(e.table, Qt::CaseInsensitive) == 0)
                    view.triggers.append({e.name, view.name, SqlLexer::normalize(e.sql)});
            }
        }
    }
    snapshot.commit();
    schema.sort();
    return schema;
}

SchemaTable SqliteSchemaReader::readTable(const QString &name, const QString &sql)
{
    const ParsedSqliteTable parsed = SqliteDdlParser::parseTable(sql);
    SchemaTable table;
    table.name = name;
    table.withoutRowid = parsed.withoutRowid;
    table.strict = parsed.strict;
    QSqlQuery q = m_db.exec(QStringLiteral("PRAGMA table_xinfo(%1)").arg(quoted(name)));
    QStringList pkColumns;
    while (q.next()) {
        const int hidden = q.value(6).toInt();
        if (hidden == 1)
            continue; // a virtual table's hidden column
        SchemaColumn column;
        column.name = q.value(1).toString();
        column.type = SqlLexer::normalize(q.value(2).toString()).toUpper();
        column.notNull = q.value(3).toInt() != 0;
        column.defaultValue = q.value(4).isNull() ? QString() : SqlLexer::normalize(q.value(4).toString());
        column.primaryKeyPosition = q.value(5).toInt();
        column.generatedStored = hidden == 3;
        for (const auto &p : parsed.columns) {
            if (p.name.compare(column.name, Qt::CaseInsensitive) != 0)
                continue;
            column.type = p.type; // table_xinfo folds "GENERATED ALWAYS" into a generated column's type
            column.collation = p.collation;
            if (hidden >= 2)
                column.generated = p.generated;
            if (p.autoincrement)
                table.autoincrement = true;
        }
        table.columns << column;
    }
    q.finish();
    for (const SchemaColumn &c : table.columns) {
        if (c.primaryKeyPosition > 0) {
            while (pkColumns.size() < c.primaryKeyPosition)
                pkColumns << QString();
            pkColumns[c.primaryKeyPosition - 1] = c.name;
        }
    }
    if (!pkColumns.isEmpty()) {
        SchemaConstraint pk;
        pk.kind = ConstraintKind::PrimaryKey;
        pk.columns = pkColumns;
        for (const SchemaConstraint &p : parsed.constraints) {
            if (p.kind == ConstraintKind::PrimaryKey)
                pk.name = p.name;
        }
        table.constraints << pk;
    }
    for (const SchemaConstraint &p : parsed.constraints) {
        if (p.kind == ConstraintKind::Unique || p.kind == ConstraintKind::Check)
            table.constraints << p;
    }
    readForeignKeys(table, parsed.constraints);
    return table;
}

void SqliteSchemaReader::readForeignKeys(SchemaTable &table, const QList<SchemaConstraint> &parsed)
{
    QList<SchemaConstraint> parsedFks;
    for (const SchemaConstraint &p : parsed) {
        if (p.kind == ConstraintKind::ForeignKey)
            parsedFks << p;
    }
    QMap<int, SchemaConstraint> byId;
    QSqlQuery q = m_db.exec(QStringLiteral("PRAGMA foreign_key_list(%1)").arg(quoted(table.name)));
    while (q.next()) {
        SchemaConstraint &fk = byId[q.value(0).toInt()];
        fk.kind = ConstraintKind::ForeignKey;
        fk.refTable = q.value(2).toString();
        fk.columns << q.value(3).toString();
        if (!q.value(4).isNull())
            fk.refColumns << q.value(4).toString();
        fk.onUpdate = fkAction(q.value(5).toString());
        fk.onDelete = fkAction(q.value(6).toString());
    }
    q.finish();
    // foreign_key_list numbers them from the last declared: reverse to declaration order, then
    // take names and DEFERRABLE from the parse, matched by columns and referenced table.
    QList<SchemaConstraint> fks = byId.values();
    std::reverse(fks.begin(), fks.end());
    for (SchemaConstraint &fk : fks) {
        for (qsizetype i = 0; i < parsedFks.size(); ++i) {
            if (sameColumns(parsedFks.at(i).columns, fk.columns)
                && parsedFks.at(i).refTable.compare(fk.refTable, Qt::CaseInsensitive) == 0) {
                fk.name = parsedFks.at(i).name;
                fk.deferrable = parsedFks.at(i).deferrable;
                parsedFks.removeAt(i);
                break;
            }
        }
        table.constraints << fk;
    }
}

void SqliteSchemaReader::readIndexes(SchemaTable &table, const QHash<QString, QString> &indexSql)
{
    QList<QPair<QString, bool>> explicitIndexes;
    {
        QSqlQuery q = m_db.exec(QStringLiteral("PRAGMA index_list(%1)").arg(quoted(table.name)));
        while (q.next()) {
            if (q.value(3).toString() == QLatin1String("c"))
                explicitIndexes.append({q.value(1).toString(), q.value(2).toInt() != 0});
        }
    }
    for (const auto &[name, unique] : explicitIndexes) {
        SchemaIndex index;
        index.name = name;
        index.table = table.name;
        index.unique = unique;
        const ParsedSqliteIndex parsed = SqliteDdlParser::parseIndex(indexSql.value(name));
        index.where = parsed.where;
        QSqlQuery q = m_db.exec(QStringLiteral("PRAGMA index_xinfo(%1)").arg(quoted(name)));
        int position = 0;
        while (q.next()) {
            if (q.value(5).toInt() == 0)
                continue; // the rowid or primary key columns every index ends with
            SchemaIndexKey key = parsed.keys.value(position);
            ++position;
            if (q.value(1).toInt() >= 0)
                key.column = q.value(2).toString();
            key.descending = q.value(3).toInt() != 0;
            index.keys << key;
        }
        table.indexes << index;
    }
}

} // namespace dbdeck

#include "migrate/schemachangewriter.h"

#include "schema/sqllexer.h"

namespace dbdeck {

namespace {

template<typename T>
const T *named(const QList<T> &list, const QString &name)
{
    for (const T &x : list) {
        if (x.name == name)
            return &x;
    }
    return nullptr;
}

QString constraintKey(const SchemaConstraint &c)
{
    return c.name + QLatin1Char('|') + SqlLexer::comparisonKey(c.describe());
}

QString literal(QString text)
{
    return QLatin1Char('\'') + text.replace(QLatin1Char('\''), QLatin1String("''")) + QLatin1Char('\'');
}

} // namespace

QString PostgresChangeWriter::alterColumn(const QString &table, const SchemaColumn &from, const SchemaColumn &to) const
{
    const QString prefix = QStringLiteral("ALTER TABLE %1 ALTER COLUMN %2 ").arg(quote(table), quote(to.name));
    QString sql;
    const bool typeChanged = !SqlLexer::sameExpression(from.type, to.type) || from.collation != to.collation;
    const bool defaultChanged = !SqlLexer::sameExpression(from.defaultValue, to.defaultValue);
    if ((typeChanged || defaultChanged) && !from.defaultValue.isEmpty())
        sql += prefix + QStringLiteral("DROP DEFAULT;\n");
    if (typeChanged) {
        QString type = to.type;
        if (!to.collation.isEmpty())
            type += QStringLiteral(" COLLATE ") + SqlLexer::quoteIdentifier(to.collation);
        sql += prefix + QStringLiteral("TYPE %1 USING %2::%3;\n").arg(type, quote(to.name), to.type);
    }
    if ((typeChanged || defaultChanged) && !to.defaultValue.isEmpty())
        sql += prefix + QStringLiteral("SET DEFAULT %1;\n").arg(to.defaultValue);
    if (from.notNull != to.notNull)
        sql += prefix + (to.notNull ? QStringLiteral("SET NOT NULL;\n") : QStringLiteral("DROP NOT NULL;\n"));
    if (from.identity != to.identity) {
        if (to.identity.isEmpty())
            sql += prefix + QStringLiteral("DROP IDENTITY;\n");
        else if (from.identity.isEmpty())
            sql += prefix + QStringLiteral("ADD GENERATED %1 AS IDENTITY;\n").arg(to.identity);
        else
            sql += prefix + QStringLiteral("SET GENERATED %1;\n").arg(to.identity);
    }
    return sql;
}

// PostgreSQL cannot drop or reorder enum labels: the type is renamed, created anew, its columns
// converted through text, and the old one dropped.
QString PostgresChangeWriter::changeEnum(const Schema &from, const SchemaEnum &old, const SchemaEnum &now, QStringList &notes) const
{
    const PostgresSchemaDdl ddl;
    bool appendOnly = now.labels.size() >= old.labels.size() && now.labels.mid(0, old.labels.size()) == old.labels;
    if (appendOnly) {
        QString sql;
        for (const QString &label : now.labels.mid(old.labels.size()))
            sql += QStringLiteral("ALTER TYPE %1 ADD VALUE %2;\n").arg(quote(now.name), literal(label));
        return sql;
    }
    const QString oldName = QStringLiteral("_dbdeck_old_") + now.name;
    QStringList removed;
    for (const QString &label : old.labels) {
        if (!now.labels.contains(label))
            removed << literal(label);
    }
    QString sql;
    if (!removed.isEmpty())
        sql += destructive(QStringLiteral("removes %1 from enum %2: converting a row that holds one fails").arg(removed.join(QStringLiteral(", ")), now.name),
                           notes);
    sql += QStringLiteral("ALTER TYPE %1 RENAME TO %2;\n").arg(quote(now.name), quote(oldName)) + ddl.createEnum(now);
    for (const SchemaTable &t : from.tables) {
        for (const SchemaColumn &c : t.columns) {
            if (c.type != now.name)
                continue;
            const QString prefix = QStringLiteral("ALTER TABLE %1 ALTER COLUMN %2 ").arg(quote(t.name), quote(c.name));
            if (!c.defaultValue.isEmpty())
                sql += prefix + QStringLiteral("DROP DEFAULT;\n");
            sql += prefix + QStringLiteral("TYPE %1 USING %2::text::%1;\n").arg(quote(now.name), quote(c.name));
            if (!c.defaultValue.isEmpty())
                sql += prefix + QStringLiteral("SET DEFAULT %1;\n").arg(QString(c.defaultValue).replace(oldName, now.name));
        }
    }
    return sql + QStringLiteral("DROP TYPE %1;\n").arg(quote(oldName));
}

// Tables that go, children before their parents (PostgreSQL refuses to drop a table another
// one references); foreign keys between them in a cycle are dropped first.
QString PostgresChangeWriter::tableDrops(const Schema &from, const Schema &to, QStringList &notes) const
{
    QList<const SchemaTable *> gone;
    for (const SchemaTable &t : from.tables) {
        if (!to.table(t.name))
            gone << &t;
    }
    const auto referencedByAnother = [&](const SchemaTable *parent) {
        for (const SchemaTable *t : gone) {
            for (const SchemaConstraint &fk : t->constraintsOf(ConstraintKind::ForeignKey)) {
                if (t != parent && fk.refTable.compare(parent->name, Qt::CaseInsensitive) == 0)
                    return true;
            }
        }
        return false;
    };
    QString sql;
    const auto drop = [&](const SchemaTable *t) {
        sql += destructive(QStringLiteral("drops table %1 and its rows").arg(t->name), notes);
        sql += QStringLiteral("DROP TABLE %1;\n").arg(quote(t->name));
    };
    while (!gone.isEmpty()) {
        qsizetype next = -1;
        for (qsizetype i = 0; i < gone.size() && next < 0; ++i) {
            if (!referencedByAnother(gone.at(i)))
                next = i;
        }
        if (next < 0) { // a cycle: cut its foreign keys, then any order will do
            for (const SchemaTable *t : gone) {
                for (const SchemaConstraint &fk : t->constraintsOf(ConstraintKind::ForeignKey)) {
                    if (fk.refTable.compare(t->name, Qt::CaseInsensitive) != 0)
                        sql += QStringLiteral("ALTER TABLE %1 DROP CONSTRAINT %2;\n").arg(quote(t->name), quote(fk.name));
                }
            }
            for (const SchemaTable *t : gone)
                drop(t);
            break;
        }
        drop(gone.takeAt(next));
    }
    return sql;
}

// The columns of a table in both schemas whose definition changed. A generated column cannot be
// altered, nor can the type of a column it reads (before PostgreSQL 17): such generated columns
// are dropped first and added back last (their values are computed again). A generated column
// that becomes a plain one keeps its values (DROP EXPRESSION, PostgreSQL 13+); a plain one that
// becomes generated is dropped and added, its values replaced by computed ones (destructive).
QString PostgresChangeWriter::alterColumns(const TableChange &change, QStringList &notes) const
{
    const PostgresSchemaDdl ddl;
    const QString table = change.to->name;
    QStringList retyped;
    for (const QString &name : change.changedColumns) {
        const SchemaColumn &old = *change.from->column(name);
        const SchemaColumn &now = *change.to->column(name);
        if (!SqlLexer::sameExpression(old.type, now.type) || old.collation != now.collation)
            retyped << name;
    }
    QList<SchemaColumn> regenerated;
    for (const SchemaColumn &now : change.to->columns) {
        const SchemaColumn *old = change.from->column(now.name);
        if (!old || now.generated.isEmpty() || old->generated.isEmpty())
            continue;
        bool redo = !SqlLexer::sameExpression(old->generated, now.generated);
        for (const QString &name : retyped)
            redo = redo || (name.compare(now.name, Qt::CaseInsensitive) != 0 && SqlLexer::mentions(old->generated, name));
        if (redo)
            regenerated << now;
    }
    const auto isRegenerated = [&](const QString &name) {
        for (const SchemaColumn &c : regenerated) {
            if (c.name.compare(name, Qt::CaseInsensitive) == 0)
                return true;
        }
        return false;
    };
    QString sql;
    for (const SchemaColumn &c : regenerated)
        sql += QStringLiteral("ALTER TABLE %1 DROP COLUMN %2;\n").arg(quote(table), quote(c.name));
    QString added;
    for (const QString &name : change.changedColumns) {
        if (isRegenerated(name))
            continue;
        const SchemaColumn &old = *change.from->column(name);
        const SchemaColumn &now = *change.to->column(name);
        if (!old.generated.isEmpty() && now.generated.isEmpty()) {
            sql += QStringLiteral("ALTER TABLE %1 ALTER COLUMN %2 DROP EXPRESSION;\n").arg(quote(table), quote(name));
            SchemaColumn plain = old;
            plain.generated.clear();
            plain.generatedStored = false;
            sql += alterColumn(table, plain, now);
            continue;
        }
        if (!SqlLexer::sameExpression(old.generated, now.generated)) {
            // Becoming a generated column: drop and add.
            sql += destructive(QStringLiteral("replaces the values of %1.%2 with those of its generated expression").arg(table, name), notes);
            sql += QStringLiteral("ALTER TABLE %1 DROP COLUMN %2;\n").arg(quote(table), quote(name));
            added += QStringLiteral("ALTER TABLE %1 ADD COLUMN %2;\n").arg(quote(table), ddl.columnDefinition(now, *change.to));
            continue;
        }
        sql += alterColumn(table, old, now);
    }
    for (const SchemaColumn &c : regenerated)
        added += QStringLiteral("ALTER TABLE %1 ADD COLUMN %2;\n").arg(quote(table), ddl.columnDefinition(c, *change.to));
    return sql + added;
}

MigrationScript PostgresChangeWriter::write(const Schema &from, const Schema &to, const QSet<QString> &skipIndexes) const
{
    const PostgresSchemaDdl ddl;
    MigrationScript script;
    QString dropViews, dropTriggers, dropIndexes, dropConstraints, types, createTables, alters, addConstraints, dropTables,
        dropTypes, createIndexes, createViews, createTriggers;
    const QList<TableChange> changes = changedTables(from, to);
    QSet<QString> touched;
    for (const TableChange &c : changes)
        touched << c.to->name;
    for (const SchemaTable &t : from.tables) {
        if (!to.table(t.name))
            touched << t.name;
    }

    for (const QString &s : to.otherSchemas) {
        if (!from.otherSchemas.contains(s))
            types += QStringLiteral("CREATE SCHEMA %1;\n").arg(quote(s));
    }
    for (const SchemaEnum &e : to.enums) {
        const SchemaEnum *old = named(from.enums, e.name);
        if (!old)
            types += ddl.createEnum(e);
        else if (old->labels != e.labels)
            types += changeEnum(from, *old, e, script.notes);
    }
    for (const SchemaSequence &s : to.sequences) {
        const SchemaSequence *old = named(from.sequences, s.name);
        if (!old) {
            types += ddl.createSequence(s);
        } else if (old->type != s.type || old->increment != s.increment || old->minValue != s.minValue || old->maxValue != s.maxValue
                   || old->start != s.start || old->cache != s.cache || old->cycle != s.cycle) {
            types += QStringLiteral("ALTER SEQUENCE %1 AS %2 INCREMENT BY %3 MINVALUE %4 MAXVALUE %5 START WITH %6 CACHE %7 %8;\n")
                         .arg(quote(s.name), s.type).arg(s.increment).arg(s.minValue).arg(s.maxValue).arg(s.start).arg(s.cache)
                         .arg(s.cycle ? QStringLiteral("CYCLE") : QStringLiteral("NO CYCLE"));
        }
    }
    for (const SchemaFunction &f : to.functions) {
        const SchemaFunction *old = named(from.functions, f.name);
        if (!old || !SqlLexer::sameExpression(old->definition, f.definition))
            types += f.definition + QStringLiteral(";\n");
    }

    QSet<QString> viewsDropped;
    for (const SchemaView &v : viewsToDrop(from, to, touched)) {
        dropViews += QStringLiteral("DROP VIEW %1;\n").arg(quote(v.name));
        viewsDropped << v.name.toLower();
    }
    for (const SchemaView &v : SchemaDdl::viewsInDependencyOrder(to.views)) {
        if (!from.view(v.name) || viewsDropped.contains(v.name.toLower()))
            createViews += ddl.createView(v);
    }
    const ViewTriggers onViews = viewTriggers(from, to, viewsDropped, touched);
    for (const SchemaTrigger &tr : onViews.drop)
        dropTriggers += QStringLiteral("DROP TRIGGER %1 ON %2;\n").arg(quote(tr.name), quote(tr.table));
    for (const SchemaTrigger &tr : onViews.create)
        createTriggers += tr.definition + QStringLiteral(";\n");

    for (const SchemaTable &t : from.tables) {
        const SchemaTable *now = to.table(t.name);
        for (const SchemaTrigger &tr : t.triggers) {
            const SchemaTrigger *match = now ? named(now->triggers, tr.name) : nullptr;
            if (now && (!match || !sameTrigger(tr, *match)))
                dropTriggers += QStringLiteral("DROP TRIGGER %1 ON %2;\n").arg(quote(tr.name), quote(t.name));
        }
        for (const SchemaIndex &ix : t.indexes) {
            const SchemaIndex *match = now ? named(now->indexes, ix.name) : nullptr;
            if (now && (!match || !sameIndex(ix, *match)) && !skipIndexes.contains(ix.name))
                dropIndexes += QStringLiteral("DROP INDEX %1;\n").arg(quote(ix.name));
        }
    }
    dropTables = tableDrops(from, to, script.notes);
    for (const SchemaTable &t : to.tables) {
        const SchemaTable *was = from.table(t.name);
        if (!was) {
            createTables += ddl.createTable(t, {}, false);
            for (const SchemaConstraint &c : t.constraintsOf(ConstraintKind::ForeignKey))
                addConstraints += ddl.addConstraint(t.name, c);
        }
        for (const SchemaIndex &ix : t.indexes) {
            const SchemaIndex *match = was ? named(was->indexes, ix.name) : nullptr;
            if ((!match || !sameIndex(ix, *match)) && !skipIndexes.contains(ix.name))
                createIndexes += ddl.createIndex(ix);
        }
        for (const SchemaTrigger &tr : t.triggers) {
            const SchemaTrigger *match = was ? named(was->triggers, tr.name) : nullptr;
            if (!match || !sameTrigger(tr, *match))
                createTriggers += tr.definition + QStringLiteral(";\n");
        }
    }

    for (const TableChange &change : changes) {
        const QString table = change.to->name;
        alters += renameHints(change, script.notes);
        // Constraints that differ are dropped first (foreign keys before the keys they use) and
        // added back after the columns changed.
        QList<SchemaConstraint> gone, added;
        for (const SchemaConstraint &c : change.from->constraints) {
            bool kept = false;
            for (const SchemaConstraint &n : change.to->constraints)
                kept = kept || constraintKey(n) == constraintKey(c);
            if (!kept)
                gone << c;
        }
        for (const SchemaConstraint &c : change.to->constraints) {
            bool existed = false;
            for (const SchemaConstraint &o : change.from->constraints)
                existed = existed || constraintKey(o) == constraintKey(c);
            if (!existed)
                added << c;
        }
        std::stable_sort(gone.begin(), gone.end(), [](const SchemaConstraint &a, const SchemaConstraint &b) {
            return (a.kind == ConstraintKind::ForeignKey) > (b.kind == ConstraintKind::ForeignKey);
        });
        for (const SchemaConstraint &c : gone)
            dropConstraints += QStringLiteral("ALTER TABLE %1 DROP CONSTRAINT %2;\n").arg(quote(table), quote(c.name));
        for (const SchemaConstraint &c : added)
            addConstraints += ddl.addConstraint(table, c);
        for (const SchemaColumn &c : change.added)
            alters += QStringLiteral("ALTER TABLE %1 ADD COLUMN %2;\n").arg(quote(table), ddl.columnDefinition(c, *change.to));
        alters += alterColumns(change, script.notes);
        for (const SchemaColumn &c : change.dropped) {
            alters += destructive(QStringLiteral("drops column %1.%2 and its data").arg(table, c.name), script.notes);
            alters += QStringLiteral("ALTER TABLE %1 DROP COLUMN %2;\n").arg(quote(table), quote(c.name));
        }
    }
    for (const SchemaFunction &f : from.functions) {
        if (!named(to.functions, f.name))
            dropTypes += QStringLiteral("DROP FUNCTION %1;\n").arg(f.name);
    }
    for (const SchemaSequence &s : from.sequences) {
        if (!named(to.sequences, s.name))
            dropTypes += QStringLiteral("DROP SEQUENCE %1;\n").arg(quote(s.name));
    }
    for (const SchemaEnum &e : from.enums) {
        if (!named(to.enums, e.name))
            dropTypes += QStringLiteral("DROP TYPE %1;\n").arg(quote(e.name));
    }
    for (const QString &s : from.otherSchemas) {
        if (!to.otherSchemas.contains(s))
            dropTypes += QStringLiteral("DROP SCHEMA %1;\n").arg(quote(s));
    }
    script.sql = dropViews + dropTriggers + dropIndexes + dropConstraints + types + createTables + alters + addConstraints
        + dropTables + dropTypes + createIndexes + createViews + createTriggers;
    return script;
}

} // namespace dbdeck

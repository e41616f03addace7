#include "schema/postgresschemareader.h"

#include "db/database.h"
#include "db/transaction.h"
#include "schema/sqllexer.h"

namespace dbdeck {

namespace {

const QChar kSeparator(0x1f); // between names aggregated into one text value

// Tables of the schema being read, by oid; dbdeck's and Alembic's own are left out.
const char *const kTablesSql =
    "SELECT c.oid::text, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE n.nspname = ? AND c.relkind IN ('r', 'p') ORDER BY c.relname";

QString aggregatedNames(const char *array, const char *relation)
{
    return QStringLiteral("(SELECT string_agg(a.attname, chr(31) ORDER BY k.ord) FROM unnest(%1) WITH ORDINALITY k(attnum, ord) "
                          "JOIN pg_attribute a ON a.attrelid = %2 AND a.attnum = k.attnum)")
        .arg(QLatin1String(array), QLatin1String(relation));
}

QString fkAction(const QString &code)
{
    switch (code.isEmpty() ? 'a' : code.at(0).toLatin1()) {
    case 'r':
        return QStringLiteral("RESTRICT");
    case 'c':
        return QStringLiteral("CASCADE");
    case 'n':
        return QStringLiteral("SET NULL");
    case 'd':
        return QStringLiteral("SET DEFAULT");
    default:
        return QStringLiteral("NO ACTION");
    }
}

QStringList splitNames(const QVariant &value)
{
    return value.isNull() ? QStringList() : value.toString().split(kSeparator);
}

} // namespace

Schema PostgresSchemaReader::read()
{
    Schema schema;
    schema.backend = Backend::Postgres;
    Transaction snapshot(m_db, Transaction::Mode::Read);
    m_schema = m_db.scalar(QStringLiteral("SELECT current_schema()")).toString();
    schema.name = m_schema;
    readTables(schema);
    readOthers(schema);
    snapshot.commit();
    schema.sort();
    return schema;
}

QString PostgresSchemaReader::unqualified(const QString &text) const
{
    const QList<LexToken> tokens = SqlLexer::tokenize(text);
    QString out;
    qsizetype copied = 0;
    for (qsizetype i = 0; i + 1 < tokens.size(); ++i) {
        const LexToken &t = tokens.at(i);
        if ((t.kind == LexToken::Kind::Word || t.kind == LexToken::Kind::QuotedIdentifier) && t.text == m_schema
            && tokens.at(i + 1).isSymbol(".") && (i == 0 || !tokens.at(i - 1).isSymbol("."))) {
            out += text.mid(copied, t.begin - copied);
            copied = tokens.at(i + 1).end;
        }
    }
    return out + text.mid(copied);
}

void PostgresSchemaReader::readTables(Schema &schema)
{
    QHash<QString, QString> tableByOid;
    QSqlQuery q = m_db.exec(QLatin1String(kTablesSql), {m_schema});
    while (q.next()) {
        const QString name = q.value(1).toString();
        if (Schema::isBookkeepingTable(name))
            continue;
        tableByOid.insert(q.value(0).toString(), name);
        SchemaTable table;
        table.name = name;
        schema.tables << table;
    }
    q.finish();
    readColumns(schema, tableByOid);
    readConstraints(schema, tableByOid);
    readIndexes(schema, tableByOid);
    readTriggers(schema, tableByOid);
}

void PostgresSchemaReader::readColumns(Schema &schema, const QHash<QString, QString> &tableByOid)
{
    QSqlQuery q = m_db.exec(QStringLiteral(
        "SELECT a.attrelid::text, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, "
        "pg_get_expr(d.adbin, d.adrelid), CASE WHEN a.attcollation <> t.typcollation THEN co.collname END, "
        "a.attgenerated, a.attidentity "
        "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
        "JOIN pg_type t ON t.oid = a.atttypid LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
        "LEFT JOIN pg_collation co ON co.oid = a.attcollation "
        "WHERE n.nspname = ? AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped "
        "ORDER BY a.attrelid, a.attnum"), {m_schema});
    while (q.next()) {
        SchemaTable *table = schema.table(tableByOid.value(q.value(0).toString()));
        if (!table)
            continue;
        SchemaColumn column;
        column.name = q.value(1).toString();
        column.type = unqualified(q.value(2).toString());
        column.notNull = q.value(3).toBool();
        const QString expression = unqualified(q.value(4).toString());
        column.collation = q.value(5).toString();
        if (q.value(6).toString() == QLatin1String("s")) {
            column.generated = expression;
            column.generatedStored = true;
        } else {
            column.defaultValue = expression;
        }
        // A serial column's sequence belongs to it: shown as the serial type it was declared with.
        const QString ownSequence = QStringLiteral("nextval('%1_%2_seq'::regclass)").arg(table->name, column.name);
        static const QHash<QString, QString> serials{{QStringLiteral("integer"), QStringLiteral("serial")},
                                                     {QStringLiteral("bigint"), QStringLiteral("bigserial")},
                                                     {QStringLiteral("smallint"), QStringLiteral("smallserial")}};
        if (column.defaultValue == ownSequence && serials.contains(column.type)) {
            column.type = serials.value(column.type);
            column.defaultValue.clear();
        }
        const QString identity = q.value(7).toString();
        column.identity = identity == QLatin1String("a") ? QStringLiteral("ALWAYS")
                        : identity == QLatin1String("d") ? QStringLiteral("BY DEFAULT") : QString();
        table->columns << column;
    }
}

void PostgresSchemaReader::readConstraints(Schema &schema, const QHash<QString, QString> &tableByOid)
{
    QSqlQuery q = m_db.exec(QStringLiteral(
        "SELECT con.conrelid::text, con.conname, con.contype, pg_get_constraintdef(con.oid, true), "
        "pg_get_expr(con.conbin, con.conrelid, true), %1, rc.relname, %2, con.confdeltype, con.confupdtype, "
        "con.condeferrable, con.condeferred "
        "FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
        "LEFT JOIN pg_class rc ON rc.oid = con.confrelid "
        "WHERE n.nspname = ? AND con.contype IN ('p', 'u', 'c', 'f') ORDER BY con.conname")
                                .arg(aggregatedNames("con.conkey", "con.conrelid"), aggregatedNames("con.confkey", "con.confrelid")),
                            {m_schema});
    while (q.next()) {
        SchemaTable *table = schema.table(tableByOid.value(q.value(0).toString()));
        if (!table)
            continue;
        SchemaConstraint c;
        c.name = q.value(1).toString();
        const QString type = q.value(2).toString();
        c.kind = type == QLatin1String("p") ? ConstraintKind::PrimaryKey
               : type == QLatin1String("u") ? ConstraintKind::Unique
               : type == QLatin1String("c") ? ConstraintKind::Check : ConstraintKind::ForeignKey;
        c.definition = unqualified(q.value(3).toString());
        if (c.kind == ConstraintKind::Check) {
            c.expression = unqualified(q.value(4).toString());
        } else {
            c.columns = splitNames(q.value(5));
        }
        if (c.kind == ConstraintKind::ForeignKey) {
            c.refTable = q.value(6).toString();
            c.refColumns = splitNames(q.value(7));
            c.onDelete = fkAction(q.value(8).toString());
            c.onUpdate = fkAction(q.value(9).toString());
            if (q.value(10).toBool())
                c.deferrable = q.value(11).toBool() ? QStringLiteral("DEFERRABLE INITIALLY DEFERRED")
                                                    : QStringLiteral("DEFERRABLE INITIALLY IMMEDIATE");
        }
        if (c.kind == ConstraintKind::PrimaryKey) {
            for (qsizetype i = 0; i < c.columns.size(); ++i) {
                for (SchemaColumn &column : table->columns) {
                    if (column.name == c.columns.at(i))
                        column.primaryKeyPosition = int(i + 1);
                }
            }
        }
        table->constraints << c;
    }
}

void PostgresSchemaReader::readIndexes(Schema &schema, const QHash<QString, QString> &tableByOid)
{
    // Indexes behind PRIMARY KEY / UNIQUE / EXCLUDE constraints belong to the constraint.
    QSqlQuery q = m_db.exec(QStringLiteral(
        "SELECT i.indrelid::text, ic.relname, i.indisunique, pg_get_indexdef(i.indexrelid), "
        "pg_get_expr(i.indpred, i.indrelid, true), am.amname, k.n, pg_get_indexdef(i.indexrelid, k.n, true), "
        "(i.indoption[k.n - 1] & 1) = 1, i.indkey[k.n - 1] <> 0 "
        "FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid "
        "JOIN pg_namespace n ON n.oid = t.relnamespace JOIN pg_am am ON am.oid = ic.relam "
        "CROSS JOIN LATERAL generate_series(1, i.indnkeyatts) AS k(n) "
        "WHERE n.nspname = ? AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = i.indexrelid "
        "AND con.contype IN ('p', 'u', 'x')) ORDER BY ic.relname, k.n"), {m_schema});
    while (q.next()) {
        SchemaTable *table = schema.table(tableByOid.value(q.value(0).toString()));
        if (!table)
            continue;
        const QString name = q.value(1).toString();
        if (table->indexes.isEmpty() || table->indexes.last().name != name) {
            SchemaIndex index;
            index.name = name;
            index.table = table->name;
            index.unique = q.value(2).toBool();
            index.definition = unqualified(q.value(3).toString());
            index.where = unqualified(q.value(4).toString());
            const QString method = q.value(5).toString();
            index.method = method == QLatin1String("btree") ? QString() : method;
            table->indexes << index;
        }
        SchemaIndexKey key;
        const QString text = unqualified(q.value(7).toString());
        if (q.value(9).toBool())
            key.column = SqlLexer::tokenize(text).value(0).identifier();
        else
            key.expression = text;
        key.descending = q.value(8).toBool();
        table->indexes.last().keys << key;
    }
}

void PostgresSchemaReader::readTriggers(Schema &schema, const QHash<QString, QString> &tableByOid)
{
    QSqlQuery q = m_db.exec(QStringLiteral(
        "SELECT tg.tgrelid::text, tg.tgname, pg_get_triggerdef(tg.oid, true), c.relkind, c.relname FROM pg_trigger tg "
        "JOIN pg_class c ON c.oid = tg.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = ? AND NOT tg.tgisinternal ORDER BY tg.tgname"), {m_schema});
    while (q.next()) {
        if (SchemaTable *table = schema.table(tableByOid.value(q.value(0).toString())))
            table->triggers.append({q.value(1).toString(), table->name, unqualified(q.value(2).toString())});
        else if (q.value(3).toString() == QLatin1String("v")) // attached once the views are read
            m_viewTriggers.append({q.value(1).toString(), q.value(4).toString(), unqualified(q.value(2).toString())});
    }
}

void PostgresSchemaReader::readOthers(Schema &schema)
{
    QSqlQuery views = m_db.exec(QStringLiteral(
        "SELECT c.relname, pg_get_viewdef(c.oid, true) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = ? AND c.relkind = 'v' ORDER BY c.relname"), {m_schema});
    while (views.next())
        schema.views.append({views.value(0).toString(), unqualified(views.value(1).toString()).trimmed(), {}});
    views.finish();
    for (SchemaView &view : schema.views) {
        for (const SchemaTrigger &trigger : std::as_const(m_viewTriggers)) {
            if (trigger.table == view.name)
                view.triggers << trigger;
        }
    }
    m_viewTriggers.clear();

    // Sequences a serial or identity column owns are part of that column, not objects of their own.
    QSqlQuery sequences = m_db.exec(QStringLiteral(
        "SELECT c.relname, format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle "
        "FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = ? AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid "
        "AND d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')) "
        "ORDER BY c.relname"), {m_schema});
    while (sequences.next()) {
        SchemaSequence s;
        s.name = sequences.value(0).toString();
        s.type = sequences.value(1).toString();
        s.start = sequences.value(2).toLongLong();
        s.increment = sequences.value(3).toLongLong();
        s.minValue = sequences.value(4).toLongLong();
        s.maxValue = sequences.value(5).toLongLong();
        s.cache = sequences.value(6).toLongLong();
        s.cycle = sequences.value(7).toBool();
        schema.sequences << s;
    }
    sequences.finish();

    QSqlQuery enums = m_db.exec(QStringLiteral(
        "SELECT t.typname, e.enumlabel FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
        "JOIN pg_enum e ON e.enumtypid = t.oid WHERE n.nspname = ? ORDER BY t.typname, e.enumsortorder"), {m_schema});
    while (enums.next()) {
        const QString name = enums.value(0).toString();
        if (schema.enums.isEmpty() || schema.enums.last().name != name)
            schema.enums.append({name, {}});
        schema.enums.last().labels << enums.value(1).toString();
    }
    enums.finish();

    // Functions of extensions are the extension's business, not the schema's.
    QSqlQuery functions = m_db.exec(QStringLiteral(
        "SELECT p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')', pg_get_functiondef(p.oid) "
        "FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = ? AND p.prokind IN ('f', 'p') "
        "AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e') ORDER BY 1"), {m_schema});
    while (functions.next())
        schema.functions.append({functions.value(0).toString(), unqualified(functions.value(1).toString()).trimmed()});
    functions.finish();

    QSqlQuery schemas = m_db.exec(QStringLiteral(
        "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname NOT IN ('information_schema', 'public', ?) "
        "AND nspname NOT LIKE 'dbdeck\\_scratch\\_%' ORDER BY nspname"), {m_schema});
    while (schemas.next())
        schema.otherSchemas << schemas.value(0).toString();
}

} // namespace dbdeck

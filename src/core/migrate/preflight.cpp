#include "migrate/preflight.h"

#include "db/database.h"
#include "db/errors.h"
#include "db/transaction.h"
#include "migrate/migratedschema.h"
#include "migrate/migrationerror.h"
#include "schema/schemaddl.h"
#include "schema/schemareader.h"
#include "schema/scratchdatabase.h"
#include "schema/sqllexer.h"

#include <QElapsedTimer>
#include <QHash>
#include <QJsonArray>
#include <QRegularExpression>
#include <QSqlQuery>
#include <QSqlRecord>

namespace dbdeck {

namespace {

constexpr int MaxExamples = 5;

QString q(const QString &name)
{
    return SchemaDdl::quote(name);
}

QString columnList(const QStringList &columns)
{
    QStringList quoted;
    for (const QString &c : columns)
        quoted << q(c);
    return quoted.join(QStringLiteral(", "));
}

bool sameName(const QString &a, const QString &b)
{
    return a.compare(b, Qt::CaseInsensitive) == 0;
}

// "text" -> "text", "VARCHAR(20)" -> "varchar", "character varying(20)" -> "character varying"
QString typeFamily(const QString &type)
{
    QString t = type.trimmed().toLower();
    const qsizetype paren = t.indexOf(QLatin1Char('('));
    if (paren >= 0)
        t = t.left(paren).trimmed();
    return t;
}

int typeLength(const QString &type)
{
    static const QRegularExpression re(QStringLiteral("\\(\\s*(\\d+)\\s*\\)"));
    const QRegularExpressionMatch m = re.match(type);
    return m.hasMatch() ? m.captured(1).toInt() : 0;
}

// SQLite's column affinity rules (https://www.sqlite.org/datatype3.html, 3.1).
enum class Affinity { Integer, Text, Blob, Real, Numeric };
Affinity sqliteAffinity(const QString &type)
{
    const QString t = type.toUpper();
    if (t.contains(QLatin1String("INT")))
        return Affinity::Integer;
    if (t.contains(QLatin1String("CHAR")) || t.contains(QLatin1String("CLOB")) || t.contains(QLatin1String("TEXT")))
        return Affinity::Text;
    if (t.isEmpty() || t.contains(QLatin1String("BLOB")))
        return Affinity::Blob;
    if (t.contains(QLatin1String("REAL")) || t.contains(QLatin1String("FLOA")) || t.contains(QLatin1String("DOUB")))
        return Affinity::Real;
    return Affinity::Numeric;
}

bool pgIntegerFamily(const QString &f)
{
    static const QStringList names{QStringLiteral("smallint"), QStringLiteral("integer"), QStringLiteral("int"),
                                   QStringLiteral("int2"), QStringLiteral("int4"), QStringLiteral("int8"),
                                   QStringLiteral("bigint")};
    return names.contains(f);
}

bool pgNumericFamily(const QString &f)
{
    static const QStringList names{QStringLiteral("numeric"), QStringLiteral("decimal"), QStringLiteral("real"),
                                   QStringLiteral("double precision"), QStringLiteral("float4"), QStringLiteral("float8"),
                                   QStringLiteral("float")};
    return pgIntegerFamily(f) || names.contains(f);
}

bool pgTextFamily(const QString &f)
{
    static const QStringList names{QStringLiteral("text"), QStringLiteral("varchar"), QStringLiteral("character varying"),
                                   QStringLiteral("char"), QStringLiteral("character"), QStringLiteral("bpchar")};
    return names.contains(f);
}

// A SQL predicate that is true for the rows whose value of column would not convert from type
// `from` to type `to`; empty when dbdeck does not know (note says why).
QString conversionFailure(Backend backend, const QString &column, const QString &from, const QString &to, QString *note)
{
    const QString c = q(column);
    if (backend == Backend::Sqlite) {
        switch (sqliteAffinity(to)) {
        case Affinity::Integer:
        case Affinity::Real:
        case Affinity::Numeric:
            // SQLite keeps a text or blob value it cannot read as a number as it is (a STRICT
            // table refuses it). A JSON number is SQL's numeric literal but for a leading '+' or
            // '.': close enough to count what would stay text.
            return QStringLiteral("%1 IS NOT NULL AND (typeof(%1) = 'blob' OR (typeof(%1) = 'text' AND NOT "
                                  "(json_valid(trim(%1)) AND json_type(trim(%1)) IN ('integer', 'real'))))")
                .arg(c);
        case Affinity::Text:
            return QStringLiteral("typeof(%1) = 'blob'").arg(c);
        case Affinity::Blob:
            return QStringLiteral("0");
        }
        return {};
    }
    const QString f = typeFamily(from);
    const QString t = typeFamily(to);
    const QString text = QStringLiteral("(%1)::text").arg(c);
    if (pgIntegerFamily(t)) {
        const QString range = t == QLatin1String("smallint") || t == QLatin1String("int2") ? QStringLiteral("-32768 AND 32767")
                              : t == QLatin1String("bigint") || t == QLatin1String("int8")
                                  ? QStringLiteral("-9223372036854775808 AND 9223372036854775807")
                                  : QStringLiteral("-2147483648 AND 2147483647");
        if (pgNumericFamily(f)) // rounds; only the range can fail
            return QStringLiteral("%1 IS NOT NULL AND round((%1)::numeric) NOT BETWEEN %2").arg(c, range);
        return QStringLiteral("%1 IS NOT NULL AND CASE WHEN %2 ~ '^\\s*[+-]?[0-9]+\\s*$' THEN (%2)::numeric NOT BETWEEN %3 ELSE true END")
            .arg(c, text, range);
    }
    if (pgNumericFamily(t)) {
        if (pgNumericFamily(f))
            return QStringLiteral("false");
        return QStringLiteral("%1 IS NOT NULL AND %2 !~* '^\\s*([+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)(e[+-]?[0-9]+)?|[+-]?infinity|nan)\\s*$'")
            .arg(c, text);
    }
    if (t == QLatin1String("boolean") || t == QLatin1String("bool"))
        return QStringLiteral("%1 IS NOT NULL AND lower(trim(%2)) NOT IN ('t', 'true', 'y', 'yes', 'on', '1', 'f', 'false', 'n', 'no', 'off', '0')")
            .arg(c, text);
    if (pgTextFamily(t)) {
        const int length = typeLength(to);
        if (t == QLatin1String("text") || length == 0)
            return QStringLiteral("false");
        return QStringLiteral("length(%1) > %2").arg(text).arg(length);
    }
    *note = QStringLiteral("values are not checked for a conversion to %1 (the migration's USING clause decides)").arg(to);
    return {};
}

// "NULL", 42, 'text' (shortened).
QString sqlValue(const QVariant &v)
{
    if (v.isNull())
        return QStringLiteral("NULL");
    switch (v.typeId()) {
    case QMetaType::Int:
    case QMetaType::LongLong:
    case QMetaType::UInt:
    case QMetaType::ULongLong:
    case QMetaType::Double:
        return v.toString();
    case QMetaType::QByteArray:
        return QStringLiteral("x'%1'").arg(QString::fromLatin1(v.toByteArray().left(16).toHex()));
    default:
        break;
    }
    QString s = v.toString();
    if (s.size() > 40)
        s = s.left(37) + QStringLiteral("...");
    s.replace(QLatin1Char('\''), QStringLiteral("''"));
    return QLatin1Char('\'') + s + QLatin1Char('\'');
}

// What the table's rows are identified by in examples.
QStringList keyColumns(const SchemaTable &live, Backend backend)
{
    if (const SchemaConstraint *pk = live.primaryKey())
        return pk->columns;
    return {backend == Backend::Sqlite ? QStringLiteral("rowid") : QStringLiteral("ctid")};
}

// Tables whose rows a migration's statements change, or rebuild (INSERT ... SELECT into a
// table later renamed to it): UPDATE t, DELETE FROM t, INSERT INTO t, ALTER TABLE x RENAME TO t.
struct StatementEffects
{
    QStringList changesRows;
    QStringList rebuilt;
};

StatementEffects effectsOf(const QString &sql)
{
    StatementEffects e;
    for (const QString &statement : SqlLexer::splitStatements(sql)) {
        const QList<LexToken> t = SqlLexer::tokenize(statement);
        auto word = [&](qsizetype i, const char *w) { return i < t.size() && t.at(i).isWord(w); };
        auto name = [&](qsizetype i) {
            // schema.table: the table's name is the last part
            QString n = i < t.size() ? t.at(i).identifier() : QString();
            if (i + 2 < t.size() && t.at(i + 1).isSymbol("."))
                n = t.at(i + 2).identifier();
            return n;
        };
        if (t.isEmpty())
            continue;
        qsizetype i = 0;
        if (word(0, "WITH")) // WITH ... UPDATE/INSERT/DELETE: find the verb
            while (i < t.size() && !word(i, "UPDATE") && !word(i, "INSERT") && !word(i, "DELETE") && !word(i, "REPLACE"))
                ++i;
        if (word(i, "UPDATE")) {
            qsizetype j = i + 1;
            if (word(j, "OR"))
                j += 2;
            if (word(j, "ONLY"))
                ++j;
            e.changesRows << name(j);
        } else if (word(i, "DELETE") && word(i + 1, "FROM")) {
            e.changesRows << name(word(i + 2, "ONLY") ? i + 3 : i + 2);
        } else if (word(i, "INSERT") || word(i, "REPLACE")) {
            qsizetype j = i + 1;
            while (j < t.size() && !word(j, "INTO"))
                ++j;
            e.changesRows << name(j + 1);
        } else if (word(i, "ALTER") && word(i + 1, "TABLE")) {
            for (qsizetype j = i + 2; j + 2 < t.size(); ++j) {
                if (word(j, "RENAME") && word(j + 1, "TO"))
                    e.rebuilt << name(j + 2);
            }
        }
    }
    e.changesRows.removeAll(QString());
    e.rebuilt.removeAll(QString());
    return e;
}

bool containsName(const QStringList &names, const QString &name)
{
    return names.contains(name, Qt::CaseInsensitive);
}

class Checker
{
public:
    Checker(Database &db, const Schema &live, PreflightReport &report)
        : m_db(db), m_live(live), m_report(report)
    {}

    void step(const MigrationStep &step, const Schema &before, const Schema &after, const QStringList &changedEarlier)
    {
        const StatementEffects effects = effectsOf(step.sql());
        for (const SchemaTable &table : after.tables) {
            const SchemaTable *old = before.table(table.name);
            const SchemaTable *live = m_live.table(table.name);
            if (!old || !live)
                continue; // a new table has no rows yet; one not in the database is drift (check --drift)
            const qint64 rows = rowCount(table.name);
            m_context = {step.file.version(), step.file.name(), table.name, rows};
            m_note.clear();
            m_notValid = false;
            const bool rebuilt = containsName(effects.rebuilt, table.name);
            if (containsName(changedEarlier, table.name) || containsName(effects.changesRows, table.name))
                m_note = QStringLiteral("the pending migrations change rows of %1: counted on the rows as they are now").arg(table.name);
            else if (rebuilt)
                m_note = QStringLiteral("the rebuild's INSERT ... SELECT copies the rows: counted on the rows as they are now");
            if (rebuilt && m_db.backend() == Backend::Sqlite)
                copy(QStringLiteral("table rebuild"));
            if (rows == 0)
                continue;
            columns(*old, table, *live);
            constraints(*old, table, *live);
            indexes(*old, table, *live);
        }
    }

private:
    struct Context
    {
        qint64 version = 0;
        QString migration;
        QString table;
        qint64 rows = 0;
    };

    qint64 rowCount(const QString &table)
    {
        auto it = m_rows.constFind(table.toLower());
        if (it != m_rows.constEnd())
            return *it;
        const qint64 n = m_db.scalar(QStringLiteral("SELECT count(*) FROM %1").arg(q(table))).toLongLong();
        m_rows.insert(table.toLower(), n);
        return n;
    }

    PreflightFinding finding(PreflightFinding::Kind kind, const QString &subject) const
    {
        PreflightFinding f;
        f.kind = kind;
        f.version = m_context.version;
        f.migration = m_context.migration;
        f.table = m_context.table;
        f.subject = subject;
        f.tableRows = m_context.rows;
        f.note = m_note;
        if (m_notValid) {
            f.notValid = true;
            f.note = QStringLiteral("added NOT VALID: these rows are not checked now, VALIDATE CONSTRAINT will fail on them");
        }
        return f;
    }

    void copy(const QString &what)
    {
        for (const PreflightFinding &f : std::as_const(m_report.findings)) {
            if (f.kind == PreflightFinding::Kind::Copy && f.version == m_context.version && sameName(f.table, m_context.table))
                return; // one copy per table and migration
        }
        PreflightFinding f = finding(PreflightFinding::Kind::Copy, what);
        f.note.clear();
        f.violations = 0;
        f.estimatedSeconds = double(m_context.rows) / Preflight::copyRowsPerSecond(m_db.backend());
        m_report.findings << f;
    }

    // Counts the rows matching `where` (or, with groupBy, the rows in groups of more than one)
    // and picks up to five examples. A query the database refuses makes the count unknown.
    void count(PreflightFinding f, const SchemaTable &live, const QString &where, const QStringList &shown,
               const QStringList &groupBy = {})
    {
        try {
            // A savepoint: on PostgreSQL a failed query would otherwise abort the whole read.
            Transaction probe(m_db, Transaction::Mode::Read);
            const QString from = q(live.name);
            if (groupBy.isEmpty()) {
                f.violations = m_db.scalar(QStringLiteral("SELECT count(*) FROM %1 WHERE %2").arg(from, where)).toLongLong();
                if (f.violations > 0) {
                    const QStringList keys = keyColumns(live, m_db.backend());
                    QStringList select;
                    for (const QString &k : keys)
                        select << (k == QLatin1String("rowid") || k == QLatin1String("ctid") ? k + QStringLiteral("::text") : q(k));
                    if (m_db.backend() == Backend::Sqlite)
                        select.replaceInStrings(QStringLiteral("::text"), QString());
                    for (const QString &s : shown)
                        select << q(s);
                    QSqlQuery rows = m_db.exec(QStringLiteral("SELECT %1 FROM %2 WHERE %3 LIMIT %4")
                                                   .arg(select.join(QStringLiteral(", ")), from, where)
                                                   .arg(MaxExamples));
                    while (rows.next()) {
                        QStringList keyText, valueText;
                        for (int i = 0; i < keys.size(); ++i)
                            keyText << keys.at(i) + QLatin1Char('=') + sqlValue(rows.value(i));
                        for (int i = 0; i < shown.size(); ++i)
                            valueText << shown.at(i) + QLatin1Char('=') + sqlValue(rows.value(int(keys.size()) + i));
                        f.examples << keyText.join(QStringLiteral(", "))
                                          + (valueText.isEmpty() ? QString() : QStringLiteral(": ") + valueText.join(QStringLiteral(", ")));
                    }
                }
            } else {
                const QString cols = columnList(groupBy);
                const QString groups = QStringLiteral("SELECT %1, count(*) AS dbdeck_n FROM %2 WHERE %3 GROUP BY %1 HAVING count(*) > 1")
                                           .arg(cols, from, where);
                f.violations = m_db.scalar(QStringLiteral("SELECT coalesce(sum(dbdeck_n), 0) FROM (%1) AS d").arg(groups)).toLongLong();
                if (f.violations > 0) {
                    QSqlQuery rows = m_db.exec(QStringLiteral("%1 ORDER BY count(*) DESC LIMIT %2").arg(groups).arg(MaxExamples));
                    while (rows.next()) {
                        QStringList valueText;
                        for (int i = 0; i < groupBy.size(); ++i)
                            valueText << groupBy.at(i) + QLatin1Char('=') + sqlValue(rows.value(i));
                        f.examples << QStringLiteral("%1 (%2 rows)").arg(valueText.join(QStringLiteral(", "))).arg(rows.value(int(groupBy.size())).toLongLong());
                    }
                }
            }
            probe.commit();
        } catch (const DbError &e) {
            f.violations = -1;
            f.examples.clear();
            f.note = QStringLiteral("not counted: %1").arg(e.message().section(QLatin1Char('\n'), 0, 0));
        }
        m_report.findings << f;
    }

    static QString notNullList(const QStringList &columns)
    {
        QStringList parts;
        for (const QString &c : columns)
            parts << q(c) + QStringLiteral(" IS NOT NULL");
        return parts.join(QStringLiteral(" AND "));
    }

    bool allLive(const SchemaTable &live, const QStringList &columns) const
    {
        for (const QString &c : columns) {
            if (!live.column(c))
                return false;
        }
        return true;
    }

    void columns(const SchemaTable &old, const SchemaTable &table, const SchemaTable &live)
    {
        m_notValid = false;
        for (const SchemaColumn &col : table.columns) {
            const SchemaColumn *was = old.column(col.name);
            if (!was) {
                if (col.notNull && col.defaultValue.isEmpty() && col.generated.isEmpty() && col.identity.isEmpty()) {
                    PreflightFinding f = finding(PreflightFinding::Kind::NotNull, QStringLiteral("%1 added NOT NULL without a default").arg(col.name));
                    // Every existing row would get NULL.
                    count(f, live, QStringLiteral("1 = 1"), {});
                }
                continue;
            }
            if (!live.column(col.name))
                continue;
            if (col.notNull && !was->notNull && col.primaryKeyPosition == 0)
                count(finding(PreflightFinding::Kind::NotNull, QStringLiteral("%1 NOT NULL").arg(col.name)), live,
                      QStringLiteral("%1 IS NULL").arg(q(col.name)), {col.name});
            if (typeFamily(col.type) != typeFamily(was->type) || typeLength(col.type) != typeLength(was->type)) {
                const QString subject = QStringLiteral("%1 %2 -> %3").arg(col.name, was->type.isEmpty() ? QStringLiteral("(none)") : was->type,
                                                                           col.type.isEmpty() ? QStringLiteral("(none)") : col.type);
                QString note;
                const QString where = conversionFailure(m_db.backend(), col.name, was->type, col.type, &note);
                PreflightFinding f = finding(PreflightFinding::Kind::TypeChange, subject);
                if (where.isEmpty()) {
                    f.violations = -1;
                    f.note = note;
                    m_report.findings << f;
                } else {
                    count(f, live, where, {col.name});
                }
                if (m_db.backend() == Backend::Postgres && !pgRewriteFree(was->type, col.type))
                    copy(QStringLiteral("table rewrite (ALTER COLUMN %1 TYPE %2)").arg(col.name, col.type));
            }
        }
    }

    // Type changes PostgreSQL makes without rewriting the table (binary-coercible).
    static bool pgRewriteFree(const QString &from, const QString &to)
    {
        const QString f = typeFamily(from), t = typeFamily(to);
        if (pgTextFamily(f) && (t == QLatin1String("text") || ((t == QLatin1String("varchar") || t == QLatin1String("character varying"))
                                                                && (typeLength(to) == 0 || typeLength(to) >= typeLength(from)) && typeLength(from) > 0)))
            return f != QLatin1String("char") && f != QLatin1String("character") && f != QLatin1String("bpchar");
        return false;
    }

    static bool sameConstraint(const SchemaConstraint &a, const SchemaConstraint &b)
    {
        return a.kind == b.kind && SqlLexer::comparisonKey(a.describe()) == SqlLexer::comparisonKey(b.describe());
    }

    void constraints(const SchemaTable &old, const SchemaTable &table, const SchemaTable &live)
    {
        for (const SchemaConstraint &c : table.constraints) {
            bool existed = false;
            for (const SchemaConstraint &o : old.constraints)
                existed = existed || sameConstraint(o, c);
            if (existed)
                continue;
            const QString subject = c.name.isEmpty() ? c.describe() : QStringLiteral("%1 %2").arg(c.name, c.describe());
            // pg_get_constraintdef ends an unvalidated constraint's definition with NOT VALID.
            m_notValid = c.definition.endsWith(QLatin1String("NOT VALID"), Qt::CaseInsensitive);
            switch (c.kind) {
            case ConstraintKind::PrimaryKey:
            case ConstraintKind::Unique: {
                if (!allLive(live, c.columns))
                    break; // a column the migration adds: it has no values yet
                PreflightFinding f = finding(PreflightFinding::Kind::Unique, subject);
                count(f, live, notNullList(c.columns), c.columns, c.columns);
                if (c.kind == ConstraintKind::PrimaryKey) {
                    QStringList nulls;
                    for (const QString &col : c.columns)
                        nulls << q(col) + QStringLiteral(" IS NULL");
                    count(finding(PreflightFinding::Kind::NotNull, QStringLiteral("%1 (primary key) NOT NULL").arg(c.columns.join(QStringLiteral(", ")))),
                          live, nulls.join(QStringLiteral(" OR ")), c.columns);
                }
                break;
            }
            case ConstraintKind::Check:
                // NOT (expr) is true only where expr is false: NULL passes a CHECK, as in the database.
                count(finding(PreflightFinding::Kind::Check, subject), live, QStringLiteral("NOT (%1)").arg(c.expression),
                      checkColumns(c.expression, live));
                break;
            case ConstraintKind::ForeignKey: {
                if (!allLive(live, c.columns))
                    break;
                QStringList refColumns = c.refColumns;
                const SchemaTable *parent = m_live.table(c.refTable);
                if (refColumns.isEmpty() && parent && parent->primaryKey())
                    refColumns = parent->primaryKey()->columns;
                QString where = notNullList(c.columns);
                if (parent && refColumns.size() == c.columns.size()) {
                    QStringList match;
                    for (int i = 0; i < c.columns.size(); ++i)
                        match << QStringLiteral("p.%1 = %2.%3").arg(q(refColumns.at(i)), q(live.name), q(c.columns.at(i)));
                    where += QStringLiteral(" AND NOT EXISTS (SELECT 1 FROM %1 AS p WHERE %2)").arg(q(parent->name), match.join(QStringLiteral(" AND ")));
                }
                // A parent table that does not exist yet has no rows: every non-NULL reference is an orphan.
                count(finding(PreflightFinding::Kind::ForeignKey, subject), live, where, c.columns);
                break;
            }
            }
        }
    }

    // The live columns an expression mentions, for examples.
    static QStringList checkColumns(const QString &expression, const SchemaTable &live)
    {
        QStringList shown;
        for (const SchemaColumn &col : live.columns) {
            if (SqlLexer::mentions(expression, col.name))
                shown << col.name;
        }
        return shown;
    }

    void indexes(const SchemaTable &old, const SchemaTable &table, const SchemaTable &live)
    {
        m_notValid = false;
        for (const SchemaIndex &index : table.indexes) {
            if (!index.unique)
                continue;
            bool existed = false;
            for (const SchemaIndex &o : old.indexes)
                existed = existed || (sameName(o.name, index.name) && o.unique);
            if (existed)
                continue;
            QStringList keys, plain;
            bool columnsOnly = true;
            for (const SchemaIndexKey &k : index.keys) {
                if (k.column.isEmpty()) {
                    columnsOnly = false;
                    keys << k.expression;
                } else {
                    keys << k.column;
                    plain << k.column;
                }
            }
            PreflightFinding f = finding(PreflightFinding::Kind::Unique, QStringLiteral("index %1 (%2)").arg(index.name, keys.join(QStringLiteral(", "))));
            if (!columnsOnly || !allLive(live, plain)) {
                f.violations = -1;
                f.note = QStringLiteral("an index on expressions or on new columns is not counted");
                m_report.findings << f;
                continue;
            }
            QString where = notNullList(plain);
            if (!index.where.isEmpty())
                where += QStringLiteral(" AND (%1)").arg(index.where);
            count(f, live, where, plain, plain);
        }
    }

    Database &m_db;
    const Schema &m_live;
    PreflightReport &m_report;
    QHash<QString, qint64> m_rows;
    Context m_context;
    QString m_note;
    bool m_notValid = false;
};

QString humanSeconds(double s)
{
    if (s < 1)
        return QStringLiteral("under a second");
    if (s < 120)
        return QStringLiteral("about %1 s").arg(qRound(s));
    return QStringLiteral("about %1 min").arg(qRound(s / 60));
}

} // namespace

QString PreflightFinding::kindName() const
{
    switch (kind) {
    case Kind::NotNull: return QStringLiteral("not-null");
    case Kind::Unique: return QStringLiteral("unique");
    case Kind::Check: return QStringLiteral("check");
    case Kind::ForeignKey: return QStringLiteral("foreign-key");
    case Kind::TypeChange: return QStringLiteral("type-change");
    case Kind::Copy: return QStringLiteral("copy");
    }
    return {};
}

QString PreflightFinding::toString() const
{
    QString text = QStringLiteral("%1 %2: %3 %4: ").arg(migration, table, kindName(), subject);
    if (kind == Kind::Copy)
        text += QStringLiteral("%1 row(s) to copy, %2").arg(tableRows).arg(humanSeconds(estimatedSeconds));
    else if (violations < 0)
        text += QStringLiteral("not counted");
    else if (kind == Kind::TypeChange)
        text += QStringLiteral("%1 of %2 row(s) would not convert").arg(violations).arg(tableRows);
    else if (kind == Kind::Unique)
        text += QStringLiteral("%1 of %2 row(s) share their value with another row").arg(violations).arg(tableRows);
    else
        text += QStringLiteral("%1 of %2 row(s) would violate it").arg(violations).arg(tableRows);
    if (!note.isEmpty())
        text += QStringLiteral(" (%1)").arg(note);
    return text;
}

int PreflightReport::violationCount() const
{
    int n = 0;
    for (const PreflightFinding &f : findings)
        n += f.violates() ? 1 : 0;
    return n;
}

QList<PreflightFinding> PreflightReport::findingsFor(qint64 version) const
{
    QList<PreflightFinding> out;
    for (const PreflightFinding &f : findings) {
        if (f.version == version)
            out << f;
    }
    return out;
}

QJsonObject PreflightReport::toJson() const
{
    QJsonArray items;
    for (const PreflightFinding &f : findings) {
        QJsonObject o{{QStringLiteral("migration"), f.migration},
                      {QStringLiteral("version"), f.version},
                      {QStringLiteral("table"), f.table},
                      {QStringLiteral("kind"), f.kindName()},
                      {QStringLiteral("subject"), f.subject},
                      {QStringLiteral("table_rows"), f.tableRows},
                      {QStringLiteral("note"), f.note}};
        if (f.kind == PreflightFinding::Kind::Copy)
            o.insert(QStringLiteral("estimated_seconds"), f.estimatedSeconds);
        else
            o.insert(QStringLiteral("violations"), f.violations < 0 ? QJsonValue() : QJsonValue(f.violations));
        o.insert(QStringLiteral("examples"), QJsonArray::fromStringList(f.examples));
        o.insert(QStringLiteral("fails"), f.violates());
        items.append(o);
    }
    return QJsonObject{{QStringLiteral("from"), from},
                       {QStringLiteral("to"), to},
                       {QStringLiteral("migrations"), QJsonArray::fromStringList(migrations)},
                       {QStringLiteral("findings"), items},
                       {QStringLiteral("notes"), QJsonArray::fromStringList(notes)},
                       {QStringLiteral("ok"), violationCount() == 0}};
}

QString PreflightReport::toText() const
{
    QString text;
    if (migrations.isEmpty())
        return QStringLiteral("preflight: nothing pending\n");
    for (const PreflightFinding &f : findings) {
        const QString level = f.violates() ? QStringLiteral("violation: ")
                              : f.violations != 0 && f.kind != PreflightFinding::Kind::Copy ? QStringLiteral("warning: ")
                                                                                              : QStringLiteral("ok: ");
        text += level + f.toString() + QLatin1Char('\n');
        for (const QString &e : f.examples)
            text += QStringLiteral("    ") + e + QLatin1Char('\n');
    }
    for (const QString &n : notes)
        text += QStringLiteral("note: ") + n + QLatin1Char('\n');
    const int bad = violationCount();
    text += bad ? QStringLiteral("preflight: %1 check(s) found rows that would fail %2; nothing was changed\n").arg(bad).arg(migrations.join(QStringLiteral(", ")))
                : QStringLiteral("preflight: the live rows fit %1 (%2 check(s)); nothing was changed\n")
                      .arg(migrations.join(QStringLiteral(", ")))
                      .arg(findings.size());
    return text;
}

double Preflight::copyRowsPerSecond(Backend backend)
{
    // A conservative order of magnitude, not a promise: on the project's 2-core VM a SQLite
    // rebuild of a 1,000,000-row events table with two indexes (CREATE, INSERT ... SELECT,
    // CREATE INDEX x2, DROP, RENAME, one transaction) took 1.2 s of CPU and 3-30 s of wall time
    // depending on the disk's load. Disk speed and the number of indexes dominate.
    return backend == Backend::Sqlite ? 100000.0 : 50000.0;
}

PreflightReport Preflight::run(Database &db, const MigrationSet &set, const MigrationPlan &plan)
{
    PreflightReport report;
    report.from = plan.from;
    report.to = plan.to;
    if (plan.operation != QLatin1String("upgrade"))
        throw MigrationError(QStringLiteral("preflight checks an upgrade; %1 is not one").arg(plan.operation));
    for (const MigrationStep &s : plan.steps)
        report.migrations << s.file.name();
    if (plan.steps.isEmpty())
        return report;

    ScratchDatabase scratch(db.config());
    MigratedSchema::applyTo(scratch, set, plan.from);
    Schema before = scratch.read();

    Transaction read(db, Transaction::Mode::Read);
    if (db.backend() == Backend::Postgres)
        db.exec(QStringLiteral("SET TRANSACTION READ ONLY"));
    const Schema live = SchemaReader::create(db)->read();
    Checker checker(db, live, report);
    QStringList changedEarlier;
    for (const MigrationStep &step : plan.steps) {
        try {
            scratch.apply(step.sql(), QStringLiteral("migration %1").arg(step.file.name()), step.foreignKeysOff());
        } catch (const DbError &e) {
            report.notes << QStringLiteral("%1 fails on a database built from the migrations, so it would fail here too: %2; the migrations after it were not checked")
                                .arg(step.file.name(), e.message());
            PreflightFinding f;
            f.kind = PreflightFinding::Kind::Check;
            f.version = step.file.version();
            f.migration = step.file.name();
            f.subject = QStringLiteral("the migration itself");
            f.violations = 1;
            f.note = e.message().section(QLatin1Char('\n'), 0, 0);
            report.findings << f;
            break;
        }
        const Schema after = scratch.read();
        checker.step(step, before, after, changedEarlier);
        changedEarlier << effectsOf(step.sql()).changesRows;
        before = after;
    }
    read.rollback(); // nothing was written; nothing to keep
    return report;
}

} // namespace dbdeck

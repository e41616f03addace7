#include "migrate/typechecks.h"

#include "migrate/lintcontext.h"

#include <QSet>

#include <algorithm>

namespace dbdeck {

namespace {

using Kind = StatementAnalysis::Kind;

bool isVarcharFamily(const QString &t)
{
    static const QSet<QString> names{QStringLiteral("VARCHAR"), QStringLiteral("CHARACTER VARYING"),
                                     QStringLiteral("NVARCHAR"), QStringLiteral("VARYING CHARACTER"),
                                     QStringLiteral("NATIVE CHARACTER"), QStringLiteral("NCHAR"), QStringLiteral("CHAR"),
                                     QStringLiteral("CHARACTER"), QStringLiteral("BPCHAR")};
    return names.contains(t);
}

bool isTimestampWithoutZone(const QString &t)
{
    return t == QLatin1String("TIMESTAMP") || t == QLatin1String("TIMESTAMP WITHOUT TIME ZONE")
        || t == QLatin1String("DATETIME");
}

bool isSerial(const QString &t)
{
    static const QSet<QString> names{QStringLiteral("SERIAL"), QStringLiteral("SERIAL4"), QStringLiteral("BIGSERIAL"),
                                     QStringLiteral("SERIAL8"), QStringLiteral("SMALLSERIAL"), QStringLiteral("SERIAL2")};
    return names.contains(t);
}

bool isSmallInt(const QString &t)
{
    static const QSet<QString> names{QStringLiteral("INT"), QStringLiteral("INTEGER"), QStringLiteral("INT4"),
                                     QStringLiteral("SMALLINT"), QStringLiteral("INT2"), QStringLiteral("MEDIUMINT"),
                                     QStringLiteral("TINYINT")};
    return names.contains(t);
}

bool isPortable(const QString &t)
{
    static const QSet<QString> names{QStringLiteral("TEXT"), QStringLiteral("INTEGER"), QStringLiteral("REAL"),
                                     QStringLiteral("BLOB"), QStringLiteral("NUMERIC")};
    return names.contains(t);
}

bool isKey(const StatementAnalysis &s, const ColumnDefinition &column)
{
    if (column.primaryKey)
        return true;
    for (const ConstraintDefinition &c : column.constraints) {
        if (c.kind == ConstraintDefinition::Kind::ForeignKey)
            return true;
    }
    for (const ConstraintDefinition &c : s.constraints) {
        if ((c.kind == ConstraintDefinition::Kind::PrimaryKey || c.kind == ConstraintDefinition::Kind::ForeignKey)
            && c.columns.contains(column.name))
            return true;
    }
    return false;
}

// 'queued', 'info', 'in_progress': a lower-case word, as enum values are.
bool looksLikeEnumValue(const QString &value)
{
    if (value.isEmpty() || value.front() < QLatin1Char('a') || value.front() > QLatin1Char('z'))
        return false;
    return std::all_of(value.cbegin(), value.cend(), [](QChar c) {
        return (c >= QLatin1Char('a') && c <= QLatin1Char('z')) || c.isDigit() || c == QLatin1Char('_');
    });
}

// The word as a whole identifier in the text, ignoring case ("kind" in "kind IN (...)", not in "kinds").
bool mentionsWord(const QString &text, const QString &word)
{
    const auto isPart = [](QChar c) { return c.isLetterOrNumber() || c == QLatin1Char('_'); };
    for (qsizetype at = text.indexOf(word, 0, Qt::CaseInsensitive); at >= 0;
         at = text.indexOf(word, at + 1, Qt::CaseInsensitive)) {
        const qsizetype end = at + word.size();
        if ((at == 0 || !isPart(text.at(at - 1))) && (end >= text.size() || !isPart(text.at(end))))
            return true;
    }
    return false;
}

} // namespace

QString TypeChecks::sqliteAffinity(const QString &typeName)
{
    const QString t = typeName.toUpper();
    if (t.contains(QLatin1String("INT")))
        return QStringLiteral("INTEGER");
    if (t.contains(QLatin1String("CHAR")) || t.contains(QLatin1String("CLOB")) || t.contains(QLatin1String("TEXT")))
        return QStringLiteral("TEXT");
    if (t.isEmpty() || t.contains(QLatin1String("BLOB")))
        return QStringLiteral("BLOB");
    if (t.contains(QLatin1String("REAL")) || t.contains(QLatin1String("FLOA")) || t.contains(QLatin1String("DOUB")))
        return QStringLiteral("REAL");
    return QStringLiteral("NUMERIC");
}

void TypeChecks::check(LintContext &ctx)
{
    const StatementAnalysis &s = ctx.analysis();
    if (s.kind == Kind::CreateType && !s.enumValues.isEmpty()) {
        ctx.report("portable-enum", s.position,
                   QStringLiteral("CREATE TYPE %1 AS ENUM is PostgreSQL-only, and its values are hard to change later "
                                  "(ALTER TYPE ... ADD VALUE cannot be undone, removing one needs a new type)").arg(s.objectName),
                   QStringLiteral("a TEXT column with CONSTRAINT ck_<table>_<column> CHECK (<column> IN ('%1'))")
                       .arg(s.enumValues.join(QStringLiteral("', '"))));
        return;
    }
    if (s.kind != Kind::CreateTable && s.kind != Kind::AlterTable)
        return;
    for (const ColumnDefinition &column : s.addedColumns()) {
        checkColumn(ctx, s.table, column.name, column.type, column.typeName, column.typeArguments,
                    column.typePosition.isValid() ? column.typePosition : column.position, isKey(s, column));
        checkEnumLike(ctx, s.table, column);
    }
    for (const AlterAction &a : s.actions) {
        if (a.kind == AlterAction::Kind::AlterColumnType)
            checkColumn(ctx, s.table, a.column, a.newType, a.newTypeName, a.newTypeArguments, a.position, false);
    }
}

void TypeChecks::checkColumn(LintContext &ctx, const QString &table, const QString &column, const QString &type,
                             const QString &typeName, const QStringList &arguments, SqlPosition position, bool key)
{
    const QString name = table + QLatin1Char('.') + column;
    const bool postgres = ctx.postgres();
    if (typeName.startsWith(QLatin1String("ENUM"))) {
        ctx.report("portable-enum", position,
                   QStringLiteral("%1 is declared %2: neither SQLite nor PostgreSQL has an ENUM column type").arg(name, type),
                   QStringLiteral("TEXT with CONSTRAINT ck_%1_%2 CHECK (%2 IN (...))").arg(table, column));
        return;
    }
    const bool charWithoutLength = typeName.startsWith(QLatin1String("CHAR")) && typeName != QLatin1String("CHARACTER VARYING");
    if (isVarcharFamily(typeName) && (!arguments.isEmpty() || charWithoutLength || typeName == QLatin1String("NCHAR"))) {
        const bool padded = !typeName.contains(QLatin1String("VAR"));
        ctx.report("pg-varchar", position,
                   padded ? QStringLiteral("%1 is %2: PostgreSQL pads char(n) with blanks (and char is char(1)); SQLite "
                                           "ignores the length").arg(name, type)
                          : QStringLiteral("%1 is %2: PostgreSQL enforces the length (and changing it later locks or "
                                           "rewrites the table), SQLite ignores it").arg(name, type),
                   QStringLiteral("TEXT, with CONSTRAINT ck_%1_%2_length CHECK (length(%2) <= %3) if the limit matters")
                       .arg(table, column, arguments.value(0, QStringLiteral("n"))));
        return;
    }
    if (isTimestampWithoutZone(typeName)) {
        ctx.report("pg-timestamp-without-time-zone", position,
                   postgres ? QStringLiteral("%1 is %2: it stores a wall-clock time without saying in which zone").arg(name, type)
                            : QStringLiteral("%1 is %2: SQLite gives it NUMERIC affinity, and on PostgreSQL it is a time "
                                             "without a zone").arg(name, type),
                   postgres ? QStringLiteral("timestamptz (timestamp with time zone)")
                            : QStringLiteral("TEXT holding naive UTC \"YYYY-MM-DD HH:MM:SS.ffffff\", as this application "
                                             "stores times (timestamptz once on PostgreSQL)"));
        return;
    }
    if (isSerial(typeName)) {
        ctx.report("pg-serial", position,
                   postgres ? QStringLiteral("%1 is %2: a sequence the table only loosely owns (permissions, copies, dumps)")
                                  .arg(name, type)
                            : QStringLiteral("%1 is %2, which SQLite does not know: the column gets no values by itself "
                                             "and is not an alias of rowid").arg(name, type),
                   postgres ? QStringLiteral("BIGINT GENERATED ALWAYS AS IDENTITY")
                            : QStringLiteral("INTEGER PRIMARY KEY, or TEXT ids (UUID v7, as runs and events use)"));
        return;
    }
    if (key && isSmallInt(typeName)) {
        ctx.report("pg-int-key", position,
                   QStringLiteral("%1 is a key of type %2: on PostgreSQL that is 32 bits, and it runs out at 2,147,483,647")
                       .arg(name, type),
                   postgres ? QStringLiteral("BIGINT (BIGINT GENERATED ALWAYS AS IDENTITY for generated ids), and BIGINT "
                                             "for the foreign keys that point at it")
                            : QStringLiteral("TEXT ids (UUID v7, as runs and events use) port unchanged; an INTEGER key "
                                             "must become BIGINT on PostgreSQL"));
        return;
    }
    if (!postgres && !isPortable(typeName) && !isSmallInt(typeName.section(QLatin1Char(' '), 0, 0)))
        ctx.report("portable-type", position,
                   typeName.isEmpty()
                       ? QStringLiteral("%1 has no type: SQLite gives it BLOB affinity, PostgreSQL refuses it").arg(name)
                       : QStringLiteral("%1 is %2: outside TEXT, INTEGER, REAL, BLOB and NUMERIC it gets %3 affinity on "
                                        "SQLite and means something else on PostgreSQL").arg(name, type, sqliteAffinity(typeName)),
                   QStringLiteral("TEXT for strings, times (naive UTC) and JSON; INTEGER for whole numbers and booleans "
                                  "(0/1 with a CHECK); REAL for floating point; NUMERIC for exact decimals"));
    else if (!postgres && isSmallInt(typeName) && typeName != QLatin1String("INTEGER"))
        ctx.report("portable-type", position,
                   QStringLiteral("%1 is %2: SQLite makes it INTEGER (64-bit), PostgreSQL a smaller integer").arg(name, type),
                   QStringLiteral("INTEGER"));
}

void TypeChecks::checkEnumLike(LintContext &ctx, const QString &table, const ColumnDefinition &column)
{
    if (column.defaultTokens.size() != 1 || column.defaultTokens.first().kind != SqlToken::Kind::String)
        return;
    if (sqliteAffinity(column.typeName) != QLatin1String("TEXT") && !column.typeName.isEmpty())
        return;
    const QString value = column.defaultTokens.first().stringValue();
    if (!looksLikeEnumValue(value))
        return;
    const StatementAnalysis &s = ctx.analysis();
    for (const ConstraintDefinition &c : s.addedConstraints()) {
        if (c.kind == ConstraintDefinition::Kind::Check && mentionsWord(c.expression, column.name))
            return;
    }
    ctx.report("portable-enum", column.defaultPosition,
               QStringLiteral("%1.%2 defaults to '%3' like an enum, but no CHECK limits its values").arg(table, column.name, value),
               QStringLiteral("CONSTRAINT ck_%1_%2 CHECK (%2 IN ('%3', ...))").arg(table, column.name, value));
}

} // namespace dbdeck

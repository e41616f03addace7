#include "migrate/portabilitychecks.h"

#include "migrate/lintcontext.h"
#include "migrate/sqlexpression.h"

#include <QHash>

namespace dbdeck {

namespace {

using Kind = StatementAnalysis::Kind;

// SQLite functions PostgreSQL does not have, and what to write there instead.
const QHash<QString, QString> &sqliteOnlyFunctions()
{
    static const QHash<QString, QString> functions{
        {QStringLiteral("datetime"), QStringLiteral("to_char(...) or now() AT TIME ZONE 'UTC'")},
        {QStringLiteral("julianday"), QStringLiteral("extract(epoch FROM ...) / 86400")},
        {QStringLiteral("strftime"), QStringLiteral("to_char(...)")},
        {QStringLiteral("unixepoch"), QStringLiteral("extract(epoch FROM ...)")},
        {QStringLiteral("ifnull"), QStringLiteral("coalesce(a, b), which both have")},
        {QStringLiteral("iif"), QStringLiteral("CASE WHEN ... THEN ... ELSE ... END, which both have")},
        {QStringLiteral("instr"), QStringLiteral("strpos(string, substring)")},
        {QStringLiteral("group_concat"), QStringLiteral("string_agg(x, ',')")},
        {QStringLiteral("printf"), QStringLiteral("format() on PostgreSQL (its placeholders differ)")},
        {QStringLiteral("randomblob"), QStringLiteral("gen_random_bytes() (pgcrypto)")},
        {QStringLiteral("zeroblob"), QStringLiteral("decode(repeat('00', n), 'hex')")},
        {QStringLiteral("typeof"), QStringLiteral("pg_typeof()")},
        {QStringLiteral("last_insert_rowid"), QStringLiteral("INSERT ... RETURNING id, which both have")},
        {QStringLiteral("changes"), QStringLiteral("the row count the driver reports")},
        {QStringLiteral("total_changes"), QStringLiteral("the row count the driver reports")},
        {QStringLiteral("sqlite_version"), QStringLiteral("version()")},
        {QStringLiteral("likelihood"), QStringLiteral("the plain condition")},
        {QStringLiteral("likely"), QStringLiteral("the plain condition")},
        {QStringLiteral("unlikely"), QStringLiteral("the plain condition")},
        {QStringLiteral("hex"), QStringLiteral("encode(x, 'hex')")},
        {QStringLiteral("quote"), QStringLiteral("quote_literal()")},
        {QStringLiteral("glob"), QStringLiteral("LIKE or ~ (regular expressions)")},
        {QStringLiteral("total"), QStringLiteral("coalesce(sum(x), 0)")},
        {QStringLiteral("unicode"), QStringLiteral("ascii()")},
        {QStringLiteral("json_extract"), QStringLiteral("the ->> operator (SQLite 3.38+ and PostgreSQL)")},
        {QStringLiteral("json_set"), QStringLiteral("jsonb_set()")},
        {QStringLiteral("json_insert"), QStringLiteral("jsonb_insert()")},
        {QStringLiteral("json_replace"), QStringLiteral("jsonb_set()")},
        {QStringLiteral("json_remove"), QStringLiteral("the jsonb - operator")},
        {QStringLiteral("json_patch"), QStringLiteral("the jsonb || operator")},
        {QStringLiteral("json_valid"), QStringLiteral("a cast to jsonb (it fails on bad JSON)")},
        {QStringLiteral("json_group_array"), QStringLiteral("json_agg()")},
        {QStringLiteral("json_group_object"), QStringLiteral("json_object_agg()")},
        {QStringLiteral("json_type"), QStringLiteral("json_typeof()")},
        {QStringLiteral("json_quote"), QStringLiteral("to_json()")},
        {QStringLiteral("json_tree"), QStringLiteral("jsonb_path_query()")},
        {QStringLiteral("load_extension"), QStringLiteral("CREATE EXTENSION")},
    };
    return functions;
}

} // namespace

void PortabilityChecks::check(LintContext &ctx)
{
    const StatementAnalysis &s = ctx.analysis();
    if (!s.conflictClause.isEmpty()) {
        const bool replaceInto = s.tokens.value(0).isKeyword("REPLACE");
        ctx.report("portable-insert-or-replace", s.position,
                   replaceInto ? QStringLiteral("REPLACE INTO is SQLite-only (and it deletes the old row, firing ON DELETE "
                                                "CASCADE, before inserting)")
                               : QStringLiteral("%1 OR %2 is SQLite-only").arg(s.kind == Kind::Update ? QStringLiteral("UPDATE")
                                                                                                     : QStringLiteral("INSERT"),
                                                                               s.conflictClause),
                   s.kind == Kind::Update ? QStringLiteral("say in the WHERE which rows to leave alone")
                                          : QStringLiteral("INSERT ... ON CONFLICT (<key columns>) DO UPDATE SET col = "
                                                           "excluded.col (or DO NOTHING): both backends have it"));
    }
    if (s.kind == Kind::Pragma)
        ctx.report("portable-sqlite-syntax", s.position, QStringLiteral("PRAGMA %1 is SQLite-only").arg(s.objectName),
                   QStringLiteral("for a table rebuild, \"-- migrate:up foreign_keys:off\" (docs/migrations.md); connection "
                                  "settings belong in the SQLITE_* settings, not in a migration"));
    if (s.kind == Kind::Attach)
        ctx.report("portable-sqlite-syntax", s.position, QStringLiteral("ATTACH/DETACH is SQLite-only"),
                   QStringLiteral("keep a migration to its own database"));
    checkTokens(ctx);
    checkFunctions(ctx);
    if (s.kind == Kind::AlterTable)
        checkSqliteAlterTable(ctx);
}

void PortabilityChecks::checkTokens(LintContext &ctx)
{
    const StatementAnalysis &s = ctx.analysis();
    QList<SqlPosition> definedNames; // a column called "oid" is not a use of the rowid
    for (const ColumnDefinition &column : s.addedColumns())
        definedNames << column.position;
    for (qsizetype i = 0; i < s.tokens.size(); ++i) {
        const SqlToken &t = s.tokens.at(i);
        const SqlToken &before = i > 0 ? s.tokens.at(i - 1) : SqlToken();
        if (t.isKeyword("AUTOINCREMENT")) {
            ctx.report("portable-autoincrement", t.position,
                       QStringLiteral("AUTOINCREMENT is SQLite-only (and seldom needed: INTEGER PRIMARY KEY assigns ids "
                                      "already; AUTOINCREMENT only forbids reusing the ids of deleted rows)"),
                       QStringLiteral("TEXT ids (UUID v7, as runs and events use), or INTEGER PRIMARY KEY on SQLite and "
                                      "BIGINT GENERATED ALWAYS AS IDENTITY on PostgreSQL"));
        } else if ((t.isKeyword("rowid") || t.isKeyword("_rowid_") || (t.isKeyword("oid") && !ctx.postgres()))
                   && !before.isKeyword("WITHOUT") // PostgreSQL's catalogs do have an oid column
                   && !definedNames.contains(t.position)) {
            ctx.report("portable-rowid", t.position,
                       QStringLiteral("%1 exists on SQLite only, and a table's rowids may change (VACUUM) unless a column "
                                      "aliases them").arg(t.text),
                       QStringLiteral("refer to the table's explicit primary key"));
        } else if (t.isKeyword("ROWID") && before.isKeyword("WITHOUT")) {
            ctx.report("portable-sqlite-syntax", before.position, QStringLiteral("WITHOUT ROWID is SQLite-only"),
                       QStringLiteral("leave it out; keep the explicit PRIMARY KEY (PostgreSQL tables have no rowid anyway)"));
        } else if (t.isKeyword("STRICT") && s.strict && (before.isPunctuation(QLatin1Char(')')) || before.isPunctuation(QLatin1Char(',')))) {
            ctx.report("portable-sqlite-syntax", t.position, QStringLiteral("STRICT tables are SQLite-only"),
                       QStringLiteral("leave it out and state what it checks with CHECK constraints (typeof(col) = 'text')"));
        } else if (t.kind == SqlToken::Kind::QuotedIdentifier && (t.text.startsWith(QLatin1Char('[')) || t.text.startsWith(QLatin1Char('`')))) {
            ctx.report("portable-sqlite-syntax", t.position,
                       QStringLiteral("%1 quotes an identifier the way only SQLite (and MySQL or SQL Server) accept").arg(t.text),
                       QStringLiteral("\"%1\", or better a name that needs no quotes").arg(t.identifier()));
        } else if (ctx.postgres() && t.kind == SqlToken::Kind::Operator && t.text == QLatin1String("`")) {
            ctx.report("portable-sqlite-syntax", t.position,
                       QStringLiteral("`backticks` do not quote identifiers on PostgreSQL"), QStringLiteral("\"double quotes\""));
        }
    }
}

void PortabilityChecks::checkFunctions(LintContext &ctx)
{
    const StatementAnalysis &s = ctx.analysis();
    for (const SqlFunctionCall &call : SqlExpression::functionCalls(s.tokens)) {
        QString instead = sqliteOnlyFunctions().value(call.name);
        QString what = QStringLiteral("%1() is a SQLite function PostgreSQL does not have").arg(call.name);
        if (call.name.startsWith(QLatin1String("pragma_"))) {
            instead = QStringLiteral("information_schema or pg_catalog views");
            what = QStringLiteral("%1() is a SQLite PRAGMA function").arg(call.name);
        } else if ((call.name == QLatin1String("min") || call.name == QLatin1String("max")) && call.arguments >= 2) {
            instead = call.name == QLatin1String("min") ? QStringLiteral("least(a, b)") : QStringLiteral("greatest(a, b)");
            what = QStringLiteral("%1() with %2 arguments is SQLite's scalar %1; on PostgreSQL %1 is only an aggregate")
                       .arg(call.name).arg(call.arguments);
        } else if ((call.name == QLatin1String("date") || call.name == QLatin1String("time")) && call.arguments >= 2) {
            instead = QStringLiteral("date arithmetic with intervals: (now() - interval '1 day')::date");
            what = QStringLiteral("%1() with modifiers is SQLite's date function").arg(call.name);
        }
        if (!instead.isEmpty())
            ctx.report("portable-sqlite-function", call.position, what, QStringLiteral("write %1").arg(instead));
    }
}

void PortabilityChecks::checkSqliteAlterTable(LintContext &ctx)
{
    const StatementAnalysis &s = ctx.analysis();
    const QString rebuild = QStringLiteral("rebuild the table (docs/migrations.md, \"SQLite's ALTER TABLE, and the "
                                           "12-step rebuild\"), in a migration marked \"-- migrate:up foreign_keys:off\"");
    if (s.actions.size() > 1) {
        ctx.report("sqlite-alter-table-unsupported", s.actions.at(1).position,
                   QStringLiteral("SQLite's ALTER TABLE takes one action per statement; this one has %1").arg(s.actions.size()),
                   QStringLiteral("one ALTER TABLE statement per action"));
    }
    if (s.ifExists)
        ctx.report("sqlite-alter-table-unsupported", s.position, QStringLiteral("SQLite has no ALTER TABLE IF EXISTS"),
                   QStringLiteral("leave out IF EXISTS: migrations run in order, so the table's existence is known"));
    for (const AlterAction &a : s.actions) {
        QString cannot;
        switch (a.kind) {
        case AlterAction::Kind::AddConstraint: cannot = QStringLiteral("add a constraint"); break;
        case AlterAction::Kind::DropConstraint: cannot = QStringLiteral("drop a constraint"); break;
        case AlterAction::Kind::ValidateConstraint: cannot = QStringLiteral("validate a constraint"); break;
        case AlterAction::Kind::RenameConstraint: cannot = QStringLiteral("rename a constraint"); break;
        case AlterAction::Kind::AlterColumnType: cannot = QStringLiteral("change a column's type"); break;
        case AlterAction::Kind::SetNotNull:
        case AlterAction::Kind::DropNotNull: cannot = QStringLiteral("change a column's NOT NULL"); break;
        case AlterAction::Kind::SetDefault:
        case AlterAction::Kind::DropDefault: cannot = QStringLiteral("change a column's default"); break;
        case AlterAction::Kind::AddColumn:
            if (a.columnDefinition.primaryKey)
                cannot = QStringLiteral("add a PRIMARY KEY column");
            else if (a.columnDefinition.generated && a.columnDefinition.stored)
                cannot = QStringLiteral("add a STORED generated column");
            for (const ConstraintDefinition &c : a.columnDefinition.constraints) {
                if (c.kind == ConstraintDefinition::Kind::Unique)
                    cannot = QStringLiteral("add a UNIQUE column");
            }
            break;
        case AlterAction::Kind::Other: cannot = QStringLiteral("do this"); break;
        default: break;
        }
        if (!cannot.isEmpty())
            ctx.report("sqlite-alter-table-unsupported", a.position,
                       QStringLiteral("SQLite's ALTER TABLE cannot %1 (%2)")
                           .arg(cannot, a.column.isEmpty() ? s.table : s.table + QLatin1Char('.') + a.column),
                       cannot.startsWith(QLatin1String("add a UNIQUE")) || cannot.startsWith(QLatin1String("add a PRIMARY"))
                           ? QStringLiteral("add the column plainly, then CREATE UNIQUE INDEX uq_%1_%2 ON %1 (%2)").arg(s.table, a.column)
                           : rebuild);
    }
}

} // namespace dbdeck

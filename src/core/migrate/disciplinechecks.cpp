#include "migrate/disciplinechecks.h"

#include "migrate/lintcontext.h"

namespace dbdeck {

namespace {

using Kind = StatementAnalysis::Kind;

QString acknowledge(const char *rule)
{
    return QStringLiteral("if that is the plan (the contract step of expand/contract, once no running code needs it, with "
                          "a backup), say so: -- dbdeck:ignore %1").arg(QLatin1String(rule));
}

QString sayItIsMeant(const char *rule)
{
    return QStringLiteral("say so: -- dbdeck:ignore %1").arg(QLatin1String(rule));
}

QString describe(const SqlToken &token)
{
    switch (token.kind) {
    case SqlToken::Kind::String: return QStringLiteral("string");
    case SqlToken::Kind::QuotedIdentifier: return QStringLiteral("quoted identifier");
    case SqlToken::Kind::DollarString: return QStringLiteral("dollar-quoted string");
    default: return QStringLiteral("comment");
    }
}

} // namespace

void DisciplineChecks::check(LintContext &ctx)
{
    for (const SqlToken &token : ctx.statement().unterminated)
        ctx.report("sql-unterminated", token.position,
                   QStringLiteral("this %1 is not closed: everything after it, to the end of the section, is part of it")
                       .arg(describe(token)),
                   QStringLiteral("close it (a quote inside a string is written twice: 'it''s')"));
    checkDestructive(ctx);
    checkTransaction(ctx);
}

void DisciplineChecks::checkDestructive(LintContext &ctx)
{
    const StatementAnalysis &s = ctx.analysis();
    switch (s.kind) {
    case Kind::DropTable:
        for (const QString &table : s.tables) {
            if (!ctx.isExistingTable(table))
                continue;
            const TableRebuild *rebuild = ctx.section().rebuildDropping(ctx.statementIndex());
            if (rebuild && rebuild->table == table && rebuild->copyIndex >= 0)
                continue; // a rebuild: its rows were copied into the new table first
            if (rebuild && rebuild->table == table)
                ctx.report("destructive-drop-table", s.position,
                           QStringLiteral("DROP TABLE %1 in a rebuild, but no INSERT INTO %2 ... SELECT ... FROM %1 copies "
                                          "its rows first: they are lost").arg(table, rebuild->newTable),
                           QStringLiteral("INSERT INTO %1 (...) SELECT ... FROM %2 before the DROP").arg(rebuild->newTable, table));
            else
                ctx.report("destructive-drop-table", s.position, QStringLiteral("DROP TABLE %1 loses all its rows").arg(table),
                           acknowledge("destructive-drop-table"));
        }
        break;
    case Kind::AlterTable:
        for (const AlterAction &a : s.actions) {
            if (a.kind == AlterAction::Kind::DropColumn && !ctx.isNewColumn(s.table, a.column))
                ctx.report("destructive-drop-column", a.position,
                           QStringLiteral("DROP COLUMN %1.%2 loses its values, and running code that still reads it fails")
                               .arg(s.table, a.column),
                           acknowledge("destructive-drop-column"));
        }
        break;
    case Kind::Truncate:
        for (const QString &table : s.tables) {
            if (ctx.isExistingTable(table))
                ctx.report("destructive-truncate", s.position, QStringLiteral("TRUNCATE %1 loses all its rows").arg(table),
                           acknowledge("destructive-truncate"));
        }
        break;
    case Kind::Delete:
        if (!s.hasWhere && ctx.isExistingTable(s.table))
            ctx.report("destructive-delete-without-where", s.position,
                       QStringLiteral("DELETE FROM %1 without WHERE deletes every row").arg(s.table),
                       QStringLiteral("add the WHERE that picks the rows you mean; if it really is every row, %1")
                           .arg(sayItIsMeant("destructive-delete-without-where")));
        break;
    case Kind::Update: {
        if (s.hasWhere || !ctx.isExistingTable(s.table))
            break;
        QStringList overwritten;
        for (const QString &column : s.updatedColumns) {
            if (!ctx.isNewColumn(s.table, column))
                overwritten << column;
        }
        if (!overwritten.isEmpty())
            ctx.report("destructive-update-without-where", s.position,
                       QStringLiteral("UPDATE %1 without WHERE overwrites %2 in every row").arg(s.table, overwritten.join(QStringLiteral(", "))),
                       QStringLiteral("a backfill: add WHERE %1 IS NULL (then it can run again safely) and batch it on a big "
                                      "table; otherwise add the WHERE you mean").arg(overwritten.first()));
        break;
    }
    default:
        break;
    }
}

void DisciplineChecks::checkTransaction(LintContext &ctx)
{
    if (!ctx.transactional())
        return;
    const StatementAnalysis &s = ctx.analysis();
    const QString noTransaction = QStringLiteral("mark the migration \"-- migrate:up transaction:false\"");
    // SAVEPOINT, RELEASE and ROLLBACK TO nest inside the migration's transaction; the rest end it.
    const bool nested = s.tokens.value(0).isKeyword("SAVEPOINT") || s.tokens.value(0).isKeyword("RELEASE")
        || (s.tokens.value(0).isKeyword("ROLLBACK") && (s.tokens.value(1).isKeyword("TO") || s.tokens.value(2).isKeyword("TO")));
    if (s.kind == Kind::TransactionControl && !nested)
        ctx.report("transaction-control", s.position,
                   QStringLiteral("%1 in a transactional migration: dbdeck already runs the migration and its version row in "
                                  "one transaction, and this would end or split it").arg(s.tokens.first().text.toUpper()),
                   QStringLiteral("remove it, or %1 if the migration must manage its own transactions").arg(noTransaction));
    if (s.kind == Kind::Vacuum)
        ctx.report("vacuum-in-transaction", s.position,
                   QStringLiteral("VACUUM cannot run inside a transaction, and this migration runs in one"),
                   QStringLiteral("%1 (or run VACUUM as maintenance, outside migrations)").arg(noTransaction));
    if (s.kind != Kind::Pragma || s.value.isEmpty())
        return;
    const QString name = s.objectName;
    QString why;
    QString instead;
    if (name == QLatin1String("foreign_keys")) {
        why = QStringLiteral("does nothing inside a transaction");
        instead = QStringLiteral("for a table rebuild, \"-- migrate:up foreign_keys:off\" turns them off around the "
                                 "migration's transaction (docs/migrations.md)");
    } else if (name == QLatin1String("journal_mode") || name == QLatin1String("synchronous")) {
        why = QStringLiteral("cannot change inside a transaction");
        instead = QStringLiteral("it is a connection setting: SQLITE_%1").arg(name.toUpper());
    } else if (name == QLatin1String("page_size") || name == QLatin1String("auto_vacuum") || name == QLatin1String("encoding")) {
        why = QStringLiteral("takes effect only on a new database or after a VACUUM, which cannot run in a transaction");
        instead = QStringLiteral("%1 with a VACUUM after it, or leave it to whoever creates the database").arg(noTransaction);
    }
    if (!why.isEmpty())
        ctx.report("pragma-in-transaction", s.position,
                   QStringLiteral("PRAGMA %1 %2, and dbdeck runs this migration in one").arg(name, why), instead);
}

} // namespace dbdeck

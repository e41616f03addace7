#include "migrate/lockingchecks.h"

#include "migrate/lintcontext.h"
#include "migrate/sqlexpression.h"

namespace dbdeck {

namespace {

using Kind = StatementAnalysis::Kind;

const QString ownMigration = QStringLiteral("in its own migration marked \"-- migrate:up transaction:false\"");

bool isSerial(const QString &typeName)
{
    return typeName.contains(QLatin1String("SERIAL"));
}

QString columnList(const QStringList &columns)
{
    return QStringLiteral("(%1)").arg(columns.join(QStringLiteral(", ")));
}

SqlPosition positionOfWord(const StatementAnalysis &s, const char *word)
{
    for (const SqlToken &t : s.tokens) {
        if (t.isKeyword(word))
            return t.position;
    }
    return s.position;
}

// A statement that takes a lock on an existing table which blocks reads or writes while it
// waits: the ones lock_timeout protects the application from.
QString lockedTable(const LintContext &ctx)
{
    const StatementAnalysis &s = ctx.analysis();
    switch (s.kind) {
    case Kind::AlterTable:
    case Kind::CreateTrigger:
        return ctx.isExistingTable(s.table) ? s.table : QString();
    case Kind::CreateIndex:
        return !s.concurrently && ctx.isExistingTable(s.table) ? s.table : QString();
    case Kind::DropTable:
    case Kind::Truncate:
        for (const QString &table : s.tables) {
            if (ctx.isExistingTable(table))
                return table;
        }
        return {};
    case Kind::CreateTable: // a foreign key locks the table it references (SHARE ROW EXCLUSIVE)
        for (const ConstraintDefinition &c : s.addedConstraints()) {
            if (c.kind == ConstraintDefinition::Kind::ForeignKey && c.referencedTable != s.table
                && ctx.isExistingTable(c.referencedTable))
                return c.referencedTable;
        }
        return {};
    default:
        return {};
    }
}

} // namespace

void LockingChecks::check(LintContext &ctx)
{
    const StatementAnalysis &s = ctx.analysis();
    switch (s.kind) {
    case Kind::CreateIndex:
        checkCreateIndex(ctx);
        break;
    case Kind::DropIndex:
    case Kind::Reindex:
        if (s.concurrently && ctx.transactional())
            ctx.report("pg-concurrently-in-transaction", positionOfWord(s, "CONCURRENTLY"),
                       QStringLiteral("%1 ... CONCURRENTLY cannot run inside a transaction, and this migration runs in one")
                           .arg(s.kind == Kind::DropIndex ? QStringLiteral("DROP INDEX") : QStringLiteral("REINDEX")),
                       QStringLiteral("move it %1").arg(ownMigration));
        break;
    case Kind::AlterTable:
        checkAlterTable(ctx);
        break;
    default:
        break;
    }
    checkTimeouts(ctx);
}

void LockingChecks::checkCreateIndex(LintContext &ctx)
{
    const StatementAnalysis &s = ctx.analysis();
    const QString name = s.objectName.isEmpty() ? QString() : s.objectName + QLatin1Char(' ');
    if (s.concurrently && ctx.transactional())
        ctx.report("pg-concurrently-in-transaction", positionOfWord(s, "CONCURRENTLY"),
                   QStringLiteral("CREATE INDEX CONCURRENTLY %1cannot run inside a transaction, and this migration runs in one")
                       .arg(name),
                   QStringLiteral("move it %1; a failed concurrent build leaves an INVALID index to drop before retrying")
                       .arg(ownMigration));
    if (!s.concurrently && ctx.isExistingTable(s.table))
        ctx.report("pg-index-not-concurrent", s.position,
                   QStringLiteral("CREATE %1INDEX %2on existing table %3 without CONCURRENTLY blocks all writes to %3 "
                                  "while the index builds")
                       .arg(s.unique ? QStringLiteral("UNIQUE ") : QString(), name, s.table),
                   QStringLiteral("CREATE %1INDEX CONCURRENTLY %2ON %3 ..., %4")
                       .arg(s.unique ? QStringLiteral("UNIQUE ") : QString(), name, s.table, ownMigration));
}

void LockingChecks::checkAlterTable(LintContext &ctx)
{
    const StatementAnalysis &s = ctx.analysis();
    if (!ctx.isExistingTable(s.table))
        return; // a table created by these migrations is empty and unused: nothing to lock or rewrite
    for (const AlterAction &a : s.actions) {
        switch (a.kind) {
        case AlterAction::Kind::AddColumn:
            checkAddColumn(ctx, a);
            break;
        case AlterAction::Kind::AlterColumnType:
            ctx.report("pg-column-type-change", a.position,
                       QStringLiteral("changing the type of %1.%2 to %3 rewrites %1 and its indexes under an ACCESS "
                                      "EXCLUSIVE lock (no reads or writes meanwhile)").arg(s.table, a.column, a.newType),
                       QStringLiteral("expand/contract: add a new column of the new type, backfill it in batches, switch "
                                      "the code, drop the old column; varchar(n) to text or a longer varchar is safe "
                                      "(ignore the rule for that statement)"));
            break;
        case AlterAction::Kind::SetNotNull:
            ctx.report("pg-set-not-null", a.position,
                       QStringLiteral("SET NOT NULL on %1.%2 scans all of %1 under an ACCESS EXCLUSIVE lock").arg(s.table, a.column),
                       QStringLiteral("ADD CONSTRAINT ck_%1_%2_not_null CHECK (%2 IS NOT NULL) NOT VALID; VALIDATE it in the "
                                      "next migration; then SET NOT NULL finds the valid CHECK and does not scan (PostgreSQL 12+)")
                           .arg(s.table, a.column));
            break;
        case AlterAction::Kind::AddConstraint: {
            const ConstraintDefinition &c = a.constraint;
            const QString name = c.name.isEmpty() ? QStringLiteral("uq_%1_%2").arg(s.table, c.columns.join(QLatin1Char('_'))) : c.name;
            if ((c.kind == ConstraintDefinition::Kind::Unique || c.kind == ConstraintDefinition::Kind::PrimaryKey)
                && c.usingIndex.isEmpty())
                ctx.report("pg-unique-constraint", a.position,
                           QStringLiteral("ADD %1 %2 on existing table %3 builds its index while holding an ACCESS EXCLUSIVE "
                                          "lock (no reads or writes meanwhile)")
                               .arg(c.kind == ConstraintDefinition::Kind::Unique ? QStringLiteral("UNIQUE") : QStringLiteral("PRIMARY KEY"),
                                    columnList(c.columns), s.table),
                           QStringLiteral("CREATE UNIQUE INDEX CONCURRENTLY %1 ON %2 %3 %4, then ALTER TABLE %2 ADD CONSTRAINT "
                                          "%1 %5 USING INDEX %1")
                               .arg(name, s.table, columnList(c.columns), ownMigration,
                                    c.kind == ConstraintDefinition::Kind::Unique ? QStringLiteral("UNIQUE") : QStringLiteral("PRIMARY KEY")));
            if ((c.kind == ConstraintDefinition::Kind::ForeignKey || c.kind == ConstraintDefinition::Kind::Check) && !c.notValid) {
                const bool fk = c.kind == ConstraintDefinition::Kind::ForeignKey;
                ctx.report("pg-constraint-without-not-valid", a.position,
                           fk ? QStringLiteral("ADD FOREIGN KEY %1 REFERENCES %2 checks every row of %3 while it locks both "
                                               "tables against writes").arg(columnList(c.columns), c.referencedTable, s.table)
                              : QStringLiteral("ADD CHECK (%1) checks every row of %2 under an ACCESS EXCLUSIVE lock")
                                    .arg(c.expression, s.table),
                           QStringLiteral("add it with NOT VALID (new and changed rows are checked at once), then ALTER TABLE %1 "
                                          "VALIDATE CONSTRAINT %2 in the next migration: validating locks neither reads nor writes")
                               .arg(s.table, c.name.isEmpty() ? QStringLiteral("<name>") : c.name));
            }
            break;
        }
        case AlterAction::Kind::RenameColumn:
            ctx.report("rename-column", a.position,
                       QStringLiteral("renaming %1.%2 to %3 breaks the running application, which still uses %2")
                           .arg(s.table, a.column, a.newName),
                       QStringLiteral("expand/contract: add %1, write both, backfill, switch the reads, drop %2 in a later "
                                      "release (docs/migrations.md)").arg(a.newName, a.column));
            break;
        case AlterAction::Kind::RenameTable:
            ctx.report("rename-table", a.position,
                       QStringLiteral("renaming table %1 to %2 breaks the running application, which still uses %1")
                           .arg(s.table, a.newName),
                       QStringLiteral("create %1 beside %2 (or a view named %2 over %1 while the code switches) and drop "
                                      "the old name in a later release").arg(a.newName, s.table));
            break;
        default:
            break;
        }
    }
}

void LockingChecks::checkAddColumn(LintContext &ctx, const AlterAction &a)
{
    const StatementAnalysis &s = ctx.analysis();
    const ColumnDefinition &col = a.columnDefinition;
    const bool filledByItself = col.generated || col.identity || isSerial(col.typeName);
    if (col.notNull && !col.hasDefault && !filledByItself)
        ctx.report("not-null-without-default", a.position,
                   QStringLiteral("ADD COLUMN %1 NOT NULL without a DEFAULT fails when %2 has rows").arg(col.name, s.table),
                   QStringLiteral("add it nullable, backfill it, then make it NOT NULL in a later migration (PostgreSQL: "
                                  "SET NOT NULL; SQLite: rebuild the table) — or give it a constant DEFAULT"));
    for (const ConstraintDefinition &c : col.constraints) {
        if ((c.kind == ConstraintDefinition::Kind::Unique || c.kind == ConstraintDefinition::Kind::PrimaryKey))
            ctx.report("pg-unique-constraint", c.position,
                       QStringLiteral("ADD COLUMN %1 %2 on existing table %3 builds its index while holding an ACCESS "
                                      "EXCLUSIVE lock").arg(col.name, c.kind == ConstraintDefinition::Kind::Unique
                                                                           ? QStringLiteral("UNIQUE") : QStringLiteral("PRIMARY KEY"), s.table),
                       QStringLiteral("add the column without it, then CREATE UNIQUE INDEX CONCURRENTLY %1 and ADD CONSTRAINT "
                                      "... USING INDEX").arg(ownMigration));
    }
    if (ctx.postgres()) {
        bool known = false;
        const QString call = col.hasDefault ? SqlExpression::volatileCall(col.defaultTokens, &known) : QString();
        QString why;
        if (!call.isEmpty())
            why = known ? QStringLiteral("its default calls %1(), which is volatile").arg(call)
                        : QStringLiteral("its default calls %1(), which may be volatile (functions are unless declared "
                                         "STABLE or IMMUTABLE)").arg(call);
        else if (isSerial(col.typeName))
            why = QStringLiteral("%1 fills it from a sequence, row by row").arg(col.type);
        else if (col.identity || (col.generated && col.stored))
            why = QStringLiteral("it is computed for every existing row");
        if (!why.isEmpty())
            ctx.report("volatile-default", col.hasDefault ? col.defaultPosition : a.position,
                       QStringLiteral("ADD COLUMN %1 rewrites all of %2 under an ACCESS EXCLUSIVE lock: %3").arg(col.name, s.table, why),
                       QStringLiteral("add the column with no default (or a constant one), backfill it in batches, then SET "
                                      "DEFAULT for new rows"));
    } else if (col.hasDefault && !SqlExpression::isConstant(col.defaultTokens)) {
        ctx.report("volatile-default", col.defaultPosition,
                   QStringLiteral("SQLite cannot add column %1 with the non-constant default %2 to %3 once it has rows")
                       .arg(col.name, SqlExpression::text(col.defaultTokens), s.table),
                   QStringLiteral("add it with a constant default (or none), then UPDATE %1 SET %2 = <expression> WHERE %2 IS NULL")
                       .arg(s.table, col.name));
    }
}

void LockingChecks::checkTimeouts(LintContext &ctx)
{
    const StatementAnalysis &s = ctx.analysis();
    LintSectionState &state = ctx.state();
    const auto note = [&](const QString &setting) {
        if (setting == QLatin1String("lock_timeout"))
            state.lockTimeoutSet = true;
        else if (setting == QLatin1String("statement_timeout"))
            state.statementTimeoutSet = true;
    };
    if (s.kind == Kind::Set)
        note(s.objectName);
    if (s.kind == Kind::Select) { // SELECT set_config('lock_timeout', '5s', true)
        for (qsizetype i = 0; i + 2 < s.tokens.size(); ++i) {
            if (s.tokens.at(i).isKeyword("set_config") && s.tokens.at(i + 2).kind == SqlToken::Kind::String)
                note(s.tokens.at(i + 2).stringValue().toLower());
        }
    }
    if (state.lockTimeoutReported || (state.lockTimeoutSet && state.statementTimeoutSet))
        return;
    const QString table = lockedTable(ctx);
    if (table.isEmpty())
        return;
    QStringList missing;
    if (!state.lockTimeoutSet)
        missing << QStringLiteral("lock_timeout");
    if (!state.statementTimeoutSet)
        missing << QStringLiteral("statement_timeout");
    state.lockTimeoutReported = true;
    const QString set = ctx.transactional() ? QStringLiteral("SET LOCAL") : QStringLiteral("SET");
    ctx.report("pg-lock-timeout-missing", s.position,
               QStringLiteral("this statement locks existing table %1 with no %2 set: queued behind a long transaction, "
                              "it blocks every query on %1 until it gets the lock")
                   .arg(table, missing.join(QStringLiteral(" or "))),
               QStringLiteral("begin the migration with %1 lock_timeout = '5s'; %1 statement_timeout = '5min'; and retry "
                              "it when the lock wait times out").arg(set));
}

} // namespace dbdeck

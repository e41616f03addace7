#include "migrate/lintrule.h"

namespace dbdeck {

QString severityName(LintSeverity severity)
{
    switch (severity) {
    case LintSeverity::Off: return QStringLiteral("off");
    case LintSeverity::Warning: return QStringLiteral("warning");
    case LintSeverity::Error: return QStringLiteral("error");
    }
    return {};
}

namespace {

constexpr LintSeverity Off = LintSeverity::Off;
constexpr LintSeverity Warn = LintSeverity::Warning;
constexpr LintSeverity Err = LintSeverity::Error;

LintRule rule(const char *id, const char *category, LintSeverity sqlite, LintSeverity postgres, bool down,
              const char *summary)
{
    return {QLatin1String(id), QLatin1String(category), sqlite, postgres, down, QLatin1String(summary)};
}

} // namespace

// Severities: an error is a statement that fails, loses data or locks a busy table for the
// length of a scan or rewrite; a warning is a risk or a portability cost worth a look. On SQLite
// the PostgreSQL locking rules are off (SQLite takes one database-wide write lock whatever the
// statement, and their fixes are PostgreSQL syntax); the PostgreSQL type rules stay on as
// warnings, because their fixes are portable and the application may move.
const QList<LintRule> &LintRules::all()
{
    static const QList<LintRule> rules{
        // PostgreSQL locking and rewrites
        rule("pg-index-not-concurrent", "postgresql", Off, Err, false,
             "CREATE INDEX on an existing table without CONCURRENTLY blocks its writes while the index builds"),
        rule("pg-concurrently-in-transaction", "postgresql", Off, Err, true,
             "CONCURRENTLY cannot run inside a transaction: the migration needs transaction:false"),
        rule("not-null-without-default", "postgresql", Err, Err, true,
             "ADD COLUMN ... NOT NULL without a DEFAULT fails on a table that has rows"),
        rule("volatile-default", "postgresql", Err, Err, true,
             "ADD COLUMN with a volatile (PostgreSQL) or non-constant (SQLite) default rewrites or fails"),
        rule("pg-unique-constraint", "postgresql", Off, Err, false,
             "ADD UNIQUE/PRIMARY KEY builds its index under an ACCESS EXCLUSIVE lock; build it CONCURRENTLY first"),
        rule("pg-constraint-without-not-valid", "postgresql", Off, Err, false,
             "ADD FOREIGN KEY/CHECK without NOT VALID scans the table under lock; validate separately"),
        rule("pg-column-type-change", "postgresql", Off, Err, false,
             "ALTER COLUMN ... TYPE rewrites the table under an ACCESS EXCLUSIVE lock"),
        rule("pg-set-not-null", "postgresql", Off, Warn, false,
             "SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock"),
        rule("rename-column", "postgresql", Warn, Warn, false,
             "renaming a column breaks the application code that is running"),
        rule("rename-table", "postgresql", Warn, Warn, false,
             "renaming a table breaks the application code that is running"),
        rule("pg-lock-timeout-missing", "postgresql", Off, Warn, false,
             "lock_timeout and statement_timeout are not set before a statement that locks an existing table"),
        rule("pg-varchar", "postgresql", Warn, Warn, true,
             "varchar(n) and char(n): prefer TEXT (with a CHECK on length if the limit matters)"),
        rule("pg-int-key", "postgresql", Warn, Warn, true,
             "an int (32-bit on PostgreSQL) primary or foreign key runs out at 2,147,483,647"),
        rule("pg-timestamp-without-time-zone", "postgresql", Warn, Warn, true,
             "timestamp without time zone: use timestamptz (or naive UTC TEXT, as this application stores)"),
        rule("pg-serial", "postgresql", Warn, Warn, true,
             "serial types: use GENERATED ... AS IDENTITY (PostgreSQL) or INTEGER PRIMARY KEY (SQLite)"),
        // Portability: SQLite today, PostgreSQL tomorrow
        rule("portable-insert-or-replace", "portability", Warn, Err, true,
             "INSERT OR REPLACE / REPLACE INTO / INSERT OR IGNORE are SQLite-only: use ON CONFLICT ... DO"),
        rule("portable-autoincrement", "portability", Warn, Err, true,
             "AUTOINCREMENT is SQLite-only"),
        rule("portable-rowid", "portability", Warn, Err, true,
             "rowid (_rowid_, oid) exists on SQLite only: use an explicit primary key"),
        rule("portable-type", "portability", Warn, Off, true,
             "a column type outside TEXT, INTEGER, REAL, BLOB, NUMERIC (or none) means different things on each backend"),
        rule("portable-enum", "portability", Warn, Warn, true,
             "enum types: use TEXT with a CHECK (col IN (...))"),
        rule("portable-sqlite-function", "portability", Warn, Err, true,
             "a function PostgreSQL does not have (datetime, ifnull, group_concat, ...)"),
        rule("portable-sqlite-syntax", "portability", Warn, Err, true,
             "SQLite-only syntax: PRAGMA, WITHOUT ROWID, STRICT, ATTACH, [brackets] and `backticks`"),
        rule("sqlite-alter-table-unsupported", "sqlite", Err, Off, true,
             "an ALTER TABLE form SQLite does not have (ADD CONSTRAINT, ALTER COLUMN, ...): rebuild the table"),
        // Discipline
        rule("destructive-drop-table", "discipline", Err, Err, false,
             "DROP TABLE of an existing table loses its rows"),
        rule("destructive-drop-column", "discipline", Err, Err, false,
             "DROP COLUMN of an existing table loses its values"),
        rule("destructive-truncate", "discipline", Err, Err, false,
             "TRUNCATE of an existing table loses its rows"),
        rule("destructive-delete-without-where", "discipline", Err, Err, false,
             "DELETE without WHERE on an existing table loses every row"),
        rule("destructive-update-without-where", "discipline", Warn, Warn, false,
             "UPDATE without WHERE overwrites a column in every row"),
        rule("missing-down", "discipline", Warn, Warn, false,
             "the migration has no down section, so it cannot be downgraded"),
        rule("constraint-unnamed", "discipline", Warn, Warn, true,
             "an unnamed constraint or index gets a different generated name on each backend"),
        rule("constraint-name-convention", "discipline", Warn, Warn, true,
             "a constraint or index name outside the convention pk_/uq_/ix_/fk_/ck_<table>_..."),
        rule("transaction-control", "discipline", Err, Err, true,
             "BEGIN/COMMIT/ROLLBACK in a transactional migration break its all-or-nothing run"),
        rule("pragma-in-transaction", "discipline", Err, Off, true,
             "a PRAGMA that does nothing (or fails) inside the migration's transaction"),
        rule("vacuum-in-transaction", "discipline", Err, Err, true,
             "VACUUM cannot run inside a transaction: the migration needs transaction:false"),
        rule("sql-unterminated", "discipline", Err, Err, true,
             "a string, quoted identifier, dollar quote or comment is not closed"),
        rule("ignore-unknown-rule", "discipline", Warn, Warn, true,
             "a dbdeck:ignore comment names a rule that does not exist"),
    };
    return rules;
}

const LintRule *LintRules::find(const QString &id)
{
    for (const LintRule &r : all()) {
        if (r.id == id)
            return &r;
    }
    return nullptr;
}

QStringList LintRules::ids()
{
    QStringList result;
    for (const LintRule &r : all())
        result << r.id;
    return result;
}

} // namespace dbdeck

#include "migrate/statementrules.h"

#include <QHash>
#include <QRegularExpression>

namespace dbdeck {

namespace {

// The statement's leading words, upper-cased, and its text with blanks collapsed.
QStringList leadingWords(const QString &sql, int count)
{
    static const QRegularExpression word(QStringLiteral("[A-Za-z_][A-Za-z_0-9]*|[=(.]"));
    QStringList words;
    auto it = word.globalMatch(sql);
    while (it.hasNext() && words.size() < count)
        words << it.next().captured(0).toUpper();
    return words;
}

QString tableName(QString name)
{
    name = name.trimmed();
    if (name.contains(QLatin1Char('.')))
        name = name.section(QLatin1Char('.'), -1);
    if (name.size() >= 2 && QStringLiteral("\"[`").contains(name.front()))
        name = name.mid(1, name.size() - 2);
    return name.toLower();
}

const QString kTransactionFalse = QStringLiteral("declare transaction:false on the \"-- migrate:up\" line (its statements then run "
                                                 "one by one, each recorded as done)");

QString transactionControlProblem(const QStringList &w)
{
    if (w.isEmpty())
        return {};
    const QString &first = w.first();
    if (first == QLatin1String("BEGIN") || first == QLatin1String("COMMIT") || first == QLatin1String("END")
        || first == QLatin1String("ROLLBACK") || first == QLatin1String("ABORT") || first == QLatin1String("RELEASE")
        || (first == QLatin1String("START") && w.value(1) == QLatin1String("TRANSACTION"))) {
        return QStringLiteral("%1 at the top level of a migration that dbdeck runs in one transaction ends or nests that "
                              "transaction, so a later failure could no longer be rolled back; remove it, or %2")
            .arg(first == QLatin1String("START") ? QStringLiteral("START TRANSACTION") : first, kTransactionFalse);
    }
    return {};
}

QString inTransactionProblem(const QStringList &w, SqlSplitter::Dialect dialect)
{
    const bool sqlite = dialect == SqlSplitter::Dialect::Sqlite;
    if (w.value(0) == QLatin1String("VACUUM"))
        return QStringLiteral("VACUUM cannot run inside a transaction; %1").arg(kTransactionFalse);
    if (sqlite && w.value(0) == QLatin1String("PRAGMA")) {
        // PRAGMA [schema.]name = value | (value); reading it is harmless.
        const bool qualified = w.value(2) == QLatin1String(".");
        const QString name = qualified ? w.value(3) : w.value(1);
        const QString next = qualified ? w.value(4) : w.value(2);
        const bool sets = next == QLatin1String("=") || next == QLatin1String("(");
        if (sets && name == QLatin1String("FOREIGN_KEYS"))
            return QStringLiteral("PRAGMA foreign_keys has no effect inside a transaction, and dbdeck runs this migration in "
                                  "one: for a table rebuild declare \"-- migrate:up foreign_keys:off\" (dbdeck then turns "
                                  "foreign keys off around the transaction and checks them before COMMIT); otherwise %1")
                .arg(kTransactionFalse);
        if (sets && name == QLatin1String("JOURNAL_MODE"))
            return QStringLiteral("PRAGMA journal_mode cannot be changed inside a transaction; %1").arg(kTransactionFalse);
    }
    if (!sqlite && w.contains(QLatin1String("CONCURRENTLY")) && w.contains(QLatin1String("INDEX")))
        return QStringLiteral("%1 … CONCURRENTLY cannot run inside a transaction; %2").arg(w.value(0), kTransactionFalse);
    return {};
}

} // namespace

QList<MigrationProblem> StatementRules::check(const MigrationFile &file, SqlSplitter::Dialect dialect)
{
    QList<MigrationProblem> problems;
    if (!file.transactional())
        return problems;
    static const QRegularExpression dropTable(QStringLiteral("^DROP\\s+TABLE\\s+(?:IF\\s+EXISTS\\s+)?(\\S+)\\s*$"),
                                              QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression renameTo(QStringLiteral("^ALTER\\s+TABLE\\s+\\S+\\s+RENAME\\s+TO\\s+(\\S+)\\s*$"),
                                             QRegularExpression::CaseInsensitiveOption);
    for (const bool up : {true, false}) {
        const std::optional<QString> sql = up ? std::optional<QString>(file.upSql()) : file.downSql();
        if (!sql)
            continue;
        QHash<QString, int> dropped; // table -> line of its DROP TABLE
        bool rebuildReported = false;
        for (const SqlStatement &statement : SqlSplitter::split(*sql, dialect)) {
            const QStringList words = leadingWords(statement.sql, 6);
            QString message = transactionControlProblem(words);
            if (message.isEmpty())
                message = inTransactionProblem(words, dialect);
            if (!message.isEmpty())
                problems.append({file.path(), statement.line, message});
            if (dialect != SqlSplitter::Dialect::Sqlite || file.foreignKeysOff(up) || rebuildReported)
                continue;
            const QString flat = statement.sql.simplified();
            if (const auto m = dropTable.match(flat); m.hasMatch())
                dropped.insert(tableName(m.captured(1)), statement.line);
            else if (const auto r = renameTo.match(flat); r.hasMatch() && dropped.contains(tableName(r.captured(1)))) {
                const QString table = tableName(r.captured(1));
                problems.append({file.path(), statement.line,
                                 QStringLiteral("this rebuilds table %1 (DROP TABLE on line %2, then RENAME TO %1): with foreign "
                                                "keys on, as they are inside a transaction, that DROP TABLE deletes the rows "
                                                "of other tables that reference %1 (ON DELETE CASCADE) or fails; declare "
                                                "\"-- migrate:%3 foreign_keys:off\"")
                                     .arg(table).arg(dropped.value(table)).arg(up ? QStringLiteral("up") : QStringLiteral("down"))});
                rebuildReported = true;
            }
        }
    }
    return problems;
}

} // namespace dbdeck

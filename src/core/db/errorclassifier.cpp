#include "db/errorclassifier.h"

#include "db/errors.h"

#include <QFileInfo>
#include <QRegularExpression>
#include <QSqlDriver>

namespace dbdeck {

namespace {

// SQLite primary result codes (low byte of the extended code).
constexpr int kSqliteBusy = 5;
constexpr int kSqliteLocked = 6;
constexpr int kSqliteReadOnly = 8;
constexpr int kSqliteInterrupt = 9;
constexpr int kSqliteCantOpen = 14;
constexpr int kSqliteConstraint = 19;
constexpr int kSqliteNotADb = 26;
// Extended constraint codes.
constexpr int kConstraintPrimaryKey = 1555;
constexpr int kConstraintUnique = 2067;
// Extended SQLITE_LOCKED codes.
constexpr int kLockedSharedCache = 262;
constexpr int kLockedVirtualTable = 518;

QString unquote(QString name)
{
    name = name.trimmed();
    if (name.size() >= 2
        && ((name.startsWith(QLatin1Char('"')) && name.endsWith(QLatin1Char('"')))
            || (name.startsWith(QLatin1Char('[')) && name.endsWith(QLatin1Char(']')))
            || (name.startsWith(QLatin1Char('`')) && name.endsWith(QLatin1Char('`')))))
        name = name.mid(1, name.size() - 2);
    return name;
}

QString firstLine(const QString &sql)
{
    const QString trimmed = sql.trimmed();
    const qsizetype nl = trimmed.indexOf(QLatin1Char('\n'));
    const QString line = nl < 0 ? trimmed : trimmed.left(nl);
    return line.size() > 120 ? line.left(117) + QStringLiteral("...") : line;
}

// The table an INSERT/UPDATE/DELETE writes to, for messages where the driver does not say.
QString tableOfStatement(const QString &sql)
{
    static const QRegularExpression re(
        QStringLiteral("^\\s*(?:INSERT\\s+(?:OR\\s+\\w+\\s+)?INTO|UPDATE(?:\\s+OR\\s+\\w+)?|DELETE\\s+FROM)\\s+"
                       "(\"(?:[^\"]|\"\")+\"|\\[[^\\]]+\\]|`[^`]+`|[\\w.]+)"),
        QRegularExpression::CaseInsensitiveOption);
    const auto m = re.match(sql);
    return m.hasMatch() ? unquote(m.captured(1)) : QString();
}

QString quoteValue(const QVariant &value)
{
    if (value.isNull())
        return QStringLiteral("NULL");
    const auto type = value.metaType().id();
    if (type == QMetaType::QString || type == QMetaType::QByteArray)
        return QLatin1Char('"') + value.toString() + QLatin1Char('"');
    return value.toString();
}

QStringList splitColumnList(const QString &list)
{
    QStringList columns;
    for (const QString &part : list.split(QLatin1Char(','))) {
        // "col COLLATE NOCASE DESC" -> col
        const QString word = part.trimmed().section(QRegularExpression(QStringLiteral("\\s+")), 0, 0);
        columns << unquote(word);
    }
    return columns;
}

QString tableSql(const QSqlDatabase &db, const QString &table)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?"));
    q.addBindValue(table);
    if (q.exec() && q.next())
        return q.value(0).toString();
    return {};
}

// The name the schema gives the UNIQUE/PRIMARY KEY constraint on exactly these columns.
QString uniqueConstraintName(const QSqlDatabase &db, const QString &table, const QStringList &columns)
{
    QSqlQuery indexes(db);
    indexes.prepare(QStringLiteral("SELECT name FROM pragma_index_list(?) WHERE \"unique\" = 1"));
    indexes.addBindValue(table);
    if (indexes.exec()) {
        while (indexes.next()) {
            const QString index = indexes.value(0).toString();
            if (index.startsWith(QLatin1String("sqlite_autoindex_")))
                continue; // a table constraint: its name, if any, is only in the CREATE TABLE text
            QSqlQuery info(db);
            info.prepare(QStringLiteral("SELECT name FROM pragma_index_info(?) ORDER BY seqno"));
            info.addBindValue(index);
            QStringList indexed;
            if (info.exec()) {
                while (info.next())
                    indexed << info.value(0).toString();
            }
            if (indexed == columns)
                return index;
        }
    }
    static const QRegularExpression named(
        QStringLiteral("CONSTRAINT\\s+(\"[^\"]+\"|\\[[^\\]]+\\]|`[^`]+`|\\w+)\\s+(?:UNIQUE|PRIMARY\\s+KEY)\\s*\\(([^)]*)\\)"),
        QRegularExpression::CaseInsensitiveOption);
    const QString sql = tableSql(db, table);
    for (auto it = named.globalMatch(sql); it.hasNext();) {
        const auto m = it.next();
        if (splitColumnList(m.captured(2)) == columns)
            return unquote(m.captured(1));
    }
    return {};
}

// The expression of a named CHECK constraint, read from the table's CREATE TABLE text.
QString checkExpression(const QSqlDatabase &db, const QString &table, const QString &constraint)
{
    const QString sql = tableSql(db, table);
    const QRegularExpression re(QStringLiteral("CONSTRAINT\\s+[\"`\\[]?%1[\"`\\]]?\\s+CHECK\\s*\\(")
                                    .arg(QRegularExpression::escape(constraint)),
                                QRegularExpression::CaseInsensitiveOption);
    const auto m = re.match(sql);
    if (!m.hasMatch())
        return {};
    int depth = 1;
    for (qsizetype i = m.capturedEnd(); i < sql.size(); ++i) {
        if (sql.at(i) == QLatin1Char('('))
            ++depth;
        else if (sql.at(i) == QLatin1Char(')') && --depth == 0)
            return sql.mid(m.capturedEnd(), i - m.capturedEnd()).simplified();
    }
    return {};
}

[[noreturn]] void raiseConflict(const QString &detail, const QString &code, const QSqlDatabase &db,
                                const ErrorClassifier::Context &context, bool primaryKey)
{
    // SQLite says "UNIQUE constraint failed: runs.name" or "...: events.run_id, events.seq".
    QString table;
    QStringList columns;
    const qsizetype colon = detail.indexOf(QLatin1String("failed: "));
    if (colon >= 0) {
        for (const QString &qualified : detail.mid(colon + 8).split(QStringLiteral(", "))) {
            const qsizetype dot = qualified.lastIndexOf(QLatin1Char('.'));
            table = qualified.left(dot).trimmed();
            columns << qualified.mid(dot + 1).trimmed();
        }
    }
    if (table.isEmpty())
        table = tableOfStatement(context.statement);
    QString constraint = table.isEmpty() ? QString() : uniqueConstraintName(db, table, columns);
    const QString label = !constraint.isEmpty() ? constraint
                          : primaryKey          ? QStringLiteral("PRIMARY KEY")
                                                : QStringLiteral("UNIQUE constraint");
    QStringList values;
    if (context.query) {
        for (const QString &column : std::as_const(columns)) {
            const QVariant value = context.query->boundValue(QLatin1Char(':') + column);
            if (!value.isValid()) {
                values.clear();
                break;
            }
            values << quoteValue(value);
        }
    }
    QString message;
    if (columns.size() == 1) {
        message = values.isEmpty()
            ? QStringLiteral("%1.%2 already has that value (%3)").arg(table, columns.first(), label)
            : QStringLiteral("%1.%2 already has the value %3 (%4)").arg(table, columns.first(), values.first(), label);
    } else {
        const QString cols = columns.join(QStringLiteral(", "));
        message = values.isEmpty()
            ? QStringLiteral("%1 (%2) already has those values (%3)").arg(table, cols, label)
            : QStringLiteral("%1 (%2) already has the values (%3) (%4)")
                  .arg(table, cols, values.join(QStringLiteral(", ")), label);
    }
    throw ConflictError(message, code, table, columns, constraint);
}

[[noreturn]] void raiseConstraint(int code, const QString &detail, const QSqlDatabase &db,
                                  const ErrorClassifier::Context &context)
{
    const QString native = QString::number(code);
    const QString table = tableOfStatement(context.statement);
    const QString where = table.isEmpty() ? QStringLiteral("a row") : QStringLiteral("a row in %1").arg(table);
    const qsizetype colon = detail.indexOf(QLatin1String("failed: "));
    const QString subject = colon >= 0 ? detail.mid(colon + 8).trimmed() : QString();
    switch (code) {
    case 1299: // SQLITE_CONSTRAINT_NOTNULL
        throw ConstraintError(QStringLiteral("%1 must not be NULL (NOT NULL constraint)").arg(subject), native);
    case 275: { // SQLITE_CONSTRAINT_CHECK
        const QString expression = table.isEmpty() ? QString() : checkExpression(db, table, subject);
        QString message = QStringLiteral("%1 breaks the CHECK constraint %2").arg(where, subject);
        if (!expression.isEmpty())
            message += QStringLiteral(": %1").arg(expression);
        throw ConstraintError(message, native);
    }
    case 787: // SQLITE_CONSTRAINT_FOREIGNKEY
        throw ConstraintError(QStringLiteral("%1 refers to a row that does not exist, or a row that is "
                                             "still referenced would be removed (FOREIGN KEY constraint)")
                                  .arg(where),
                              native);
    default:
        throw ConstraintError(QStringLiteral("%1 breaks a constraint: %2").arg(where, detail), native);
    }
}

// PostgreSQL's text: "ERROR:  <message>\nDETAIL:  <detail>\n(<SQLSTATE>)". Keep message and detail.
QString cleanPostgresText(const QString &text)
{
    QStringList lines;
    for (QString line : text.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
        line = line.trimmed();
        if (QRegularExpression(QStringLiteral("^\\([0-9A-Z]{5}\\)$")).match(line).hasMatch())
            continue;
        line.remove(QRegularExpression(QStringLiteral("^(ERROR|FATAL|DETAIL|HINT):\\s+")));
        lines << line;
    }
    return lines.join(QStringLiteral(" "));
}

// 23505: 'duplicate key value violates unique constraint "uq_runs_name"' and
// 'DETAIL:  Key (name)=(nightly) already exists.'
[[noreturn]] void raisePostgresConflict(const QString &text, const QString &code, const ErrorClassifier::Context &context)
{
    static const QRegularExpression constraintRe(QStringLiteral("unique constraint \"([^\"]+)\""));
    static const QRegularExpression keyRe(QStringLiteral("Key \\((.+)\\)=\\((.*)\\) already exists"));
    const QString constraint = constraintRe.match(text).captured(1);
    const auto key = keyRe.match(text);
    const QStringList columns = key.hasMatch() ? key.captured(1).split(QStringLiteral(", ")) : QStringList();
    QStringList values;
    for (const QString &column : columns) {
        const QVariant bound = context.query ? context.query->boundValue(QLatin1Char(':') + column) : QVariant();
        if (!bound.isValid()) {
            values.clear();
            break;
        }
        values << quoteValue(bound);
    }
    if (values.isEmpty() && key.hasMatch()) {
        // The server's text of the key: "(a, b)=(x, 1)". Split it when the parts line up.
        const QStringList parts = key.captured(2).split(QStringLiteral(", "));
        const QStringList raw = parts.size() == columns.size() ? parts : QStringList{key.captured(2)};
        for (const QString &part : raw)
            values << QLatin1Char('"') + part + QLatin1Char('"');
    }
    const QString table = tableOfStatement(context.statement);
    const QString label = constraint.isEmpty() ? QStringLiteral("UNIQUE constraint") : constraint;
    QString message;
    if (columns.size() == 1)
        message = QStringLiteral("%1.%2 already has the value %3 (%4)").arg(table.isEmpty() ? QStringLiteral("a table") : table, columns.first(),
                                                                           values.value(0), label);
    else if (!columns.isEmpty())
        message = QStringLiteral("%1 (%2) already has the values (%3) (%4)").arg(table, columns.join(QStringLiteral(", ")),
                                                                              values.join(QStringLiteral(", ")), label);
    else
        message = cleanPostgresText(text);
    throw ConflictError(message, code, table, columns, constraint);
}

} // namespace

QString ErrorClassifier::postgresRefusal(const QSqlError &error, const QString &statement)
{
    const QString text = cleanPostgresText(error.databaseText().isEmpty() ? error.text() : error.databaseText());
    const QString line = firstLine(statement);
    return line.isEmpty() ? text : QStringLiteral("%1 (while running: %2)").arg(text, line);
}

ErrorClassifier::Kind ErrorClassifier::classifySqlite(int extendedCode)
{
    if (extendedCode == kConstraintUnique || extendedCode == kConstraintPrimaryKey)
        return Kind::Conflict;
    switch (extendedCode & 0xff) {
    case kSqliteConstraint: return Kind::Constraint;
    case kSqliteBusy: return Kind::Busy;
    case kSqliteLocked: return Kind::Locked;
    case kSqliteNotADb: return Kind::NotADatabase;
    case kSqliteReadOnly: return Kind::ReadOnly;
    case kSqliteCantOpen: return Kind::CannotOpen;
    case kSqliteInterrupt: return Kind::Interrupted;
    default: return Kind::Other;
    }
}

ErrorClassifier::Kind ErrorClassifier::classifyPostgres(const QString &sqlState)
{
    if (sqlState == QLatin1String("23505"))
        return Kind::Conflict;
    if (sqlState.startsWith(QLatin1String("23")))
        return Kind::Constraint;
    if (sqlState == QLatin1String("40001") || sqlState == QLatin1String("40P01")
        || sqlState == QLatin1String("55P03"))
        return Kind::Busy;
    if (sqlState == QLatin1String("25006"))
        return Kind::ReadOnly;
    if (sqlState == QLatin1String("57014"))
        return Kind::Interrupted;
    if (sqlState.startsWith(QLatin1String("08")))
        return Kind::CannotOpen;
    return Kind::Other;
}

void ErrorClassifier::raise(const QSqlError &error, const QSqlDatabase &db, const Context &context)
{
    const QString code = error.nativeErrorCode();
    const QString detail = error.databaseText().isEmpty() ? error.text() : error.databaseText();
    const bool sqlite = db.driverName() == QLatin1String("QSQLITE");
    bool numeric = false;
    const int sqliteCode = code.toInt(&numeric);
    const Kind kind = sqlite ? (numeric ? classifySqlite(sqliteCode) : Kind::Other) : classifyPostgres(code);
    const QString file = sqlite ? db.databaseName() : QString();
    const QString statement = firstLine(context.statement);

    switch (kind) {
    case Kind::Conflict:
        if (sqlite)
            raiseConflict(detail, code, db, context, sqliteCode == kConstraintPrimaryKey);
        raisePostgresConflict(detail, code, context);
    case Kind::Constraint:
        if (sqlite)
            raiseConstraint(sqliteCode, detail, db, context);
        throw ConstraintError(cleanPostgresText(detail), code);
    case Kind::Busy:
        throw BusyError(QStringLiteral("the database %1 is locked by another connection and stayed locked "
                                       "past the busy timeout (%2 ms) while running: %3")
                            .arg(file, QString::number(context.busyTimeoutMs), statement),
                        code);
    case Kind::Locked: {
        // SQLITE_LOCKED is returned at once, never after busy_timeout: waiting would not help.
        const QString what = sqliteCode == kLockedSharedCache
            ? QStringLiteral("another connection sharing this connection's cache, which holds a lock on the table")
            : sqliteCode == kLockedVirtualTable
            ? QStringLiteral("a lock on a virtual table of this connection")
            : QStringLiteral("another statement on the same connection that is still using the table (a query not read "
                             "to its end or not finished: finish or destroy it first)");
        throw DbError(QStringLiteral("the statement conflicts with %1; SQLite refused it at once (\"%2\", not a lock held by "
                                     "another connection, so waiting would not help) while running: %3")
                          .arg(what, detail, statement),
                      code);
    }
    case Kind::NotADatabase:
        throw DbError(QStringLiteral("%1 is not a SQLite database (%2)").arg(file, detail), code);
    case Kind::ReadOnly:
        if (!sqlite)
            throw DbError(QStringLiteral("PostgreSQL refused to write: the session or transaction is read-only "
                                         "(default_transaction_read_only, SET TRANSACTION READ ONLY, or a standby server): %1")
                              .arg(postgresRefusal(error, context.statement)),
                          code);
        throw DbError(QStringLiteral("the database %1 is read-only: %2 (check the permissions of the file "
                                     "and its folder)").arg(file, detail),
                      code);
    case Kind::CannotOpen:
        throw DbError(QStringLiteral("cannot open the database %1: %2").arg(file, detail), code);
    case Kind::Interrupted:
        throw CancelledError(QStringLiteral("cancelled: the statement was interrupted (%1)").arg(statement), code);
    case Kind::Other:
        break;
    }
    QString message = detail.isEmpty() ? error.text() : (sqlite ? detail : cleanPostgresText(detail));
    if (!statement.isEmpty())
        message += QStringLiteral(" (while running: %1)").arg(statement);
    throw DbError(message, code);
}

} // namespace dbdeck

#include "schema/ddlapplier.h"

#include "db/cancellation.h"
#include "db/database.h"
#include "db/transaction.h"
#include "schema/schemaerror.h"
#include "schema/sqllexer.h"

namespace dbdeck {

namespace {

void run(Database &db, const QString &statement, const QString &origin)
{
    try {
        db.exec(statement);
    } catch (const DbError &error) {
        QString shown = statement.simplified();
        if (shown.size() > 200)
            shown = shown.left(200) + QStringLiteral("…");
        if (error.message().contains(QLatin1String("(while running: "))) // the statement is in the message already
            throw SchemaError(QStringLiteral("%1: %2").arg(origin, error.message()), error.nativeCode());
        throw SchemaError(QStringLiteral("%1: %2 (in: %3)").arg(origin, error.message(), shown), error.nativeCode());
    }
}

void runAll(Database &db, const QStringList &statements, const QString &origin)
{
    for (const QString &s : statements) {
        CancellationScope::checkpoint(); // a scratch database: stopping leaves nothing behind
        run(db, s, origin);
    }
}

} // namespace

void DdlApplier::apply(Database &db, const QString &script, const QString &origin, Mode mode)
{
    const QStringList statements = SqlLexer::splitStatements(script);
    if (mode == Mode::ForeignKeysOff && db.backend() != Backend::Sqlite)
        mode = Mode::Transaction; // PostgreSQL alters constraints in place: nothing to switch off
    switch (mode) {
    case Mode::InCurrentTransaction:
    case Mode::Autocommit:
        runAll(db, statements, origin);
        return;
    case Mode::Transaction: {
        Transaction scope(db, Transaction::Mode::Write);
        runAll(db, statements, origin);
        scope.commit();
        return;
    }
    case Mode::ForeignKeysOff:
        break;
    }
    // foreign_keys cannot change inside a transaction: off before BEGIN, back on after.
    db.exec(QStringLiteral("PRAGMA foreign_keys = OFF"));
    try {
        Transaction scope(db, Transaction::Mode::Write);
        runAll(db, statements, origin);
        QSqlQuery check = db.exec(QStringLiteral("PRAGMA foreign_key_check"));
        if (check.next())
            throw SchemaError(QStringLiteral("%1: leaves a row of %2 whose foreign key points to no row of %3 (PRAGMA foreign_key_check); rolled back")
                                  .arg(origin, check.value(0).toString(), check.value(2).toString()));
        check.finish();
        scope.commit();
    } catch (...) {
        db.exec(QStringLiteral("PRAGMA foreign_keys = ON"));
        throw;
    }
    db.exec(QStringLiteral("PRAGMA foreign_keys = ON"));
}

} // namespace dbdeck

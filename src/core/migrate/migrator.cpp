#include "migrate/migrator.h"

#include "db/database.h"
#include "db/errors.h"
#include "db/transaction.h"
#include "db/utctime.h"
#include "migrate/migrationerror.h"
#include "migrate/migrationlock.h"
#include "migrate/migrationlogging.h"
#include "migrate/migrationplanner.h"
#include "migrate/migrationtables.h"
#include "migrate/sqlsplitter.h"

#include <QElapsedTimer>
#include <QThread>

namespace dbdeck {

namespace {

QString v(qint64 version)
{
    return MigrationFile::formatVersion(version);
}

QString firstLineOf(const QString &sql)
{
    const QString line = sql.section(QLatin1Char('\n'), 0, 0).trimmed();
    return line.size() > 100 ? line.left(97) + QStringLiteral("...") : line;
}

} // namespace

Migrator::Migrator(Database &db, MigrationSet set) : m_db(db), m_set(std::move(set)) {}

StatusReport Migrator::status()
{
    return readMigrationStatus(m_db, m_set);
}

QList<JournalEntry> Migrator::journal(int limit)
{
    if (!m_db.exists() || !MigrationTables::exist(m_db))
        return {};
    return MigrationJournal::recent(m_db, limit);
}

MigrationPlan Migrator::planUpgrade(const MigrationRunOptions &options)
{
    m_set.requireValid();
    return MigrationPlanner(m_set).planUpgrade(status(), options);
}

MigrationPlan Migrator::planDowngrade(const MigrationRunOptions &options)
{
    m_set.requireValid();
    return MigrationPlanner(m_set).planDowngrade(status(), options);
}

QString Migrator::renderSql(const MigrationPlan &plan) const
{
    return MigrationPlanner::renderSql(plan, m_db.backend(), m_db.displayName());
}

void Migrator::prepare(int lockTimeoutMs)
{
    // Creating the tables needs the write lock, which a concurrent migration may hold for a
    // while: keep trying within the lock timeout instead of surfacing "database is locked".
    // Most runs find the tables there: a plain read then, rather than queueing for the write lock
    // behind a running migration (the lock, next, is where waiting belongs and is reported).
    if (MigrationTables::exist(m_db) && m_db.hasTable(MigrationTables::lock()))
        return;
    QElapsedTimer timer;
    timer.start();
    while (true) {
        try {
            MigrationTables::ensure(m_db);
            return;
        } catch (const BusyError &) {
            if (timer.elapsed() >= lockTimeoutMs)
                throw LockTimeoutError(QStringLiteral("the database stayed busy for %1 s while preparing dbdeck's tables "
                                                      "(--lock-timeout)").arg(lockTimeoutMs / 1000.0, 0, 'f', 1));
            QThread::msleep(50);
        }
    }
}

MigrationRunResult Migrator::upgrade(const MigrationRunOptions &options)
{
    return run(QStringLiteral("upgrade"), options,
               [&](const StatusReport &st) { return MigrationPlanner(m_set).planUpgrade(st, options); });
}

MigrationRunResult Migrator::downgrade(const MigrationRunOptions &options)
{
    return run(QStringLiteral("downgrade"), options,
               [&](const StatusReport &st) { return MigrationPlanner(m_set).planDowngrade(st, options); });
}

MigrationRunResult Migrator::run(const QString &operation, const MigrationRunOptions &o,
                                 const std::function<MigrationPlan(const StatusReport &)> &planner)
{
    m_set.requireValid();
    JournalEntry entry;
    entry.operation = operation;
    entry.startedAt = utcNowForDb();
    prepare(o.lockTimeoutMs);
    MigrationLock lock(m_db);
    lock.acquire(o.lockTimeoutMs, [&](const LockHolder &holder) {
        if (o.progress) {
            MigrationProgress p;
            p.phase = MigrationProgress::Phase::WaitingForLock;
            p.message = QStringLiteral("waiting for the migration lock held by %1").arg(holder.toString());
            o.progress(p);
        }
    });

    const StatusReport st = status();
    entry.fromVersion = st.current;
    MigrationPlan plan;
    try {
        plan = planner(st);
    } catch (const MigrationError &error) {
        entry.outcome = QStringLiteral("refused");
        entry.toVersion = st.current;
        entry.error = error.message();
        MigrationJournal::record(m_db, entry);
        throw;
    }
    QStringList details;
    if (!lock.takeoverNote().isEmpty())
        details << lock.takeoverNote();
    if (!plan.forcedPast.isEmpty()) {
        entry.forced = true;
        details << QStringLiteral("proceeded past %1 (--allow-modified)").arg(plan.forcedPast.join(QStringLiteral(", ")));
    }

    MigrationRunResult result;
    result.from = st.current;
    result.to = st.current;
    const auto finishEntry = [&](const QString &outcome, const QString &error = {}) {
        entry.outcome = outcome;
        entry.error = error;
        entry.toVersion = readMigrationStatus(m_db, m_set).current;
        result.to = *entry.toVersion;
        QStringList all = details;
        if (!result.done.isEmpty())
            all << QStringLiteral("%1: %2").arg(operation == QLatin1String("upgrade") ? QStringLiteral("applied")
                                                                                      : QStringLiteral("reverted"),
                                                result.done.join(QStringLiteral(", ")));
        entry.detail = all.join(QStringLiteral("; "));
        MigrationJournal::record(m_db, entry);
    };
    try {
        for (int i = 0; i < plan.steps.size(); ++i) {
            if (o.cancel && o.cancel->load()) {
                result.cancelled = true;
                details << QStringLiteral("cancelled before %1").arg(plan.steps.at(i).file.name());
                finishEntry(QStringLiteral("cancelled"));
                return result;
            }
            runStep(plan.steps.at(i), lock, o, i + 1, int(plan.steps.size()));
            result.done << plan.steps.at(i).file.name();
        }
        if (operation == QLatin1String("upgrade"))
            recordEnvironment();
    } catch (const DbError &error) {
        finishEntry(QStringLiteral("failed"), error.message());
        throw;
    }
    finishEntry(QStringLiteral("succeeded"));
    return result;
}

void Migrator::runStep(const MigrationStep &step, MigrationLock &lock, const MigrationRunOptions &o, int index, int total)
{
    const MigrationFile &file = step.file;
    MigrationProgress progress;
    progress.index = index;
    progress.total = total;
    progress.version = file.version();
    progress.name = file.name();
    if (o.progress)
        o.progress(progress);
    qCDebug(lcMigrate).noquote() << (step.up ? "applying" : "reverting") << file.name();

    const QList<SqlStatement> statements = SqlSplitter::split(step.sql(), MigrationPlanner::dialectFor(m_db.backend()));
    QElapsedTimer timer;
    timer.start();
    int done = 0;
    const auto runStatements = [&] {
        for (const SqlStatement &statement : statements) {
            try {
                m_db.exec(statement.sql);
            } catch (const DbError &error) {
                const QString undo = file.transactional()
                    ? QStringLiteral("It was rolled back: the database stays at the version before it.")
                    : QStringLiteral("%1 of %2 statements ran and were not undone (transaction:false; a transaction the "
                                     "script itself began was rolled back); status shows it as failed-partial.")
                          .arg(done).arg(statements.size());
                throw MigrationError(QStringLiteral("migration %1 (%2) failed at statement %3 of %4 (line %5: %6): %7\n%8")
                                         .arg(file.name(), file.path()).arg(done + 1).arg(statements.size())
                                         .arg(statement.line).arg(firstLineOf(statement.sql), error.message(), undo),
                                     error.nativeCode());
            }
            ++done;
        }
    };
    const auto recordVersion = [&] {
        if (step.up)
            m_db.exec(QStringLiteral("INSERT INTO dbdeck_schema_migrations (version, name, checksum, state, statements_done,"
                                     " statements_total, applied_at, execution_ms, applied_by)"
                                     " VALUES (?, ?, ?, 'applied', NULL, NULL, ?, ?, ?)"
                                     " ON CONFLICT (version) DO UPDATE SET name = excluded.name, checksum = excluded.checksum,"
                                     " state = 'applied', statements_done = NULL, statements_total = NULL,"
                                     " applied_at = excluded.applied_at, execution_ms = excluded.execution_ms,"
                                     " applied_by = excluded.applied_by"),
                      {file.version(), file.name(), file.checksum(), utcNowForDb(), timer.elapsed(), currentActor()});
        else
            m_db.exec(QStringLiteral("DELETE FROM dbdeck_schema_migrations WHERE version = ?"), {file.version()});
        lock.touch();
    };

    // Under the write transaction (and the lock), the database has the last word: a migration
    // another runner applied (or reverted) meanwhile is not run a second time.
    const auto alreadyDone = [&] {
        const QVariant state = m_db.scalar(QStringLiteral("SELECT state FROM dbdeck_schema_migrations WHERE version = ?"), {file.version()});
        return step.up ? state.toString() == QLatin1String("applied") : state.isNull();
    };
    bool skipped = false;
    if (file.transactional()) {
        withTransaction(m_db, Transaction::Mode::Write, [&] {
            if ((skipped = alreadyDone()))
                return;
            runStatements();
            recordVersion();
        });
    } else if ((skipped = alreadyDone())) {
        // nothing to do
    } else {
        // Such a script may change connection state (PRAGMA foreign_keys = OFF around a table
        // rebuild, its own BEGIN): closing the connection afterwards rolls back a transaction it
        // left open and gives the next statement a fresh connection with the configured PRAGMAs.
        try {
            runStatements();
        } catch (const MigrationError &) {
            resetConnectionState();
            withTransaction(m_db, Transaction::Mode::Write, [&] {
                m_db.exec(QStringLiteral("DELETE FROM dbdeck_schema_migrations WHERE version = ?"), {file.version()});
                m_db.exec(QStringLiteral("INSERT INTO dbdeck_schema_migrations (version, name, checksum, state,"
                                         " statements_done, statements_total, applied_at, execution_ms, applied_by)"
                                         " VALUES (?, ?, ?, 'failed-partial', ?, ?, ?, ?, ?)"),
                          {file.version(), file.name(), file.checksum(), done, int(statements.size()), utcNowForDb(),
                           timer.elapsed(), currentActor()});
            });
            throw;
        }
        resetConnectionState();
        withTransaction(m_db, Transaction::Mode::Write, recordVersion);
    }
    if (skipped)
        qCInfo(lcMigrate).noquote() << file.name() << "was already" << (step.up ? "applied" : "reverted") << "by another runner";
    progress.phase = MigrationProgress::Phase::Finished;
    progress.elapsedMs = timer.elapsed();
    if (o.progress)
        o.progress(progress);
}

void Migrator::resetConnectionState()
{
    if (m_db.backend() == Backend::Sqlite) {
        m_db.closeConnection();
        return;
    }
    // PostgreSQL: closing would end the session and with it the advisory lock. Undo instead.
    m_db.exec(QStringLiteral("ROLLBACK")); // a no-op (with a warning from the server) outside a transaction
    m_db.exec(QStringLiteral("RESET ALL"));
}

void Migrator::recordEnvironment()
{
    // The tag guards reset: a database once tagged production stays production, whatever the
    // APP_ENV of whoever migrates it later.
    withTransaction(m_db, Transaction::Mode::Write, [&] {
        m_db.exec(QStringLiteral("INSERT INTO dbdeck_metadata (key, value, updated_at) VALUES ('app_env', ?, ?)"
                                 " ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at"
                                 " WHERE dbdeck_metadata.value <> 'production'"),
                  {m_db.config().appEnv(), utcNowForDb()});
    });
}

void Migrator::stamp(const MigrationRunOptions &o)
{
    m_set.requireValid();
    JournalEntry entry;
    entry.operation = QStringLiteral("stamp");
    entry.startedAt = utcNowForDb();
    prepare(o.lockTimeoutMs);
    MigrationLock lock(m_db);
    lock.acquire(o.lockTimeoutMs);
    const StatusReport st = status();
    entry.fromVersion = st.current;
    qint64 to = 0;
    const QString target = o.target;
    if (target == QLatin1String("head")) {
        to = st.head;
    } else if (target == QLatin1String("base")) {
        to = 0;
    } else if (const auto version = MigrationPlanner::parseVersion(target); version && (*version == 0 || m_set.find(*version))) {
        to = *version;
    } else {
        entry.outcome = QStringLiteral("refused");
        entry.toVersion = st.current;
        entry.error = QStringLiteral("bad stamp target \"%1\"; allowed: a version that has a file, head, or base").arg(target);
        MigrationJournal::record(m_db, entry);
        throw MigrationError(entry.error);
    }
    withTransaction(m_db, Transaction::Mode::Write, [&] {
        m_db.exec(QStringLiteral("DELETE FROM dbdeck_schema_migrations WHERE version > ?"), {to});
        for (const MigrationFile &file : m_set.files()) {
            if (file.version() > to)
                break;
            const MigrationStatus *s = st.find(file.version());
            if (s && s->state == MigrationState::Applied)
                continue;
            m_db.exec(QStringLiteral("DELETE FROM dbdeck_schema_migrations WHERE version = ?"), {file.version()});
            m_db.exec(QStringLiteral("INSERT INTO dbdeck_schema_migrations (version, name, checksum, state, applied_at,"
                                     " execution_ms, applied_by) VALUES (?, ?, ?, 'applied', ?, 0, ?)"),
                      {file.version(), file.name(), file.checksum(), utcNowForDb(), currentActor()});
        }
    });
    entry.outcome = QStringLiteral("succeeded");
    entry.toVersion = to;
    entry.detail = QStringLiteral("marked as applied up to %1 without running any migration").arg(v(to));
    MigrationJournal::record(m_db, entry);
}

} // namespace dbdeck

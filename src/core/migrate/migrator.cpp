#include "migrate/migrator.h"

#include "db/database.h"
#include "db/databasebackup.h"
#include "db/errors.h"
#include "db/transaction.h"
#include "db/utctime.h"
#include "migrate/environmentguard.h"
#include "migrate/migrationattempt.h"
#include "migrate/migrationerror.h"
#include "migrate/migrationlogging.h"
#include "migrate/migrationplanner.h"
#include "migrate/migrationtables.h"
#include "migrate/nontransactionalrun.h"
#include "migrate/schemaownership.h"
#include "migrate/sqlsplitter.h"
#include "migrate/tablerebuild.h"
#include "migrate/versionrecord.h"

#include <QElapsedTimer>

#include <optional>

namespace dbdeck {

namespace {

QString v(qint64 version)
{
    return MigrationFile::formatVersion(version);
}

QString rolledBack(qint64 stayAt)
{
    return QStringLiteral("It was rolled back: the database stays at version %1.").arg(v(stayAt));
}

} // namespace

Migrator::Migrator(Database &db, MigrationSet set) : m_db(db), m_set(std::move(set))
{
    m_set.checkStatements(MigrationPlanner::dialectFor(db.backend()));
}

Migrator::~Migrator() = default;

StatusReport Migrator::status()
{
    return readMigrationStatus(m_db, m_set);
}

QList<JournalEntry> Migrator::journal(int limit)
{
    if (!m_db.exists() || !m_db.hasTable(MigrationTables::journal()))
        return {};
    return MigrationJournal::recent(m_db, limit);
}

MigrationPlan Migrator::planUpgrade(const MigrationRunOptions &options)
{
    m_set.requireValid();
    refuseUnmanaged(QStringLiteral("upgrade"));
    return MigrationPlanner(m_set).planUpgrade(status(), options);
}

MigrationPlan Migrator::planDowngrade(const MigrationRunOptions &options)
{
    m_set.requireValid();
    refuseUnmanaged(QStringLiteral("downgrade"));
    return MigrationPlanner(m_set).planDowngrade(status(), options);
}

QString Migrator::renderSql(const MigrationPlan &plan) const
{
    return MigrationPlanner::renderSql(plan, m_db.backend(), m_db.displayName());
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
    refuseUnmanaged(operation);
    MigrationAttempt attempt(m_db, operation, o);
    const StatusReport st = status();
    attempt.start(st.current);
    MigrationPlan plan;
    QString backupPath;
    try {
        plan = planner(st);
        if (operation == QLatin1String("downgrade") && !plan.steps.isEmpty())
            backupPath = backUpIfProtected(o);
    } catch (const MigrationError &error) {
        attempt.finish(QStringLiteral("refused"), error.message(), st.current, {});
        throw;
    }
    const bool up = operation == QLatin1String("upgrade");
    QStringList details;
    if (!attempt.lock().takeoverNote().isEmpty())
        details << attempt.lock().takeoverNote();
    if (!plan.forcedPast.isEmpty()) {
        attempt.setForced();
        details << QStringLiteral("proceeded past %1 (--allow-modified)").arg(plan.forcedPast.join(QStringLiteral(", ")));
    }
    for (const MigrationStep &step : std::as_const(plan.steps)) {
        if (m_db.backend() == Backend::Postgres && step.foreignKeysOff()) {
            details << QStringLiteral("foreign_keys:off of %1 is ignored on PostgreSQL (constraints there are altered in "
                                      "place, not rebuilt)").arg(step.file.name());
            qCInfo(lcMigrate).noquote() << details.last();
        }
    }

    if (!backupPath.isEmpty())
        details << QStringLiteral("protected database: backup %1").arg(backupPath);
    MigrationRunResult result;
    result.from = st.current;
    result.to = st.current;
    result.backupPath = backupPath;
    const auto finish = [&](const QString &outcome, const QString &error = {}) {
        QStringList all = details;
        if (!result.done.isEmpty())
            all << QStringLiteral("%1: %2").arg(up ? QStringLiteral("applied") : QStringLiteral("reverted"),
                                                result.done.join(QStringLiteral(", ")));
        if (!result.alreadyApplied.isEmpty())
            all << QStringLiteral("already %1 by another runner: %2").arg(up ? QStringLiteral("applied") : QStringLiteral("reverted"),
                                                                          result.alreadyApplied.join(QStringLiteral(", ")));
        try {
            result.to = readMigrationStatus(m_db, m_set).current;
        } catch (const DbError &) {
        }
        attempt.finish(outcome, error, result.to, all);
    };
    qint64 at = st.current;
    try {
        // Before anything runs, so that even a failed first upgrade leaves the database tagged
        // (and, in a protected environment, protected).
        if (operation == QLatin1String("upgrade"))
            EnvironmentGuard(m_db).recordTag();
        for (int i = 0; i < plan.steps.size(); ++i) {
            const MigrationStep &step = plan.steps.at(i);
            if (o.cancel && o.cancel->load()) {
                result.cancelled = true;
                result.cancelledAt = QStringLiteral("between migrations, before %1").arg(step.file.name());
                details << QStringLiteral("cancelled before %1").arg(step.file.name());
                finish(QStringLiteral("cancelled"));
                return result;
            }
            QString cancelledAt;
            StepOutcome outcome = StepOutcome::Ran;
            try {
                attempt.lock().verifyHeld();
                outcome = runStep(step, attempt, o, i + 1, int(plan.steps.size()), up ? at : step.file.version(), &cancelledAt);
            } catch (const LockLostError &lost) {
                throw LockLostError(QStringLiteral("%1; stopped at %2: the database stays at version %3 (run the command again "
                                                   "once the server is reachable)")
                                        .arg(lost.message(), step.file.name(), v(status().current)));
            }
            if (outcome == StepOutcome::Cancelled) {
                result.cancelled = true;
                result.cancelledAt = cancelledAt;
                details << QStringLiteral("cancelled %1: it is interrupted there, resume it with `dbdeck-cli resume`").arg(cancelledAt);
                finish(QStringLiteral("cancelled"));
                return result;
            }
            (outcome == StepOutcome::Ran ? result.done : result.alreadyApplied) << step.file.name();
            at = up ? std::max(at, step.file.version()) : status().current;
        }
    } catch (const DbError &error) {
        finish(QStringLiteral("failed"), error.message());
        throw;
    }
    finish(QStringLiteral("succeeded"));
    return result;
}

Migrator::StepOutcome Migrator::runStep(const MigrationStep &step, MigrationAttempt &attempt, const MigrationRunOptions &o,
                                        int index, int total, qint64 stayAt, QString *cancelledAt)
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
    QElapsedTimer timer;
    timer.start();
    bool skipped = false;
    if (file.transactional()) {
        runTransactional(step, attempt, stayAt, &skipped);
    } else {
        NonTransactionalRun statements(m_db, step, attempt.lock(), attempt.id());
        const NonTransactionalRun::Outcome outcome = statements.run(1, o.cancel, true);
        if (outcome == NonTransactionalRun::Outcome::Cancelled) {
            *cancelledAt = QStringLiteral("in %1 before statement %2 of %3")
                               .arg(file.name()).arg(statements.cancelledBefore()).arg(statements.statementCount());
            return StepOutcome::Cancelled;
        }
        skipped = outcome == NonTransactionalRun::Outcome::AlreadyDone;
    }
    if (skipped)
        qCInfo(lcMigrate).noquote() << file.name() << "was already" << (step.up ? "applied" : "reverted")
                                    << "by another runner; this one ran none of it";
    progress.phase = MigrationProgress::Phase::Finished;
    progress.elapsedMs = timer.elapsed();
    progress.alreadyApplied = skipped;
    if (o.progress)
        o.progress(progress);
    return skipped ? StepOutcome::AlreadyDone : StepOutcome::Ran;
}

void Migrator::runTransactional(const MigrationStep &step, MigrationAttempt &attempt, qint64 stayAt, bool *skipped)
{
    const MigrationFile &file = step.file;
    const QList<SqlStatement> statements = SqlSplitter::split(step.sql(), MigrationPlanner::dialectFor(m_db.backend()));
    QElapsedTimer timer;
    timer.start();
    std::optional<TableRebuild> rebuild;
    if (m_db.backend() == Backend::Sqlite && step.foreignKeysOff()) {
        rebuild.emplace(m_db);
        rebuild->begin(); // before BEGIN: inside a transaction PRAGMA foreign_keys does nothing
    }
    try {
        withTransaction(m_db, Transaction::Mode::Write, [&] {
            VersionRecord::lockTable(m_db);
            attempt.lock().verifyHeld();
            if ((*skipped = VersionRecord::alreadyDone(m_db, step)))
                return;
            if (rebuild)
                rebuild->verifyInsideTransaction();
            for (int i = 0; i < statements.size(); ++i) {
                try {
                    m_db.exec(statements.at(i).sql);
                } catch (const DbError &error) {
                    throw MigrationError(NonTransactionalRun::describeFailure(file, i + 1, int(statements.size()), statements.at(i),
                                                                              error, rolledBack(stayAt)),
                                         error.nativeCode());
                }
            }
            if (rebuild) {
                try {
                    rebuild->checkForeignKeys();
                } catch (const MigrationError &error) {
                    throw MigrationError(QStringLiteral("migration %1 (%2, foreign_keys:off): %3\n%4")
                                             .arg(file.name(), file.path(), error.message(), rolledBack(stayAt)),
                                         error.nativeCode());
                }
            }
            if (step.up)
                VersionRecord::recordApplied(m_db, file, timer.elapsed());
            else
                VersionRecord::recordReverted(m_db, file.version());
            attempt.lock().touch();
        });
    } catch (const MigrationError &) {
        throw;
    } catch (const DbError &error) {
        // BEGIN or COMMIT itself failed (a full disk at commit, a busy database): still say which
        // migration and where the database stays.
        throw MigrationError(QStringLiteral("migration %1 (%2) could not be %3: %4\n%5%6")
                                 .arg(file.name(), file.path(), step.up ? QStringLiteral("applied") : QStringLiteral("reverted"),
                                      error.message(), rolledBack(stayAt), NonTransactionalRun::diskFullHint(error)),
                             error.nativeCode());
    }
    if (rebuild)
        rebuild->restore();
}

void Migrator::refuseUnmanaged(const QString &operation)
{
    if (!m_db.exists())
        return;
    const SchemaOwnership ownership = SchemaOwnership::read(m_db);
    if (ownership.unmanaged())
        throw MigrationError(ownership.refusal(operation));
}

QString Migrator::backUpIfProtected(const MigrationRunOptions &o)
{
    EnvironmentGuard guard(m_db);
    const QString protection = guard.protection();
    if (protection.isEmpty())
        return {};
    const QString name = guard.databaseName();
    if (!o.allowProtected || o.confirmName.isEmpty())
        throw MigrationError(QStringLiteral("refusing to downgrade: %1. A downgrade drops what the migrations created; to do it "
                                            "anyway, pass --allow-protected --confirm %2 (the database's name): dbdeck then "
                                            "writes a verified backup first").arg(protection, name));
    if (o.confirmName != name)
        throw MigrationError(QStringLiteral("refusing to downgrade: the name typed (\"%1\") is not the database's name (\"%2\")")
                                 .arg(o.confirmName, name));
    try {
        return withTransaction(m_db, Transaction::Mode::Write, [&] { return DatabaseBackup::write(m_db, name).path; });
    } catch (const DbError &error) {
        throw MigrationError(QStringLiteral("refusing to downgrade without a backup: %1").arg(error.message()), error.nativeCode());
    }
}

void Migrator::stamp(const MigrationRunOptions &o)
{
    m_set.requireValid();
    refuseUnmanaged(QStringLiteral("stamp"));
    MigrationAttempt attempt(m_db, QStringLiteral("stamp"), o);
    const StatusReport st = status();
    attempt.start(st.current);
    qint64 to = 0;
    const QString target = o.target;
    if (const QString newer = MigrationPlanner::newerThanFiles(st); !newer.isEmpty()) {
        // Stamping would delete the newer build's records without undoing its schema.
        const QString error = QStringLiteral("refusing to stamp: %1").arg(newer);
        attempt.finish(QStringLiteral("refused"), error, st.current, {});
        throw MigrationError(error);
    }
    if (target == QLatin1String("head")) {
        to = st.head;
    } else if (target == QLatin1String("base")) {
        to = 0;
    } else if (const auto version = MigrationPlanner::parseVersion(target); version && (*version == 0 || m_set.find(*version))) {
        to = *version;
    } else {
        const QString error = QStringLiteral("bad stamp target \"%1\"; allowed: a version that has a file, head, or base").arg(target);
        attempt.finish(QStringLiteral("refused"), error, st.current, {});
        throw MigrationError(error);
    }
    withTransaction(m_db, Transaction::Mode::Write, [&] {
        VersionRecord::lockTable(m_db);
        attempt.lock().verifyHeld();
        m_db.exec(QStringLiteral("DELETE FROM dbdeck_schema_migrations WHERE version > ?"), {to});
        const bool progress = m_db.hasTable(MigrationTables::progress());
        if (progress)
            m_db.exec(QStringLiteral("DELETE FROM dbdeck_migration_progress WHERE version > ?"), {to});
        for (const MigrationFile &file : m_set.files()) {
            if (file.version() > to)
                break;
            const MigrationStatus *s = st.find(file.version());
            if (s && s->state == MigrationState::Applied)
                continue;
            m_db.exec(QStringLiteral("DELETE FROM dbdeck_schema_migrations WHERE version = ?"), {file.version()});
            if (progress)
                m_db.exec(QStringLiteral("DELETE FROM dbdeck_migration_progress WHERE version = ?"), {file.version()});
            m_db.exec(QStringLiteral("INSERT INTO dbdeck_schema_migrations (version, name, checksum, state, applied_at,"
                                     " execution_ms, applied_by) VALUES (?, ?, ?, 'applied', ?, 0, ?)"),
                      {file.version(), file.name(), file.checksum(), utcNowForDb(), currentActor()});
        }
    });
    attempt.finish(QStringLiteral("succeeded"), {}, to,
                   {QStringLiteral("marked as applied up to %1 without running any migration").arg(v(to))});
}

} // namespace dbdeck

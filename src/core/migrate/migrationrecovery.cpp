// Migrator's recovery actions for a transaction:false migration left interrupted or
// failed-partial: resume, mark-applied, mark-not-applied.
#include "migrate/migrator.h"

#include "db/database.h"
#include "db/errors.h"
#include "db/transaction.h"
#include "migrate/migrationattempt.h"
#include "migrate/migrationerror.h"
#include "migrate/migrationtables.h"
#include "migrate/nontransactionalrun.h"
#include "migrate/versionrecord.h"

namespace dbdeck {

namespace {

QString v(qint64 version)
{
    return MigrationFile::formatVersion(version);
}

const MigrationStatus &recoverable(const StatusReport &st, qint64 version, const QString &action)
{
    const MigrationStatus *m = st.find(version);
    if (!m)
        throw MigrationError(QStringLiteral("no migration has version %1").arg(v(version)));
    if (m->state != MigrationState::Interrupted && m->state != MigrationState::FailedPartial)
        throw MigrationError(QStringLiteral("%1 is %2, not interrupted or failed-partial: there is nothing to %3 (`dbdeck-cli "
                                            "status` shows every migration's state)")
                                 .arg(m->name, stateName(m->state), action));
    return *m;
}

QString where(const MigrationStatus &m)
{
    return m.state == MigrationState::FailedPartial
        ? QStringLiteral("it had failed after %1 of %2 statements").arg(m.statementsDone).arg(m.statementsTotal)
        : QStringLiteral("it was interrupted at statement %1 of %2").arg(m.statementsDone + 1).arg(m.statementsTotal);
}

} // namespace

MigrationRunResult Migrator::resume(qint64 version, int fromStatement, const MigrationRunOptions &o)
{
    m_set.requireValid();
    refuseUnmanaged(QStringLiteral("resume"));
    MigrationAttempt attempt(m_db, QStringLiteral("resume"), o);
    const StatusReport st = status();
    attempt.start(st.current);
    std::optional<MigrationStep> step;
    QString was;
    try {
        const MigrationStatus &m = recoverable(st, version, QStringLiteral("resume"));
        was = where(m);
        const MigrationFile *file = m_set.find(version);
        if (!file)
            throw MigrationError(QStringLiteral("%1 cannot be resumed: its file is missing").arg(m.name));
        const QString recorded = m.attemptChecksum.isEmpty() ? m.dbChecksum : m.attemptChecksum;
        if (!recorded.isEmpty() && recorded != file->checksum())
            throw MigrationError(QStringLiteral("%1 changed since %2 (checksum %3 then, %4 now): its statement numbers may no "
                                                "longer match. Restore the file, or finish or undo it by hand and use "
                                                "mark-applied or mark-not-applied")
                                     .arg(m.name, was, recorded.left(12), file->checksum().left(12)));
        if (file->transactional())
            throw MigrationError(QStringLiteral("%1 is no longer transaction:false, so it cannot be resumed part-way; finish or "
                                                "undo it by hand and use mark-applied or mark-not-applied").arg(m.name));
        step = MigrationStep{*file, !m.attemptDown};
        const int total = int(SqlSplitter::split(step->sql(), MigrationPlanner::dialectFor(m_db.backend())).size());
        if (fromStatement < 1 || fromStatement > total)
            throw MigrationError(QStringLiteral("--from must be a statement number from 1 to %1 (%2 has %1 statements)")
                                     .arg(total).arg(m.name));
    } catch (const MigrationError &error) {
        attempt.finish(QStringLiteral("refused"), error.message(), st.current, {});
        throw;
    }
    MigrationRunResult result;
    result.from = st.current;
    QStringList details{QStringLiteral("resumed %1 from statement %2 (%3)").arg(step->file.name()).arg(fromStatement).arg(was)};
    try {
        if (o.progress) {
            MigrationProgress p;
            p.index = p.total = 1;
            p.version = version;
            p.name = step->file.name();
            o.progress(p);
        }
        NonTransactionalRun statements(m_db, *step, attempt.lock(), attempt.id());
        if (statements.run(fromStatement, o.cancel, false) == NonTransactionalRun::Outcome::Cancelled) {
            result.cancelled = true;
            result.cancelledAt = QStringLiteral("in %1 before statement %2 of %3")
                                     .arg(step->file.name()).arg(statements.cancelledBefore()).arg(statements.statementCount());
            result.to = status().current;
            attempt.finish(QStringLiteral("cancelled"), {}, result.to, details << QStringLiteral("cancelled ") + result.cancelledAt);
            return result;
        }
        result.done << step->file.name();
    } catch (const DbError &error) {
        attempt.finish(QStringLiteral("failed"), error.message(), status().current, details);
        throw;
    }
    result.to = status().current;
    attempt.finish(QStringLiteral("succeeded"), {}, result.to, details);
    return result;
}

void Migrator::markApplied(qint64 version, const MigrationRunOptions &options)
{
    markRecovered(version, true, options);
}

void Migrator::markNotApplied(qint64 version, const MigrationRunOptions &options)
{
    markRecovered(version, false, options);
}

void Migrator::markRecovered(qint64 version, bool applied, const MigrationRunOptions &o)
{
    m_set.requireValid();
    const QString operation = applied ? QStringLiteral("mark-applied") : QStringLiteral("mark-not-applied");
    refuseUnmanaged(operation);
    MigrationAttempt attempt(m_db, operation, o);
    const StatusReport st = status();
    attempt.start(st.current);
    const MigrationStatus *m = nullptr;
    const MigrationFile *file = m_set.find(version);
    try {
        m = &recoverable(st, version, operation);
        if (applied && !m->attemptDown && !file)
            throw MigrationError(QStringLiteral("%1 cannot be marked applied: its file is missing (its checksum is recorded "
                                                "with it)").arg(m->name));
    } catch (const MigrationError &error) {
        attempt.finish(QStringLiteral("refused"), error.message(), st.current, {});
        throw;
    }
    // "Applied" is the state the user found: for an interrupted downgrade, still applied.
    const bool keepApplied = applied;
    withTransaction(m_db, Transaction::Mode::Write, [&] {
        VersionRecord::lockTable(m_db);
        attempt.lock().verifyHeld();
        if (m_db.hasTable(MigrationTables::progress()))
            m_db.exec(QStringLiteral("DELETE FROM dbdeck_migration_progress WHERE version = ?"), {version});
        if (keepApplied && !m->attemptDown)
            VersionRecord::recordApplied(m_db, *file, 0);
        else if (!keepApplied)
            VersionRecord::recordReverted(m_db, version);
    });
    attempt.finish(QStringLiteral("succeeded"), {}, status().current,
                   {QStringLiteral("marked %1 as %2 without running anything (%3)")
                        .arg(m->name, applied ? QStringLiteral("applied") : QStringLiteral("not applied"), where(*m))});
}

} // namespace dbdeck

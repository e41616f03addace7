#include "jobworker.h"

#include "migrate/baseliner.h"

#include "admin/resetter.h"
#include "migrate/migrationlinter.h"
#include "migrate/migrator.h"
#include "migrate/preflight.h"
#include "migrationfindings.h"

#include <QElapsedTimer>
#include <QRegularExpression>

namespace dbdeck::gui {

namespace {

// MigrationError carries no structured position yet, only its message ("… failed at statement
// 2 of 3 (line 5: …"). The position is read back from it for the SQL view's highlight alone;
// when the wording changes, the highlight is lost, not the error.
void readPosition(ApplyFailure &failure)
{
    static const QRegularExpression position(QStringLiteral("failed at statement (\\d+) of \\d+ \\(line (\\d+)"));
    const QRegularExpressionMatch match = position.match(failure.message);
    if (match.hasMatch()) {
        failure.statement = match.captured(1).toInt();
        failure.line = match.captured(2).toInt();
    }
}

} // namespace

void JobWorker::countTables(quint64 generation)
{
    m_cancel = false;
    guarded(QStringLiteral("counts"), [&] {
        if (obsolete(View::Counts, generation))
            return;
        CountsReport report;
        report.takenAt = QDateTime::currentDateTimeUtc();
        if (!db().exists()) {
            Q_EMIT countsReady(report);
            return;
        }
        QElapsedTimer timer;
        timer.start();
        TableCounter counter(db());
        const ActiveCancel active(*this, [&counter] { counter.cancel(); });
        try {
            if (m_cancel)
                throw CancelledError(tr("cancelled"));
            report.counts = counter.count([this](int done, int total, const QString &table) { Q_EMIT countsProgress(done, total, table); });
        } catch (const CancelledError &error) {
            report.counts = counter.counted(); // what was counted before Cancel stays shown
            report.complete = false;
            report.note = error.message();
        }
        report.elapsedMs = timer.elapsed();
        Q_EMIT countsReady(report);
    });
}

void JobWorker::checkHealth(const QString &check)
{
    m_cancel = false;
    guarded(QStringLiteral("health"), [&] {
        HealthReport report;
        report.check = check;
        if (!db().exists()) {
            Q_EMIT healthReady(report);
            return;
        }
        HealthCheck health(db());
        const ActiveCancel active(*this, [&health] { health.cancel(); });
        if (check == QLatin1String("integrity"))
            report.findings = health.integrityCheck();
        else if (check == QLatin1String("foreign keys"))
            report.findings = health.foreignKeyCheck();
        Q_EMIT healthReady(report);
    });
}

void JobWorker::applyPending(bool retryPartial)
{
    m_cancel = false;
    ApplyOutcome outcome;
    qint64 runningVersion = 0;
    QString runningName;
    try {
        Migrator migrator(db(), MigrationSet::load(config().migrationsDir()));
        MigrationRunOptions options;
        options.cancel = &m_cancel;
        options.lockTimeoutMs = 10000;
        options.retryPartial = retryPartial;
        options.progress = [&](const MigrationProgress &p) {
            if (p.phase == MigrationProgress::Phase::WaitingForLock)
                return;
            runningVersion = p.version;
            runningName = p.name;
            Q_EMIT migrationProgress(p.index, p.total, p.name, p.phase == MigrationProgress::Phase::Finished);
        };
        const MigrationRunResult result = migrator.upgrade(options);
        outcome.done = result.done;
        outcome.cancelled = result.cancelled;
    } catch (const DbError &error) {
        ApplyFailure failure;
        failure.message = error.message();
        failure.version = runningVersion;
        failure.name = runningName;
        readPosition(failure);
        outcome.failure = failure;
    } catch (const std::exception &error) {
        ApplyFailure failure;
        failure.message = QString::fromLocal8Bit(error.what());
        outcome.failure = failure;
    }
    Q_EMIT migrationsApplied(outcome);
}

void JobWorker::reset(const QString &confirmName, bool reapplyMigrations)
{
    m_cancel = false;
    guarded(QStringLiteral("reset"), [&] {
        Resetter resetter(db());
        std::optional<MigrationSet> migrations;
        if (reapplyMigrations) {
            migrations = MigrationSet::load(config().migrationsDir());
            migrations->requireValid();
        }
        const Resetter::Result r = resetter.reset(confirmName, migrations ? &*migrations : nullptr);
        Q_EMIT resetDone(r.backupPath, r.droppedTables, r.migrationsApplied);
    });
}

void JobWorker::recover(const RecoveryRequest &request)
{
    m_cancel = false;
    RecoveryOutcome outcome;
    outcome.request = request;
    const QString version = MigrationFile::formatVersion(request.version);
    try {
        Migrator migrator(db(), MigrationSet::load(config().migrationsDir()));
        MigrationRunOptions options;
        options.cancel = &m_cancel;
        options.lockTimeoutMs = 10000;
        switch (request.action) {
        case RecoveryRequest::Action::Resume: {
            const MigrationRunResult result = migrator.resume(request.version, request.fromStatement, options);
            outcome.cancelled = result.cancelled;
            outcome.message = result.cancelled
                ? tr("Resume cancelled: stopped %1.").arg(result.cancelledAt)
                : tr("Resumed %1 from statement %2: the database is at %3.")
                      .arg(result.done.value(0, version)).arg(request.fromStatement).arg(MigrationFile::formatVersion(result.to));
            break;
        }
        case RecoveryRequest::Action::MarkApplied:
        case RecoveryRequest::Action::MarkNotApplied: {
            const bool applied = request.action == RecoveryRequest::Action::MarkApplied;
            applied ? migrator.markApplied(request.version, options) : migrator.markNotApplied(request.version, options);
            outcome.message = tr("Marked %1 as %2 (nothing ran): the database is at %3.")
                                  .arg(version, applied ? tr("applied") : tr("not applied"),
                                       MigrationFile::formatVersion(migrator.status().current));
            break;
        }
        }
        outcome.ok = !outcome.cancelled;
    } catch (const DbError &error) {
        outcome.message = error.message();
    } catch (const std::exception &error) {
        outcome.message = QString::fromLocal8Bit(error.what());
    }
    Q_EMIT recovered(outcome);
}

void JobWorker::adopt(const AdoptRequest &request)
{
    AdoptOutcome outcome;
    outcome.request = request;
    try {
        const MigrationSet set = MigrationSet::load(config().migrationsDir());
        Baseliner baseliner(db(), set);
        // Compared first, so that a refusal for drift can offer to accept the differences.
        const DriftReport drift = baseliner.preview(request.version);
        if (drift.drifted() && !request.acceptDifferences) {
            outcome.drift = true;
            outcome.message = Baseliner::driftRefusal(drift);
        } else {
            const BaselineResult r = baseliner.baseline(request.version, 10000, request.acceptDifferences);
            outcome.ok = true;
            outcome.message = tr("Adopted: recorded %n migration(s) as applied without running them (%1); the database is at %2.",
                                 nullptr, int(r.recorded.size()))
                                  .arg(r.recorded.join(QStringLiteral(", ")), MigrationFile::formatVersion(r.version));
            if (!r.differences.isEmpty())
                outcome.message += tr(" %n difference(s) were accepted.", nullptr, int(r.differences.size()));
        }
    } catch (const DbError &error) {
        outcome.message = error.message();
    } catch (const std::exception &error) {
        outcome.message = QString::fromLocal8Bit(error.what());
    }
    Q_EMIT adopted(outcome);
}

void JobWorker::checkPending(quint64 generation)
{
    m_cancel = false;
    guarded(QStringLiteral("findings"), [&] {
        if (obsolete(View::Findings, generation))
            return;
        PendingFindings findings;
        findings.generation = generation;
        const MigrationSet set = MigrationSet::load(config().migrationsDir());
        Migrator migrator(db(), set);
        const StatusReport status = migrator.status();
        findings.key = MigrationFindingsText::pendingKey(status);
        if (findings.key.isEmpty()) {
            Q_EMIT pendingChecked(findings);
            return;
        }
        try {
            const LintReport lint = MigrationLinter(LintOptions::fromConfig(config())).lintPending(db(), set);
            for (const MigrationLint &m : lint.migrations)
                findings.byVersion[m.version].lint = m.findings;
        } catch (const DbError &error) {
            findings.notes << tr("Lint could not run: %1").arg(error.message());
        }
        if (status.databaseExists && !m_cancel) {
            try {
                const PreflightReport report = Preflight::run(db(), set, migrator.planUpgrade({}));
                for (const PreflightFinding &f : report.findings)
                    findings.byVersion[f.version].preflight << f;
                findings.notes << report.notes;
            } catch (const DbError &error) {
                findings.notes << tr("The preflight could not run: %1").arg(error.message());
            }
        }
        Q_EMIT pendingChecked(findings);
    });
}

} // namespace dbdeck::gui

#include "migrate/migrationplanner.h"

#include "migrate/migrationerror.h"

namespace dbdeck {

namespace {

QString v(qint64 version)
{
    return MigrationFile::formatVersion(version);
}

// Parses a positive step count "+N"/"-N", or returns nullopt.
std::optional<int> parseSteps(const QString &target, QChar sign)
{
    if (!target.startsWith(sign))
        return std::nullopt;
    bool ok = false;
    const int n = target.mid(1).toInt(&ok);
    return ok && n > 0 ? std::optional<int>(n) : std::nullopt;
}

} // namespace

MigrationPlanner::MigrationPlanner(const MigrationSet &set) : m_set(set) {}

std::optional<qint64> MigrationPlanner::parseVersion(const QString &target)
{
    bool ok = false;
    const qint64 n = target.toLongLong(&ok);
    return ok && n >= 0 ? std::optional<qint64>(n) : std::nullopt;
}

QString MigrationPlanner::newerThanFiles(const StatusReport &st)
{
    for (const MigrationStatus &m : st.migrations) {
        if ((m.state == MigrationState::Modified || m.state == MigrationState::Missing) && m.version > st.head)
            return QStringLiteral("the database is at version %1, newer than the newest migration file %2: "
                                  "it was migrated by a newer build; update this checkout")
                .arg(v(std::max(st.current, m.version)), v(st.head));
    }
    return {};
}

SqlSplitter::Dialect MigrationPlanner::dialectFor(Backend backend)
{
    return backend == Backend::Postgres ? SqlSplitter::Dialect::Postgres : SqlSplitter::Dialect::Sqlite;
}

MigrationPlan MigrationPlanner::planUpgrade(const StatusReport &st, const MigrationRunOptions &o) const
{
    MigrationPlan plan;
    plan.operation = QStringLiteral("upgrade");
    plan.from = st.current;
    QStringList refusals;
    QList<const MigrationStatus *> pending;
    for (const MigrationStatus &m : st.migrations) {
        switch (m.state) {
        case MigrationState::Modified:
        case MigrationState::Missing:
            if (m.version > st.head)
                refusals << newerThanFiles(st);
            else if (o.allowModified)
                plan.forcedPast << QStringLiteral("%1 (%2)").arg(m.name, stateName(m.state));
            else
                refusals << QStringLiteral("%1 is %2; refusing to upgrade (fix it, or pass --allow-modified to proceed "
                                           "anyway, which is recorded in the journal)")
                                .arg(m.name, stateName(m.state));
            break;
        case MigrationState::FailedPartial:
            if (o.retryPartial)
                pending << &m;
            else
                refusals << QStringLiteral("%1 failed part-way (%2 of %3 statements ran). Finish it by hand and run "
                                           "`stamp %4`, or undo it by hand and run `upgrade --retry-partial`")
                                .arg(m.name).arg(m.statementsDone).arg(m.statementsTotal).arg(v(m.version));
            break;
        case MigrationState::Interrupted:
        case MigrationState::Running:
            refusals << QStringLiteral("refusing to upgrade: %1. Upgrade never runs it again from its first statement.")
                            .arg(m.interruptionText());
            break;
        case MigrationState::Pending:
            if (m.version < st.current)
                refusals << QStringLiteral("%1 is pending but the database is already at %2 (out of order); renumber "
                                           "it above the current version")
                                .arg(m.name, v(st.current));
            else
                pending << &m;
            break;
        case MigrationState::Applied:
            break;
        }
    }
    refusals.removeDuplicates();
    if (!refusals.isEmpty())
        throw MigrationError(refusals.join(QLatin1Char('\n')));

    const QString target = o.target.isEmpty() ? QStringLiteral("head") : o.target;
    qsizetype count = pending.size();
    if (const auto steps = parseSteps(target, QLatin1Char('+'))) {
        if (*steps > pending.size())
            throw MigrationError(QStringLiteral("cannot upgrade +%1: only %2 migration(s) are pending").arg(*steps).arg(pending.size()));
        count = *steps;
    } else if (target != QLatin1String("head")) {
        const auto version = parseVersion(target);
        if (!version)
            throw MigrationError(QStringLiteral("bad upgrade target \"%1\"; allowed: head, a version number, or +N").arg(target));
        if (!m_set.find(*version))
            throw MigrationError(QStringLiteral("no migration file has version %1").arg(v(*version)));
        if (*version < st.current)
            throw MigrationError(QStringLiteral("the database is at %1, above %2: use downgrade to go back").arg(v(st.current), v(*version)));
        count = std::count_if(pending.cbegin(), pending.cend(), [&](const MigrationStatus *m) { return m->version <= *version; });
    }
    for (qsizetype i = 0; i < count; ++i)
        plan.steps.append({*m_set.find(pending.at(i)->version), true});
    plan.to = plan.steps.isEmpty() ? st.current : std::max(st.current, plan.steps.last().file.version());
    return plan;
}

MigrationPlan MigrationPlanner::planDowngrade(const StatusReport &st, const MigrationRunOptions &o) const
{
    MigrationPlan plan;
    plan.operation = QStringLiteral("downgrade");
    plan.from = st.current;
    QList<const MigrationStatus *> applied; // newest first
    for (auto it = st.migrations.crbegin(); it != st.migrations.crend(); ++it) {
        if (it->state == MigrationState::FailedPartial)
            throw MigrationError(QStringLiteral("%1 failed part-way; finish or undo it by hand and `stamp` the version "
                                                "it reached before downgrading").arg(it->name));
        if (it->state == MigrationState::Interrupted || it->state == MigrationState::Running)
            throw MigrationError(QStringLiteral("refusing to downgrade: %1").arg(it->interruptionText()));
        if (it->state != MigrationState::Pending)
            applied << &*it;
    }
    const QString target = o.target;
    qint64 to = 0;
    if (target.isEmpty())
        throw MigrationError(QStringLiteral("downgrade needs a target: a version number, -N, or base"));
    if (target == QLatin1String("base")) {
        to = 0;
    } else if (const auto steps = parseSteps(target, QLatin1Char('-'))) {
        if (*steps > applied.size())
            throw MigrationError(QStringLiteral("cannot downgrade -%1: only %2 migration(s) are applied").arg(*steps).arg(applied.size()));
        to = *steps == applied.size() ? 0 : applied.at(*steps)->version;
    } else if (const auto version = parseVersion(target)) {
        if (*version > st.current)
            throw MigrationError(QStringLiteral("the database is at %1, below %2: use upgrade to go forward").arg(v(st.current), v(*version)));
        if (*version != 0 && !m_set.find(*version) && !st.find(*version))
            throw MigrationError(QStringLiteral("no migration has version %1").arg(v(*version)));
        to = *version;
    } else {
        throw MigrationError(QStringLiteral("bad downgrade target \"%1\"; allowed: a version number, -N, or base").arg(target));
    }
    QStringList refusals;
    for (const MigrationStatus *m : std::as_const(applied)) {
        if (m->version <= to)
            break;
        const MigrationFile *file = m_set.find(m->version);
        if (!file) {
            refusals << QStringLiteral("%1 is applied but its file is missing: there is no down section to run").arg(m->name);
            continue;
        }
        if (!file->downSql())
            refusals << QStringLiteral("%1 has no \"-- migrate:down\" section; downgrading past it is refused").arg(m->name);
        if (m->state == MigrationState::Modified) {
            if (o.allowModified)
                plan.forcedPast << QStringLiteral("%1 (modified)").arg(m->name);
            else
                refusals << QStringLiteral("%1 was modified after it was applied; its down section may not match what "
                                           "ran (pass --allow-modified to proceed anyway)").arg(m->name);
        }
        plan.steps.append({*file, false});
    }
    if (!refusals.isEmpty())
        throw MigrationError(refusals.join(QLatin1Char('\n')));
    plan.to = to;
    return plan;
}

QString MigrationPlanner::renderSql(const MigrationPlan &plan, Backend backend, const QString &databaseName)
{
    QString out = QStringLiteral("-- dbdeck %1 %2 -> %3 (%4 migration(s)) on %5\n")
                      .arg(plan.operation, v(plan.from), v(plan.to)).arg(plan.steps.size()).arg(databaseName);
    const bool sqlite = backend == Backend::Sqlite;
    for (const MigrationStep &step : plan.steps) {
        const MigrationFile &file = step.file;
        out += QStringLiteral("\n-- %1 (%2, %3)\n").arg(file.name(), step.up ? QStringLiteral("up") : QStringLiteral("down"), file.path());
        const bool rebuild = sqlite && step.foreignKeysOff();
        if (rebuild)
            out += QStringLiteral("PRAGMA foreign_keys = OFF;\nPRAGMA legacy_alter_table = ON;\n");
        if (file.transactional())
            out += sqlite ? QStringLiteral("BEGIN IMMEDIATE;\n") : QStringLiteral("BEGIN;\n");
        for (const SqlStatement &statement : SqlSplitter::split(step.sql(), dialectFor(backend)))
            out += statement.sql + QStringLiteral(";\n");
        if (step.up)
            out += QStringLiteral("INSERT INTO dbdeck_schema_migrations (version, name, checksum, state, applied_at, "
                                  "execution_ms, applied_by) VALUES (%1, '%2', '%3', 'applied', <now>, <ms>, <user@host>);\n")
                       .arg(file.version()).arg(file.name(), file.checksum());
        else
            out += QStringLiteral("DELETE FROM dbdeck_schema_migrations WHERE version = %1;\n").arg(file.version());
        if (rebuild)
            out += QStringLiteral("PRAGMA foreign_key_check; -- any row: ROLLBACK instead\n");
        if (file.transactional())
            out += QStringLiteral("COMMIT;\n");
        if (rebuild)
            out += QStringLiteral("PRAGMA legacy_alter_table = OFF;\nPRAGMA foreign_keys = ON;\n");
    }
    return out;
}

} // namespace dbdeck

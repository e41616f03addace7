#include "migrationspanel.h"

#include "celltablemodel.h"
#include "datatableview.h"
#include "dbsession.h"
#include "messagearea.h"
#include "ui_migrationspanel.h"

#include <QAction>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QMessageBox>
#include <QRegularExpression>
#include <QSortFilterProxyModel>
#include <QTimer>

namespace dbdeck::gui {

namespace {

QString v(qint64 version)
{
    return MigrationFile::formatVersion(version);
}

// States that are not "applied", in the order the header lists them.
const QStringList &notAppliedStates()
{
    static const QStringList states{QStringLiteral("pending"), QStringLiteral("failed-partial"), QStringLiteral("interrupted"),
                                    QStringLiteral("running"), QStringLiteral("modified"), QStringLiteral("missing")};
    return states;
}

// The migration a failed journal entry names: its error starts "migration 0003_x (path) …".
QString failedMigrationOf(const JournalEntry &e)
{
    static const QRegularExpression name(QStringLiteral("^migration (\\S+) \\("));
    const QRegularExpressionMatch match = name.match(e.error);
    return match.hasMatch() ? match.captured(1) : QString();
}

} // namespace

MigrationsPanel::MigrationsPanel(QWidget *parent) : SessionPanel(parent), ui(std::make_unique<Ui::MigrationsPanel>())
{
    ui->setupUi(this);
    QFont header = ui->versionLabel->font();
    header.setBold(true);
    header.setPointSizeF(header.pointSizeF() * 1.15);
    ui->versionLabel->setFont(header);
    m_migrations = new CellTableModel({tr("Version"), tr("Name"), tr("State"), tr("Applied at (UTC)"), tr("Duration")}, this);
    m_journal = new CellTableModel({tr("Started (UTC)"), tr("Operation"), tr("Migration"), tr("From"), tr("To"), tr("Outcome"), tr("By"), tr("Detail / error")}, this);
    m_sortedMigrations = ui->migrationsTable->setSortableModel(m_migrations, CellTableModel::SortRole, 0);
    m_sortedJournal = ui->journalTable->setSortableModel(m_journal, CellTableModel::SortRole, 0, Qt::DescendingOrder);
    ui->migrationsTable->setColumnWidthsInCharacters({5, 22, 14, 19});
    ui->journalTable->setColumnWidthsInCharacters({19, 9, 20, 4, 4, 9, 14});
    ui->migrationsTable->setPlaceholderText(tr("No migrations"));
    ui->journalTable->setPlaceholderText(tr("Nothing has been attempted yet"));
    // The list gets the room; the journal below and the SQL beside it can be dragged bigger.
    ui->mainSplitter->setStretchFactor(0, 3);
    ui->mainSplitter->setStretchFactor(1, 1);
    ui->listSplitter->setStretchFactor(0, 3);
    ui->listSplitter->setStretchFactor(1, 2);

    m_apply = new QAction(tr("&Apply pending migrations"), this);
    m_apply->setObjectName(QStringLiteral("applyAction"));
    m_apply->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_U));
    m_apply->setEnabled(false);
    connect(m_apply, &QAction::triggered, this, [this] { startApply(false); });
    connect(ui->applyButton, &QPushButton::clicked, m_apply, &QAction::trigger);
    connect(m_apply, &QAction::changed, this, [this] {
        ui->applyButton->setEnabled(m_apply->isEnabled());
        ui->applyButton->setToolTip(m_apply->toolTip());
    });
    m_cancel = new QAction(tr("Cancel"), this);
    connect(m_cancel, &QAction::triggered, this, [this] {
        ui->cancelButton->setEnabled(false);
        m_progressText = tr("Cancelling after the current migration…");
        updateMessage();
        if (m_session)
            m_session->cancelLongJob();
    });
    connect(ui->cancelButton, &QPushButton::clicked, m_cancel, &QAction::trigger);
    m_retry = new QAction(tr("Retry"), this);
    connect(m_retry, &QAction::triggered, this, [this] { startApply(false); });
    m_retryPartial = new QAction(tr("Run it again…"), this);
    connect(m_retryPartial, &QAction::triggered, this, [this] {
        const MigrationStatus *m = partlyApplied();
        if (m && m_confirm(tr("Run %1 again from its first statement?\n\n%2 of %3 statements ran before and were not undone: "
                              "they run again. Make sure they can (IF NOT EXISTS, …) or undo them first.")
                               .arg(m->name).arg(m->statementsDone).arg(m->statementsTotal)))
            startApply(true);
    });
    m_showFailing = new QAction(tr("Show the statement"), this);
    connect(m_showFailing, &QAction::triggered, this, [this] {
        if (m_failure)
            selectVersion(m_failure->version);
        else if (const MigrationStatus *m = partlyApplied())
            selectVersion(m->version);
    });
    m_resume = new QAction(tr("Resume…"), this);
    m_markApplied = new QAction(tr("Mark applied…"), this);
    m_markNotApplied = new QAction(tr("Mark not applied…"), this);
    for (QAction *action : {m_resume, m_markApplied, m_markNotApplied})
        action->setVisible(false);
    m_confirm = [this](const QString &question) {
        return QMessageBox::question(this, tr("Recover a migration"), question, QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel)
            == QMessageBox::Yes;
    };

    m_watcher = new QFileSystemWatcher(this);
    m_filesChanged = new QTimer(this);
    m_filesChanged->setSingleShot(true);
    m_filesChanged->setInterval(300); // an editor's save is several events
    connect(m_watcher, &QFileSystemWatcher::directoryChanged, m_filesChanged, qOverload<>(&QTimer::start));
    connect(m_watcher, &QFileSystemWatcher::fileChanged, m_filesChanged, qOverload<>(&QTimer::start));
    connect(m_filesChanged, &QTimer::timeout, this, &MigrationsPanel::reload);
    connect(ui->migrationsTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &MigrationsPanel::showSelectedSql);
    setSession(nullptr);
}

MigrationsPanel::~MigrationsPanel() = default;

MessageArea *MigrationsPanel::messageArea() const
{
    return ui->messages;
}

QString MigrationsPanel::headerText() const
{
    return ui->versionLabel->text();
}

void MigrationsPanel::setSession(DbSession *session)
{
    if (m_session)
        disconnect(m_session, nullptr, this, nullptr);
    m_session = session;
    m_view.reset();
    m_failure.reset();
    m_cancelled = false;
    m_applied.clear();
    m_applying = false;
    m_migrations->clear();
    m_journal->clear();
    ui->sqlView->clear();
    ui->progressBar->setVisible(false);
    ui->cancelButton->setEnabled(false);
    m_apply->setEnabled(false);
    if (!m_watcher->files().isEmpty())
        m_watcher->removePaths(m_watcher->files());
    if (!m_watcher->directories().isEmpty())
        m_watcher->removePaths(m_watcher->directories());
    ui->versionLabel->setText(session ? tr("Loading…") : tr("No database is open"));
    ui->messages->clearMessage();
    if (!session)
        return;
    ui->sqlView->setBackend(session->config().backend());
    connect(session, &DbSession::migrationsLoaded, this, &MigrationsPanel::showView);
    connect(session, &DbSession::migrationProgress, this, &MigrationsPanel::showProgress);
    connect(session, &DbSession::migrationsApplied, this, &MigrationsPanel::showApplied);
    connect(session, &DbSession::failed, this, &MigrationsPanel::showFailure);
    connect(session, &DbSession::dataChanged, this, &MigrationsPanel::reload);
}

void MigrationsPanel::reload()
{
    if (m_session)
        m_session->loadMigrations();
}

void MigrationsPanel::startApply(bool retryPartial)
{
    if (!m_session || m_applying)
        return;
    m_applying = true;
    m_failure.reset();
    m_cancelled = false;
    m_applied.clear();
    m_apply->setEnabled(false);
    ui->cancelButton->setEnabled(true);
    ui->progressBar->setValue(0);
    ui->progressBar->setVisible(true);
    m_progressText = tr("Applying…");
    updateMessage();
    m_session->applyPending(retryPartial);
}

void MigrationsPanel::showView(const MigrationView &view)
{
    m_view = view;
    const StatusReport &st = view.status;
    QMap<QString, int> byState;
    for (const MigrationStatus &m : st.migrations)
        ++byState[stateName(m.state)];
    QStringList parts{tr("Current %1").arg(v(st.current)), tr("head %1").arg(st.head ? v(st.head) : tr("none"))};
    for (const QString &state : notAppliedStates()) {
        if (byState.value(state) > 0)
            parts << tr("%1 %2").arg(byState.value(state)).arg(state);
    }
    if (parts.size() == 2 && !st.migrations.isEmpty())
        parts << tr("up to date");
    if (!st.databaseExists)
        parts << tr("new database (not created yet)");
    ui->versionLabel->setText(parts.join(QStringLiteral("  ·  ")));

    QList<TableRow> rows;
    for (const MigrationStatus &m : st.migrations) {
        const QString name = stateName(m.state);
        TableCell state(m.statementsTotal > 0 && m.state != MigrationState::Applied && m.state != MigrationState::Pending
                            ? QStringLiteral("%1 (%2/%3)").arg(name).arg(m.statementsDone).arg(m.statementsTotal)
                            : name);
        state.state = name;
        TableCell duration(m.appliedAt.isEmpty() ? QString() : tr("%1 ms").arg(m.executionMs));
        duration.sortValue = m.executionMs;
        duration.alignRight = true;
        rows << TableRow{v(m.version), {TableCell(v(m.version)), TableCell(m.name), state, TableCell(m.appliedAt.left(19)), duration}};
    }
    m_migrations->setRows(rows);

    QList<TableRow> journal;
    for (const JournalEntry &e : view.journal) {
        TableCell started(e.startedAt.left(19));
        started.sortValue = e.id; // the order they happened in, even within one second
        TableCell outcome(e.outcome);
        outcome.state = e.outcome == QLatin1String("succeeded") ? QStringLiteral("applied") : e.outcome;
        journal << TableRow{QString::number(e.id),
                            {started, TableCell(e.operation + (e.forced ? tr(" (forced)") : QString())), TableCell(failedMigrationOf(e)),
                             TableCell(e.fromVersion ? v(*e.fromVersion) : QString()), TableCell(e.toVersion ? v(*e.toVersion) : QString()),
                             outcome, TableCell(e.runBy), TableCell(e.error.isEmpty() ? e.detail : e.error)}};
    }
    m_journal->setRows(journal);

    if (!ui->migrationsTable->selectionModel()->currentIndex().isValid() && !st.migrations.isEmpty()) {
        // Show what matters first: a migration left part-way, else the first pending, else the newest.
        qint64 version = st.migrations.last().version;
        if (const MigrationStatus *m = partlyApplied())
            version = m->version;
        else
            for (const MigrationStatus &m : st.migrations) {
                if (m.state == MigrationState::Pending) {
                    version = m.version;
                    break;
                }
            }
        selectVersion(version);
    } else {
        showSelectedSql();
    }
    if (!m_applying) {
        m_apply->setEnabled(view.applyBlockedReason.isEmpty());
        m_apply->setToolTip(view.applyBlockedReason.isEmpty() ? tr("Apply %n pending migration(s) (Ctrl+U)", nullptr, byState.value(QStringLiteral("pending")))
                                                              : tr("Disabled: %1").arg(view.applyBlockedReason));
    }
    watchFiles(view);
    updateMessage();
}

const MigrationStatus *MigrationsPanel::partlyApplied() const
{
    if (!m_view)
        return nullptr;
    for (const MigrationStatus &m : m_view->status.migrations) {
        const QString name = stateName(m.state);
        if (name == QLatin1String("failed-partial") || name == QLatin1String("interrupted"))
            return &m;
    }
    return nullptr;
}

void MigrationsPanel::updateMessage()
{
    using Kind = MessageArea::Kind;
    MessageArea *area = ui->messages;
    if (m_applying) {
        area->showMessage(Kind::Information, m_progressText, {m_cancel});
        return;
    }
    if (m_failure) {
        area->showMessage(Kind::Error, m_failure->message, m_failure->version ? QList<QAction *>{m_showFailing, m_retry} : QList<QAction *>{m_retry});
        return;
    }
    if (m_cancelled) {
        area->showMessage(Kind::Information, tr("Cancelled after %n migration(s); the rest is still pending.", nullptr, int(m_applied.size())), {m_apply});
        return;
    }
    if (!m_view)
        return area->clearMessage();
    const StatusReport &st = m_view->status;
    if (const MigrationStatus *m = partlyApplied()) {
        const bool interrupted = stateName(m->state) == QLatin1String("interrupted");
        area->showMessage(Kind::Error,
                          tr("%1 %2 part-way: %3 of %4 statements ran and were not undone (it runs without a transaction). "
                             "Nothing after it is applied until it is recovered: run it again from its first statement, or "
                             "finish or undo it by hand and record what you did.")
                              .arg(m->name, interrupted ? tr("was interrupted") : tr("failed"))
                              .arg(m->statementsDone).arg(m->statementsTotal),
                          {m_showFailing, m_retryPartial, m_resume, m_markApplied, m_markNotApplied});
        return;
    }
    if (!st.problems.isEmpty()) {
        area->showMessage(Kind::Warning, tr("Apply pending is disabled because the check fails:\n%1").arg(st.problems.join(QLatin1Char('\n'))));
        return;
    }
    if (st.lock) {
        area->showMessage(Kind::Warning, tr("Another runner is migrating this database now: %1").arg(st.lock->toString()));
        return;
    }
    const int pending = st.count(MigrationState::Pending);
    if (pending > 0) {
        area->showMessage(Kind::Information,
                          tr("%n migration(s) pending. Apply pending runs them in order, each in its own transaction.", nullptr, pending)
                              + (st.databaseExists ? QString() : tr(" The database file is created then.")),
                          {m_apply});
        return;
    }
    if (!m_applied.isEmpty()) {
        area->showMessage(Kind::Positive, tr("Applied %n migration(s): %1.", nullptr, int(m_applied.size())).arg(m_applied.join(QStringLiteral(", "))));
        return;
    }
    area->clearMessage();
}

void MigrationsPanel::selectVersion(qint64 version)
{
    const int row = m_migrations->rowOfKey(v(version));
    if (row < 0)
        return;
    const QModelIndex index = m_sortedMigrations->mapFromSource(m_migrations->index(row, 0));
    ui->migrationsTable->selectRow(index.row());
    ui->migrationsTable->scrollTo(index);
    showSelectedSql();
}

void MigrationsPanel::showSelectedSql()
{
    const QModelIndex current = ui->migrationsTable->selectionModel()->currentIndex();
    if (!current.isValid() || !m_view) {
        ui->sqlView->clear();
        return;
    }
    const QString key = current.data(CellTableModel::KeyRole).toString();
    for (const MigrationStatus &m : m_view->status.migrations) {
        if (v(m.version) != key)
            continue;
        int statement = 0;
        if (m_failure && m_failure->version == m.version)
            statement = m_failure->statement;
        else if (m.statementsTotal > 0 && m.state != MigrationState::Applied && m.state != MigrationState::Pending)
            statement = m.statementsDone + 1;
        ui->sqlView->showFile(m.path, tr("-- %1: the file is missing (applied %2 by %3)").arg(m.name, m.appliedAt, m.appliedBy), statement);
        return;
    }
}

void MigrationsPanel::watchFiles(const MigrationView &view)
{
    QStringList paths{view.migrationsDir};
    for (const MigrationStatus &m : view.status.migrations) {
        if (!m.path.isEmpty())
            paths << m.path;
    }
    // Editors often replace a file on save, which drops it from the watch: watch again each time.
    QStringList watched = m_watcher->files() + m_watcher->directories();
    QStringList missing;
    for (const QString &path : std::as_const(paths)) {
        if (!watched.contains(path) && QFileInfo::exists(path))
            missing << path;
    }
    if (!missing.isEmpty())
        m_watcher->addPaths(missing);
}

void MigrationsPanel::showProgress(int index, int total, const QString &name, bool finished)
{
    ui->progressBar->setMaximum(total);
    ui->progressBar->setValue(finished ? index : index - 1);
    m_progressText = finished ? tr("%1 applied (%2 of %3)").arg(name).arg(index).arg(total) : tr("Applying %1 (%2 of %3)…").arg(name).arg(index).arg(total);
    updateMessage();
}

void MigrationsPanel::showApplied(const ApplyOutcome &outcome)
{
    m_applying = false;
    ui->cancelButton->setEnabled(false);
    ui->progressBar->setVisible(false);
    m_failure = outcome.failure;
    m_applied = outcome.done;
    m_cancelled = outcome.cancelled;
    updateMessage();
    if (m_failure && m_failure->version)
        selectVersion(m_failure->version);
    reload(); // where it stands now, after success or failure
}

void MigrationsPanel::showFailure(const QString &operation, const QString &message)
{
    if (operation != QLatin1String("migrations"))
        return;
    ui->versionLabel->setText(tr("Cannot read the migration status"));
    ui->messages->showMessage(MessageArea::Kind::Error, tr("%1\n\nReload (F5) to try again.").arg(message));
}

} // namespace dbdeck::gui

#include "migrationspanel.h"

#include "celltablemodel.h"
#include "datatableview.h"
#include "dbsession.h"
#include "messagearea.h"
#include "migrate/migrationplanner.h"
#include "migrationfindings.h"
#include "migrationjobs.h"
#include "migrationrows.h"
#include "adoptcontroller.h"
#include "recoverycontroller.h"
#include "ui_migrationspanel.h"

#include <QAction>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QMessageBox>
#include <QSortFilterProxyModel>
#include <QTimer>

namespace dbdeck::gui {

namespace {

QString v(qint64 version)
{
    return MigrationFile::formatVersion(version);
}

} // namespace

MigrationsPanel::MigrationsPanel(QWidget *parent) : SessionPanel(parent), ui(std::make_unique<Ui::MigrationsPanel>())
{
    ui->setupUi(this);
    QFont header = ui->versionLabel->font();
    header.setBold(true);
    header.setPointSizeF(header.pointSizeF() * 1.15);
    ui->versionLabel->setFont(header);
    m_migrations = new CellTableModel(MigrationRows::migrationsHeader(), this);
    m_journal = new CellTableModel(MigrationRows::journalHeader(), this);
    m_sortedMigrations = ui->migrationsTable->setSortableModel(m_migrations, CellTableModel::SortRole, 0);
    m_sortedJournal = ui->journalTable->setSortableModel(m_journal, CellTableModel::SortRole, 0, Qt::DescendingOrder);
    ui->migrationsTable->setColumnWidthsInCharacters({5, 16, 10, 11, 15}); // Duration in view at 1200 px
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
    const auto applyAsked = [this] {
        // As `upgrade --preflight` exits 7 on violating rows: applying then asks first.
        const QString question = findingsCurrent() ? MigrationFindingsText::violationQuestion(*m_findings.findings()) : QString();
        if (!question.isEmpty()
            && QMessageBox::warning(this, tr("Apply pending migrations"), question, QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel)
                != QMessageBox::Yes)
            return;
        startApply(false);
    };
    connect(m_apply, &QAction::triggered, this, applyAsked);
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
    connect(m_retry, &QAction::triggered, this, applyAsked);
    m_showFailing = new QAction(tr("Show the statement"), this);
    connect(m_showFailing, &QAction::triggered, this, [this] {
        if (m_failure)
            selectVersion(m_failure->version);
        else if (const MigrationStatus *m = partlyApplied())
            selectVersion(m->version);
    });
    m_recovery = new RecoveryController(this);
    connect(m_recovery, &RecoveryController::retryPartialConfirmed, this, [this] { startApply(true); });
    connect(m_recovery, &RecoveryController::changed, this, [this] {
        if (m_recovery->isBusy()) {
            m_failure.reset();
            m_applied.clear();
            m_cancelled = false;
        }
        updateApply();
        updateMessage();
    });
    connect(m_recovery, &RecoveryController::recovered, this, &MigrationsPanel::reload);
    m_adopt = new AdoptController(this);
    connect(m_adopt, &AdoptController::changed, this, [this] {
        updateApply();
        updateMessage();
    });
    connect(m_adopt, &AdoptController::adopted, this, &MigrationsPanel::reload);

    m_watcher = new QFileSystemWatcher(this);
    m_filesChanged = new QTimer(this);
    m_filesChanged->setSingleShot(true);
    m_filesChanged->setInterval(300); // an editor's save is several events
    connect(m_watcher, &QFileSystemWatcher::directoryChanged, m_filesChanged, qOverload<>(&QTimer::start));
    connect(m_watcher, &QFileSystemWatcher::fileChanged, m_filesChanged, qOverload<>(&QTimer::start));
    connect(m_filesChanged, &QTimer::timeout, this, &MigrationsPanel::reload);
    connect(ui->migrationsTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] {
        showSelectedSql();
        if (m_view && !m_applying && !m_recovery->isBusy())
            updateMessage(); // the recovery offered is the selected migration's
    });
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

void MigrationsPanel::setConfirmation(std::function<bool(const QString &)> confirm)
{
    m_recovery->setConfirmation(confirm);
    m_adopt->setConfirmation(std::move(confirm));
}

void MigrationsPanel::setSession(DbSession *session)
{
    if (m_session)
        disconnect(m_session, nullptr, this, nullptr);
    m_session = session;
    m_recovery->setJobs(nullptr, SqlSplitter::Dialect::Sqlite);
    m_adopt->setJobs(nullptr);
    delete m_jobs;
    m_jobs = nullptr;
    m_view.reset();
    m_failure.reset();
    m_findings.reset();
    m_cancelled = false;
    m_applied.clear();
    m_applying = false;
    m_migrations->clear();
    m_journal->clear();
    ui->sqlView->clear();
    ui->findingsLabel->setVisible(false);
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
    m_jobs = new MigrationJobs(session->config(), this);
    m_recovery->setJobs(m_jobs, MigrationPlanner::dialectFor(session->config().backend()));
    m_adopt->setJobs(m_jobs);
    connect(m_jobs, &MigrationJobs::writeRequested, session, &DbSession::writeRequested);
    connect(m_jobs, &MigrationJobs::pendingChecked, this, [this](const PendingFindings &findings) {
        if (m_findings.accept(findings, m_jobs))
            showFindings();
    });
    connect(m_jobs, &MigrationJobs::failed, this, [this](const QString &operation, const QString &message) {
        if (operation == QLatin1String("findings")) {
            m_findings.failed(message);
            showFindings();
        }
    });
    ui->sqlView->setBackend(session->config().backend());
    connect(session, &DbSession::migrationsLoaded, this, &MigrationsPanel::showView);
    connect(session, &DbSession::migrationProgress, this, &MigrationsPanel::showProgress);
    connect(session, &DbSession::migrationsApplied, this, &MigrationsPanel::showApplied);
    connect(session, &DbSession::failed, this, &MigrationsPanel::showFailure);
    connect(session, &DbSession::dataChanged, this, [this] {
        m_findings.dataChanged(); // the preflight counts rows: count them again
        reload();
    });
}

void MigrationsPanel::reload()
{
    if (m_session)
        m_session->loadMigrations();
}

void MigrationsPanel::startApply(bool retryPartial)
{
    if (!m_session || m_applying || m_recovery->isBusy())
        return;
    m_applying = true;
    m_failure.reset();
    m_recovery->forget();
    m_adopt->forget();
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
    m_recovery->setWriteRefusal(view.writeRefusal);
    m_adopt->setWriteRefusal(view.writeRefusal);
    const StatusReport &st = view.status;
    ui->versionLabel->setText(MigrationRows::header(st));

    m_findings.request(st, m_jobs);
    m_migrations->setRows(MigrationRows::migrations(st, m_findings.findings()));
    m_journal->setRows(MigrationRows::journal(view.journal));

    if (!ui->migrationsTable->selectionModel()->currentIndex().isValid() && !st.migrations.isEmpty()) {
        selectVersion(MigrationRows::firstToShow(st));
    } else {
        showSelectedSql();
    }
    updateApply();
    watchFiles(view);
    updateMessage();
}

bool MigrationsPanel::findingsCurrent() const
{
    return m_view && m_findings.isCurrent(m_view->status);
}

void MigrationsPanel::showFindings()
{
    if (!m_view)
        return;
    m_migrations->setRows(MigrationRows::migrations(m_view->status, m_findings.findings()));
    showSelectedSql();
    updateApply();
    updateMessage();
}

void MigrationsPanel::updateApply()
{
    if (!m_view || m_applying)
        return;
    QString reason = m_view->applyBlockedReason;
    if (reason.isEmpty() && (m_recovery->isBusy() || m_adopt->isBusy()))
        reason = m_adopt->isBusy() ? tr("the database is being adopted") : tr("a recovery is running");
    else if (reason.isEmpty())
        reason = MigrationFindingsText::applyBlock(findingsCurrent() ? &*m_findings.findings() : nullptr);
    m_apply->setEnabled(reason.isEmpty());
    m_apply->setToolTip(reason.isEmpty()
                            ? tr("Apply %n pending migration(s) (Ctrl+U)", nullptr, m_view->status.count(MigrationState::Pending))
                            : tr("Disabled: %1").arg(reason));
}

const MigrationStatus *MigrationsPanel::partlyApplied() const
{
    return m_view ? MigrationRows::leftPartWay(m_view->status, ui->migrationsTable->selectionModel()->currentIndex().data(CellTableModel::KeyRole).toString())
                  : nullptr;
}

void MigrationsPanel::updateMessage()
{
    using Kind = MessageArea::Kind;
    MessageArea *area = ui->messages;
    if (m_applying)
        return area->showMessage(Kind::Information, m_progressText, {m_cancel});
    if (m_recovery->isBusy())
        return area->showMessage(Kind::Information, m_recovery->busyText(), {m_recovery->cancelAction()});
    if (m_adopt->isBusy())
        return area->showMessage(Kind::Information, m_adopt->busyText());
    if (const std::optional<AdoptOutcome> &adopted = m_adopt->outcome(); adopted && !adopted->ok)
        return area->showMessage(Kind::Error, adopted->message, adopted->drift ? QList<QAction *>{m_adopt->anywayAction()} : QList<QAction *>{});
    if (m_failure) {
        area->showMessage(Kind::Error, m_failure->message, m_failure->version ? QList<QAction *>{m_showFailing, m_retry} : QList<QAction *>{m_retry});
        return;
    }
    const std::optional<RecoveryOutcome> &recovered = m_recovery->outcome();
    if (recovered && !recovered->ok)
        return area->showMessage(recovered->cancelled ? Kind::Warning : Kind::Error, recovered->message);
    if (m_cancelled) {
        area->showMessage(Kind::Information, tr("Cancelled after %n migration(s); the rest is still pending.", nullptr, int(m_applied.size())), {m_apply});
        return;
    }
    if (!m_view)
        return area->clearMessage();
    const StatusReport &st = m_view->status;
    const MigrationStatus *partly = partlyApplied();
    m_recovery->setTarget(partly ? std::optional<MigrationStatus>(*partly) : std::nullopt);
    if (partly)
        return area->showMessage(Kind::Error, m_recovery->message(*partly), QList<QAction *>{m_showFailing} + m_recovery->actions(*partly));
    if (st.ownership.unmanaged())
        return area->showMessage(Kind::Warning, m_adopt->message(st), m_adopt->actions(st));
    if (!st.problems.isEmpty()) {
        area->showMessage(Kind::Warning, tr("Apply pending is disabled because the check fails:\n%1").arg(st.problems.join(QLatin1Char('\n'))));
        return;
    }
    if (st.lock) {
        area->showMessage(Kind::Warning, tr("Another runner is migrating this database now: %1").arg(st.lock->toString()));
        return;
    }
    const std::optional<AdoptOutcome> &adopted = m_adopt->outcome();
    const QString done = recovered ? recovered->message + QLatin1Char(' ')
                         : adopted  ? adopted->message + QLatin1Char(' ')
                                    : QString();
    const int pending = st.count(MigrationState::Pending);
    if (pending > 0) {
        const PendingFindings *findings = findingsCurrent() ? &*m_findings.findings() : nullptr;
        if (findings && findings->lintErrors() > 0)
            return area->showMessage(Kind::Warning, done + MigrationFindingsText::lintBlock(*findings, st));
        QString text = done + tr("%n migration(s) pending. Apply pending runs them in order, each in its own transaction.", nullptr, pending)
            + (st.databaseExists ? QString() : tr(" The database file is created then."));
        const Kind kind = findings && findings->violations() ? Kind::Warning : (recovered || adopted) ? Kind::Positive : Kind::Information;
        return area->showMessage(kind, text + MigrationFindingsText::applyNote(findings), {m_apply});
    }
    if (recovered || adopted)
        return area->showMessage(Kind::Positive, done.trimmed());
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
    ui->findingsLabel->setVisible(false);
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
        if (m.state == MigrationState::Pending) { // what lint and the preflight say about it, before Apply
            ui->findingsLabel->setText(MigrationFindingsText::forPending(findingsCurrent() ? m_findings.findings() : std::optional<PendingFindings>(), m));
            ui->findingsLabel->setVisible(true);
        }
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

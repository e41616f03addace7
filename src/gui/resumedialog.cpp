#include "resumedialog.h"

#include "migrate/migrationfile.h"

#include <QDialogButtonBox>
#include <QFile>
#include <QFormLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>

namespace dbdeck::gui {

namespace {

// The attempt's section of the file (the down section for an interrupted downgrade), split as
// the core splits it; empty when the file cannot be read.
QList<SqlStatement> statementsOf(const MigrationStatus &m, SqlSplitter::Dialect dialect)
{
    QFile file(m.path);
    if (m.path.isEmpty() || !file.open(QIODevice::ReadOnly))
        return {};
    QList<MigrationProblem> problems;
    const std::optional<MigrationFile> parsed = MigrationFile::parse(m.path, QString::fromUtf8(file.readAll()), &problems);
    if (!parsed)
        return {};
    const QString sql = m.attemptDown ? parsed->downSql().value_or(QString()) : parsed->upSql();
    return SqlSplitter::split(sql, dialect);
}

} // namespace

ResumeDialog::ResumeDialog(const MigrationStatus &m, SqlSplitter::Dialect dialect, QWidget *parent) : QDialog(parent)
{
    setObjectName(QStringLiteral("resumeDialog"));
    setWindowTitle(tr("Resume %1").arg(m.name));
    auto *layout = new QVBoxLayout(this);
    const int stoppedAt = m.statementsDone + 1;
    auto *intro = new QLabel(m.state == MigrationState::FailedPartial
                                 ? tr("%1 failed at statement %2 of %3; statements 1 to %4 ran and were not undone. "
                                      "Resume runs the statements from the one you choose to the last, then records it as applied.")
                                       .arg(m.name).arg(stoppedAt).arg(m.statementsTotal).arg(m.statementsDone)
                                 : tr("%1. Resume runs the statements from the one you choose to the last, then records it as %2.")
                                       .arg(m.interruptionText().chopped(m.recoveryHint().size() + 2),
                                            m.attemptDown ? tr("reverted") : tr("applied")),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    m_statements = new QListWidget(this);
    m_statements->setObjectName(QStringLiteral("statementsList"));
    const QList<SqlStatement> statements = statementsOf(m, dialect);
    for (int i = 0; i < statements.size(); ++i) {
        const int n = i + 1;
        QString state = n <= m.statementsDone ? tr("ran")
            : n == stoppedAt ? (m.state == MigrationState::FailedPartial ? tr("failed here")
                                : m.cancelled                            ? tr("stopped before it, did not run")
                                                                         : tr("interrupted here, may or may not have run"))
                              : tr("not run");
        const QString first = statements[i].sql.section(QLatin1Char('\n'), 0, 0).left(80);
        m_statements->addItem(tr("%1. [%2] line %3: %4").arg(n).arg(state).arg(statements[i].line).arg(first));
    }
    layout->addWidget(m_statements, 1);
    auto *form = new QFormLayout;
    m_from = new QSpinBox(this);
    m_from->setObjectName(QStringLiteral("fromStatement"));
    m_from->setRange(1, std::max(1, m.statementsTotal));
    m_from->setValue(std::clamp(stoppedAt, 1, std::max(1, m.statementsTotal)));
    form->addRow(tr("Start from &statement:"), m_from);
    layout->addLayout(form);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    QPushButton *resume = buttons->addButton(tr("&Resume"), QDialogButtonBox::AcceptRole);
    resume->setObjectName(QStringLiteral("resumeButton"));
    buttons->button(QDialogButtonBox::Cancel)->setDefault(true);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    resize(640, 360);
}

int ResumeDialog::fromStatement() const
{
    return m_from->value();
}

QStringList ResumeDialog::statementLines() const
{
    QStringList lines;
    for (int i = 0; i < m_statements->count(); ++i)
        lines << m_statements->item(i)->text();
    return lines;
}

} // namespace dbdeck::gui

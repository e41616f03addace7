#include "migrationsqlview.h"

#include "migrate/migrationfile.h"
#include "migrate/migrationplanner.h"
#include "migrate/sqlsplitter.h"
#include "readablecolour.h"
#include "stateicons.h"

#include <QFile>
#include <QFontDatabase>
#include <QTextBlock>

namespace dbdeck::gui {

MigrationSqlView::MigrationSqlView(QWidget *parent) : QPlainTextEdit(parent)
{
    setReadOnly(true);
    setLineWrapMode(QPlainTextEdit::NoWrap);
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    setPlaceholderText(tr("Select a migration to see its SQL"));
    setMinimumSize(120, 60);
}

void MigrationSqlView::showFile(const QString &path, const QString &missingText, int statement)
{
    m_highlighted = {0, 0};
    setExtraSelections({});
    QFile file(path);
    if (path.isEmpty() || !file.open(QIODevice::ReadOnly)) {
        setPlainText(missingText);
        return;
    }
    const QString text = QString::fromUtf8(file.readAll());
    setPlainText(text);
    if (statement <= 0)
        return;
    QList<MigrationProblem> problems;
    const std::optional<MigrationFile> parsed = MigrationFile::parse(path, text, &problems);
    if (!parsed)
        return;
    // Section texts are padded so that statement lines are file lines.
    const QList<SqlStatement> statements = SqlSplitter::split(parsed->upSql(), MigrationPlanner::dialectFor(m_backend));
    if (statement > statements.size())
        return;
    const SqlStatement &s = statements.at(statement - 1);
    highlight(s.line, s.line + int(s.sql.count(QLatin1Char('\n'))));
}

void MigrationSqlView::highlight(int firstLine, int lastLine)
{
    const QColor base = palette().color(QPalette::Base);
    const QColor background = ReadableColour::mix(StateIcons::colour(QStringLiteral("failed"), palette()), base, 0.25);
    QList<QTextEdit::ExtraSelection> selections;
    for (int line = firstLine; line <= lastLine; ++line) {
        const QTextBlock block = document()->findBlockByNumber(line - 1);
        if (!block.isValid())
            break;
        QTextEdit::ExtraSelection selection;
        selection.cursor = QTextCursor(block);
        selection.format.setBackground(background);
        selection.format.setProperty(QTextFormat::FullWidthSelection, true);
        selections << selection;
    }
    setExtraSelections(selections);
    m_highlighted = {firstLine, lastLine};
    if (!selections.isEmpty()) {
        setTextCursor(selections.first().cursor);
        centerCursor();
    }
}

} // namespace dbdeck::gui

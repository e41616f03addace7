#pragma once

#include "config/dburl.h"

#include <QPlainTextEdit>

namespace dbdeck::gui {

// The selected migration's file, read-only, with one statement of its up section highlighted
// (the one that failed) and scrolled into view.
class MigrationSqlView : public QPlainTextEdit
{
    Q_OBJECT

public:
    explicit MigrationSqlView(QWidget *parent = nullptr);

    void setBackend(Backend backend) { m_backend = backend; }
    // statement: 1-based index in the up section to highlight, 0 for none.
    void showFile(const QString &path, const QString &missingText, int statement = 0);
    // The highlighted statement's lines (1-based, inclusive), {0, 0} when none.
    QPair<int, int> highlightedLines() const { return m_highlighted; }

private:
    void highlight(int firstLine, int lastLine);

    Backend m_backend = Backend::Sqlite;
    QPair<int, int> m_highlighted{0, 0};
};

} // namespace dbdeck::gui

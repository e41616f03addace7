#pragma once

#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

namespace dbdeck::cli {

// Plain aligned columns for terminals: a header row and data rows, two spaces between columns.
// Columns marked numeric are right-aligned. Given a width, the widest columns are cut, ending
// in "…", until every line fits; 0 means no limit.
class TextTable
{
public:
    explicit TextTable(QStringList header) : m_header(std::move(header)) {}
    void addRow(QStringList row) { m_rows.append(std::move(row)); }
    void alignRight(int column) { m_right.insert(column); }
    QString render() const; // fitted to Terminal::width()
    QString render(int maxWidth) const;

private:
    QList<qsizetype> columnWidths(int maxWidth) const;

    QStringList m_header;
    QList<QStringList> m_rows;
    QSet<int> m_right;
};

} // namespace dbdeck::cli

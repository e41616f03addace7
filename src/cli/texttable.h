#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace dbdeck::cli {

// Plain aligned columns for terminals: a header row and data rows, two spaces between columns.
class TextTable
{
public:
    explicit TextTable(QStringList header) : m_header(std::move(header)) {}
    void addRow(QStringList row) { m_rows.append(std::move(row)); }
    QString render() const;

private:
    QStringList m_header;
    QList<QStringList> m_rows;
};

} // namespace dbdeck::cli

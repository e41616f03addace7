#include "texttable.h"

namespace dbdeck::cli {

QString TextTable::render() const
{
    QList<qsizetype> widths(m_header.size(), 0);
    const auto measure = [&](const QStringList &row) {
        for (qsizetype i = 0; i < row.size() && i < widths.size(); ++i)
            widths[i] = std::max(widths[i], row.at(i).size());
    };
    measure(m_header);
    for (const auto &row : m_rows)
        measure(row);
    QString out;
    const auto write = [&](const QStringList &row) {
        QString line;
        for (qsizetype i = 0; i < row.size(); ++i) {
            const bool last = i + 1 == row.size();
            line += last ? row.at(i) : row.at(i).leftJustified(widths.at(i)) + QStringLiteral("  ");
        }
        while (line.endsWith(QLatin1Char(' ')))
            line.chop(1);
        out += line + QLatin1Char('\n');
    };
    write(m_header);
    for (const auto &row : m_rows)
        write(row);
    return out;
}

} // namespace dbdeck::cli

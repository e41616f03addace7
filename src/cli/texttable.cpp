#include "texttable.h"

#include "terminal.h"

namespace dbdeck::cli {

namespace {

constexpr qsizetype kGap = 2;
constexpr qsizetype kNarrowest = 6; // a column is never cut below this (nor below its header)

QString fitted(const QString &text, qsizetype width)
{
    if (text.size() <= width)
        return text;
    return text.left(std::max<qsizetype>(0, width - 1)) + QStringLiteral("…");
}

} // namespace

QList<qsizetype> TextTable::columnWidths(int maxWidth) const
{
    QList<qsizetype> widths(m_header.size(), 0);
    const auto measure = [&](const QStringList &row) {
        for (qsizetype i = 0; i < row.size() && i < widths.size(); ++i)
            widths[i] = std::max(widths[i], row.at(i).size());
    };
    measure(m_header);
    for (const auto &row : m_rows)
        measure(row);
    if (maxWidth <= 0 || widths.isEmpty())
        return widths;
    const auto total = [&] {
        qsizetype sum = kGap * (widths.size() - 1);
        for (qsizetype w : widths)
            sum += w;
        return sum;
    };
    const auto floorOf = [&](qsizetype i) { return std::max(kNarrowest, m_header.at(i).size()); };
    // The last column (a message, an error) gives way first, then the widest by one character
    // at a time: short identifiers and numbers stay whole as long as possible.
    const qsizetype last = widths.size() - 1;
    while (total() > maxWidth && widths.at(last) > std::max(floorOf(last), qsizetype(20)))
        --widths[last];
    while (total() > maxWidth) {
        qsizetype widest = -1;
        for (qsizetype i = 0; i < widths.size(); ++i) {
            if (widths.at(i) > floorOf(i) && (widest < 0 || widths.at(i) > widths.at(widest)))
                widest = i;
        }
        if (widest < 0)
            break; // as narrow as it gets: let the terminal wrap
        --widths[widest];
    }
    return widths;
}

QString TextTable::render() const
{
    return render(Terminal::width());
}

QString TextTable::render(int maxWidth) const
{
    const QList<qsizetype> widths = columnWidths(maxWidth);
    QString out;
    const auto write = [&](const QStringList &row) {
        QString line;
        for (qsizetype i = 0; i < row.size() && i < widths.size(); ++i) {
            const QString cell = fitted(row.at(i), widths.at(i));
            const bool last = i + 1 == row.size();
            if (m_right.contains(int(i)))
                line += cell.rightJustified(widths.at(i));
            else
                line += last ? cell : cell.leftJustified(widths.at(i));
            if (!last)
                line += QString(kGap, QLatin1Char(' '));
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

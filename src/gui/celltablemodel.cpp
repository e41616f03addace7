#include "celltablemodel.h"

#include "readablecolour.h"
#include "stateicons.h"

#include <QGuiApplication>

namespace dbdeck::gui {

CellTableModel::CellTableModel(QStringList header, QObject *parent) : RowListModel(parent), m_header(std::move(header)) {}

QVariant CellTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size() || index.column() >= m_rows.at(index.row()).cells.size())
        return {};
    const TableRow &row = m_rows.at(index.row());
    const TableCell &cell = row.cells.at(index.column());
    const QPalette palette = QGuiApplication::palette();
    switch (role) {
    case Qt::DisplayRole:
        return cell.text;
    case Qt::ToolTipRole:
        return cell.toolTip.isEmpty() ? cell.text : cell.toolTip;
    case SortRole:
        return cell.sortValue.isValid() ? cell.sortValue : QVariant(cell.text);
    case KeyRole:
        return row.key;
    case BarRole:
        return cell.bar;
    case Qt::TextAlignmentRole:
        return cell.alignRight ? QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
    case Qt::DecorationRole:
        return cell.state.isEmpty() ? QVariant() : QVariant(StateIcons::icon(cell.state));
    case Qt::ForegroundRole:
        if (!cell.state.isEmpty())
            return StateIcons::colour(cell.state, palette);
        if (cell.dim)
            return ReadableColour::on(palette.color(QPalette::Disabled, QPalette::Text), palette.color(QPalette::Base), 3.0);
        return {};
    case Qt::BackgroundRole:
        if (cell.alert)
            return ReadableColour::mix(StateIcons::colour(QStringLiteral("failed"), palette), palette.color(QPalette::Base), 0.25);
        return {};
    default:
        return {};
    }
}

QVariant CellTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && role == Qt::DisplayRole)
        return m_header.value(section);
    return QAbstractTableModel::headerData(section, orientation, role);
}

QString CellTableModel::text(int row, int column) const
{
    if (row < 0 || row >= m_rows.size() || column < 0 || column >= m_rows.at(row).cells.size())
        return {};
    return m_rows.at(row).cells.at(column).text;
}

QStringList CellTableModel::column(int column) const
{
    QStringList values;
    for (int row = 0; row < m_rows.size(); ++row)
        values << text(row, column);
    return values;
}

bool CellTableModel::sameContent(const TableRow &a, const TableRow &b) const
{
    if (a.cells.size() != b.cells.size())
        return false;
    for (int i = 0; i < a.cells.size(); ++i) {
        const TableCell &x = a.cells.at(i);
        const TableCell &y = b.cells.at(i);
        if (x.text != y.text || x.state != y.state || x.toolTip != y.toolTip || x.dim != y.dim || x.alert != y.alert || x.bar != y.bar
            || x.sortValue != y.sortValue)
            return false;
    }
    return true;
}

} // namespace dbdeck::gui

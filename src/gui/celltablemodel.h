#pragma once

#include "rowlistmodel.h"

#include <QStringList>
#include <QVariant>

namespace dbdeck::gui {

// One cell of a small table (settings, PRAGMAs, migrations, journal, counts, indexes).
struct TableCell
{
    QString text;
    QString state;       // a StateIcons state: coloured text and an icon; empty: plain
    QString toolTip;     // empty: the text itself
    QVariant sortValue;  // empty: the text
    bool dim = false;    // greyed (dbdeck's own tables, ignored settings)
    bool alert = false;  // highlighted background (a PRAGMA mismatch, a setting's bad value)
    bool alignRight = false;
    double bar = -1;     // CountBarDelegate's fraction (0..1), -1: none

    TableCell() = default;
    TableCell(QString t) : text(std::move(t)) {} // NOLINT: a plain cell from its text
};

struct TableRow
{
    QString key; // unique within the table: what keeps the selection across updates
    QList<TableCell> cells;
};

// A small table of TableCells with a fixed header. setRows() merges, so a refresh keeps the
// selection. Sort it through a QSortFilterProxyModel on SortRole.
class CellTableModel : public RowListModel<TableRow>
{
    Q_OBJECT

public:
    static constexpr int SortRole = Qt::UserRole;
    static constexpr int KeyRole = Qt::UserRole + 1;
    static constexpr int BarRole = Qt::UserRole + 2;

    explicit CellTableModel(QStringList header, QObject *parent = nullptr);

    int columnCount(const QModelIndex &parent = {}) const override { return parent.isValid() ? 0 : int(m_header.size()); }
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    void setRows(const QList<TableRow> &rows) { merge(rows); }
    QString text(int row, int column) const;
    QStringList column(int column) const;

protected:
    QString keyOf(const TableRow &row) const override { return row.key; }
    bool sameContent(const TableRow &a, const TableRow &b) const override;

private:
    QStringList m_header;
};

} // namespace dbdeck::gui

#pragma once

#include <QStyledItemDelegate>

namespace dbdeck::gui {

// Paints a bar behind a count, as wide as the count is relative to the largest in the column
// (CellTableModel::BarRole holds the fraction, 0..1), so relative table sizes show at a glance.
class CountBarDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace dbdeck::gui

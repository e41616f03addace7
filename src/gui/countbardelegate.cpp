#include "countbardelegate.h"

#include "celltablemodel.h"

#include <QPainter>

namespace dbdeck::gui {

void CountBarDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const double fraction = index.data(CellTableModel::BarRole).toDouble();
    if (fraction > 0) {
        QRectF bar = QRectF(option.rect).adjusted(2, 3, -2, -3);
        bar.setWidth(std::max(2.0, bar.width() * std::min(1.0, fraction)));
        // The theme's highlight, faint: the number on top stays readable in light and dark themes.
        QColor colour = option.palette.color(QPalette::Highlight);
        colour.setAlphaF(0.3f);
        painter->save();
        painter->setPen(Qt::NoPen);
        painter->setBrush(colour);
        painter->drawRoundedRect(bar, 2, 2);
        painter->restore();
    }
    QStyledItemDelegate::paint(painter, option, index);
}

} // namespace dbdeck::gui

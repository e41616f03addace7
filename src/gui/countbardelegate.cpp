#include "countbardelegate.h"

#include <QPainter>

namespace dbdeck::gui {

void CountBarDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const double fraction = index.data(Qt::UserRole).toDouble();
    if (fraction > 0) {
        QRectF bar = QRectF(option.rect).adjusted(2, 3, -2, -3);
        bar.setWidth(std::max(2.0, bar.width() * std::min(1.0, fraction)));
        painter->save();
        painter->setPen(Qt::NoPen);
        painter->setBrush(QColor(0x90, 0xca, 0xf9, 150));
        painter->drawRoundedRect(bar, 2, 2);
        painter->restore();
    }
    QStyledItemDelegate::paint(painter, option, index);
}

} // namespace dbdeck::gui

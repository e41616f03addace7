#pragma once

#include <QTableWidgetItem>

namespace dbdeck::gui {

// A read-only table cell whose tooltip shows the whole text (columns are often too narrow).
inline QTableWidgetItem *tableCell(const QString &text)
{
    auto *item = new QTableWidgetItem(text);
    item->setToolTip(text);
    return item;
}

} // namespace dbdeck::gui

#include "stateicons.h"

#include <QHash>
#include <QPainter>
#include <QPixmap>

namespace dbdeck::gui {

QColor StateIcons::colour(const QString &state)
{
    static const QHash<QString, QColor> colours{
        {QStringLiteral("applied"), QColor(0x2e, 0x7d, 0x32)},   {QStringLiteral("succeeded"), QColor(0x2e, 0x7d, 0x32)},
        {QStringLiteral("pending"), QColor(0x15, 0x65, 0xc0)},   {QStringLiteral("queued"), QColor(0x15, 0x65, 0xc0)},
        {QStringLiteral("running"), QColor(0x00, 0x83, 0x8f)},   {QStringLiteral("info"), QColor(0x45, 0x5a, 0x64)},
        {QStringLiteral("modified"), QColor(0xe6, 0x51, 0x00)},  {QStringLiteral("warning"), QColor(0xe6, 0x51, 0x00)},
        {QStringLiteral("missing"), QColor(0x6a, 0x1b, 0x9a)},   {QStringLiteral("cancelled"), QColor(0x75, 0x75, 0x75)},
        {QStringLiteral("failed-partial"), QColor(0xc6, 0x28, 0x28)}, {QStringLiteral("failed"), QColor(0xc6, 0x28, 0x28)},
        {QStringLiteral("error"), QColor(0xc6, 0x28, 0x28)},     {QStringLiteral("debug"), QColor(0x9e, 0x9e, 0x9e)},
    };
    return colours.value(state, QColor(0x61, 0x61, 0x61));
}

QIcon StateIcons::icon(const QString &state)
{
    static QHash<QString, QIcon> cache;
    if (cache.contains(state))
        return cache.value(state);
    QIcon icon;
    for (int scale : {1, 2}) {
        QPixmap pixmap(16 * scale, 16 * scale);
        pixmap.setDevicePixelRatio(scale);
        pixmap.fill(Qt::transparent);
        QPainter p(&pixmap);
        p.setRenderHint(QPainter::Antialiasing);
        p.setPen(Qt::NoPen);
        p.setBrush(colour(state));
        p.drawEllipse(QRectF(2, 2, 12, 12));
        p.setPen(QPen(Qt::white, 1.6));
        if (state == QLatin1String("applied") || state == QLatin1String("succeeded")) {
            p.drawPolyline(QPolygonF({QPointF(5, 8.2), QPointF(7.2, 10.4), QPointF(11, 5.8)}));
        } else if (state == QLatin1String("pending") || state == QLatin1String("queued") || state == QLatin1String("running")) {
            p.drawLine(QPointF(8, 5), QPointF(8, 8.5));
            p.drawLine(QPointF(8, 8.5), QPointF(10.5, 10));
        } else if (state.startsWith(QLatin1String("failed")) || state == QLatin1String("error")) {
            p.drawLine(QPointF(5.5, 5.5), QPointF(10.5, 10.5));
            p.drawLine(QPointF(10.5, 5.5), QPointF(5.5, 10.5));
        } else {
            p.drawLine(QPointF(8, 4.8), QPointF(8, 8.8));
            p.drawPoint(QPointF(8, 11));
        }
        p.end();
        icon.addPixmap(pixmap);
    }
    cache.insert(state, icon);
    return icon;
}

} // namespace dbdeck::gui

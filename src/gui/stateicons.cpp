#include "stateicons.h"

#include "readablecolour.h"

#include <QGuiApplication>
#include <QHash>
#include <QPainter>
#include <QPixmap>

namespace dbdeck::gui {

namespace {

// The hue of each state; ReadableColour adjusts its lightness to the background.
std::optional<QColor> hueOf(const QString &state)
{
    static const QHash<QString, QColor> colours{
        {QStringLiteral("applied"), QColor(0x2e, 0x7d, 0x32)},   {QStringLiteral("succeeded"), QColor(0x2e, 0x7d, 0x32)},
        {QStringLiteral("pending"), QColor(0x15, 0x65, 0xc0)},   {QStringLiteral("queued"), QColor(0x15, 0x65, 0xc0)},
        {QStringLiteral("running"), QColor(0x00, 0x83, 0x8f)},   {QStringLiteral("info"), QColor(0x54, 0x6e, 0x7a)},
        {QStringLiteral("modified"), QColor(0xe6, 0x51, 0x00)},
        {QStringLiteral("warning"), QColor(0xe6, 0x51, 0x00)},   {QStringLiteral("refused"), QColor(0xe6, 0x51, 0x00)},
        {QStringLiteral("missing"), QColor(0x6a, 0x1b, 0x9a)},   {QStringLiteral("interrupted"), QColor(0xc6, 0x28, 0x28)},
        {QStringLiteral("failed-partial"), QColor(0xc6, 0x28, 0x28)}, {QStringLiteral("failed"), QColor(0xc6, 0x28, 0x28)},
        {QStringLiteral("error"), QColor(0xc6, 0x28, 0x28)},
    };
    const auto it = colours.constFind(state);
    if (it == colours.constEnd())
        return std::nullopt;
    return *it;
}

bool isDark(const QPalette &palette)
{
    return ReadableColour::luminance(palette.color(QPalette::Base)) < 0.18;
}

} // namespace

QColor StateIcons::colour(const QString &state)
{
    return colour(state, QGuiApplication::palette());
}

QColor StateIcons::colour(const QString &state, const QPalette &palette)
{
    const QColor base = palette.color(QPalette::Base);
    // Quiet states read as ordinary or dimmed text, whatever the theme.
    if (state == QLatin1String("debug") || state == QLatin1String("cancelled"))
        return ReadableColour::on(palette.color(QPalette::Disabled, QPalette::Text), base, 3.0);
    const std::optional<QColor> hue = hueOf(state);
    if (!hue)
        return ReadableColour::on(palette.color(QPalette::Text), base);
    return ReadableColour::on(*hue, base);
}

QIcon StateIcons::icon(const QString &state)
{
    // One set of icons per theme brightness: the colours differ between them.
    const QPalette palette = QGuiApplication::palette();
    static QHash<QString, QIcon> cache;
    const QString key = state + (isDark(palette) ? QStringLiteral("/dark") : QStringLiteral("/light"));
    if (cache.contains(key))
        return cache.value(key);
    const QColor fill = colour(state, palette);
    const QColor mark = ReadableColour::luminance(fill) > 0.4 ? QColor(Qt::black) : QColor(Qt::white);
    QIcon icon;
    for (int scale : {1, 2}) {
        QPixmap pixmap(16 * scale, 16 * scale);
        pixmap.setDevicePixelRatio(scale);
        pixmap.fill(Qt::transparent);
        QPainter p(&pixmap);
        p.setRenderHint(QPainter::Antialiasing);
        p.setPen(Qt::NoPen);
        p.setBrush(fill);
        p.drawEllipse(QRectF(2, 2, 12, 12));
        p.setPen(QPen(mark, 1.6));
        if (state == QLatin1String("applied") || state == QLatin1String("succeeded")) {
            p.drawPolyline(QPolygonF({QPointF(5, 8.2), QPointF(7.2, 10.4), QPointF(11, 5.8)}));
        } else if (state == QLatin1String("pending") || state == QLatin1String("queued") || state == QLatin1String("running")) {
            p.drawLine(QPointF(8, 5), QPointF(8, 8.5));
            p.drawLine(QPointF(8, 8.5), QPointF(10.5, 10));
        } else if (state.startsWith(QLatin1String("failed")) || state == QLatin1String("error") || state == QLatin1String("interrupted")) {
            p.drawLine(QPointF(5.5, 5.5), QPointF(10.5, 10.5));
            p.drawLine(QPointF(10.5, 5.5), QPointF(5.5, 10.5));
        } else {
            p.drawLine(QPointF(8, 4.8), QPointF(8, 8.8));
            p.drawPoint(QPointF(8, 11));
        }
        p.end();
        icon.addPixmap(pixmap);
    }
    cache.insert(key, icon);
    return icon;
}

} // namespace dbdeck::gui

#include "readablecolour.h"

#include <cmath>

namespace dbdeck::gui {

double ReadableColour::luminance(const QColor &colour)
{
    const auto channel = [](double c) { return c <= 0.03928 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4); };
    const QColor rgb = colour.toRgb();
    return 0.2126 * channel(rgb.redF()) + 0.7152 * channel(rgb.greenF()) + 0.0722 * channel(rgb.blueF());
}

double ReadableColour::contrast(const QColor &a, const QColor &b)
{
    const double la = luminance(a);
    const double lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

QColor ReadableColour::on(const QColor &wanted, const QColor &background, double minContrast)
{
    if (contrast(wanted, background) >= minContrast)
        return wanted;
    // Keep the hue, move the lightness away from the background's in small steps.
    const bool darkBackground = luminance(background) < 0.18;
    QColor hsl = wanted.toHsl();
    float h = 0, s = 0, l = 0, a = 1;
    hsl.getHslF(&h, &s, &l, &a);
    for (int step = 0; step < 40; ++step) {
        l = darkBackground ? std::min(1.0f, l + 0.025f) : std::max(0.0f, l - 0.025f);
        QColor candidate = QColor::fromHslF(h, s, l, a);
        if (contrast(candidate, background) >= minContrast)
            return candidate.toRgb();
    }
    return darkBackground ? QColor(Qt::white) : QColor(Qt::black);
}

QColor ReadableColour::mix(const QColor &a, const QColor &b, double weight)
{
    const QColor x = a.toRgb();
    const QColor y = b.toRgb();
    const auto blend = [weight](double p, double q) { return p * weight + q * (1.0 - weight); };
    return QColor::fromRgbF(float(blend(x.redF(), y.redF())), float(blend(x.greenF(), y.greenF())), float(blend(x.blueF(), y.blueF())));
}

} // namespace dbdeck::gui

#pragma once

#include <QColor>

namespace dbdeck::gui {

// Colours that stay readable whatever the theme: a state's colour (green for applied, red for
// failed, …) is lightened on a dark background and darkened on a light one until its contrast
// reaches the WCAG AA ratio for text (4.5:1).
class ReadableColour
{
public:
    static constexpr double minimumContrast = 4.5;

    static double luminance(const QColor &colour); // WCAG relative luminance, 0..1
    static double contrast(const QColor &a, const QColor &b); // 1..21
    static QColor on(const QColor &wanted, const QColor &background, double minContrast = minimumContrast);
    // a blended over b: weight 0 gives b, 1 gives a.
    static QColor mix(const QColor &a, const QColor &b, double weight);
};

} // namespace dbdeck::gui

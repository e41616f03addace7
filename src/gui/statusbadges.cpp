#include "statusbadges.h"

#include "stateicons.h"

#include <QLabel>
#include <QPainter>
#include <QStatusBar>

namespace dbdeck::gui {

namespace {

// A label that elides its text to the width it gets, and asks for no more than an ellipsis.
class ElidedLabel : public QLabel
{
public:
    using QLabel::QLabel;

    QSize minimumSizeHint() const override
    {
        return {fontMetrics().horizontalAdvance(QStringLiteral("…")) + contentsMargins().left() + contentsMargins().right(),
                QLabel::minimumSizeHint().height()};
    }

protected:
    void paintEvent(QPaintEvent *) override
    {
        QPainter painter(this);
        const QRect area = contentsRect();
        painter.setPen(palette().color(QPalette::WindowText));
        painter.drawText(area, Qt::AlignLeft | Qt::AlignVCenter, fontMetrics().elidedText(text(), Qt::ElideMiddle, area.width()));
    }
};

} // namespace

StatusBadges::StatusBadges(QStatusBar *bar) : QObject(bar), m_bar(bar) {}

QLabel *StatusBadges::add(const QString &name, int maxCharacters)
{
    auto *label = new ElidedLabel(m_bar);
    label->setObjectName(name);
    label->setContentsMargins(6, 0, 6, 0);
    label->setMaximumWidth(label->fontMetrics().averageCharWidth() * maxCharacters + 12);
    m_bar->addPermanentWidget(label);
    m_badges.insert(name, label);
    return label;
}

void StatusBadges::set(const QString &name, const QString &text, Tone tone, const QString &toolTip)
{
    QLabel *label = m_badges.value(name);
    if (!label)
        return;
    label->setText(text);
    label->setToolTip(toolTip.isEmpty() ? text : toolTip);
    QPalette palette = m_bar->palette();
    if (tone == Tone::Attention)
        palette.setColor(QPalette::WindowText, StateIcons::colour(QStringLiteral("failed"), palette));
    label->setPalette(palette);
    QFont font = m_bar->font();
    font.setBold(tone == Tone::Attention);
    label->setFont(font);
}

QString StatusBadges::text(const QString &name) const
{
    const QLabel *label = m_badges.value(name);
    return label ? label->text() : QString();
}

} // namespace dbdeck::gui

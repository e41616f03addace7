#include "messagearea.h"

#include "readablecolour.h"

#include <QAction>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QStyle>
#include <QToolButton>

namespace dbdeck::gui {

namespace {

QColor baseAccent(MessageArea::Kind kind)
{
    switch (kind) {
    case MessageArea::Kind::Positive:
        return QColor(0x27, 0xae, 0x60);
    case MessageArea::Kind::Information:
        return QColor(0x3d, 0xae, 0xe9);
    case MessageArea::Kind::Warning:
        return QColor(0xf6, 0x74, 0x00);
    case MessageArea::Kind::Error:
        return QColor(0xda, 0x44, 0x53);
    }
    return {};
}

QStyle::StandardPixmap iconFor(MessageArea::Kind kind)
{
    switch (kind) {
    case MessageArea::Kind::Positive:
        return QStyle::SP_DialogApplyButton;
    case MessageArea::Kind::Information:
        return QStyle::SP_MessageBoxInformation;
    case MessageArea::Kind::Warning:
        return QStyle::SP_MessageBoxWarning;
    case MessageArea::Kind::Error:
        return QStyle::SP_MessageBoxCritical;
    }
    return QStyle::SP_MessageBoxInformation;
}

} // namespace

MessageArea::MessageArea(QWidget *parent) : QFrame(parent)
{
    setObjectName(QStringLiteral("messageArea"));
    setFrameShape(QFrame::StyledPanel);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 6, 8, 6);
    m_icon = new QLabel(this);
    m_icon->setAlignment(Qt::AlignTop);
    m_text = new QLabel(this);
    m_text->setObjectName(QStringLiteral("messageText"));
    m_text->setWordWrap(true);
    m_text->setTextFormat(Qt::PlainText);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_text->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred); // wraps instead of widening the window
    m_buttons = new QHBoxLayout;
    m_buttons->setSpacing(4);
    layout->addWidget(m_icon);
    layout->addWidget(m_text, 1);
    layout->addLayout(m_buttons);
    setVisible(false);
}

QColor MessageArea::accent(Kind kind, const QColor &background)
{
    return ReadableColour::on(baseAccent(kind), background, 3.0); // a border and an icon: 3:1 suffices
}

void MessageArea::showMessage(Kind kind, const QString &text, const QList<QAction *> &actions)
{
    m_kind = kind;
    m_text->setText(text);
    for (QToolButton *button : std::as_const(m_buttonWidgets))
        delete button;
    m_buttonWidgets.clear();
    m_actions = actions;
    for (QAction *action : actions) {
        auto *button = new QToolButton(this);
        button->setDefaultAction(action);
        button->setToolButtonStyle(Qt::ToolButtonTextOnly);
        button->setAutoRaise(false);
        m_buttons->addWidget(button);
        m_buttonWidgets << button;
    }
    const int size = style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, this);
    m_icon->setPixmap(style()->standardIcon(iconFor(kind), nullptr, this).pixmap(size, size));
    applyColours();
    setVisible(true);
}

void MessageArea::clearMessage()
{
    m_text->clear();
    for (QToolButton *button : std::as_const(m_buttonWidgets))
        delete button;
    m_buttonWidgets.clear();
    m_actions.clear();
    setVisible(false);
}

QString MessageArea::text() const
{
    return isHidden() ? QString() : m_text->text();
}

QToolButton *MessageArea::buttonFor(const QAction *action) const
{
    for (QToolButton *button : m_buttonWidgets) {
        if (button->defaultAction() == action)
            return button;
    }
    return nullptr;
}

void MessageArea::changeEvent(QEvent *event)
{
    QFrame::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && !m_applying)
        applyColours();
}

void MessageArea::applyColours()
{
    // Background and border from the accent and the window colour, text in the theme's own
    // text colour: the KMessageWidget recipe, readable in any theme.
    const QPalette base = parentWidget() ? parentWidget()->palette() : palette();
    const QColor window = base.color(QPalette::Window);
    const QColor border = accent(m_kind, window);
    const QColor background = ReadableColour::mix(border, window, 0.2);
    m_applying = true;
    setStyleSheet(QStringLiteral("dbdeck--gui--MessageArea { background-color: %1; border: 1px solid %2; border-radius: 4px; }")
                      .arg(background.name(), border.name()));
    QPalette p = m_text->palette();
    p.setColor(QPalette::WindowText, ReadableColour::on(base.color(QPalette::WindowText), background));
    m_text->setPalette(p);
    m_applying = false;
}

} // namespace dbdeck::gui

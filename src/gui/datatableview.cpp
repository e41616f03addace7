#include "datatableview.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QSortFilterProxyModel>
#include <QStyle>
#include <QTimer>

#include <algorithm>

namespace dbdeck::gui {

DataTableView::DataTableView(QWidget *parent) : QTableView(parent)
{
    setWordWrap(false);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setAlternatingRowColors(true);
    setTextElideMode(Qt::ElideRight);
    setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    verticalHeader()->setVisible(false);
    // One row height for all: the view never asks every row for its size hint.
    verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    horizontalHeader()->setStretchLastSection(true);
    horizontalHeader()->setHighlightSections(false);
    // Small enough for a small screen at a scale factor of 2; the layouts give it the room.
    setMinimumSize(120, 3 * verticalHeader()->defaultSectionSize() + horizontalHeader()->sizeHint().height());

    auto *copy = new QAction(tr("&Copy"), this);
    copy->setObjectName(QStringLiteral("copyAction"));
    copy->setShortcut(QKeySequence::Copy);
    copy->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(copy, &QAction::triggered, this, &DataTableView::copySelection);
    addAction(copy);

    m_overlay = new QLabel(viewport());
    m_overlay->setObjectName(QStringLiteral("overlay"));
    m_overlay->setAlignment(Qt::AlignCenter);
    m_overlay->setWordWrap(true);
    m_overlay->setForegroundRole(QPalette::PlaceholderText);
    m_overlay->setAttribute(Qt::WA_TransparentForMouseEvents);
    m_overlay->hide();
    m_loadingDelay = new QTimer(this);
    m_loadingDelay->setSingleShot(true);
    m_loadingDelay->setInterval(150);
    connect(m_loadingDelay, &QTimer::timeout, this, [this] {
        m_loadingShown = m_loading;
        updateOverlay();
    });
}

void DataTableView::setModel(QAbstractItemModel *model)
{
    QTableView::setModel(model);
    if (!model)
        return;
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(model, signal, this, &DataTableView::updateOverlay);
    connect(model, &QAbstractItemModel::modelReset, this, &DataTableView::updateOverlay);
    connect(model, &QAbstractItemModel::layoutChanged, this, &DataTableView::updateOverlay);
    updateOverlay();
}

QSortFilterProxyModel *DataTableView::setSortableModel(QAbstractItemModel *model, int sortRole, int column, Qt::SortOrder order)
{
    auto *proxy = new QSortFilterProxyModel(this);
    proxy->setSourceModel(model);
    proxy->setSortRole(sortRole);
    setModel(proxy);
    horizontalHeader()->setSortIndicatorClearable(true); // a third click gives back the model's order
    horizontalHeader()->setSortIndicator(column, order);
    setSortingEnabled(true);
    return proxy;
}

void DataTableView::setColumnWidthsInCharacters(const QList<int> &widths)
{
    // Digits are wider than the average character; times and ids are mostly digits.
    const int character = std::max(fontMetrics().averageCharWidth(), fontMetrics().horizontalAdvance(QLatin1Char('0')));
    const int padding = style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, this) + 12; // room for a state icon
    for (int column = 0; column < widths.size(); ++column)
        setColumnWidth(column, widths.at(column) * character + padding);
}

void DataTableView::setLoading(bool loading, const QString &text)
{
    m_loading = loading;
    m_loadingText = text.isEmpty() ? tr("Loading…") : text;
    if (loading) {
        if (!m_loadingDelay->isActive() && !m_loadingShown)
            m_loadingDelay->start();
    } else {
        m_loadingDelay->stop();
        m_loadingShown = false;
    }
    updateOverlay();
}

void DataTableView::setPlaceholderText(const QString &text)
{
    m_placeholder = text;
    updateOverlay();
}

QString DataTableView::overlayText() const
{
    return m_overlay->isHidden() ? QString() : m_overlay->text();
}

void DataTableView::updateOverlay()
{
    QString text;
    if (m_loadingShown)
        text = m_loadingText;
    else if (!m_loading && (!model() || model()->rowCount() == 0))
        text = m_placeholder;
    m_overlay->setText(text);
    m_overlay->setVisible(!text.isEmpty());
    // While loading over old rows, a backdrop keeps the text readable.
    m_overlay->setAutoFillBackground(m_loadingShown && model() && model()->rowCount() > 0);
    m_overlay->setBackgroundRole(QPalette::Base);
    if (m_overlay->isVisible()) {
        const int width = std::min(viewport()->width() - 16, 480);
        const int height = m_overlay->heightForWidth(width) + 12;
        m_overlay->setGeometry((viewport()->width() - width) / 2, 24, width, height);
        m_overlay->raise();
    }
}

void DataTableView::resizeEvent(QResizeEvent *event)
{
    QTableView::resizeEvent(event);
    updateOverlay();
}

QString DataTableView::selectedRowsAsText() const
{
    if (!model() || !selectionModel())
        return {};
    QModelIndexList rows = selectionModel()->selectedRows();
    if (rows.isEmpty() && currentIndex().isValid())
        rows << currentIndex().siblingAtColumn(0);
    std::sort(rows.begin(), rows.end(), [](const QModelIndex &a, const QModelIndex &b) { return a.row() < b.row(); });
    QStringList lines;
    QStringList header;
    for (int column = 0; column < model()->columnCount(); ++column)
        header << model()->headerData(column, Qt::Horizontal).toString();
    lines << header.join(QLatin1Char('\t'));
    for (const QModelIndex &row : std::as_const(rows)) {
        QStringList cells;
        for (int column = 0; column < model()->columnCount(); ++column) {
            const QModelIndex cell = row.siblingAtColumn(column);
            const QVariant full = cell.data(FullTextRole);
            QString text = full.isValid() ? full.toString() : cell.data(Qt::DisplayRole).toString();
            cells << text.replace(QLatin1Char('\t'), QLatin1Char(' ')).replace(QLatin1Char('\n'), QLatin1Char(' '));
        }
        lines << cells.join(QLatin1Char('\t'));
    }
    return rows.isEmpty() ? QString() : lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

void DataTableView::copySelection() const
{
    const QString text = selectedRowsAsText();
    if (!text.isEmpty())
        QApplication::clipboard()->setText(text);
}

void DataTableView::contextMenuEvent(QContextMenuEvent *event)
{
    QMenu menu(this);
    for (QAction *action : actions())
        menu.addAction(action);
    menu.exec(event->globalPos());
}

} // namespace dbdeck::gui

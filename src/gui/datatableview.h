#pragma once

#include <QTableView>

class QLabel;
class QSortFilterProxyModel;
class QTimer;

namespace dbdeck::gui {

// The table view every panel uses: rows of one fixed height, columns that are sized once
// (never measured over every row), no word wrap, a context menu and Ctrl+C to copy the
// selected rows (tab-separated, with the header), and an overlay that says when the view is
// waiting for the worker ("Loading…") or has nothing to show.
class DataTableView : public QTableView
{
    Q_OBJECT

public:
    // What Copy takes from a cell when the model offers it (a long message whose display is
    // shortened); otherwise the displayed text.
    static constexpr int FullTextRole = Qt::UserRole + 10;

    explicit DataTableView(QWidget *parent = nullptr);

    void setModel(QAbstractItemModel *model) override;
    // Shows model through a sorting proxy, sorted by its SortRole when a header is clicked;
    // column -1 keeps the model's own order until then. Returns the proxy.
    QSortFilterProxyModel *setSortableModel(QAbstractItemModel *model, int sortRole, int column = -1,
                                            Qt::SortOrder order = Qt::AscendingOrder);

    // Initial widths, in average characters of the view's font; the last column stretches.
    void setColumnWidthsInCharacters(const QList<int> &widths);
    // Shown after a short delay (a quick answer never flickers), until setLoading(false).
    void setLoading(bool loading, const QString &text = QString());
    bool isLoading() const { return m_loading; }
    // Shown while the model has no rows and nothing is loading.
    void setPlaceholderText(const QString &text);
    QString overlayText() const; // what the overlay shows now, empty when hidden

    QString selectedRowsAsText() const;
    void copySelection() const;

protected:
    void resizeEvent(QResizeEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;

private:
    void updateOverlay();

    QLabel *m_overlay = nullptr;
    QTimer *m_loadingDelay = nullptr;
    bool m_loading = false;
    bool m_loadingShown = false;
    QString m_loadingText;
    QString m_placeholder;
};

} // namespace dbdeck::gui

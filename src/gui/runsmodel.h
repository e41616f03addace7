#pragma once

#include "rowlistmodel.h"
#include "store/records.h"

namespace dbdeck::gui {

// The runs list, newest first, fetched in pages as the view scrolls (canFetchMore/fetchMore ask
// for the next page through moreWanted(); the panel answers with appendPage()). Live updates
// merge() the shown range, so the selection stays on the same run.
class RunsModel : public RowListModel<Run>
{
    Q_OBJECT

public:
    enum Column { Created, Status, Kind, Id, Error, ColumnCount };
    static constexpr int KeyRole = Qt::UserRole;

    using RowListModel::RowListModel;

    int columnCount(const QModelIndex &parent = {}) const override { return parent.isValid() ? 0 : ColumnCount; }
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

    // A first page: replaces what is shown (merging, so a run shown before keeps its row).
    void showFirstPage(const QList<Run> &runs, bool hasMore);
    void appendPage(const QList<Run> &runs, bool hasMore);
    void pageFailed() { m_fetching = false; }
    bool hasMore() const { return m_hasMore; }
    qint64 total() const { return m_total; }
    void setTotal(qint64 total) { m_total = total; }

Q_SIGNALS:
    void moreWanted(const QString &afterRunId);

protected:
    QString keyOf(const Run &run) const override { return run.id; }
    bool sameContent(const Run &a, const Run &b) const override;

private:
    bool m_hasMore = false;
    bool m_fetching = false;
    qint64 m_total = -1;
};

} // namespace dbdeck::gui

#pragma once

#include "rowlistmodel.h"
#include "store/records.h"

namespace dbdeck::gui {

// One run's events, the newest first (or the oldest first: sort by Seq), fetched in pages as the
// view scrolls. New events of a live run are inserted at the top (addNewer), never by
// rebuilding: the selection and the scroll position stay where they are.
class EventsModel : public RowListModel<Event>
{
    Q_OBJECT

public:
    enum Column { Seq, Created, Level, Kind, Message, ColumnCount };
    static constexpr int KeyRole = Qt::UserRole;

    using RowListModel::RowListModel;

    int columnCount(const QModelIndex &parent = {}) const override { return parent.isValid() ? 0 : ColumnCount; }
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;
    // Seq and Created sort by seq (the order events happened in); other columns do not sort.
    void sort(int column, Qt::SortOrder order) override;

    void start(const QString &runId, bool oldestFirst); // empties the model for a (new) run
    void showFirstPage(const QList<Event> &events, qint64 total, bool hasMore);
    void appendPage(const QList<Event> &events, bool hasMore);
    // Events with a higher seq than any shown, in seq order: at the top when the newest come
    // first; at the bottom when the oldest do and every page is loaded (otherwise they arrive
    // with the pages).
    void addNewer(const QList<Event> &events, qint64 total);
    void pageFailed() { m_fetching = false; }

    QString runId() const { return m_runId; }
    bool oldestFirst() const { return m_oldestFirst; }
    qint64 total() const { return m_total; }
    bool hasMore() const { return m_hasMore; }
    qint64 highestSeq() const; // 0 when empty

Q_SIGNALS:
    void moreWanted(qint64 seqCursor);
    void orderChanged(bool oldestFirst);

protected:
    QString keyOf(const Event &event) const override { return event.id; }
    bool sameContent(const Event &a, const Event &b) const override { return a.seq == b.seq && a.message == b.message; }

private:
    QString m_runId;
    bool m_oldestFirst = false;
    bool m_hasMore = false;
    bool m_fetching = false;
    qint64 m_total = -1;
};

} // namespace dbdeck::gui

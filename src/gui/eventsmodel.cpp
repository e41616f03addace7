#include "eventsmodel.h"

#include "datatableview.h"
#include "stateicons.h"

#include <algorithm>

namespace dbdeck::gui {

QVariant EventsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Event &e = m_rows.at(index.row());
    if (role == DataTableView::FullTextRole)
        return index.column() == Message ? QVariant(e.message) : QVariant();
    if (role == KeyRole)
        return e.id;
    if (role == Qt::DisplayRole || role == Qt::ToolTipRole) {
        switch (index.column()) {
        case Seq:
            return QString::number(e.seq);
        case Created:
            return e.createdAt.toDb().left(23);
        case Level:
            return e.level;
        case Kind:
            return e.kind;
        case Message:
            // The first line, bounded: a view paints what it is given, and a 4000-character
            // cell costs on every repaint. The tooltip and the payload pane have more.
            return role == Qt::DisplayRole ? e.message.section(QLatin1Char('\n'), 0, 0).left(300) : e.message.left(2000);
        }
    }
    if (role == Qt::TextAlignmentRole && index.column() == Seq)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (index.column() == Level && role == Qt::ForegroundRole)
        return StateIcons::colour(e.level);
    if (index.column() == Level && role == Qt::DecorationRole)
        return StateIcons::icon(e.level);
    return {};
}

QVariant EventsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    static const QStringList titles{tr("Seq"), tr("Created (UTC)"), tr("Level"), tr("Kind"), tr("Message")};
    return titles.value(section);
}

bool EventsModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && m_hasMore && !m_fetching && !m_rows.isEmpty();
}

void EventsModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    m_fetching = true;
    Q_EMIT moreWanted(m_rows.last().seq);
}

void EventsModel::sort(int column, Qt::SortOrder order)
{
    if (column != Seq && column != Created)
        return;
    const bool oldestFirst = order == Qt::AscendingOrder;
    if (oldestFirst == m_oldestFirst)
        return;
    m_oldestFirst = oldestFirst;
    Q_EMIT orderChanged(oldestFirst);
}

void EventsModel::start(const QString &runId, bool oldestFirst)
{
    m_runId = runId;
    m_oldestFirst = oldestFirst;
    m_hasMore = false;
    m_fetching = false;
    m_total = -1;
    clear();
}

void EventsModel::showFirstPage(const QList<Event> &events, qint64 total, bool hasMore)
{
    m_fetching = false;
    m_hasMore = hasMore;
    m_total = total;
    merge(events);
}

void EventsModel::appendPage(const QList<Event> &events, bool hasMore)
{
    m_fetching = false;
    m_hasMore = hasMore;
    appendRows(events);
}

void EventsModel::addNewer(const QList<Event> &events, qint64 total)
{
    m_total = total;
    if (events.isEmpty())
        return;
    if (!m_oldestFirst) {
        QList<Event> newestFirst = events;
        std::reverse(newestFirst.begin(), newestFirst.end());
        prependRows(newestFirst);
    } else if (!m_hasMore) {
        appendRows(events);
    }
}

qint64 EventsModel::highestSeq() const
{
    if (m_rows.isEmpty())
        return 0;
    return m_oldestFirst ? m_rows.last().seq : m_rows.first().seq;
}

} // namespace dbdeck::gui

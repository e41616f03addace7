#include "runsmodel.h"

#include "datatableview.h"
#include "stateicons.h"

namespace dbdeck::gui {

QVariant RunsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Run &r = m_rows.at(index.row());
    if (role == DataTableView::FullTextRole)
        return index.column() == Error ? QVariant(r.error) : QVariant();
    if (role == KeyRole)
        return r.id;
    if (role == Qt::DisplayRole || role == Qt::ToolTipRole) {
        switch (index.column()) {
        case Created:
            return r.createdAt.toDb().left(19);
        case Status:
            return r.status;
        case Kind:
            return r.kind;
        case Id:
            return r.id;
        case Error:
            return role == Qt::DisplayRole ? r.error.section(QLatin1Char('\n'), 0, 0).left(300) : r.error.left(2000);
        }
    }
    if (index.column() == Status && role == Qt::ForegroundRole)
        return StateIcons::colour(r.status);
    if (index.column() == Status && role == Qt::DecorationRole)
        return StateIcons::icon(r.status);
    return {};
}

QVariant RunsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    static const QStringList titles{tr("Created (UTC)"), tr("Status"), tr("Kind"), tr("Id"), tr("Error")};
    return titles.value(section);
}

bool RunsModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && m_hasMore && !m_fetching && !m_rows.isEmpty();
}

void RunsModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    m_fetching = true;
    Q_EMIT moreWanted(m_rows.last().id);
}

void RunsModel::showFirstPage(const QList<Run> &runs, bool hasMore)
{
    m_fetching = false;
    m_hasMore = hasMore;
    merge(runs);
}

void RunsModel::appendPage(const QList<Run> &runs, bool hasMore)
{
    m_fetching = false;
    m_hasMore = hasMore;
    QList<Run> fresh;
    for (const Run &r : runs) {
        if (rowOfKey(r.id) < 0) // a run that moved up meanwhile is already shown
            fresh << r;
    }
    appendRows(fresh);
}

bool RunsModel::sameContent(const Run &a, const Run &b) const
{
    return a.status == b.status && a.kind == b.kind && a.error == b.error && a.createdAt.toDb() == b.createdAt.toDb();
}

} // namespace dbdeck::gui

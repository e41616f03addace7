#pragma once

#include <QAbstractTableModel>
#include <QHash>
#include <QList>

namespace dbdeck::gui {

// A table model over a list of rows that each have a unique key, changed only incrementally:
// appended and prepended pages are row insertions, and merge() turns a fresh list into the
// insertions, removals and dataChanged() of what differs. Views therefore keep their selection,
// current row and scroll position across live updates, and nothing is rebuilt cell by cell.
template<typename Row>
class RowListModel : public QAbstractTableModel
{
public:
    using QAbstractTableModel::QAbstractTableModel;

    int rowCount(const QModelIndex &parent = {}) const override { return parent.isValid() ? 0 : int(m_rows.size()); }
    const QList<Row> &rows() const { return m_rows; }
    const Row &rowAt(int row) const { return m_rows.at(row); }

    int rowOfKey(const QString &key) const
    {
        for (int i = 0; i < m_rows.size(); ++i) {
            if (keyOf(m_rows.at(i)) == key)
                return i;
        }
        return -1;
    }

    void appendRows(const QList<Row> &rows) { insertAt(int(m_rows.size()), rows); }
    void prependRows(const QList<Row> &rows) { insertAt(0, rows); }

    void clear()
    {
        if (m_rows.isEmpty())
            return;
        beginResetModel();
        m_rows.clear();
        endResetModel();
    }

    // Makes the rows equal to fresh (same order as the model's), changing only what differs.
    void merge(const QList<Row> &fresh)
    {
        QHash<QString, int> wanted;
        wanted.reserve(fresh.size());
        for (int i = 0; i < fresh.size(); ++i)
            wanted.insert(keyOf(fresh.at(i)), i);
        // 1. Drop rows that are gone, and rows that moved (out of the fresh order: they are
        // inserted again where they belong), in runs from the bottom up. What stays is in the
        // same order as in fresh.
        QList<bool> keep(m_rows.size(), false);
        int highest = -1;
        for (int i = 0; i < m_rows.size(); ++i) {
            const int at = wanted.value(keyOf(m_rows.at(i)), -1);
            if (at > highest) {
                keep[i] = true;
                highest = at;
            }
        }
        for (int i = int(m_rows.size()) - 1; i >= 0;) {
            if (keep.at(i)) {
                --i;
                continue;
            }
            int first = i;
            while (first > 0 && !keep.at(first - 1))
                --first;
            removeSpan(first, i);
            i = first - 1;
        }
        // 2. Walk fresh: rows already there are updated in place, the others inserted in runs.
        int i = 0;
        while (i < fresh.size()) {
            if (i < m_rows.size() && keyOf(m_rows.at(i)) == keyOf(fresh.at(i))) {
                if (!sameContent(m_rows.at(i), fresh.at(i))) {
                    m_rows[i] = fresh.at(i);
                    Q_EMIT dataChanged(index(i, 0), index(i, columnCount() - 1));
                }
                ++i;
                continue;
            }
            const int until = i < m_rows.size() ? wanted.value(keyOf(m_rows.at(i))) : int(fresh.size());
            insertAt(i, fresh.mid(i, until - i));
            i = until;
        }
    }

protected:
    virtual QString keyOf(const Row &row) const = 0;
    virtual bool sameContent(const Row &a, const Row &b) const = 0;

    QList<Row> m_rows;

private:
    void insertAt(int at, const QList<Row> &rows)
    {
        if (rows.isEmpty())
            return;
        beginInsertRows({}, at, at + int(rows.size()) - 1);
        for (int i = 0; i < rows.size(); ++i)
            m_rows.insert(at + i, rows.at(i));
        endInsertRows();
    }

    void removeSpan(int first, int last)
    {
        beginRemoveRows({}, first, last);
        m_rows.remove(first, last - first + 1);
        endRemoveRows();
    }
};

} // namespace dbdeck::gui

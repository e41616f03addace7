#include "celltablemodel.h"

#include <QAbstractItemModelTester>
#include <QPersistentModelIndex>
#include <QSignalSpy>
#include <QTest>

using namespace dbdeck::gui;

namespace {

QList<TableRow> rows(const QString &keys, const QString &suffix = QString())
{
    QList<TableRow> list;
    for (const QChar key : keys)
        list << TableRow{QString(key), {TableCell(QString(key) + suffix)}};
    return list;
}

QString keys(const CellTableModel &model)
{
    QString text;
    for (int row = 0; row < model.rowCount(); ++row)
        text += model.rowAt(row).key;
    return text;
}

} // namespace

// RowListModel::merge: a fresh list becomes insertions, removals and changes, never a reset,
// so that views keep their selection across live updates.
class tst_RowListModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void mergeGivesTheFreshRows_data();
    void mergeGivesTheFreshRows();
    void mergeKeepsRowsThatStay();
    void changedContentIsOneDataChanged();
};

void tst_RowListModel::mergeGivesTheFreshRows_data()
{
    QTest::addColumn<QString>("before");
    QTest::addColumn<QString>("after");
    QTest::addColumn<int>("inserts");
    QTest::addColumn<int>("removes");
    QTest::newRow("new at the top") << "cba" << "edcba" << 1 << 0;
    QTest::newRow("new at the bottom") << "cba" << "cbazy" << 1 << 0;
    QTest::newRow("new in between") << "ca" << "cba" << 1 << 0;
    QTest::newRow("one gone") << "dcba" << "dba" << 0 << 1;
    QTest::newRow("runs gone") << "gfedcba" << "gda" << 0 << 2;
    QTest::newRow("all new") << "abc" << "xyz" << 1 << 1;
    QTest::newRow("moved up") << "abcd" << "cabd" << 1 << 1;
    QTest::newRow("from empty") << "" << "abc" << 1 << 0;
    QTest::newRow("to empty") << "abc" << "" << 0 << 1;
    QTest::newRow("same") << "abc" << "abc" << 0 << 0;
}

void tst_RowListModel::mergeGivesTheFreshRows()
{
    QFETCH(QString, before);
    QFETCH(QString, after);
    QFETCH(int, inserts);
    QFETCH(int, removes);
    CellTableModel model({QStringLiteral("key")});
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setRows(rows(before));
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.setRows(rows(after));
    QCOMPARE(keys(model), after);
    QCOMPARE(inserted.size(), inserts);
    QCOMPARE(removed.size(), removes);
    QCOMPARE(reset.size(), 0);
}

void tst_RowListModel::mergeKeepsRowsThatStay()
{
    CellTableModel model({QStringLiteral("key")});
    model.setRows(rows(QStringLiteral("edcba")));
    const QPersistentModelIndex selected = model.index(2, 0); // "c", as a selection holds it
    model.setRows(rows(QStringLiteral("gfedba")));
    QVERIFY(!selected.isValid()); // "c" went
    model.setRows(rows(QStringLiteral("gfedcba")));
    const QPersistentModelIndex again = model.index(4, 0);
    QCOMPARE(again.data().toString(), QStringLiteral("c"));
    model.setRows(rows(QStringLiteral("ihgfedcba")));
    QCOMPARE(again.row(), 6);
    QCOMPARE(again.data().toString(), QStringLiteral("c"));
}

void tst_RowListModel::changedContentIsOneDataChanged()
{
    CellTableModel model({QStringLiteral("key")});
    model.setRows(rows(QStringLiteral("abc")));
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QList<TableRow> fresh = rows(QStringLiteral("abc"));
    fresh[1].cells[0].text = QStringLiteral("b, renamed");
    model.setRows(fresh);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.first().first().toModelIndex().row(), 1);
    QCOMPARE(model.text(1, 0), QStringLiteral("b, renamed"));
}

QTEST_MAIN(tst_RowListModel)
#include "tst_rowlistmodel.moc"

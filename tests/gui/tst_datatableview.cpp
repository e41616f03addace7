#include "celltablemodel.h"
#include "datatableview.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QTest>

using namespace dbdeck::gui;

// The table view every panel uses: Copy in a context menu and on Ctrl+C, the loading overlay.
class tst_DataTableView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void copiesTheSelectedRowsWithTheHeader();
    void saysWhenItIsLoadingOrEmpty();
};

void tst_DataTableView::copiesTheSelectedRowsWithTheHeader()
{
    CellTableModel model({QStringLiteral("Name"), QStringLiteral("Value")});
    model.setRows({TableRow{QStringLiteral("a"), {TableCell(QStringLiteral("alpha")), TableCell(QStringLiteral("1"))}},
                   TableRow{QStringLiteral("b"), {TableCell(QStringLiteral("beta")), TableCell(QStringLiteral("two\tparts"))}}});
    DataTableView view;
    view.setModel(&model);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, view.visualRect(model.index(1, 0)).center());
    QAction *copy = view.findChild<QAction *>(QStringLiteral("copyAction"));
    QVERIFY(copy && view.actions().contains(copy)); // what the context menu shows
    QCOMPARE(copy->shortcut(), QKeySequence(QKeySequence::Copy));
    QCOMPARE(view.selectedRowsAsText(), QStringLiteral("Name\tValue\nbeta\ttwo parts\n"));
    copy->trigger();
    QCOMPARE(QApplication::clipboard()->text(), QStringLiteral("Name\tValue\nbeta\ttwo parts\n"));
}

void tst_DataTableView::saysWhenItIsLoadingOrEmpty()
{
    CellTableModel model({QStringLiteral("Name")});
    DataTableView view;
    view.setModel(&model);
    view.setPlaceholderText(QStringLiteral("No tables"));
    view.show();
    QCOMPARE(view.overlayText(), QStringLiteral("No tables"));
    view.setLoading(true, QStringLiteral("Counting…"));
    QTRY_COMPARE(view.overlayText(), QStringLiteral("Counting…"));
    model.setRows({TableRow{QStringLiteral("a"), {TableCell(QStringLiteral("alpha"))}}});
    view.setLoading(false);
    QCOMPARE(view.overlayText(), QString());
}

QTEST_MAIN(tst_DataTableView)
#include "tst_datatableview.moc"

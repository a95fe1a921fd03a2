// Keyboard use and small screens, through the real MainWindow on the demo workspace (offscreen): Tab
// leaves the environments table, Ctrl+PgUp/PgDn and Alt+1…4 switch the detail tabs from anywhere,
// focus is visible, every menu entry has a mnemonic (unique in its menu), every environment row stays
// visible at 900×600 without sideways scrolling, the splitter is remembered, and the toolbar buttons
// keep their width whichever environment is selected.
#include "DemoWorkspace.h"
#include "GuiFixture.h"
#include "MainWindow.h"

#include <QAction>
#include <QApplication>
#include <QHeaderView>
#include <QMenu>
#include <QMenuBar>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QSplitter>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QToolBar>

using namespace moltdesk;

class TstGuiKeyboard : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void init();
    void cleanup();
    void tabLeavesTheTable();
    void tabSwitchingKeys();
    void focusIsVisible();
    void everyMenuEntryHasAMnemonic();
    void smallScreenShowsEveryRow();
    void splitterIsRemembered();
    void toolbarButtonsKeepTheirWidth();

private:
    void openWindow();
    QTableView *table() const
    {
        return m_window->findChild<QTableView *>(QStringLiteral("environmentsTable"));
    }
    QTabWidget *tabs() const { return m_window->findChild<QTabWidget *>(QStringLiteral("detailTabs")); }

    std::unique_ptr<QTemporaryDir> m_tmp;
    QString m_profile;
    std::unique_ptr<MainWindow> m_window;
};

void TstGuiKeyboard::init()
{
    QSettings().clear();
    m_tmp = std::make_unique<QTemporaryDir>();
    const Result<QString> profile = DemoWorkspace::create(m_tmp->filePath(QStringLiteral("demo")));
    QVERIFY(profile.ok());
    m_profile = profile.value();
    openWindow();
}

void TstGuiKeyboard::openWindow()
{
    m_window = guitest::makeWindow(*m_tmp);
    m_window->show();
    QApplication::setActiveWindow(m_window.get());
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    QSignalSpy refreshed(m_window.get(), &MainWindow::statusRefreshed);
    m_window->openProfile(m_profile);
    QTRY_VERIFY_WITH_TIMEOUT(refreshed.count() >= 1, 20000);
}

void TstGuiKeyboard::cleanup()
{
    m_window.reset();
    m_tmp.reset();
}

void TstGuiKeyboard::tabLeavesTheTable()
{
    QTableView *t = table();
    QVERIFY(!t->tabKeyNavigation());
    t->setFocus();
    QTRY_COMPARE(QApplication::focusWidget(), t);
    const QModelIndex before = t->currentIndex();
    QTest::keyClick(t, Qt::Key_Tab);
    QVERIFY(QApplication::focusWidget() != t);
    QCOMPARE(t->currentIndex(), before); // Tab did not walk the cells
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Backtab);
    QCOMPARE(QApplication::focusWidget(), t);
}

void TstGuiKeyboard::tabSwitchingKeys()
{
    QTableView *t = table();
    t->setFocus();
    QTabWidget *tw = tabs();
    tw->setCurrentIndex(0);
    QTest::keyClick(t, Qt::Key_PageDown, Qt::ControlModifier);
    QCOMPARE(tw->currentIndex(), 1);
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_PageDown, Qt::ControlModifier);
    QCOMPARE(tw->currentIndex(), 2);
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_PageUp, Qt::ControlModifier);
    QCOMPARE(tw->currentIndex(), 1);
    tw->setCurrentIndex(0);
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_PageUp, Qt::ControlModifier);
    QCOMPARE(tw->currentIndex(), tw->count() - 1); // wraps
    for (int i = 0; i < 4; ++i) {
        QTest::keyClick(QApplication::focusWidget(), Qt::Key(Qt::Key_1 + i), Qt::AltModifier);
        QCOMPARE(tw->currentIndex(), i);
    }
}

void TstGuiKeyboard::focusIsVisible()
{
    // The focused table has a frame in the highlight colour; unfocused, it has not.
    QTableView *t = table();
    const QColor highlight = t->palette().color(QPalette::Highlight);
    t->setFocus();
    QTRY_VERIFY(t->hasFocus());
    const QImage focused = t->grab().toImage();
    tabs()->setFocus();
    QTRY_VERIFY(!t->hasFocus());
    const QImage unfocused = t->grab().toImage();
    const QPoint edge(0, focused.height() / 2);
    QCOMPARE(focused.pixelColor(edge).rgb(), highlight.rgb());
    QVERIFY(unfocused.pixelColor(edge).rgb() != highlight.rgb());
}

void TstGuiKeyboard::everyMenuEntryHasAMnemonic()
{
    QStringList problems;
    QSet<QString> bar;
    for (QAction *m : m_window->menuBar()->actions()) {
        const QString key = QKeySequence::mnemonic(m->text()).toString();
        if (key.isEmpty() || bar.contains(key))
            problems << QStringLiteral("menu bar: %1").arg(m->text());
        bar << key;
        if (!m->menu())
            continue;
        QSet<QString> seen;
        for (QAction *a : m->menu()->actions()) {
            if (a->isSeparator())
                continue;
            const QString k = QKeySequence::mnemonic(a->text()).toString();
            if (k.isEmpty())
                problems << QStringLiteral("%1 › %2: no mnemonic").arg(m->text(), a->text());
            else if (seen.contains(k))
                problems << QStringLiteral("%1 › %2: %3 used twice").arg(m->text(), a->text(), k);
            seen << k;
        }
    }
    // The actions named after the selected environment keep theirs when the text changes.
    for (int row = 0; row < 3; ++row) {
        m_window->selectRow(row);
        for (const char *name : {"actionSync", "actionRestore", "actionMigrate"}) {
            QAction *a = m_window->findChild<QAction *>(QLatin1String(name));
            if (QKeySequence::mnemonic(a->text()).isEmpty())
                problems << QStringLiteral("row %1: %2").arg(row).arg(a->text());
        }
    }
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
}

void TstGuiKeyboard::smallScreenShowsEveryRow()
{
    m_window->resize(900, 600);
    QTRY_COMPARE(m_window->size(), QSize(900, 600));
    QTest::qWait(50);
    QTableView *t = table();
    const QRect viewport = t->viewport()->rect();
    for (int r = 0; r < t->model()->rowCount(); ++r) {
        const QRect row = t->visualRect(t->model()->index(r, 0));
        QVERIFY2(viewport.contains(row), qPrintable(QStringLiteral("row %1 at %2,%3 %4×%5 outside %6 high")
                                                        .arg(r)
                                                        .arg(row.x())
                                                        .arg(row.y())
                                                        .arg(row.width())
                                                        .arg(row.height())
                                                        .arg(viewport.height())));
    }
    QStringList widths;
    for (int c = 0; c < t->model()->columnCount(); ++c)
        widths << QStringLiteral("%1=%2")
                      .arg(t->model()->headerData(c, Qt::Horizontal).toString())
                      .arg(t->columnWidth(c));
    QVERIFY2(!t->horizontalScrollBar()->isVisible(),
             qPrintable(QStringLiteral("columns did not shrink to %1 px: %2")
                            .arg(t->viewport()->width())
                            .arg(widths.join(QStringLiteral(", ")))));
    // The whole table, header to last row, inside the window.
    const QRect inWindow(t->mapTo(m_window.get(), QPoint(0, 0)), t->size());
    QVERIFY(m_window->rect().contains(inWindow));
    // The environment and last sync columns stay readable; the paths gave way.
    QHeaderView *h = t->horizontalHeader();
    QVERIFY(h->sectionSize(0) >= 100);
    QVERIFY(h->sectionSize(1) < 210);
}

void TstGuiKeyboard::splitterIsRemembered()
{
    auto *split = m_window->findChild<QSplitter *>(QStringLiteral("mainSplitter"));
    QVERIFY(split);
    const int total = split->sizes().value(0) + split->sizes().value(1);
    split->setSizes({total / 2, total - total / 2});
    const QList<int> chosen = split->sizes();
    m_window->close();
    m_window.reset();
    openWindow();
    split = m_window->findChild<QSplitter *>(QStringLiteral("mainSplitter"));
    QTRY_COMPARE(split->sizes(), chosen);
}

void TstGuiKeyboard::toolbarButtonsKeepTheirWidth()
{
    auto *tb = m_window->findChild<QToolBar *>(QStringLiteral("mainToolBar"));
    QVERIFY(tb);
    for (const char *name : {"actionSync", "actionRestore", "actionMigrate"}) {
        QAction *a = m_window->findChild<QAction *>(QLatin1String(name));
        QWidget *button = tb->widgetForAction(a);
        QVERIFY(button);
        QSet<int> widths;
        QSet<int> xs;
        for (int row = 0; row < 3; ++row) {
            m_window->selectRow(row);
            QApplication::processEvents();
            widths << button->width();
            xs << button->x();
            QVERIFY2(button->width() >= button->sizeHint().width(),
                     qPrintable(a->text() + QStringLiteral(" cut off")));
        }
        QVERIFY2(widths.size() == 1 && xs.size() == 1, name);
    }
}

QTEST_MAIN(TstGuiKeyboard)
#include "tst_gui_keyboard.moc"

// View > Compare environments… on the real MainWindow (demo workspace, offscreen): the counts,
// filters and marks a person reads, checked against the buckets' files on disk.
#include "CompareDialog.h"
#include "CompareModel.h"
#include "DemoWorkspace.h"
#include "GuiFixture.h"
#include "MainWindow.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QCheckBox>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace moltdesk;

namespace {

QSet<QString> filesUnder(const QString &dir)
{
    QSet<QString> out;
    QDirIterator it(dir, QDir::Files | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        out.insert(QDir(dir).relativeFilePath(it.filePath()));
    }
    return out;
}

bool copyFile(const QString &from, const QString &to)
{
    QDir().mkpath(QFileInfo(to).absolutePath());
    QFile::remove(to);
    return QFile::copy(from, to);
}

} // namespace

class TstGuiCompare : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void init();
    void cleanup();
    void countsMatchTheBuckets();
    void filtersByStateAndName();
    void leakedSensitiveFileIsMarked();
    void unreadableBucketSaysNotCompared();

private:
    QString bucketDir(const QString &env) const
    {
        return m_demo + QStringLiteral("/data/data/") +
               (env.isEmpty() ? QStringLiteral("moltbot") : QStringLiteral("moltbot-") + env);
    }
    CompareDialog *openCompare(int a, int b);
    static QSet<QString> dataKeys(const QString &dir);

    std::unique_ptr<QTemporaryDir> m_tmp;
    QString m_demo;
    std::unique_ptr<MainWindow> m_window;
};

void TstGuiCompare::init()
{
    m_tmp = std::make_unique<QTemporaryDir>();
    m_demo = m_tmp->filePath(QStringLiteral("demo"));
    const Result<QString> profile = DemoWorkspace::create(m_demo);
    QVERIFY(profile.ok());
    m_window = guitest::makeWindow(*m_tmp);
    m_window->show();
    QSignalSpy opened(m_window.get(), &MainWindow::profileOpened);
    m_window->openProfile(profile.value());
    QTRY_VERIFY_WITH_TIMEOUT(opened.count() >= 1, 10000);
}

void TstGuiCompare::cleanup()
{
    m_window.reset();
    m_tmp.reset();
}

// Data keys only: the tools' control files at the root are not data.
QSet<QString> TstGuiCompare::dataKeys(const QString &dir)
{
    QSet<QString> keys = filesUnder(dir);
    keys.remove(QStringLiteral(".last-sync"));
    keys.remove(QStringLiteral(".moltdesk-environment"));
    keys.remove(QStringLiteral(".migrated-from"));
    return keys;
}

CompareDialog *TstGuiCompare::openCompare(int a, int b)
{
    QAction *action = m_window->findChild<QAction *>(QStringLiteral("actionCompare"));
    if (!action || !action->isEnabled())
        return nullptr;
    CompareDialog *dlg = m_window->showCompareDialog(a, b);
    if (!dlg)
        return nullptr;
    // A small comparison may have finished before this line: wait on the state, not on the signal.
    QElapsedTimer clock;
    clock.start();
    while (dlg->isComparing() && clock.elapsed() < 20000)
        QTest::qWait(20);
    return dlg->isComparing() ? nullptr : dlg;
}

void TstGuiCompare::countsMatchTheBuckets()
{
    // Rows: development, production, legacy.
    CompareDialog *dlg = openCompare(2, 0);
    QVERIFY(dlg);
    QAbstractItemModelTester tester(dlg->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    const QSet<QString> legacy = dataKeys(bucketDir({}));
    const QSet<QString> dev = dataKeys(bucketDir(QStringLiteral("development")));
    const qint64 onlyLegacy = (legacy - dev).size();
    const qint64 onlyDev = (dev - legacy).size();
    const CompareCounts &t = dlg->model()->comparison().totals;
    QCOMPARE(t.of(CompareState::OnlyInA), onlyLegacy);
    QCOMPARE(t.of(CompareState::OnlyInB), onlyDev);
    QCOMPARE(t.total(), qint64((legacy | dev).size()));
    QCOMPARE(dlg->findChild<QCheckBox *>(QStringLiteral("showOnlyA"))->text(),
             QStringLiteral("Only in (legacy) (%1)").arg(onlyLegacy));
    // One row per top-level prefix, with its own counts.
    auto *prefixes = dlg->findChild<QTableWidget *>(QStringLiteral("comparePrefixes"));
    QCOMPARE(prefixes->rowCount(), int(dlg->model()->comparison().byPrefix.size()));
    QVERIFY(prefixes->rowCount() >= 2);
    QCOMPARE(prefixes->item(0, 0)->text(), QStringLiteral("clawdbot/"));
}

void TstGuiCompare::filtersByStateAndName()
{
    CompareDialog *dlg = openCompare(0, 1);
    QVERIFY(dlg);
    auto *view = dlg->findChild<QTableView *>(QStringLiteral("compareView"));
    const CompareCounts &t = dlg->model()->comparison().totals;
    // Identical hidden at first; everything else shown.
    QCOMPARE(qint64(view->model()->rowCount()), t.total() - t.of(CompareState::Identical));
    dlg->findChild<QCheckBox *>(QStringLiteral("showDiffer"))->setChecked(false);
    QCOMPARE(qint64(view->model()->rowCount()),
             t.total() - t.of(CompareState::Identical) - t.of(CompareState::Differ));
    dlg->findChild<QCheckBox *>(QStringLiteral("showDiffer"))->setChecked(true);
    QTest::keyClicks(dlg->findChild<QLineEdit *>(QStringLiteral("compareFilter")), QStringLiteral("SKILLS/"));
    // Debounced: no refilter per key (each walks every row), one after the typing pauses.
    QCOMPARE(dlg->filterModel()->keyFilter(), QString());
    QTRY_COMPARE(dlg->filterModel()->keyFilter(), QStringLiteral("SKILLS/"));
    QVERIFY(view->model()->rowCount() > 0);
    for (int r = 0; r < view->model()->rowCount(); ++r)
        QVERIFY(view->model()
                    ->index(r, CompareModel::KeyColumn)
                    .data()
                    .toString()
                    .startsWith(QLatin1String("skills/")));
}

void TstGuiCompare::leakedSensitiveFileIsMarked()
{
    // Production's paired devices copied into development: identical, sensitive.
    const QString key = QStringLiteral("clawdbot/devices/paired.json");
    QVERIFY(QFileInfo::exists(bucketDir(QStringLiteral("production")) + QLatin1Char('/') + key));
    QVERIFY(copyFile(bucketDir(QStringLiteral("production")) + QLatin1Char('/') + key,
                     bucketDir(QStringLiteral("development")) + QLatin1Char('/') + key));
    CompareDialog *dlg = openCompare(0, 1);
    QVERIFY(dlg);
    QCOMPARE(dlg->model()->comparison().sensitiveIdentical, 1);
    QVERIFY(
        dlg->findChild<QLabel *>(QStringLiteral("compareStatus"))->text().contains(QLatin1String("leaked")));
    dlg->findChild<QCheckBox *>(QStringLiteral("showIdentical"))->setChecked(true);
    QTest::keyClicks(dlg->findChild<QLineEdit *>(QStringLiteral("compareFilter")), QStringLiteral("paired"));
    QTRY_COMPARE(dlg->filterModel()->keyFilter(), QStringLiteral("paired"));
    auto *view = dlg->findChild<QTableView *>(QStringLiteral("compareView"));
    QCOMPARE(view->model()->rowCount(), 1);
    QVERIFY(view->model()
                ->index(0, CompareModel::StateColumn)
                .data()
                .toString()
                .contains(QLatin1String("sensitive")));
}

void TstGuiCompare::unreadableBucketSaysNotCompared()
{
    QVERIFY(QDir(bucketDir(QStringLiteral("production"))).removeRecursively());
    CompareDialog *dlg = openCompare(0, 1);
    QVERIFY(dlg);
    QVERIFY(dlg->findChild<QLabel *>(QStringLiteral("compareStatus"))
                ->text()
                .contains(QLatin1String("Not compared")));
    QCOMPARE(dlg->model()->rowCount(), 0); // never "everything only in development"
}

QTEST_MAIN(TstGuiCompare)
#include "tst_gui_compare.moc"

// The Contents tab as a browser worth the name, through the real MainWindow on the demo workspace
// (offscreen): folder sizes and counts against the bucket's files on disk, natural order, a name
// filter over the whole bucket, an object's details (HEAD), the read-only text viewer, and Download…
// of a file and of a folder (byte for byte; existing files kept).
#include "BrowserPanel.h"
#include "BucketBrowserModel.h"
#include "DemoWorkspace.h"
#include "FileDialog.h"
#include "GuiFixture.h"
#include "MainWindow.h"
#include "Plan.h"

#include <QAction>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

using namespace moltdesk;
using guitest::readFile;
using guitest::writeFile;

namespace {

// Relative path → size of every regular file under dir.
QMap<QString, qint64> filesUnder(const QString &dir)
{
    QMap<QString, qint64> out;
    QDirIterator it(dir, QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        out.insert(QDir(dir).relativeFilePath(it.filePath()), it.fileInfo().size());
    }
    return out;
}
} // namespace

class TstGuiBrowser : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void init();
    void cleanup();
    void folderSizesAndCounts();
    void naturalOrder();
    void filterSearchesTheWholeBucket();
    void objectDetails();
    void textViewerIsReadOnly();
    void downloadFolderAndFile();

private:
    QString devBucket() const { return m_demo + QStringLiteral("/data/data/moltbot-development"); }
    QModelIndex find(const QModelIndex &parent, const QString &name) const;
    QModelIndex expand(const QModelIndex &parent, const QString &name);
    void select(const QModelIndex &index);

    std::unique_ptr<QTemporaryDir> m_tmp;
    QString m_demo;
    std::unique_ptr<MainWindow> m_window;
    BucketBrowserModel *m_model = nullptr;
    QTreeView *m_view = nullptr;
};

void TstGuiBrowser::init()
{
    m_tmp = std::make_unique<QTemporaryDir>();
    m_demo = m_tmp->filePath(QStringLiteral("demo"));
    const Result<QString> profile = DemoWorkspace::create(m_demo);
    QVERIFY(profile.ok());
    for (const char *name : {"blob10.bin", "blob2.bin", "blob1.bin", "Blob3.bin"})
        QVERIFY(writeFile(devBucket() + QStringLiteral("/workspace/blobs/") + QLatin1String(name),
                          QByteArray(int(qstrlen(name)) * 100, 'x')));
    m_window = guitest::makeWindow(*m_tmp);
    m_window->show();
    QSignalSpy opened(m_window.get(), &MainWindow::profileOpened);
    m_window->openProfile(profile.value());
    QTRY_VERIFY_WITH_TIMEOUT(opened.count() >= 1, 10000);
    m_window->selectRow(0);
    m_window->findChild<QTabWidget *>(QStringLiteral("detailTabs"))->setCurrentIndex(1);
    m_model = m_window->browserModel();
    m_view = m_window->findChild<QTreeView *>(QStringLiteral("contentsView"));
    QVERIFY(m_view && m_view->model() == m_model);
    QTRY_VERIFY_WITH_TIMEOUT(find({}, QStringLiteral("clawdbot/")).isValid(), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(m_model->hasTotals(), 10000);
}

void TstGuiBrowser::cleanup()
{
    m_window.reset();
    m_tmp.reset();
    FileDialog::presetAnswer(QString());
}

QModelIndex TstGuiBrowser::find(const QModelIndex &parent, const QString &name) const
{
    return guitest::childNamed(m_model, parent, name);
}

QModelIndex TstGuiBrowser::expand(const QModelIndex &parent, const QString &name)
{
    const QModelIndex dir = find(parent, name);
    if (!dir.isValid())
        return {};
    m_view->expand(dir);
    if (m_model->canFetchMore(dir))
        m_model->fetchMore(dir);
    QElapsedTimer t;
    t.start();
    while (m_model->rowCount(find(parent, name)) == 0 && t.elapsed() < 10000)
        QTest::qWait(20);
    return find(parent, name);
}

void TstGuiBrowser::select(const QModelIndex &index)
{
    m_view->setCurrentIndex(index);
}

void TstGuiBrowser::folderSizesAndCounts()
{
    for (const QString &folder : {QStringLiteral("clawdbot/"), QStringLiteral("workspace/")}) {
        const QMap<QString, qint64> files = filesUnder(devBucket() + QLatin1Char('/') + folder);
        qint64 bytes = 0;
        for (qint64 b : files)
            bytes += b;
        QVERIFY(files.size() > 3);
        const QModelIndex dir = find({}, folder);
        QCOMPARE(dir.siblingAtColumn(BucketBrowserModel::ObjectsColumn).data().toString(),
                 QLocale().toString(files.size()));
        QCOMPARE(dir.siblingAtColumn(BucketBrowserModel::SizeColumn).data().toString(), formatBytes(bytes));
        QCOMPARE(dir.data(BucketBrowserModel::SizeRole).toLongLong(), bytes);
        // The details line below the tree says the same.
        select(dir);
        auto *details = m_window->findChild<QLabel *>(QStringLiteral("objectDetails"));
        QTRY_VERIFY(
            details->text().contains(QStringLiteral("%1 objects").arg(QLocale().toString(files.size()))));
    }
    // A subfolder gets its own totals as soon as it is listed.
    const QModelIndex agents = expand(expand({}, QStringLiteral("clawdbot/")), QStringLiteral("agents/"));
    QVERIFY(agents.isValid());
    QCOMPARE(agents.siblingAtColumn(BucketBrowserModel::ObjectsColumn).data().toString(),
             QLocale().toString(filesUnder(devBucket() + QStringLiteral("/clawdbot/agents")).size()));
}

void TstGuiBrowser::naturalOrder()
{
    const QModelIndex blobs = expand(expand({}, QStringLiteral("workspace/")), QStringLiteral("blobs/"));
    QVERIFY(blobs.isValid());
    QStringList names;
    for (int r = 0; r < m_model->rowCount(blobs); ++r)
        names << m_model->index(r, 0, blobs).data().toString();
    QCOMPARE(names, (QStringList{QStringLiteral("blob1.bin"), QStringLiteral("blob2.bin"),
                                 QStringLiteral("Blob3.bin"), QStringLiteral("blob10.bin")}));
    // Folders before files at the top level.
    QVERIFY(find({}, QStringLiteral("workspace/")).row() < find({}, QStringLiteral(".last-sync")).row());
}

void TstGuiBrowser::filterSearchesTheWholeBucket()
{
    auto *filter = m_window->findChild<QLineEdit *>(QStringLiteral("browserFilter"));
    QVERIFY(filter && filter->isVisible());
    // Nothing under workspace/ was expanded: the search still finds its keys.
    QTest::keyClicks(filter, QStringLiteral("BLOB1"));
    QStringList keys;
    for (int r = 0; r < m_model->rowCount(); ++r)
        keys << m_model->index(r, 0).data(BucketBrowserModel::KeyRole).toString();
    QCOMPARE(keys, (QStringList{QStringLiteral("workspace/blobs/blob1.bin"),
                                QStringLiteral("workspace/blobs/blob10.bin")}));
    QTest::keyClicks(filter, QStringLiteral("zzz"));
    QCOMPARE(m_model->rowCount(), 1);
    QVERIFY(m_model->index(0, 0).data().toString().startsWith(QStringLiteral("no key contains")));
    filter->clear();
    QTRY_VERIFY_WITH_TIMEOUT(find({}, QStringLiteral("clawdbot/")).isValid(), 10000);
    QVERIFY(m_model->hasChildren(find({}, QStringLiteral("clawdbot/"))));
}

void TstGuiBrowser::objectDetails()
{
    const QModelIndex json = find(expand({}, QStringLiteral("clawdbot/")), QStringLiteral("clawdbot.json"));
    QVERIFY(json.isValid());
    auto *details = m_window->findChild<QLabel *>(QStringLiteral("objectDetails"));
    QSignalSpy shown(m_window->browserPanel(), &BrowserPanel::detailsShown);
    select(json);
    QTRY_VERIFY_WITH_TIMEOUT(
        !shown.isEmpty() && shown.last().at(0).toString() == QLatin1String("clawdbot/clawdbot.json"), 10000);
    const QFileInfo fi(devBucket() + QStringLiteral("/clawdbot/clawdbot.json"));
    const QString text = details->text();
    QVERIFY2(text.contains(QStringLiteral("(%1 bytes)").arg(QLocale().toString(fi.size()))),
             qPrintable(text));
    QVERIFY2(text.contains(fi.lastModified().toUTC().toString(Qt::ISODate)), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("content type: application/json")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("ETag: none")), qPrintable(text)); // a mount has none: said so
}

void TstGuiBrowser::textViewerIsReadOnly()
{
    const QModelIndex json = find(expand({}, QStringLiteral("clawdbot/")), QStringLiteral("clawdbot.json"));
    select(json);
    m_view->findChild<QAction *>(QStringLiteral("actionViewObject"))->trigger();
    QPlainTextEdit *edit = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((edit = m_window->findChild<QPlainTextEdit *>(QStringLiteral("textViewerEdit"))),
                             10000);
    QVERIFY(edit->isReadOnly());
    QCOMPARE(edit->toPlainText(),
             QString::fromUtf8(readFile(devBucket() + QStringLiteral("/clawdbot/clawdbot.json"))));
    QVERIFY(edit->window()->windowTitle().contains(QStringLiteral("Read-Only")));
    // Typing changes nothing, in the viewer or in the bucket.
    const QByteArray before = readFile(devBucket() + QStringLiteral("/clawdbot/clawdbot.json"));
    QTest::keyClicks(edit, QStringLiteral("tampered"));
    QVERIFY(!edit->toPlainText().contains(QStringLiteral("tampered")));
    QCOMPARE(readFile(devBucket() + QStringLiteral("/clawdbot/clawdbot.json")), before);
    edit->window()->close();

    // Binary content is not shown as text.
    QVERIFY(writeFile(devBucket() + QStringLiteral("/workspace/blobs/blob1.bin"), QByteArray("a\0b\xff", 4)));
    const QModelIndex blob = find(expand(expand({}, QStringLiteral("workspace/")), QStringLiteral("blobs/")),
                                  QStringLiteral("blob1.bin"));
    select(blob);
    QSignalSpy messages(m_window->browserPanel(), &BrowserPanel::message);
    m_view->findChild<QAction *>(QStringLiteral("actionViewObject"))->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(
        !messages.isEmpty() && messages.last().at(0).toString().contains(QStringLiteral("not text")), 10000);
}

void TstGuiBrowser::downloadFolderAndFile()
{
    const QString target = m_tmp->filePath(QStringLiteral("downloads"));
    QVERIFY(QDir().mkpath(target));
    FileDialog::presetAnswer(target); // Download…'s folder chooser answers without showing
    QSignalSpy done(m_window->browserPanel(), &BrowserPanel::downloadFinished);
    const QModelIndex agents = find(expand({}, QStringLiteral("clawdbot/")), QStringLiteral("agents/"));
    select(agents);
    m_view->findChild<QAction *>(QStringLiteral("actionDownload"))->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(done.count() == 1, 20000);
    const QMap<QString, qint64> source = filesUnder(devBucket() + QStringLiteral("/clawdbot/agents"));
    const QMap<QString, qint64> got = filesUnder(target + QStringLiteral("/agents"));
    QCOMPARE(got.keys(), source.keys());
    for (const QString &rel : source.keys())
        QCOMPARE(readFile(target + QStringLiteral("/agents/") + rel),
                 readFile(devBucket() + QStringLiteral("/clawdbot/agents/") + rel));
    QVERIFY2(done.last().at(0).toString().contains(QStringLiteral("downloaded %1 file").arg(source.size())),
             qPrintable(done.last().at(0).toString()));

    // A file; an existing local file is never overwritten.
    const QString local = target + QStringLiteral("/clawdbot.json");
    QVERIFY(writeFile(local, "mine"));
    select(find(find({}, QStringLiteral("clawdbot/")), QStringLiteral("clawdbot.json")));
    m_view->findChild<QAction *>(QStringLiteral("actionDownload"))->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(done.count() == 2, 20000);
    QCOMPARE(readFile(local), QByteArray("mine"));
    QVERIFY2(done.last().at(0).toString().contains(QStringLiteral("1 already there, kept")),
             qPrintable(done.last().at(0).toString()));
    QFile::remove(local);
    m_view->findChild<QAction *>(QStringLiteral("actionDownload"))->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(done.count() == 3, 20000);
    QCOMPARE(readFile(local), readFile(devBucket() + QStringLiteral("/clawdbot/clawdbot.json")));
    // And the activity log says so.
    QTRY_VERIFY_WITH_TIMEOUT(readFile(m_window->activityLogPath()).contains("\"download\""), 10000);
}

QTEST_MAIN(TstGuiBrowser)
#include "tst_gui_browser.moc"

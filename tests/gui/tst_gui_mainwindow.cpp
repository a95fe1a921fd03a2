// The real MainWindow on the demo workspace, under the offscreen platform.
#include "ActionDialog.h"
#include "ActivityLogModel.h"
#include "AuditModels.h"
#include "BucketBrowserModel.h"
#include "DemoWorkspace.h"
#include "EnvironmentTableModel.h"
#include "FileDialog.h"
#include "GuiFixture.h"
#include "LastSync.h"
#include "MainWindow.h"
#include "PlanModel.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QCheckBox>
#include <QDirIterator>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

using namespace moltdesk;
using guitest::readFile;
using guitest::writeFile;

namespace {

// Every file under dir: relative path -> size and mtime, to prove nothing was written.
QMap<QString, QString> snapshot(const QString &dir)
{
    QMap<QString, QString> out;
    QDirIterator it(dir, QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        const QFileInfo fi = it.fileInfo();
        out.insert(QDir(dir).relativeFilePath(fi.filePath()),
                   QStringLiteral("%1@%2").arg(fi.size()).arg(fi.lastModified().toMSecsSinceEpoch()));
    }
    return out;
}

// Objects and bytes in a mount-mode bucket, counted independently of the core.
QPair<qint64, qint64> usage(const QString &dir)
{
    qint64 n = 0, bytes = 0;
    QDirIterator it(dir, QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        ++n;
        bytes += it.fileInfo().size();
    }
    return {n, bytes};
}

} // namespace

class TstGuiMainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void environmentsTable();
    void contentsBrowser();
    void syncDevelopment();
    void productionNeedsTypedName();
    void cancelMidSync();
    void crossWiredBannerFails();
    void deleteGuardOverride();
    void crossWiredRefusalHasNoOverride();
    void migrationConflictOverwrite();
    void perJobCancelInStatusStrip();
    void restoreJustThis();

private:
    QString bucketDir(const QString &env) const
    {
        return m_demo + QStringLiteral("/data/data/") +
               (env.isEmpty() ? QStringLiteral("moltbot") : QStringLiteral("moltbot-") + env);
    }
    void testModel(QAbstractItemModel *m)
    {
        m_testers.emplace_back(std::make_unique<QAbstractItemModelTester>(
            m, QAbstractItemModelTester::FailureReportingMode::QtTest));
    }
    ActionDialog *startSync(int row);
    ActionDialog *startAction(Plan::Kind kind, int row);
    void writeBulk(int files);

    std::unique_ptr<QTemporaryDir> m_tmp;
    QString m_demo;
    std::unique_ptr<MainWindow> m_window;
    std::vector<std::unique_ptr<QAbstractItemModelTester>> m_testers;
};

void TstGuiMainWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TstGuiMainWindow::init()
{
    m_tmp = std::make_unique<QTemporaryDir>();
    QVERIFY(m_tmp->isValid());
    m_demo = m_tmp->filePath(QStringLiteral("demo"));
    const Result<QString> profile = DemoWorkspace::create(m_demo);
    QVERIFY2(profile.ok(), qPrintable(profile.ok() ? QString() : profile.error().toString()));

    m_window = guitest::makeWindow(*m_tmp);
    testModel(m_window->environmentModel());
    testModel(m_window->findChild<QTableView *>(QStringLiteral("environmentsTable"))->model());
    testModel(m_window->activityModel());
    testModel(m_window->browserModel());
    testModel(m_window->matrixModel());
    testModel(m_window->pathModel());
    testModel(m_window->findingsModel());
    m_window->show();
    QSignalSpy opened(m_window.get(), &MainWindow::profileOpened);
    QSignalSpy refreshed(m_window.get(), &MainWindow::statusRefreshed);
    QSignalSpy audited(m_window.get(), &MainWindow::auditFinished);
    m_window->openProfile(profile.value());
    QTRY_VERIFY_WITH_TIMEOUT(opened.count() >= 1, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(refreshed.count() >= 1, 20000); // a loaded machine may see a second refresh
    QTRY_VERIFY_WITH_TIMEOUT(audited.count() >= 1, 20000);
}

void TstGuiMainWindow::cleanup()
{
    guitest::closeDialogs(m_window);
    m_testers.clear();
    m_window.reset();
    FileDialog::presetAnswer(QString());
    m_tmp.reset();
}

void TstGuiMainWindow::environmentsTable()
{
    auto *table = m_window->findChild<QTableView *>(QStringLiteral("environmentsTable"));
    QVERIFY(table);
    QAbstractItemModel *m = table->model();
    QCOMPARE(m->rowCount(), 3);
    QCOMPARE(m->columnCount(), 8);
    const auto cell = [m](int r, int c, int role = Qt::DisplayRole) { return m->index(r, c).data(role); };
    using C = EnvironmentTableModel;

    // development: fresh, marked, ok.
    QCOMPARE(cell(0, C::EnvironmentColumn).toString(), QStringLiteral("development"));
    QCOMPARE(cell(0, C::BucketColumn).toString(), QStringLiteral("moltbot-data-development"));
    QCOMPARE(cell(0, C::MountColumn).toString(), QStringLiteral("/data/moltbot-development"));
    const QString devAge = cell(0, C::LastSyncColumn).toString();
    QVERIFY2(devAge == QStringLiteral("4 min ago") || devAge == QStringLiteral("5 min ago"),
             qPrintable(devAge));
    const QByteArray devRaw =
        readFile(bucketDir(QStringLiteral("development")) + QStringLiteral("/.last-sync"));
    QCOMPARE(cell(0, C::LastSyncColumn, Qt::ToolTipRole).toString(),
             LastSync::parse(devRaw).value().toUTC().toString(Qt::ISODate));
    QCOMPARE(cell(0, C::LastSyncColumn, C::StaleRole).toBool(), false);
    const auto devUse = usage(bucketDir(QStringLiteral("development")));
    QCOMPARE(cell(0, C::ObjectsColumn).toString(),
             QStringLiteral("%1 · %2").arg(QLocale().toString(devUse.first), formatBytes(devUse.second)));
    QCOMPARE(cell(0, C::CredentialsColumn).toString(), QStringLiteral("not needed (mount)"));
    QCOMPARE(cell(0, C::HealthColumn, C::HealthRole).toInt(), int(Health::Ok));
    QCOMPARE(cell(0, C::HealthColumn).toString(), QStringLiteral("ok"));
    QVERIFY(!cell(0, C::EnvironmentColumn, Qt::ForegroundRole).isValid());

    // production: capitals, its own colour, two days stale, warning.
    QCOMPARE(cell(1, C::EnvironmentColumn).toString(), QStringLiteral("PRODUCTION"));
    QCOMPARE(cell(1, C::EnvironmentColumn, Qt::ForegroundRole).value<QColor>(), C::productionColor());
    QVERIFY(cell(1, C::EnvironmentColumn, Qt::FontRole).value<QFont>().bold());
    QCOMPARE(cell(1, C::BucketColumn).toString(), QStringLiteral("moltbot-data-production"));
    QCOMPARE(cell(1, C::MountColumn).toString(), QStringLiteral("/data/moltbot-production"));
    QCOMPARE(cell(1, C::LastSyncColumn).toString(), QStringLiteral("2 days ago  (stale)"));
    QVERIFY(cell(1, C::LastSyncColumn, C::StaleRole).toBool());
    QVERIFY(cell(1, C::LastSyncColumn, Qt::BackgroundRole).isValid());
    const auto prodUse = usage(bucketDir(QStringLiteral("production")));
    QCOMPARE(cell(1, C::ObjectsColumn).toString(),
             QStringLiteral("%1 · %2").arg(QLocale().toString(prodUse.first), formatBytes(prodUse.second)));
    QCOMPARE(cell(1, C::HealthColumn, C::HealthRole).toInt(), int(Health::Warning));
    QVERIFY(
        cell(1, C::HealthColumn, Qt::ToolTipRole).toString().contains(QStringLiteral("no identity marker")));

    // legacy: the old bucket, an absolute date, not counted as stale.
    QCOMPARE(cell(2, C::EnvironmentColumn).toString(), QStringLiteral("(legacy)"));
    QCOMPARE(cell(2, C::BucketColumn).toString(), QStringLiteral("moltbot-data"));
    QCOMPARE(cell(2, C::MountColumn).toString(), QStringLiteral("/data/moltbot"));
    const QDateTime legacyWhen =
        QDateTime::fromString(QStringLiteral("2026-02-03T18:02:11+00:00"), Qt::ISODate);
    QCOMPARE(cell(2, C::LastSyncColumn).toString(),
             QLocale().toString(legacyWhen.toLocalTime(), QStringLiteral("yyyy-MM-dd HH:mm")));
    QCOMPARE(cell(2, C::LastSyncColumn, C::StaleRole).toBool(), false);
    const auto legacyUse = usage(bucketDir(QString()));
    QCOMPARE(
        cell(2, C::ObjectsColumn).toString(),
        QStringLiteral("%1 · %2").arg(QLocale().toString(legacyUse.first), formatBytes(legacyUse.second)));
    for (int r = 0; r < 3; ++r)
        QVERIFY(!cell(r, C::HealthColumn, C::UpdatingRole).toBool());

    // The demo has no deployed worker: the Deployment column says so, never a green.
    QCOMPARE(m->headerData(C::DeploymentColumn, Qt::Horizontal).toString(), QStringLiteral("Deployment"));
    for (int r = 0; r < 3; ++r) {
        QCOMPARE(cell(r, C::DeploymentColumn).toString(),
                 QStringLiteral("not checked — no worker configured"));
        QCOMPARE(cell(r, C::DeploymentColumn, C::DeploymentHealthRole).toInt(), int(Health::Unknown));
        QVERIFY(
            cell(r, C::DeploymentColumn, Qt::ToolTipRole).toString().contains(QLatin1String("\"workers\"")));
    }

    // Sorting goes through the proxy and keeps every row intact.
    table->sortByColumn(C::EnvironmentColumn, Qt::DescendingOrder);
    QCOMPARE(cell(0, C::EnvironmentColumn).toString(), QStringLiteral("PRODUCTION"));
}

void TstGuiMainWindow::contentsBrowser()
{
    m_window->selectRow(0);
    auto *tabs = m_window->findChild<QTabWidget *>(QStringLiteral("detailTabs"));
    QVERIFY(tabs);
    QCOMPARE(tabs->count(), 4);
    tabs->setCurrentIndex(1);
    BucketBrowserModel *b = m_window->browserModel();
    const auto find = [b](const QModelIndex &parent, const QString &name) {
        return guitest::childNamed(b, parent, name);
    };
    QTRY_VERIFY_WITH_TIMEOUT(find({}, QStringLiteral("clawdbot/")).isValid(), 10000);
    QVERIFY(find({}, QStringLiteral(".last-sync")).isValid());
    const QModelIndex claw = find({}, QStringLiteral("clawdbot/"));
    QVERIFY(b->hasChildren(claw));
    // Listed only when asked (the model tester asks for everything as soon as it sees a row).
    if (b->canFetchMore(claw))
        b->fetchMore(claw);
    QTRY_VERIFY_WITH_TIMEOUT(
        find(find({}, QStringLiteral("clawdbot/")), QStringLiteral("clawdbot.json")).isValid(), 10000);
    const QModelIndex json = find(find({}, QStringLiteral("clawdbot/")), QStringLiteral("clawdbot.json"));
    QCOMPARE(json.data(BucketBrowserModel::KeyRole).toString(), QStringLiteral("clawdbot/clawdbot.json"));
    QCOMPARE(json.siblingAtColumn(BucketBrowserModel::SizeColumn).data().toString(),
             formatBytes(QFileInfo(bucketDir(QStringLiteral("development")) +
                                   QStringLiteral("/clawdbot/clawdbot.json"))
                             .size()));
}

ActionDialog *TstGuiMainWindow::startSync(int row)
{
    m_window->selectRow(row);
    auto *action = m_window->findChild<QAction *>(QStringLiteral("actionSync"));
    if (!action || !action->isEnabled())
        return nullptr;
    action->trigger();
    auto *dlg = m_window->findChild<ActionDialog *>(QStringLiteral("actionDialog"));
    if (dlg) {
        testModel(dlg->findChild<PlanModel *>());
        testModel(dlg->findChild<QTableView *>(QStringLiteral("planTable"))->model());
    }
    return dlg;
}

void TstGuiMainWindow::syncDevelopment()
{
    const QString lastSyncPath = bucketDir(QStringLiteral("development")) + QStringLiteral("/.last-sync");
    const QByteArray before = readFile(lastSyncPath);
    QVERIFY(!before.isEmpty());
    QTest::qWait(1100); // .last-sync has second resolution
    ActionDialog *dlg = startSync(0);
    QVERIFY(dlg);
    QVERIFY(!dlg->isModal());
    QCOMPARE(dlg->findChild<QLabel *>(QStringLiteral("targetLabel"))
                 ->text()
                 .contains(QStringLiteral("into moltbot-data-development")),
             true);
    auto *run = dlg->findChild<QPushButton *>(QStringLiteral("runButton"));
    QTRY_VERIFY_WITH_TIMEOUT(run->isEnabled(), 20000);
    QVERIFY(!dlg->findChild<QLineEdit *>(QStringLiteral("confirmEdit"))->isVisible());
    QVERIFY(!dlg->findChild<QLabel *>(QStringLiteral("countsLabel"))->text().isEmpty());
    QSignalSpy progress(dlg->job(), &Job::progress);
    QSignalSpy finished(dlg->job(), &Job::finished);
    QSignalSpy written(m_window.get(), &MainWindow::activityWritten);
    const int logRows = m_window->activityModel()->rowCount();
    QTest::mouseClick(run, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
    const auto result = finished.at(0).at(0).value<JobResult>();
    QVERIFY2(result.ok(), qPrintable(result.summaryLine()));
    QVERIFY(progress.count() > 0);
    auto *resultLabel = dlg->findChild<QLabel *>(QStringLiteral("resultLabel"));
    QTRY_VERIFY(resultLabel->isVisible()); // the spy hears the worker's signal before the dialog does
    auto *bar = dlg->findChild<QProgressBar *>(QStringLiteral("progressBar"));
    QCOMPARE(bar->value(), bar->maximum());
    QVERIFY(!dlg->findChild<QLabel *>(QStringLiteral("progressLabel"))->text().isEmpty());
    QCOMPARE(resultLabel->text(), result.summaryLine());

    // The bucket's .last-sync changed to a fresh, valid value.
    const QByteArray after = readFile(lastSyncPath);
    QVERIFY(after != before);
    const auto when = LastSync::parse(after);
    QVERIFY(when.ok());
    QVERIFY(qAbs(when.value().secsTo(QDateTime::currentDateTimeUtc())) < 120);

    // A log entry in the view and in the file.
    QTRY_COMPARE_WITH_TIMEOUT(written.count(), 1, 10000);
    QCOMPARE(m_window->activityModel()->rowCount(), logRows + 1);
    const ActivityEntry e = m_window->activityModel()->entry(0);
    QCOMPARE(e.environment, QStringLiteral("development"));
    QCOMPARE(e.action, QStringLiteral("sync"));
    QCOMPARE(e.outcome, result.outcomeName());
    const QList<QByteArray> lines = readFile(m_window->activityLogPath()).split('\n');
    QVERIFY(lines.size() >= 2);
    const QJsonObject last = QJsonDocument::fromJson(lines.at(lines.size() - 2)).object();
    QCOMPARE(last.value(QStringLiteral("action")).toString(), QStringLiteral("sync"));
    QCOMPARE(last.value(QStringLiteral("environment")).toString(), QStringLiteral("development"));
    QCOMPARE(last.value(QStringLiteral("result")).toString(), result.summaryLine());
    // The log filter finds it; a nonsense filter hides it.
    auto *filter = m_window->findChild<QLineEdit *>(QStringLiteral("logFilter"));
    auto *logView = m_window->findChild<QTableView *>(QStringLiteral("logView"));
    filter->setText(QStringLiteral("sync"));
    QVERIFY(logView->model()->rowCount() >= 1);
    filter->setText(QStringLiteral("no-such-entry-xyz"));
    QCOMPARE(logView->model()->rowCount(), 0);

    // The row refreshes itself after the run.
    QTRY_VERIFY_WITH_TIMEOUT(
        m_window->environmentModel()->index(0, EnvironmentTableModel::LastSyncColumn).data() ==
            QStringLiteral("just now"),
        10000);
}

void TstGuiMainWindow::productionNeedsTypedName()
{
    const QString bucket = bucketDir(QStringLiteral("production"));
    // The demo's production bucket holds ten sessions the source does not: within the default delete
    // limit, so the plan is applicable and only the typed name guards it.
    const auto before = snapshot(bucket);
    ActionDialog *dlg = startSync(1);
    QVERIFY(dlg);
    QVERIFY(dlg->findChild<QLabel *>(QStringLiteral("targetLabel"))
                ->text()
                .contains(QStringLiteral("into moltbot-data-production")));
    auto *confirm = dlg->findChild<QLineEdit *>(QStringLiteral("confirmEdit"));
    auto *run = dlg->findChild<QPushButton *>(QStringLiteral("runButton"));
    QTRY_VERIFY_WITH_TIMEOUT(!dlg->findChild<QLabel *>(QStringLiteral("countsLabel"))->text().isEmpty(),
                             20000);
    QVERIFY2(!dlg->findChild<QLabel *>(QStringLiteral("refusalLabel"))->isVisible(),
             qPrintable(dlg->findChild<QLabel *>(QStringLiteral("refusalLabel"))->text()));
    QTRY_VERIFY_WITH_TIMEOUT(confirm->isVisible(), 20000);
    QVERIFY(!run->isEnabled());
    QSignalSpy finished(dlg->job(), &Job::finished);
    for (const QString &wrong : {QStringLiteral("Production"), QStringLiteral("prod"),
                                 QStringLiteral("production "), QStringLiteral("development")}) {
        confirm->clear();
        QTest::keyClicks(confirm, wrong);
        QVERIFY2(!run->isEnabled(), qPrintable(wrong));
        QTest::mouseClick(run, Qt::LeftButton);
    }
    QTest::keyClick(confirm, Qt::Key_Return);
    QTest::qWait(500);
    QCOMPARE(finished.count(), 0);
    QCOMPARE(snapshot(bucket), before);
    // The right name enables Run (so the check above can fail); we do not press it.
    confirm->clear();
    QTest::keyClicks(confirm, QStringLiteral("production"));
    QVERIFY(run->isEnabled());
    QCOMPARE(snapshot(bucket), before);
}

void TstGuiMainWindow::cancelMidSync()
{
    // A source big enough that the sync is still running when we cancel: 400 files of 256 KiB,
    // transferred one at a time.
    const QString src = m_demo + QStringLiteral("/container/root/.clawdbot/bulk");
    QRandomGenerator rng(42);
    QByteArray chunk(256 * 1024, Qt::Uninitialized);
    for (int i = 0; i < 400; ++i) {
        for (qsizetype j = 0; j < chunk.size(); j += 4)
            *reinterpret_cast<quint32 *>(chunk.data() + j) = rng.generate();
        QVERIFY(writeFile(src + QStringLiteral("/blob%1.bin").arg(i, 4, 10, QLatin1Char('0')), chunk));
    }
    m_window->setJobConcurrency(1);
    const QString lastSyncPath = bucketDir(QStringLiteral("development")) + QStringLiteral("/.last-sync");
    const QByteArray before = readFile(lastSyncPath);
    ActionDialog *dlg = startSync(0);
    QVERIFY(dlg);
    auto *run = dlg->findChild<QPushButton *>(QStringLiteral("runButton"));
    QTRY_VERIFY_WITH_TIMEOUT(run->isEnabled(), 60000);
    QSignalSpy progress(dlg->job(), &Job::progress);
    QSignalSpy finished(dlg->job(), &Job::finished);
    QTest::mouseClick(run, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(progress.count() > 0 || finished.count() > 0, 30000);
    QCOMPARE(finished.count(), 0); // still running: the cancel below is mid-sync
    auto *cancel = dlg->findChild<QPushButton *>(QStringLiteral("cancelButton"));
    QVERIFY(cancel->isVisible() && cancel->isEnabled());
    QTest::mouseClick(cancel, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
    const auto result = finished.at(0).at(0).value<JobResult>();
    QCOMPARE(result.outcome, JobResult::Outcome::Cancelled);
    QVERIFY(result.uploaded < 400);
    QCOMPARE(readFile(lastSyncPath), before);
    auto *resultLabel = dlg->findChild<QLabel *>(QStringLiteral("resultLabel"));
    QTRY_VERIFY(resultLabel->isVisible());
    QVERIFY2(resultLabel->text().startsWith(QStringLiteral("cancelled")), qPrintable(resultLabel->text()));
}

void TstGuiMainWindow::crossWiredBannerFails()
{
    auto *banner = m_window->findChild<QLabel *>(QStringLiteral("isolationBanner"));
    QVERIFY(banner);
    const QString initialState = banner->property("state").toString();
    QVERIFY(initialState == QStringLiteral("holds") || initialState == QStringLiteral("broken"));
    const int failuresBefore = [this] {
        int n = 0;
        for (int r = 0; r < m_window->findingsModel()->rowCount(); ++r)
            n += m_window->findingsModel()->finding(r).severity == Severity::Failure;
        return n;
    }();

    // Cross-wire: the development bucket claims to be production's.
    QVERIFY(writeFile(bucketDir(QStringLiteral("development")) + QStringLiteral("/.moltdesk-environment"),
                      R"({"environment":"production","bucket":"moltbot-data-production"})"));
    QSignalSpy audited(m_window.get(), &MainWindow::auditFinished);
    m_window->findChild<QAction *>(QStringLiteral("actionVerify"))->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(audited.count(), 1, 20000);
    const auto report = audited.at(0).at(0).value<AuditReport>();
    QVERIFY(report.count(Severity::Failure) > failuresBefore);
    QCOMPARE(banner->property("state").toString(), QStringLiteral("broken"));
    QVERIFY2(banner->text().startsWith(
                 QStringLiteral("✘ Isolation broken: %1 failure").arg(report.count(Severity::Failure))),
             qPrintable(banner->text()));
    // The failures are listed first, in red, with a remedy.
    FindingsModel *f = m_window->findingsModel();
    QVERIFY(f->rowCount() > 0);
    QCOMPARE(f->finding(0).severity, Severity::Failure);
    QCOMPARE(f->index(0, FindingsModel::TitleColumn).data(Qt::ForegroundRole).value<QColor>(),
             QColor(0xc6, 0x28, 0x28));
    bool mentionsDev = false;
    for (int r = 0; r < f->rowCount(); ++r)
        mentionsDev |= f->finding(r).severity == Severity::Failure &&
                       f->finding(r).environment == QStringLiteral("development");
    QVERIFY(mentionsDev);

    // Putting the right marker back makes the new failure go away again.
    QVERIFY(writeFile(bucketDir(QStringLiteral("development")) + QStringLiteral("/.moltdesk-environment"),
                      R"({"environment":"development","bucket":"moltbot-data-development"})"));
    m_window->verifyIsolation();
    QTRY_COMPARE_WITH_TIMEOUT(audited.count(), 2, 20000);
    QCOMPARE(audited.at(1).at(0).value<AuditReport>().count(Severity::Failure), failuresBefore);
    QCOMPARE(banner->property("state").toString(), initialState);
}

ActionDialog *TstGuiMainWindow::startAction(Plan::Kind kind, int row)
{
    ActionDialog *dlg = m_window->startAction(kind, row);
    if (dlg) {
        testModel(dlg->findChild<PlanModel *>());
        testModel(dlg->findChild<QTableView *>(QStringLiteral("planTable"))->model());
    }
    return dlg;
}

// Files of 256 KiB in the container's .clawdbot: a sync big enough to still run when we cancel it.
void TstGuiMainWindow::writeBulk(int files)
{
    const QString src = m_demo + QStringLiteral("/container/root/.clawdbot/bulk");
    QRandomGenerator rng(42);
    QByteArray chunk(256 * 1024, Qt::Uninitialized);
    for (int i = 0; i < files; ++i) {
        for (qsizetype j = 0; j < chunk.size(); j += 4)
            *reinterpret_cast<quint32 *>(chunk.data() + j) = rng.generate();
        QVERIFY(writeFile(src + QStringLiteral("/blob%1.bin").arg(i, 4, 10, QLatin1Char('0')), chunk));
    }
}

void TstGuiMainWindow::deleteGuardOverride()
{
    // Objects only the bucket holds, under a synced prefix: the sync would delete them all, more than the
    // default limit (a quarter of the synced objects, at least 5).
    const QString bucket = bucketDir(QStringLiteral("development"));
    const qint64 objectsBefore = usage(bucket).first;
    const int extra = int(objectsBefore) + 10;
    QStringList extraKeys;
    for (int i = 0; i < extra; ++i) {
        extraKeys << QStringLiteral("clawdbot/stale/old%1.txt").arg(i);
        QVERIFY(writeFile(bucket + QLatin1Char('/') + extraKeys.last(), QByteArray::number(i)));
    }
    ActionDialog *dlg = startAction(Plan::Kind::Sync, 0);
    QVERIFY(dlg);
    auto *refusal = dlg->findChild<QLabel *>(QStringLiteral("refusalLabel"));
    auto *box = dlg->findChild<QWidget *>(QStringLiteral("overrideBox"));
    auto *check = dlg->findChild<QCheckBox *>(QStringLiteral("overrideCheck"));
    auto *spin = dlg->findChild<QSpinBox *>(QStringLiteral("maxDeleteSpin"));
    auto *run = dlg->findChild<QPushButton *>(QStringLiteral("runButton"));
    QVERIFY(refusal && box && check && spin && run);
    QTRY_VERIFY_WITH_TIMEOUT(refusal->isVisible(), 20000);
    QVERIFY2(refusal->text().contains(QStringLiteral("--max-delete")), qPrintable(refusal->text()));
    QCOMPARE(dlg->job()->plan().refusal->code, QString::fromLatin1(RefusalCode::DeleteLimit));
    const qint64 deletions = dlg->job()->plan().counts().countOf(PlanAction::Delete);
    QVERIFY(deletions >= extra);
    for (const QString &k : std::as_const(extraKeys))
        QVERIFY(
            std::any_of(dlg->job()->plan().items.cbegin(), dlg->job()->plan().items.cend(),
                        [&k](const PlanItem &i) { return i.key == k && i.action == PlanAction::Delete; }));
    // The override is offered, off, and pre-set to what this plan deletes; Run stays disabled.
    QVERIFY(box->isVisible());
    QVERIFY(!check->isChecked());
    QCOMPARE(spin->value(), int(deletions));
    QVERIFY(!run->isEnabled());
    const auto before = snapshot(bucket);

    // One deletion short of the plan: planned again, still refused, with the new limit in the message.
    Job *first = dlg->job();
    spin->setValue(int(deletions) - 1);
    QTest::mouseClick(check, Qt::LeftButton, {}, QPoint(4, check->height() / 2));
    QVERIFY(check->isChecked());
    QTRY_VERIFY_WITH_TIMEOUT(dlg->job() != first && refusal->isVisible() &&
                                 refusal->text().contains(QStringLiteral("limit of %1").arg(deletions - 1)),
                             20000);
    QVERIFY(!run->isEnabled());
    QTest::mouseClick(run, Qt::LeftButton);
    QTest::qWait(300);
    QCOMPARE(snapshot(bucket), before);

    // Exactly the plan's deletions: runnable.
    spin->setValue(int(deletions));
    QTRY_VERIFY_WITH_TIMEOUT(!refusal->isVisible() && run->isEnabled(), 20000);
    QVERIFY(!dlg->job()->plan().refusal);
    QCOMPARE(dlg->overrideFlag(), QStringLiteral("--max-delete %1").arg(deletions));
    QCOMPARE(dlg->job()->plan().counts().countOf(PlanAction::Delete), deletions);
    QSignalSpy finished(dlg->job(), &Job::finished);
    QSignalSpy written(m_window.get(), &MainWindow::activityWritten);
    QTest::mouseClick(run, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
    const auto result = finished.at(0).at(0).value<JobResult>();
    QVERIFY2(result.ok(), qPrintable(result.summaryLine()));
    QCOMPARE(result.deleted, deletions);
    for (const QString &k : std::as_const(extraKeys))
        QVERIFY2(!QFileInfo::exists(bucket + QLatin1Char('/') + k), qPrintable(k));
    QVERIFY(QFileInfo::exists(bucket + QStringLiteral("/clawdbot/clawdbot.json")));
    // The log says the override was used.
    QTRY_VERIFY_WITH_TIMEOUT(written.count() >= 1, 10000);
    QVERIFY2(m_window->activityModel()->entry(0).planSummary.contains(
                 QStringLiteral("override --max-delete %1").arg(deletions)),
             qPrintable(m_window->activityModel()->entry(0).planSummary));
}

void TstGuiMainWindow::crossWiredRefusalHasNoOverride()
{
    const QString bucket = bucketDir(QStringLiteral("development"));
    QVERIFY(writeFile(bucket + QStringLiteral("/.moltdesk-environment"),
                      R"({"environment":"production","bucket":"moltbot-data-production"})"));
    const auto before = snapshot(bucket);
    ActionDialog *dlg = startAction(Plan::Kind::Sync, 0);
    QVERIFY(dlg);
    auto *refusal = dlg->findChild<QLabel *>(QStringLiteral("refusalLabel"));
    QTRY_VERIFY_WITH_TIMEOUT(refusal->isVisible(), 20000);
    QCOMPARE(dlg->job()->plan().refusal->code, QString::fromLatin1(RefusalCode::CrossWired));
    QVERIFY2(refusal->text().contains(QStringLiteral("cannot be overridden")), qPrintable(refusal->text()));
    QVERIFY(!dlg->findChild<QWidget *>(QStringLiteral("overrideBox"))->isVisible());
    QVERIFY(!dlg->findChild<QCheckBox *>(QStringLiteral("overrideCheck"))->isVisible());
    auto *run = dlg->findChild<QPushButton *>(QStringLiteral("runButton"));
    QVERIFY(!run->isEnabled());
    QTest::mouseClick(run, Qt::LeftButton);
    QTest::qWait(300);
    QVERIFY(dlg->overrideFlag().isEmpty());
    QCOMPARE(snapshot(bucket), before);
}

void TstGuiMainWindow::migrationConflictOverwrite()
{
    // The demo's development bucket already holds its own clawdbot.json, different from legacy's.
    const QString dev = bucketDir(QStringLiteral("development"));
    const QString legacy = bucketDir(QString());
    const QByteArray legacyConfig = readFile(legacy + QStringLiteral("/clawdbot/clawdbot.json"));
    QVERIFY(readFile(dev + QStringLiteral("/clawdbot/clawdbot.json")) != legacyConfig);
    const auto legacyBefore = snapshot(legacy);
    ActionDialog *dlg = startAction(Plan::Kind::Migrate, 0);
    QVERIFY(dlg);
    auto *refusal = dlg->findChild<QLabel *>(QStringLiteral("refusalLabel"));
    auto *check = dlg->findChild<QCheckBox *>(QStringLiteral("overrideCheck"));
    auto *run = dlg->findChild<QPushButton *>(QStringLiteral("runButton"));
    QTRY_VERIFY_WITH_TIMEOUT(refusal->isVisible(), 20000);
    QCOMPARE(dlg->job()->plan().refusal->code, QString::fromLatin1(RefusalCode::Conflicts));
    const qint64 conflicts = dlg->job()->plan().counts().countOf(PlanAction::Conflict);
    QVERIFY(conflicts > 0);
    QVERIFY(check->isVisible() && !check->isChecked());
    QVERIFY(!dlg->findChild<QSpinBox *>(QStringLiteral("maxDeleteSpin"))->isVisible());
    QVERIFY(!run->isEnabled());
    QTest::mouseClick(check, Qt::LeftButton, {}, QPoint(4, check->height() / 2));
    QTRY_VERIFY_WITH_TIMEOUT(!refusal->isVisible() && run->isEnabled(), 20000);
    QCOMPARE(dlg->overrideFlag(), QStringLiteral("--overwrite"));
    QSignalSpy finished(dlg->job(), &Job::finished);
    QTest::mouseClick(run, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
    const auto result = finished.at(0).at(0).value<JobResult>();
    QVERIFY2(result.ok(), qPrintable(result.summaryLine()));
    QCOMPARE(readFile(dev + QStringLiteral("/clawdbot/clawdbot.json")), legacyConfig);
    QCOMPARE(snapshot(legacy), legacyBefore); // the source is never modified
}

void TstGuiMainWindow::perJobCancelInStatusStrip()
{
    writeBulk(400);
    if (QTest::currentTestFailed())
        return;
    m_window->setJobConcurrency(1);
    const QString devStamp = bucketDir(QStringLiteral("development")) + QStringLiteral("/.last-sync");
    const QString prodStamp = bucketDir(QStringLiteral("production")) + QStringLiteral("/.last-sync");
    const QByteArray devBefore = readFile(devStamp);
    const QByteArray prodBefore = readFile(prodStamp);

    ActionDialog *dev = startAction(Plan::Kind::Sync, 0);
    ActionDialog *prod = startAction(Plan::Kind::Sync, 1);
    QVERIFY(dev && prod && dev != prod);
    auto *devRun = dev->findChild<QPushButton *>(QStringLiteral("runButton"));
    auto *prodRun = prod->findChild<QPushButton *>(QStringLiteral("runButton"));
    auto *prodConfirm = prod->findChild<QLineEdit *>(QStringLiteral("confirmEdit"));
    QTRY_VERIFY_WITH_TIMEOUT(devRun->isEnabled(), 60000);
    QTRY_VERIFY_WITH_TIMEOUT(prodConfirm->isVisible(), 60000);
    QTest::keyClicks(prodConfirm, QStringLiteral("production"));
    QVERIFY(prodRun->isEnabled());
    QSignalSpy devFinished(dev->job(), &Job::finished);
    QSignalSpy prodFinished(prod->job(), &Job::finished);
    QTest::mouseClick(devRun, Qt::LeftButton);
    QTest::mouseClick(prodRun, Qt::LeftButton);

    // Each running job has its own line and its own Cancel in the status strip.
    QPushButton *devCancel = nullptr;
    QPushButton *prodCancel = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT(
        (devCancel = m_window->findChild<QPushButton *>(QStringLiteral("statusCancel_development_sync"))) &&
            (prodCancel = m_window->findChild<QPushButton *>(QStringLiteral("statusCancel_production_sync"))),
        10000);
    QVERIFY(devCancel->isVisible() && prodCancel->isVisible());
    QCOMPARE(devFinished.count() + prodFinished.count(), 0); // both still running: the cancel is mid-sync
    QVERIFY(dev->isRunning() && prod->isRunning());

    QTest::mouseClick(devCancel, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(devFinished.count(), 1, 60000);
    QCOMPARE(devFinished.at(0).at(0).value<JobResult>().outcome, JobResult::Outcome::Cancelled);
    QCOMPARE(readFile(devStamp), devBefore);
    QTRY_VERIFY(!m_window->findChild<QPushButton *>(QStringLiteral("statusCancel_development_sync")));
    // Production was not cancelled with it: still running with its Cancel, or finished on its own.
    if (prodFinished.count() == 0) {
        qInfo("production still running after development was cancelled: cancelling it on its own");
        QVERIFY(prod->isRunning());
        QVERIFY(!prod->job()->plan().refusal);
        prodCancel = m_window->findChild<QPushButton *>(QStringLiteral("statusCancel_production_sync"));
        QVERIFY(prodCancel && prodCancel->isEnabled());
        QTest::qWait(200);
        QCOMPARE(prodFinished.count(), 0);
        QTest::mouseClick(prodCancel, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(prodFinished.count(), 1, 60000);
        QCOMPARE(prodFinished.at(0).at(0).value<JobResult>().outcome, JobResult::Outcome::Cancelled);
        QCOMPARE(readFile(prodStamp), prodBefore);
    } else {
        qInfo("production finished on its own before its cancel");
        QCOMPARE(prodFinished.at(0).at(0).value<JobResult>().outcome, JobResult::Outcome::Succeeded);
    }
    QTRY_VERIFY(!m_window->findChild<QPushButton *>(QStringLiteral("statusCancel_production_sync")));
}

void TstGuiMainWindow::restoreJustThis()
{
    const QString bucket = bucketDir(QStringLiteral("development"));
    const QString chosen = QStringLiteral("clawdbot/agents/");
    const QString target = m_tmp->filePath(QStringLiteral("restore-one"));
    // The target already has a clawdbot/ folder: what lies outside the chosen folder must stay as it is,
    // and what lies inside it but not in the bucket goes.
    QVERIFY(writeFile(target + QStringLiteral("/clawdbot/devices/paired.json"), "old pairing"));
    QVERIFY(writeFile(target + QStringLiteral("/clawdbot/notes.txt"), "mine"));
    QVERIFY(writeFile(target + QStringLiteral("/clawdbot/agents/main/sessions/local-only.jsonl"), "stale"));
    FileDialog::presetAnswer(target); // the restore's folder chooser answers without showing

    // Through the Contents tab's context menu, on the folder's row.
    m_window->selectRow(0);
    m_window->findChild<QTabWidget *>(QStringLiteral("detailTabs"))->setCurrentIndex(1);
    BucketBrowserModel *b = m_window->browserModel();
    const auto find = [b](const QModelIndex &parent, const QString &name) {
        return guitest::childNamed(b, parent, name);
    };
    QTRY_VERIFY_WITH_TIMEOUT(find({}, QStringLiteral("clawdbot/")).isValid(), 10000);
    if (b->canFetchMore(find({}, QStringLiteral("clawdbot/"))))
        b->fetchMore(find({}, QStringLiteral("clawdbot/")));
    QTRY_VERIFY_WITH_TIMEOUT(find(find({}, QStringLiteral("clawdbot/")), QStringLiteral("agents/")).isValid(),
                             10000);
    const QModelIndex agents = find(find({}, QStringLiteral("clawdbot/")), QStringLiteral("agents/"));
    QCOMPARE(agents.data(BucketBrowserModel::KeyRole).toString(), chosen);
    auto *view = m_window->findChild<QTreeView *>(QStringLiteral("contentsView"));
    view->setCurrentIndex(agents);
    QAction *restoreThis = nullptr;
    for (QAction *a : view->actions())
        if (a->objectName() == QLatin1String("actionRestoreThis"))
            restoreThis = a;
    QVERIFY(restoreThis);
    restoreThis->trigger();
    auto *dlg = m_window->findChild<ActionDialog *>(QStringLiteral("actionDialog"));
    QVERIFY(dlg);
    testModel(dlg->findChild<PlanModel *>());
    auto *run = dlg->findChild<QPushButton *>(QStringLiteral("runButton"));
    QTRY_VERIFY_WITH_TIMEOUT(run->isEnabled(), 20000);
    const Plan plan = dlg->job()->plan();
    QVERIFY(plan.warnings.join(QString()).contains(QStringLiteral("only ") + chosen));
    for (const PlanItem &i : plan.items)
        if (i.action == PlanAction::Download || i.action == PlanAction::Replace)
            QVERIFY2(i.key.startsWith(chosen), qPrintable(i.key));
    QSignalSpy finished(dlg->job(), &Job::finished);
    QTest::mouseClick(run, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
    const auto result = finished.at(0).at(0).value<JobResult>();
    QVERIFY2(result.ok(), qPrintable(result.summaryLine()));

    // Exactly the chosen subtree, byte for byte, and nothing else of the bucket.
    QMap<QString, QByteArray> expected;
    QDirIterator it(bucket + QLatin1Char('/') + chosen, QDir::Files | QDir::Hidden,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        expected.insert(QDir(bucket).relativeFilePath(path), readFile(path));
    }
    QVERIFY(expected.size() > 5);
    QCOMPARE(result.downloaded, expected.size());
    QMap<QString, QByteArray> restored;
    QDirIterator rt(target, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (rt.hasNext()) {
        const QString path = rt.next();
        const QString rel = QDir(target).relativeFilePath(path);
        if (rel.startsWith(chosen))
            restored.insert(rel, readFile(path));
        else
            QVERIFY2(rel == QLatin1String("clawdbot/devices/paired.json") ||
                         rel == QLatin1String("clawdbot/notes.txt"),
                     qPrintable(QStringLiteral("unexpected file in the target: ") + rel));
    }
    QCOMPARE(restored, expected);
    QCOMPARE(readFile(target + QStringLiteral("/clawdbot/devices/paired.json")), QByteArray("old pairing"));
    QCOMPARE(readFile(target + QStringLiteral("/clawdbot/notes.txt")), QByteArray("mine"));
    QVERIFY(!QFileInfo::exists(target + QStringLiteral("/.last-sync")));
}

QTEST_MAIN(TstGuiMainWindow)
#include "tst_gui_mainwindow.moc"

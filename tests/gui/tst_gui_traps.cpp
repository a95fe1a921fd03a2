// The window's traps of round two, each through the real MainWindow on the demo workspace
// (offscreen): a sync that silently deleted what a migration brought in, guards that disagreed,
// dialogs wider than the screen, progress text that lied after the end, a cancel logged as failures.
#include "ActionDialog.h"
#include "ActivityLogModel.h"
#include "DemoWorkspace.h"
#include "FileDialog.h"
#include "GuiFixture.h"
#include "MainWindow.h"
#include "MigrationReport.h"
#include "PlanModel.h"
#include "ProductionConfirmation.h"
#include "Profile.h"
#include "ProfileDialog.h"
#include "StampOverwriteDialog.h"

#include <QAction>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QGuiApplication>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRandomGenerator>
#include <QScreen>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace moltdesk;
using guitest::readFile;
using guitest::writeFile;

namespace {

QStringList filesUnder(const QString &dir)
{
    QStringList out;
    QDirIterator it(dir, QDir::Files | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext())
        out << QDir(dir).relativeFilePath(it.next());
    return out;
}

} // namespace

class TstGuiTraps : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void init();
    void cleanup();
    void syncSaysWhichDeletionsWereMigrated();
    void overwriteTurnsConflictsIntoReplacements();
    void restoreFromProductionNeedsNoTypedName();
    void stampProductionNeedsTheTypedName();
    void stampKeepsAnUnreadableMarkerUntilTicked();
    void progressTextAfterTheEnd();
    void cancelIsLoggedAsCancelled();
    void longPathsStayOnScreen();
    void productionOnSharedFoldersIsSaidLoudly();
    void profileDialogEditsProductionsOwnSources();

private:
    QString bucketDir(const QString &env) const
    {
        return m_demo + QStringLiteral("/data/data/") +
               (env.isEmpty() ? QStringLiteral("moltbot") : QStringLiteral("moltbot-") + env);
    }
    ActionDialog *planned(Plan::Kind kind, int row);
    JobResult run(ActionDialog *dlg, const QString &typed = {});
    void migrateIntoDevelopment();

    std::unique_ptr<QTemporaryDir> m_tmp;
    QString m_demo;
    std::unique_ptr<MainWindow> m_window;
};

void TstGuiTraps::init()
{
    m_tmp = std::make_unique<QTemporaryDir>();
    m_demo = m_tmp->filePath(QStringLiteral("demo"));
    const Result<QString> profile = DemoWorkspace::create(m_demo);
    QVERIFY(profile.ok());
    m_window = guitest::makeWindow(*m_tmp);
    FileDialog::presetAnswer(m_tmp->filePath(QStringLiteral("restored"))); // restores go there
    m_window->show();
    QSignalSpy opened(m_window.get(), &MainWindow::profileOpened);
    QSignalSpy refreshed(m_window.get(), &MainWindow::statusRefreshed);
    m_window->openProfile(profile.value());
    QTRY_VERIFY_WITH_TIMEOUT(opened.count() >= 1, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(refreshed.count() >= 1, 20000);
}

void TstGuiTraps::cleanup()
{
    guitest::closeWindow(m_window);
    m_tmp.reset();
    FileDialog::presetAnswer(QString());
}

// An action dialog whose plan has arrived (rows: development 0, production 1, legacy 2).
ActionDialog *TstGuiTraps::planned(Plan::Kind kind, int row)
{
    ActionDialog *dlg = m_window->startAction(kind, row);
    if (!dlg)
        return nullptr;
    auto *status = dlg->findChild<QLabel *>(QStringLiteral("statusLabel"));
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < 30000 &&
           (!dlg->job() || !dlg->job()->hasPlan() || status->text().startsWith(QLatin1String("Computing")) ||
            status->text().startsWith(QLatin1String("Planning again"))))
        QTest::qWait(20);
    return dlg->job() && dlg->job()->hasPlan() ? dlg : nullptr;
}

JobResult TstGuiTraps::run(ActionDialog *dlg, const QString &typed)
{
    if (!typed.isEmpty())
        QTest::keyClicks(dlg->findChild<QLineEdit *>(QStringLiteral("confirmEdit")), typed);
    auto *runButton = dlg->findChild<QPushButton *>(QStringLiteral("runButton"));
    if (!runButton->isEnabled())
        return {};
    QSignalSpy finished(dlg->job(), &Job::finished);
    QTest::mouseClick(runButton, Qt::LeftButton);
    if (!finished.wait(60000) && finished.isEmpty())
        return {};
    return finished.at(0).at(0).value<JobResult>();
}

void TstGuiTraps::migrateIntoDevelopment()
{
    ActionDialog *dlg = planned(Plan::Kind::Migrate, 0);
    QVERIFY(dlg);
    auto *overwrite = dlg->findChild<QCheckBox *>(QStringLiteral("overrideCheck"));
    if (overwrite->isVisible()) {
        overwrite->setChecked(true);
        QTRY_VERIFY_WITH_TIMEOUT(dlg->findChild<QPushButton *>(QStringLiteral("runButton"))->isEnabled(),
                                 30000);
    }
    const JobResult r = run(dlg);
    QVERIFY2(r.ok(), qPrintable(r.summaryLine()));
    dlg->close();
}

void TstGuiTraps::syncSaysWhichDeletionsWereMigrated()
{
    migrateIntoDevelopment();
    if (QTest::currentTestFailed())
        return;
    // What the migration brought in that the container's folders do not hold: the next sync deletes it.
    const auto report = MigrationReport::parse(
        readFile(bucketDir(QStringLiteral("development")) + QStringLiteral("/.migrated-from")));
    QVERIFY(report.ok());
    const QString source = m_demo + QStringLiteral("/container/root/.clawdbot/");
    qint64 migratedOnlyInBucket = 0;
    for (auto it = report.value().objects.cbegin(); it != report.value().objects.cend(); ++it) {
        if (it.key().startsWith(QLatin1String("clawdbot/")) &&
            !QFileInfo::exists(source + it.key().mid(int(qstrlen("clawdbot/")))))
            ++migratedOnlyInBucket;
    }
    QVERIFY(migratedOnlyInBucket > 0);

    ActionDialog *dlg = planned(Plan::Kind::Sync, 0);
    QVERIFY(dlg);
    const Plan plan = dlg->job()->plan();
    QCOMPARE(plan.deletesOfMigrated, migratedOnlyInBucket);
    auto *deletes = dlg->findChild<QLabel *>(QStringLiteral("deletesLabel"));
    QVERIFY(deletes->isVisible());
    QVERIFY2(deletes->text().contains(QStringLiteral("%1 were brought in by the migration from moltbot-data")
                                          .arg(migratedOnlyInBucket)),
             qPrintable(deletes->text()));
    QVERIFY(deletes->styleSheet().contains(QLatin1String("#c62828"))); // red
    // Each such row says where it came from.
    auto *table = dlg->findChild<QTableView *>(QStringLiteral("planTable"));
    int migratedRows = 0;
    for (int r = 0; r < table->model()->rowCount(); ++r) {
        if (table->model()
                ->index(r, PlanModel::NoteColumn)
                .data()
                .toString()
                .contains(QLatin1String("migration")))
            ++migratedRows;
    }
    QCOMPARE(migratedRows, int(migratedOnlyInBucket));

    // Skip deletions: planned again without any, and running it keeps every migrated object.
    const qint64 deletions = plan.counts().countOf(PlanAction::Delete);
    dlg->findChild<QCheckBox *>(QStringLiteral("skipDeletesCheck"))->setChecked(true);
    QTRY_VERIFY_WITH_TIMEOUT(dlg->job()->plan().deletionsSkipped == deletions, 30000);
    QTRY_VERIFY_WITH_TIMEOUT(dlg->findChild<QPushButton *>(QStringLiteral("runButton"))->isEnabled(), 30000);
    QCOMPARE(dlg->job()->plan().counts().countOf(PlanAction::Delete), 0);
    QVERIFY(!deletes->isVisible());
    const JobResult r = run(dlg);
    QVERIFY2(r.ok(), qPrintable(r.summaryLine()));
    QCOMPARE(r.deleted, 0);
    for (auto it = report.value().objects.cbegin(); it != report.value().objects.cend(); ++it)
        QVERIFY2(QFileInfo::exists(bucketDir(QStringLiteral("development")) + QLatin1Char('/') + it.key()),
                 qPrintable(it.key()));
    // The activity log records the option.
    QTRY_VERIFY(m_window->activityModel()->rowCount() > 0);
    QVERIFY(m_window->activityModel()->entry(0).planSummary.contains(QLatin1String("--no-delete")));
}

void TstGuiTraps::overwriteTurnsConflictsIntoReplacements()
{
    ActionDialog *dlg = planned(Plan::Kind::Migrate, 0);
    QVERIFY(dlg);
    const qint64 conflicts = dlg->job()->plan().counts().countOf(PlanAction::Conflict);
    QVERIFY(conflicts > 0); // the demo's development holds its own clawdbot.json
    const qint64 bytesBefore = dlg->job()->plan().counts().transferBytes();
    dlg->findChild<QCheckBox *>(QStringLiteral("overrideCheck"))->setChecked(true);
    QTRY_VERIFY_WITH_TIMEOUT(dlg->findChild<QPushButton *>(QStringLiteral("runButton"))->isEnabled(), 30000);
    const Plan plan = dlg->job()->plan();
    QCOMPARE(plan.counts().countOf(PlanAction::Conflict), 0);
    QCOMPARE(plan.counts().countOf(PlanAction::Replace), conflicts);
    QVERIFY(plan.counts().transferBytes() > bytesBefore); // the replacements are bytes to move
    auto *table = dlg->findChild<QTableView *>(QStringLiteral("planTable"));
    for (int r = 0; r < table->model()->rowCount(); ++r) {
        const QString key = table->model()->index(r, PlanModel::KeyColumn).data().toString();
        if (key == QLatin1String("clawdbot/clawdbot.json"))
            QCOMPARE(table->model()->index(r, PlanModel::ActionColumn).data().toString(),
                     QStringLiteral("replace"));
        QVERIFY(table->model()->index(r, PlanModel::ActionColumn).data().toString() !=
                QLatin1String("conflict"));
    }
}

void TstGuiTraps::restoreFromProductionNeedsNoTypedName()
{
    ActionDialog *dlg = planned(Plan::Kind::Restore, 1);
    QVERIFY(dlg);
    QVERIFY(!dlg->job()->plan().needsConfirmation());
    QVERIFY(!dlg->findChild<ProductionConfirmation *>()->isVisible());
    const JobResult r = run(dlg);
    QVERIFY2(r.ok(), qPrintable(r.summaryLine()));
    QVERIFY(!filesUnder(m_tmp->filePath(QStringLiteral("restored"))).isEmpty());
    // Writing production still asks: a sync of production shows the same widget, Run waits for it.
    ActionDialog *sync = planned(Plan::Kind::Sync, 1);
    QVERIFY(sync);
    QVERIFY(sync->findChild<ProductionConfirmation *>()->isVisible());
    QVERIFY(!sync->findChild<QPushButton *>(QStringLiteral("runButton"))->isEnabled());
}

void TstGuiTraps::stampProductionNeedsTheTypedName()
{
    const QString marker = bucketDir(QStringLiteral("production")) + QStringLiteral("/.moltdesk-environment");
    QFile::remove(marker); // the demo's production may be unstamped already
    QVERIFY(!QFileInfo::exists(marker));
    m_window->stampMarker(1);
    auto *dlg = m_window->findChild<ProductionConfirmDialog *>();
    QVERIFY(dlg);
    auto *ok = dlg->findChild<QPushButton *>(QStringLiteral("confirmOkButton"));
    auto *edit = dlg->findChild<QLineEdit *>(QStringLiteral("confirmEdit"));
    QVERIFY(!ok->isEnabled());
    QTest::keyClicks(edit, QStringLiteral("producti"));
    QVERIFY(!ok->isEnabled());
    QTest::keyClicks(edit, QStringLiteral("on"));
    QVERIFY(ok->isEnabled());
    QTest::mouseClick(ok, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo::exists(marker), 10000);
    QVERIFY(readFile(marker).contains("production"));
    // Cancelled: nothing written.
    QVERIFY(QFile::remove(marker));
    m_window->stampMarker(1);
    auto *second = m_window->findChild<ProductionConfirmDialog *>();
    QVERIFY(second);
    second->reject();
    QTest::qWait(300);
    QVERIFY(!QFileInfo::exists(marker));
}

// The GUI's `stamp --force`: an unreadable marker is replaced only once the box is ticked (and for
// production, its name typed again); cancelled or unticked, the evidence stays as it was.
void TstGuiTraps::stampKeepsAnUnreadableMarkerUntilTicked()
{
    const QString marker =
        bucketDir(QStringLiteral("development")) + QStringLiteral("/.moltdesk-environment");
    QVERIFY(writeFile(marker, "not a marker"));
    m_window->stampMarker(0);
    StampOverwriteDialog *dlg = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((dlg = m_window->findChild<StampOverwriteDialog *>()) != nullptr, 10000);
    QCOMPARE(readFile(marker), QByteArray("not a marker"));
    auto *ok = dlg->findChild<QPushButton *>(QStringLiteral("overwriteOkButton"));
    auto *tick = dlg->findChild<QCheckBox *>(QStringLiteral("overwriteMarkerCheck"));
    QVERIFY(ok && tick);
    QVERIFY(!ok->isEnabled());
    QVERIFY(!dlg->findChild<ProductionConfirmation *>());
    dlg->reject();
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->findChild<StampOverwriteDialog *>(), 5000);
    QTest::qWait(300);
    QCOMPARE(readFile(marker), QByteArray("not a marker"));

    m_window->stampMarker(0);
    QTRY_VERIFY_WITH_TIMEOUT((dlg = m_window->findChild<StampOverwriteDialog *>()) != nullptr, 10000);
    ok = dlg->findChild<QPushButton *>(QStringLiteral("overwriteOkButton"));
    tick = dlg->findChild<QCheckBox *>(QStringLiteral("overwriteMarkerCheck"));
    tick->click();
    QVERIFY(ok->isEnabled());
    QTest::mouseClick(ok, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(readFile(marker).contains("\"development\""), 10000);

    // Production: the name typed to stamp, then the box and the name again to replace.
    const QString prodMarker =
        bucketDir(QStringLiteral("production")) + QStringLiteral("/.moltdesk-environment");
    QVERIFY(writeFile(prodMarker, "\xff\xfe"));
    m_window->stampMarker(1);
    auto *confirm = m_window->findChild<ProductionConfirmDialog *>();
    QVERIFY(confirm);
    QTest::keyClicks(confirm->findChild<QLineEdit *>(QStringLiteral("confirmEdit")),
                     QStringLiteral("production"));
    QTest::mouseClick(confirm->findChild<QPushButton *>(QStringLiteral("confirmOkButton")), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT((dlg = m_window->findChild<StampOverwriteDialog *>()) != nullptr, 10000);
    QCOMPARE(readFile(prodMarker), QByteArray("\xff\xfe"));
    ok = dlg->findChild<QPushButton *>(QStringLiteral("overwriteOkButton"));
    dlg->findChild<QCheckBox *>(QStringLiteral("overwriteMarkerCheck"))->click();
    QVERIFY(!ok->isEnabled());
    QTest::keyClicks(dlg->findChild<QLineEdit *>(QStringLiteral("confirmEdit")),
                     QStringLiteral("production"));
    QVERIFY(ok->isEnabled());
    QTest::mouseClick(ok, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(readFile(prodMarker).contains("\"production\""), 10000);
}

void TstGuiTraps::progressTextAfterTheEnd()
{
    for (int i = 0; i < 12; ++i)
        QVERIFY(writeFile(m_demo + QStringLiteral("/container/root/.clawdbot/new/n%1.txt").arg(i),
                          QByteArray(1000 + i, 'x')));
    ActionDialog *dlg = planned(Plan::Kind::Sync, 0);
    QVERIFY(dlg);
    const qint64 changes =
        dlg->job()->plan().counts().transferFiles() + dlg->job()->plan().counts().countOf(PlanAction::Delete);
    QVERIFY(changes >= 12);
    const JobResult r = run(dlg);
    QVERIFY2(r.ok(), qPrintable(r.summaryLine()));
    const QString text = dlg->findChild<QLabel *>(QStringLiteral("progressLabel"))->text();
    QCOMPARE(text.left(text.indexOf(QStringLiteral(" · "))),
             QStringLiteral("succeeded: %1 of %1 changes done").arg(changes));
    QVERIFY2(!text.contains(QLatin1String("left")), qPrintable(text));
}

void TstGuiTraps::cancelIsLoggedAsCancelled()
{
    QRandomGenerator rng(7);
    QByteArray chunk(256 * 1024, Qt::Uninitialized);
    for (int i = 0; i < 300; ++i) {
        for (qsizetype j = 0; j < chunk.size(); j += 4)
            *reinterpret_cast<quint32 *>(chunk.data() + j) = rng.generate();
        QVERIFY(writeFile(m_demo + QStringLiteral("/container/root/.clawdbot/bulk/b%1.bin").arg(i), chunk));
    }
    m_window->setJobConcurrency(4);
    ActionDialog *dlg = planned(Plan::Kind::Sync, 0);
    QVERIFY(dlg);
    QSignalSpy progress(dlg->job(), &Job::progress);
    QSignalSpy finished(dlg->job(), &Job::finished);
    QTest::mouseClick(dlg->findChild<QPushButton *>(QStringLiteral("runButton")), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(progress.count() > 2 || finished.count() > 0, 30000);
    QCOMPARE(finished.count(), 0);
    QTest::mouseClick(dlg->findChild<QPushButton *>(QStringLiteral("cancelButton")), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
    const JobResult r = finished.at(0).at(0).value<JobResult>();
    QCOMPARE(r.outcome, JobResult::Outcome::Cancelled);
    QCOMPARE(r.failed, 0); // transfers stopped by the cancel are not failures
    for (const Error &e : r.errors)
        QVERIFY2(e.kind != ErrorKind::Cancelled, qPrintable(e.toString()));
    const QString text = dlg->findChild<QLabel *>(QStringLiteral("progressLabel"))->text();
    QVERIFY2(text.startsWith(QLatin1String("cancelled: ")), qPrintable(text));
    QVERIFY2(!text.contains(QLatin1String("left")), qPrintable(text));
    QTRY_VERIFY(m_window->activityModel()->rowCount() > 0);
    const ActivityEntry e = m_window->activityModel()->entry(0);
    QCOMPARE(e.outcome, QStringLiteral("cancelled"));
    QVERIFY2(!e.resultSummary.contains(QLatin1String("failed")), qPrintable(e.resultSummary));
}

void TstGuiTraps::longPathsStayOnScreen()
{
    // A sync set whose folder path is far wider than any screen (it need not exist: the plan still
    // arrives, refused, and the dialog shows where it would copy from).
    QString deep = m_demo;
    for (int i = 0; i < 12; ++i)
        deep += QStringLiteral("/a-rather-long-folder-name-%1").arg(i);
    const QString profilePath = m_demo + QStringLiteral("/profile.json");
    QByteArray profile = readFile(profilePath);
    QVERIFY(profile.contains("container/root/.clawdbot"));
    profile.replace("container/root/.clawdbot", deep.toUtf8());
    QVERIFY(writeFile(profilePath, profile));
    QSignalSpy opened(m_window.get(), &MainWindow::profileOpened);
    m_window->openProfile(profilePath);
    QTRY_VERIFY_WITH_TIMEOUT(opened.count() >= 1, 10000);
    ActionDialog *dlg = planned(Plan::Kind::Sync, 0);
    QVERIFY(dlg);
    auto *target = dlg->findChild<QLabel *>(QStringLiteral("targetLabel"));
    QTRY_VERIFY(target->toolTip().contains(deep));
    QVERIFY(QFontMetrics(target->font()).horizontalAdvance(target->toolTip()) > 1500);
    const QRect avail = dlg->screen()->availableGeometry();
    QVERIFY2(dlg->frameGeometry().width() <= avail.width(),
             qPrintable(QStringLiteral("%1 > %2").arg(dlg->frameGeometry().width()).arg(avail.width())));
    // The whole path is readable: wrapped onto several lines, not clipped.
    QVERIFY(target->height() > 2 * QFontMetrics(target->font()).height());
    QVERIFY(target->heightForWidth(target->width()) <= target->height());
    // And copied as it is, without the invisible break points.
    QAction *copy = target->findChild<QAction *>(QStringLiteral("copyPathAction"));
    QVERIFY(copy);
    copy->trigger();
    QVERIFY(QGuiApplication::clipboard()->text().contains(deep));
    QVERIFY(!QGuiApplication::clipboard()->text().contains(QChar(0x200B)));
}

void TstGuiTraps::productionOnSharedFoldersIsSaidLoudly()
{
    // The demo feeds every environment from the same folders.
    ActionDialog *dlg = planned(Plan::Kind::Sync, 1);
    QVERIFY(dlg);
    const QStringList warnings = dlg->job()->plan().warnings;
    QVERIFY(!warnings.isEmpty());
    QVERIFY2(warnings.first().startsWith(QLatin1String("PRODUCTION IS FED FROM THE SAME FOLDERS")),
             qPrintable(warnings.join(QLatin1Char('\n'))));
    QVERIFY(warnings.first().contains(QLatin1String("development")));
    dlg->close();
    delete dlg;

    // Production's own folder: no warning, and the plan reads from that folder only.
    const QString own = m_demo + QStringLiteral("/container-production/.clawdbot");
    QVERIFY(writeFile(own + QStringLiteral("/clawdbot.json"), "{\"production\": true}"));
    const QString profilePath = m_demo + QStringLiteral("/profile.json");
    auto profile = Profile::load(profilePath);
    QVERIFY(profile.ok());
    Profile p = profile.value();
    p.syncSetsByEnvironment.insert(QStringLiteral("production"), {SyncSet{own, QStringLiteral("clawdbot/")}});
    QVERIFY(p.save(profilePath).ok());
    QSignalSpy opened(m_window.get(), &MainWindow::profileOpened);
    m_window->openProfile(profilePath);
    QTRY_VERIFY_WITH_TIMEOUT(opened.count() >= 1, 10000);
    ActionDialog *again = planned(Plan::Kind::Sync, 1);
    QVERIFY(again);
    const Plan plan = again->job()->plan();
    for (const QString &w : plan.warnings)
        QVERIFY2(!w.contains(QLatin1String("SAME FOLDERS")), qPrintable(w));
    QVERIFY(plan.source.contains(own));
    for (const PlanItem &i : plan.items) {
        if (i.action == PlanAction::Upload || i.action == PlanAction::Replace)
            QVERIFY2(i.localPath.startsWith(own), qPrintable(i.localPath));
    }
    // Development still syncs from the default folders.
    ActionDialog *dev = planned(Plan::Kind::Sync, 0);
    QVERIFY(dev);
    QVERIFY(!dev->job()->plan().source.contains(own));
}

void TstGuiTraps::profileDialogEditsProductionsOwnSources()
{
    ProfileDialog *dlg = m_window->showProfileDialog(false);
    QVERIFY(dlg);
    auto *scope = dlg->findChild<QComboBox *>(QStringLiteral("syncScopeCombo"));
    auto *table = dlg->findChild<QTableWidget *>(QStringLiteral("syncSetsTable"));
    QVERIFY(scope && table);
    const int defaultRows = table->rowCount();
    QVERIFY(defaultRows >= 2);
    const int prod = scope->findData(QStringLiteral("production"));
    QVERIFY(prod > 0);
    QVERIFY(scope->itemText(prod).contains(QLatin1String("uses the default")));
    scope->setCurrentIndex(prod);
    QCOMPARE(table->rowCount(), 0);
    QTest::mouseClick(dlg->findChild<QPushButton *>(QStringLiteral("addSyncSetButton")), Qt::LeftButton);
    table->item(0, 0)->setText(QStringLiteral("prod-home/.clawdbot"));
    table->item(0, 1)->setText(QStringLiteral("clawdbot/"));
    scope->setCurrentIndex(0); // back to the default: its rows are still there
    QCOMPARE(table->rowCount(), defaultRows);
    QSignalSpy saved(dlg, &ProfileDialog::saved);
    auto *save = dlg->findChild<QPushButton *>(QStringLiteral("saveButton"));
    QTRY_VERIFY(save->isEnabled());
    QTest::mouseClick(save, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(saved.count(), 1, 10000);
    const auto p = Profile::load(m_demo + QStringLiteral("/profile.json"));
    QVERIFY2(p.ok(), p.ok() ? "" : qPrintable(p.error().toString()));
    QCOMPARE(p.value().syncSets.size(), defaultRows);
    QCOMPARE(p.value().syncSetsFor(QStringLiteral("production")).size(), 1);
    QCOMPARE(p.value().syncSetsFor(QStringLiteral("production")).first().local,
             m_demo + QStringLiteral("/prod-home/.clawdbot"));
    QCOMPARE(p.value().syncSetsFor(QStringLiteral("development")).size(), defaultRows);
}

QTEST_MAIN(TstGuiTraps)
#include "tst_gui_traps.moc"

// The activity log as an audit trail, through the real MainWindow on two demo workspaces (offscreen):
// every entry says which profile, from where into where, the plan, the overrides in effect, the
// outcome and who (user@host); the Log tab has a profile column and filter; Export… writes the entries
// shown as JSON lines, read back here line by line.
#include "ActionDialog.h"
#include "ActivityLogModel.h"
#include "DemoWorkspace.h"
#include "GuiFixture.h"
#include "MainWindow.h"

#include <QCheckBox>
#include <QComboBox>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace moltdesk;

class TstGuiActivity : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void init();
    void cleanup();
    void everyEntryIsAnAuditRecord();
    void profileColumnAndFilter();
    void exportAsJsonLines();

private:
    void open(const QString &profile);
    JobResult sync(int row, bool skipDeletions, const QString &typed = {});

    std::unique_ptr<QTemporaryDir> m_tmp;
    QString m_profileA;
    QString m_profileB;
    std::unique_ptr<MainWindow> m_window;
};

void TstGuiActivity::init()
{
    m_tmp = std::make_unique<QTemporaryDir>();
    const Result<QString> a = DemoWorkspace::create(m_tmp->filePath(QStringLiteral("a")));
    const Result<QString> b = DemoWorkspace::create(m_tmp->filePath(QStringLiteral("b")));
    QVERIFY(a.ok() && b.ok());
    m_profileA = QFileInfo(a.value()).absoluteFilePath();
    m_profileB = QFileInfo(b.value()).absoluteFilePath();
    m_window = guitest::makeWindow(*m_tmp);
    m_window->show();
    open(m_profileA);
}

void TstGuiActivity::open(const QString &profile)
{
    QSignalSpy refreshed(m_window.get(), &MainWindow::statusRefreshed);
    m_window->openProfile(profile);
    QTRY_VERIFY_WITH_TIMEOUT(refreshed.count() >= 1, 20000);
}

void TstGuiActivity::cleanup()
{
    guitest::closeWindow(m_window);
    m_tmp.reset();
}

JobResult TstGuiActivity::sync(int row, bool skipDeletions, const QString &typed)
{
    ActionDialog *dlg = m_window->startAction(Plan::Kind::Sync, row);
    if (!dlg)
        return {};
    auto *run = dlg->findChild<QPushButton *>(QStringLiteral("runButton"));
    auto *status = dlg->findChild<QLabel *>(QStringLiteral("statusLabel"));
    QElapsedTimer t;
    t.start();
    auto waitPlanned = [&]() {
        while (t.elapsed() < 30000 && (!dlg->job() || !dlg->job()->hasPlan() ||
                                       status->text().startsWith(QLatin1String("Computing")) ||
                                       status->text().startsWith(QLatin1String("Planning again"))))
            QTest::qWait(20);
    };
    waitPlanned();
    if (skipDeletions) {
        dlg->findChild<QCheckBox *>(QStringLiteral("skipDeletesCheck"))->setChecked(true);
        QTest::qWait(300);
        waitPlanned();
    }
    if (!typed.isEmpty())
        QTest::keyClicks(dlg->findChild<QLineEdit *>(QStringLiteral("confirmEdit")), typed);
    if (!run->isEnabled())
        return {};
    QSignalSpy finished(dlg->job(), &Job::finished);
    QTest::mouseClick(run, Qt::LeftButton);
    if (!finished.wait(60000) && finished.isEmpty())
        return {};
    return finished.at(0).at(0).value<JobResult>();
}

void TstGuiActivity::everyEntryIsAnAuditRecord()
{
    QSignalSpy written(m_window.get(), &MainWindow::activityWritten);
    const JobResult dev = sync(0, true);
    QVERIFY2(dev.ok(), qPrintable(dev.summaryLine()));
    const JobResult prod = sync(1, false, QStringLiteral("production"));
    QVERIFY2(prod.ok(), qPrintable(prod.summaryLine()));
    QTRY_VERIFY_WITH_TIMEOUT(written.count() >= 2, 10000);
    ActivityLogModel *log = m_window->activityModel();
    // Newest first: production, then development.
    const ActivityEntry &p = log->entry(0);
    const ActivityEntry &d = log->entry(1);
    QCOMPARE(d.action, QStringLiteral("sync"));
    QCOMPARE(d.environment, QStringLiteral("development"));
    QCOMPARE(d.profile, m_profileA);
    QVERIFY2(d.source.contains(QStringLiteral(".clawdbot")), qPrintable(d.source));
    QVERIFY2(d.target.startsWith(QStringLiteral("moltbot-data-development")), qPrintable(d.target));
    QVERIFY(d.overrides.contains(QStringLiteral("--no-delete")));
    QVERIFY(!d.planSummary.isEmpty());
    QCOMPARE(d.outcome, QStringLiteral("succeeded"));
    QCOMPARE(d.who, ActivityEntry::currentUser());
    QVERIFY(d.who.contains(QLatin1Char('@')));
    QVERIFY2(p.target.startsWith(QStringLiteral("moltbot-data-production")), qPrintable(p.target));
    QVERIFY(p.overrides.contains(QStringLiteral("--confirm production")));
    QVERIFY(!p.overrides.contains(QStringLiteral("--no-delete")));
    // The same in the file, and in the table's columns.
    QFile f(m_window->activityLogPath());
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = f.readAll().trimmed().split('\n');
    const QJsonObject last = QJsonDocument::fromJson(lines.last()).object();
    QCOMPARE(last.value(QStringLiteral("who")).toString(), ActivityEntry::currentUser());
    QCOMPARE(last.value(QStringLiteral("profile")).toString(), m_profileA);
    QVERIFY(last.value(QStringLiteral("target"))
                .toString()
                .startsWith(QStringLiteral("moltbot-data-production")));
    QVERIFY(log->index(1, ActivityLogModel::FromIntoColumn)
                .data()
                .toString()
                .contains(QStringLiteral("→ moltbot-data-development")));
    QCOMPARE(log->index(1, ActivityLogModel::ProfileColumn).data().toString(),
             QStringLiteral("profile.json"));
    QCOMPARE(log->index(1, ActivityLogModel::WhoColumn).data().toString(), ActivityEntry::currentUser());
    QVERIFY(log->index(1, ActivityLogModel::SummaryColumn)
                .data()
                .toString()
                .contains(QStringLiteral("--no-delete")));
}

void TstGuiActivity::profileColumnAndFilter()
{
    QSignalSpy written(m_window.get(), &MainWindow::activityWritten);
    m_window->stampMarker(2); // legacy of profile A
    QTRY_VERIFY_WITH_TIMEOUT(written.count() >= 1, 10000);
    open(m_profileB);
    m_window->stampMarker(2); // legacy of profile B
    QTRY_VERIFY_WITH_TIMEOUT(written.count() >= 2, 10000);
    auto *combo = m_window->findChild<QComboBox *>(QStringLiteral("logProfileFilter"));
    auto *view = m_window->findChild<QTableView *>(QStringLiteral("logView"));
    QVERIFY(combo && view);
    // The open profile is the one shown; both are offered, and "All profiles".
    QCOMPARE(combo->currentData().toString(), m_profileB);
    QVERIFY(combo->findData(m_profileA) > 0);
    auto profilesShown = [view]() {
        QSet<QString> out;
        for (int r = 0; r < view->model()->rowCount(); ++r)
            out << view->model()->index(r, ActivityLogModel::ProfileColumn).data(Qt::ToolTipRole).toString();
        return out;
    };
    QCOMPARE(profilesShown(), QSet<QString>{QDir::toNativeSeparators(m_profileB)});
    combo->setCurrentIndex(combo->findData(m_profileA));
    QCOMPARE(profilesShown(), QSet<QString>{QDir::toNativeSeparators(m_profileA)});
    combo->setCurrentIndex(0);
    QCOMPARE(combo->currentText(), QStringLiteral("All profiles"));
    QCOMPARE(profilesShown(),
             (QSet<QString>{QDir::toNativeSeparators(m_profileA), QDir::toNativeSeparators(m_profileB)}));
    // Each stamp names the bucket it wrote.
    QCOMPARE(m_window->activityModel()->entry(0).target, QStringLiteral("moltbot-data"));
}

void TstGuiActivity::exportAsJsonLines()
{
    QSignalSpy written(m_window.get(), &MainWindow::activityWritten);
    m_window->stampMarker(2);
    m_window->stampMarker(0);
    QTRY_VERIFY_WITH_TIMEOUT(written.count() >= 2, 10000);
    open(m_profileB);
    m_window->stampMarker(2);
    QTRY_VERIFY_WITH_TIMEOUT(written.count() >= 3, 10000);
    // Shown: profile B's entries only (the open profile), so exported: those.
    const QString out = m_tmp->filePath(QStringLiteral("export/trail.jsonl"));
    QVERIFY(QDir().mkpath(QFileInfo(out).absolutePath()));
    QSignalSpy exported(m_window.get(), &MainWindow::activityExported);
    m_window->exportActivity(out);
    QTRY_COMPARE_WITH_TIMEOUT(exported.count(), 1, 10000);
    auto *view = m_window->findChild<QTableView *>(QStringLiteral("logView"));
    const int shown = view->model()->rowCount();
    QCOMPARE(exported.at(0).at(1).toInt(), shown);
    QFile f(out);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = f.readAll().trimmed().split('\n');
    QCOMPARE(int(lines.size()), shown);
    for (const QByteArray &line : lines) {
        QJsonParseError err;
        const QJsonObject o = QJsonDocument::fromJson(line, &err).object();
        QCOMPARE(err.error, QJsonParseError::NoError);
        QCOMPARE(o.value(QStringLiteral("profile")).toString(), m_profileB);
        QCOMPARE(o.value(QStringLiteral("who")).toString(), ActivityEntry::currentUser());
        QVERIFY(o.contains(QStringLiteral("source")) && o.contains(QStringLiteral("target")) &&
                o.contains(QStringLiteral("overrides")) && o.contains(QStringLiteral("plan")));
    }
    // The text filter narrows the export too.
    auto *filter = m_window->findChild<QLineEdit *>(QStringLiteral("logFilter"));
    QTest::keyClicks(filter, QStringLiteral("no-such-entry"));
    m_window->exportActivity(out);
    QTRY_COMPARE_WITH_TIMEOUT(exported.count(), 2, 10000);
    QCOMPARE(exported.at(1).at(1).toInt(), 0);
    QFile again(out);
    QVERIFY(again.open(QIODevice::ReadOnly));
    QVERIFY(again.readAll().isEmpty());
}

QTEST_MAIN(TstGuiActivity)
#include "tst_gui_activity.moc"

// WorkspaceController without a window: opening, refreshing (stale results dropped), auditing,
// stamping and browsing against the local demo workspace (mount mode, real files).
#include "DemoWorkspace.h"
#include "IdentityMarker.h"
#include "StorageBackend.h"
#include "WorkspaceController.h"

#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace moltdesk;

class TstWorkspaceController : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void openDeliversSessionAndRows();
    void badProfileFails();
    void refreshTwiceDeliversOnlyNewest();
    void verifyDeliversOnlyNewestReport();
    void verifyReportsUnreadableProfile();
    void stampWritesMarker();
    void browseDeliversOnlyNewestBucket();

private:
    void open();

    std::unique_ptr<QTemporaryDir> m_tmp;
    QString m_profile;
    std::unique_ptr<WorkspaceController> m_controller;
};

void TstWorkspaceController::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TstWorkspaceController::init()
{
    m_tmp = std::make_unique<QTemporaryDir>();
    const Result<QString> profile = DemoWorkspace::create(m_tmp->filePath(QStringLiteral("demo")));
    QVERIFY(profile.ok());
    m_profile = profile.value();
    m_controller = std::make_unique<WorkspaceController>(WorkspaceController::Options{
        .useKeychain = false, .activityLogPath = m_tmp->filePath(QStringLiteral("activity.jsonl"))});
}

void TstWorkspaceController::cleanup()
{
    m_controller.reset();
    m_tmp.reset();
}

void TstWorkspaceController::open()
{
    QSignalSpy opened(m_controller.get(), &WorkspaceController::opened);
    m_controller->openProfile(m_profile);
    QVERIFY(opened.wait(10000));
    QVERIFY(m_controller->session());
}

void TstWorkspaceController::openDeliversSessionAndRows()
{
    SessionPtr changed;
    connect(m_controller.get(), &WorkspaceController::sessionChanged, this,
            [&changed](const SessionPtr &s) { changed = s; });
    QSignalSpy opened(m_controller.get(), &WorkspaceController::opened);
    m_controller->openProfile(m_profile);
    QVERIFY(opened.wait(10000));
    QCOMPARE(opened.at(0).at(0).toString(), QFileInfo(m_profile).absoluteFilePath());
    QVERIFY(changed);
    QCOMPARE(changed, m_controller->session());
    // development, production, then legacy
    QCOMPARE(changed->workspace.environments().size(), 3);

    QHash<int, EnvironmentStatus> rows;
    connect(m_controller.get(), &WorkspaceController::statusReady, this,
            [&rows](int row, const EnvironmentStatus &st) { rows.insert(row, st); });
    QSignalSpy refreshed(m_controller.get(), &WorkspaceController::refreshed);
    m_controller->refresh();
    QVERIFY(refreshed.wait(20000));
    QCOMPARE(rows.size(), 3);
    QCOMPARE(rows.value(0).names.environment, QStringLiteral("development"));
    QCOMPARE(rows.value(0).markerState, EnvironmentStatus::MarkerState::Own);
    QCOMPARE(rows.value(1).markerState, EnvironmentStatus::MarkerState::Missing); // production: unmarked
    QVERIFY(rows.value(2).names.isLegacy());
}

void TstWorkspaceController::badProfileFails()
{
    const QString bad = m_tmp->filePath(QStringLiteral("bad.json"));
    QFile f(bad);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("{ \"storage\": ");
    f.close();
    QSignalSpy failed(m_controller.get(), &WorkspaceController::openFailed);
    QSignalSpy opened(m_controller.get(), &WorkspaceController::opened);
    m_controller->openProfile(bad);
    QVERIFY(failed.wait(10000));
    QCOMPARE(failed.at(0).at(0).toString(), bad);
    QVERIFY(!failed.at(0).at(1).toString().isEmpty());
    QCOMPARE(opened.count(), 0);
    QVERIFY(!m_controller->session());
}

void TstWorkspaceController::refreshTwiceDeliversOnlyNewest()
{
    open();
    int statuses = 0;
    int deployments = 0;
    int started = 0;
    connect(m_controller.get(), &WorkspaceController::statusReady, this, [&statuses]() { ++statuses; });
    connect(m_controller.get(), &WorkspaceController::deploymentReady, this,
            [&deployments]() { ++deployments; });
    connect(m_controller.get(), &WorkspaceController::refreshStarted, this, [&started]() { ++started; });
    QSignalSpy refreshed(m_controller.get(), &WorkspaceController::refreshed);
    m_controller->refresh();
    m_controller->refresh();
    QCOMPARE(started, 6); // both refreshes started every row...
    QVERIFY(refreshed.wait(20000));
    QTest::qWait(500);     // ...the first one's results, had they come, would be in by now
    QCOMPARE(statuses, 3); // ...but only the newest delivered them
    QCOMPARE(deployments, 3);
    QCOMPARE(refreshed.count(), 1);
}

void TstWorkspaceController::verifyDeliversOnlyNewestReport()
{
    open();
    QList<AuditReport> reports;
    connect(m_controller.get(), &WorkspaceController::auditReady, this,
            [&reports](const AuditReport &r) { reports << r; });
    m_controller->verify();
    m_controller->verify();
    QTRY_COMPARE_WITH_TIMEOUT(reports.size(), 1, 30000);
    QTest::qWait(500);
    QCOMPARE(reports.size(), 1);
    QCOMPARE(reports.at(0).profilePath, QFileInfo(m_profile).absoluteFilePath());
    QVERIFY(reports.at(0).complete);
    QVERIFY(!reports.at(0).findings.isEmpty());
}

void TstWorkspaceController::verifyReportsUnreadableProfile()
{
    open();
    // The audit reads the profile as it is on disk now: broken since it was opened.
    QFile f(m_profile);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write("not json");
    f.close();
    QList<AuditReport> reports;
    connect(m_controller.get(), &WorkspaceController::auditReady, this,
            [&reports](const AuditReport &r) { reports << r; });
    m_controller->verify();
    QTRY_COMPARE_WITH_TIMEOUT(reports.size(), 1, 30000);
    QVERIFY(!reports.at(0).complete);
    QCOMPARE(reports.at(0).verdict(), Verdict::Unverified);
}

void TstWorkspaceController::stampWritesMarker()
{
    open();
    const EnvironmentNames production = m_controller->session()->workspace.environments().at(1);
    QVERIFY(production.isProduction());
    std::optional<Status> result;
    connect(m_controller.get(), &WorkspaceController::stamped, this,
            [&result](const EnvironmentNames &, const Status &st, const SessionPtr &) { result = st; });
    // Production's bucket is stamped only with its name typed (the core checks it: confirmProduction).
    m_controller->stamp(production);
    QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 10000);
    QVERIFY(!result->ok());
    QCOMPARE(result->error().kind, ErrorKind::Refused);
    result.reset();
    m_controller->stamp(production, false, production.environment);
    QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 10000);
    QVERIFY2(result->ok(), qPrintable(result->ok() ? QString() : result->error().toString()));

    QHash<int, EnvironmentStatus> rows;
    connect(m_controller.get(), &WorkspaceController::statusReady, this,
            [&rows](int row, const EnvironmentStatus &st) { rows.insert(row, st); });
    QSignalSpy refreshed(m_controller.get(), &WorkspaceController::refreshed);
    m_controller->refreshEnvironment(1);
    QVERIFY(refreshed.wait(20000));
    QCOMPARE(rows.value(1).markerState, EnvironmentStatus::MarkerState::Own);
}

void TstWorkspaceController::browseDeliversOnlyNewestBucket()
{
    open();
    const QList<EnvironmentNames> envs = m_controller->session()->workspace.environments();
    QList<EnvironmentNames> delivered;
    std::shared_ptr<StorageBackend> backend;
    connect(m_controller.get(), &WorkspaceController::bucketOpened, this,
            [&](const EnvironmentNames &env, const Result<std::shared_ptr<StorageBackend>> &r) {
                delivered << env;
                if (r)
                    backend = r.value();
            });
    m_controller->browse(envs.at(0));
    m_controller->browse(envs.at(2));
    QTRY_COMPARE_WITH_TIMEOUT(delivered.size(), 1, 10000);
    QTest::qWait(300);
    QCOMPARE(delivered.size(), 1);
    QCOMPARE(delivered.at(0).bucket, envs.at(2).bucket);
    QVERIFY(backend);
}

QTEST_GUILESS_MAIN(TstWorkspaceController)
#include "tst_workspacecontroller.moc"

// The window's deployment features on the real MainWindow, against the stand-in worker and the real S3
// fixture: the Deployment dialog (the container's and the bucket's last sync side by side, "Back up now
// (in the container)" verified and logged, production refused until its name is typed, restart with
// polling and Cancel, the mis-wired container's backup reported as failed in the activity log); the
// environments table's Deployment column (joined with the bucket by the core's rule: a container that
// claims a backup its bucket does not show is a failure; no worker / unreachable is "not checked");
// View > Verify live… (production only with its name typed, progress, Cancel, Isolation tab, diagram,
// activity log).
#include "ActivityLogModel.h"
#include "AuditModels.h"
#include "AuditReport.h"
#include "DataFlow.h"
#include "DataFlowView.h"
#include "DeploymentDialog.h"
#include "EnvironmentTableModel.h"
#include "LiveVerifyDialog.h"
#include "MainWindow.h"
#include "ProductionConfirmation.h"
#include "StandinWorker.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QLineEdit>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTcpServer>
#include <QTemporaryDir>

using namespace moltdesk;
using namespace moltdesk::test;

class TestGuiWorker : public QObject
{
    Q_OBJECT
private:
    TestServer m_server;
    StandinWorker m_worker;
    QTemporaryDir m_dir;

    void write(const QString &rel, const QByteArray &data)
    {
        QFile f(m_dir.filePath(rel));
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(data);
    }
    int counter(const QString &env, const char *name) const { return m_worker.counter(env, name); }

    // A window without keychain (no secret service in CI), logging to log in the fixture's folder.
    MainWindow::Options windowOptions(const QString &log) const
    {
        MainWindow::Options o;
        o.useKeychain = false;
        o.activityLogPath = m_dir.filePath(log);
        return o;
    }

    // Such a window, shown, with profile opened; null when it did not open within 30 s.
    std::unique_ptr<MainWindow> openedWindow(const QString &log, const QString &profile) const
    {
        auto w = std::make_unique<MainWindow>(windowOptions(log));
        w->show();
        QSignalSpy opened(w.get(), &MainWindow::profileOpened);
        w->openProfile(m_dir.filePath(profile));
        if (!QTest::qWaitFor([&opened] { return opened.count() == 1; }, 30000))
            return nullptr;
        return w;
    }

    static int rowOf(DeploymentDialog *d, const QString &env)
    {
        for (int r = 0; r < d->model()->rowCount(); ++r) {
            if (d->model()->item(r, DeploymentDialog::EnvColumn)->text() == env)
                return r;
        }
        return -1;
    }
    static QString cell(DeploymentDialog *d, int row, int column)
    {
        return d->model()->item(row, column)->text();
    }
    // A profile on the test server with these workers.
    void writeProfile(const QString &name, const QJsonObject &workers)
    {
        write(name, QJsonDocument(m_server.profile({{QStringLiteral("workers"), workers}})).toJson());
    }
    static QMap<QString, Severity> liveOf(const AuditReport &report)
    {
        QMap<QString, Severity> live;
        for (const Finding &f : report.findings) {
            if (f.check == QLatin1String("live") &&
                int(f.severity) >= int(live.value(f.environment, Severity::Ok)))
                live.insert(f.environment, f.severity);
        }
        return live;
    }
    int syncRequests(const QString &env) const
    {
        int n = 0;
        for (const QJsonValue &r : m_worker.state(env).value(QLatin1String("requests")).toArray()) {
            n += r.toObject().value(QLatin1String("method")).toString() == QLatin1String("POST") &&
                 r.toObject().value(QLatin1String("path")).toString() ==
                     QLatin1String("/api/admin/storage/sync");
        }
        return n;
    }
    static bool hasLive(const QSignalSpy &audited)
    {
        return !audited.isEmpty() && !liveOf(audited.last().at(0).value<AuditReport>()).isEmpty();
    }
    static const ActivityEntry *logged(MainWindow &w, const QString &action, const QString &env)
    {
        for (int i = 0; i < w.activityModel()->rowCount(); ++i) {
            const ActivityEntry &e = w.activityModel()->entry(i);
            if (e.action == action && e.environment == env)
                return &e;
        }
        return nullptr;
    }

private slots:
    void initTestCase()
    {
        MOLTDESK_REQUIRE_SERVER(m_server);
        MOLTDESK_REQUIRE_WORKER(m_worker);
        writeProfile(QStringLiteral("profile.json"), m_worker.urls());
        for (const auto &[env, user, file] : {std::tuple{"development", "dev", ".dev.vars.development"},
                                              std::tuple{"production", "prod", ".dev.vars.production"},
                                              std::tuple{"legacy", "legacy", ".dev.vars"}}) {
            const ServerUser u = m_server.user(QLatin1String(user));
            write(QLatin1String(file),
                  QString(QStringLiteral("R2_ACCESS_KEY_ID=") + u.accessKeyId +
                          QStringLiteral("\nR2_SECRET_ACCESS_KEY=") + u.secret +
                          QStringLiteral("\nCF_ACCESS_CLIENT_ID=") + m_worker.clientId(QLatin1String(env)) +
                          QStringLiteral("\nCF_ACCESS_CLIENT_SECRET=") +
                          m_worker.clientSecret(QLatin1String(env)) + QLatin1Char('\n'))
                      .toUtf8());
        }
        QVERIFY(m_worker.control(QStringLiteral("reset"), {}));
        for (const char *b : {"moltbot-data", "moltbot-data-development", "moltbot-data-production"})
            QVERIFY(m_worker.control(QStringLiteral("wipe"), {{QStringLiteral("bucket"), QLatin1String(b)}}));
        for (const char *e : {"development", "production", "legacy"}) {
            // Every setting this test relies on, explicitly: tst_worker_s3 may have left another era.
            QVERIFY(
                m_worker.control(QStringLiteral("config"), {{QStringLiteral("env"), QLatin1String(e)},
                                                            {QStringLiteral("era"), QStringLiteral("rsync")},
                                                            {QStringLiteral("bootSeconds"), 0.6}}));
            QVERIFY(m_worker.control(QStringLiteral("seed"), {{QStringLiteral("env"), QLatin1String(e)}}));
        }
    }

    void deploymentDialog()
    {
        const auto window = openedWindow(QStringLiteral("activity.jsonl"), QStringLiteral("profile.json"));
        QVERIFY(window);
        MainWindow &w = *window;

        w.findChild<QAction *>(QStringLiteral("actionDeployment"))->trigger();
        DeploymentDialog *d = nullptr;
        QTRY_VERIFY((d = w.findChild<DeploymentDialog *>(QStringLiteral("deploymentDialog"))) &&
                    d->isVisible());
        QTRY_VERIFY_WITH_TIMEOUT(d->model()->rowCount() == 3, 30000);
        const int dev = rowOf(d, QStringLiteral("development"));
        QVERIFY(dev >= 0);
        QCOMPARE(cell(d, dev, DeploymentDialog::GatewayColumn), QStringLiteral("running"));
        QCOMPARE(cell(d, dev, DeploymentDialog::R2Column), QStringLiteral("configured"));
        QCOMPARE(cell(d, dev, DeploymentDialog::ContainerSyncColumn), QStringLiteral("none"));
        QCOMPARE(cell(d, dev, DeploymentDialog::DevicesColumn), QStringLiteral("1 paired, 1 pending"));

        // Back up now (in the container): verified from outside, logged, the table refreshed.
        QSignalSpy done(d, &DeploymentDialog::actionFinished);
        QSignalSpy refreshed(d, &DeploymentDialog::refreshed);
        QVERIFY(d->start(DeploymentDialog::Action::Backup, dev));
        QVERIFY(d->busy());
        QTRY_VERIFY_WITH_TIMEOUT(done.count() == 1, 120000);
        QVERIFY2(done.first().at(0).toBool(), qPrintable(done.first().at(1).toString()));
        QTRY_VERIFY_WITH_TIMEOUT(refreshed.count() >= 1 && d->model()->rowCount() == 3, 30000);
        const int dev2 = rowOf(d, QStringLiteral("development"));
        QCOMPARE(cell(d, dev2, DeploymentDialog::ContainerSyncColumn), QStringLiteral("just now"));
        QCOMPARE(cell(d, dev2, DeploymentDialog::BucketSyncColumn), QStringLiteral("just now"));
        QTRY_VERIFY(w.activityModel()->rowCount() >= 1);
        QCOMPARE(w.activityModel()->entry(0).action, QStringLiteral("worker sync"));
        QCOMPARE(w.activityModel()->entry(0).outcome, QStringLiteral("succeeded"));

        // Production: refused until its name is typed.
        const int prod = rowOf(d, QStringLiteral("production"));
        QVERIFY(!d->start(DeploymentDialog::Action::Restart, prod));
        QVERIFY2(d->message().contains(QLatin1String("--confirm production")) ||
                     d->message().contains(QLatin1String("production")),
                 qPrintable(d->message()));
        QCOMPARE(counter(QStringLiteral("production"), "restarts"), 0);
        d->confirmEdit()->setText(QStringLiteral("production"));
        QVERIFY(d->start(DeploymentDialog::Action::Restart, prod));
        QTRY_VERIFY_WITH_TIMEOUT(done.count() == 2, 120000);
        QVERIFY2(done.at(1).at(0).toBool(), qPrintable(done.at(1).at(1).toString()));
        QCOMPARE(counter(QStringLiteral("production"), "restarts"), 1);
        d->confirmEdit()->clear();

        // The mis-wired container: its backup is reported as failed, with the evidence, in the log.
        QVERIFY(
            m_worker.control(QStringLiteral("config"),
                             {{QStringLiteral("env"), QStringLiteral("development")},
                              {QStringLiteral("writeBucket"), QStringLiteral("moltbot-data-production")}}));
        QTRY_VERIFY_WITH_TIMEOUT(!d->busy() && d->model()->rowCount() == 3, 30000);
        QVERIFY(d->start(DeploymentDialog::Action::Backup, rowOf(d, QStringLiteral("development"))));
        QTRY_VERIFY_WITH_TIMEOUT(done.count() == 3, 120000);
        QVERIFY(!done.at(2).at(0).toBool());
        QTRY_COMPARE(w.activityModel()->entry(0).outcome, QStringLiteral("failed"));
        QVERIFY(w.activityModel()->entry(0).resultSummary.contains(QLatin1String("writes somewhere else")));
        // No secret in what the window wrote.
        QFile log(m_dir.filePath(QStringLiteral("activity.jsonl")));
        QTRY_VERIFY(log.exists());
        QVERIFY(log.open(QIODevice::ReadOnly));
        const QByteArray written = log.readAll();
        QVERIFY(written.contains("worker sync"));
        for (const char *e : {"development", "production", "legacy"})
            QVERIFY(!written.contains(m_worker.clientSecret(QLatin1String(e)).toUtf8()));
    }

    // View > Verify live…: the live probe from the window. Without production's name typed its backup is
    // not triggered and its live check is "not checked"; typed, it runs. Progress while it runs, the
    // findings in the Isolation tab and its diagram, one activity entry per environment; Cancel.
    void verifyLive()
    {
        QVERIFY(m_worker.control(QStringLiteral("config"),
                                 {{QStringLiteral("env"), QStringLiteral("development")},
                                  {QStringLiteral("writeBucket"), QJsonValue(QJsonValue::Null)}}));
        const auto window = openedWindow(QStringLiteral("activity2.jsonl"), QStringLiteral("profile.json"));
        QVERIFY(window);
        MainWindow &w = *window;
        const int prodSyncs = counter(QStringLiteral("production"), "syncs");
        const int devSyncs = counter(QStringLiteral("development"), "syncs");

        w.findChild<QAction *>(QStringLiteral("actionVerifyLive"))->trigger();
        LiveVerifyDialog *d = nullptr;
        QTRY_VERIFY((d = w.findChild<LiveVerifyDialog *>(QStringLiteral("liveVerifyDialog"))) &&
                    d->isVisible());
        QVERIFY(d->confirmation()); // the profile has production: the one guard widget is there
        QSignalSpy audited(&w, &MainWindow::auditFinished);
        QVERIFY(d->start());
        QVERIFY(d->busy());
        QVERIFY(d->confirmation()->findChild<QLineEdit *>(QStringLiteral("confirmEdit"))->isEnabled() ==
                false);
        QTRY_VERIFY_WITH_TIMEOUT(d->message().startsWith(QLatin1String("live: ")), 60000); // progress
        QTRY_VERIFY_WITH_TIMEOUT(!d->busy(), 300000);
        QVERIFY2(d->message().contains(QLatin1String("see the Isolation tab")), qPrintable(d->message()));
        QTRY_VERIFY_WITH_TIMEOUT(hasLive(audited), 120000);
        AuditReport report = audited.last().at(0).value<AuditReport>();
        QMap<QString, Severity> live = liveOf(report);
        QCOMPARE(live.value(QStringLiteral("development"), Severity::Failure), Severity::Ok);
        QCOMPARE(live.value(QStringLiteral("production"), Severity::Ok), Severity::NotChecked);
        QCOMPARE(counter(QStringLiteral("production"), "syncs"), prodSyncs);
        QCOMPARE(counter(QStringLiteral("development"), "syncs"), devSyncs + 1);
        // The Isolation tab: the findings table and the diagram, which gains a "live backup" hop.
        FindingsModel *findings = w.findingsModel();
        bool listed = false;
        for (int r = 0; r < findings->rowCount(); ++r)
            listed = listed || findings->finding(r).check == QLatin1String("live");
        QVERIFY(listed);
        auto *flow = w.findChild<DataFlowView *>();
        QVERIFY(flow);
        QMap<QString, HopState> hops;
        for (const FlowColumn &c : flow->columns()) {
            for (const FlowHop &h : c.hops) {
                if (h.id == QLatin1String("live"))
                    hops.insert(c.environment, h.state);
            }
        }
        QCOMPARE(hops.value(QStringLiteral("development"), HopState::Broken), HopState::Ok);
        QCOMPARE(hops.value(QStringLiteral("production"), HopState::Ok), HopState::NotChecked);
        // The activity log: one entry per environment.
        const ActivityEntry *dev = logged(w, QStringLiteral("verify live"), QStringLiteral("development"));
        const ActivityEntry *prod = logged(w, QStringLiteral("verify live"), QStringLiteral("production"));
        QVERIFY(dev && prod);
        QCOMPARE(dev->outcome, QStringLiteral("succeeded"));
        QCOMPARE(prod->outcome, QStringLiteral("not checked"));
        QVERIFY2(prod->resultSummary.contains(QLatin1String("only when confirmed")),
                 qPrintable(prod->resultSummary));

        // Production's name typed: its backup is triggered and its live check runs.
        d->confirmation()
            ->findChild<QLineEdit *>(QStringLiteral("confirmEdit"))
            ->setText(QStringLiteral("production"));
        audited.clear();
        QVERIFY(d->start());
        QTRY_VERIFY_WITH_TIMEOUT(!d->busy(), 300000);
        QTRY_VERIFY_WITH_TIMEOUT(hasLive(audited), 120000);
        live = liveOf(audited.last().at(0).value<AuditReport>());
        QCOMPARE(live.value(QStringLiteral("production"), Severity::Failure), Severity::Ok);
        QCOMPARE(counter(QStringLiteral("production"), "syncs"), prodSyncs + 1);

        // Cancel: what the probe did not finish is "not checked", never ok.
        d->confirmation()->findChild<QLineEdit *>(QStringLiteral("confirmEdit"))->clear();
        audited.clear();
        QVERIFY(d->start());
        d->cancel();
        QVERIFY(d->message().startsWith(QLatin1String("cancelling")));
        QTRY_VERIFY_WITH_TIMEOUT(!d->busy(), 300000);
        QVERIFY2(d->message().contains(QLatin1String("live check cancelled")), qPrintable(d->message()));
        QTRY_VERIFY_WITH_TIMEOUT(hasLive(audited), 120000);
        report = audited.last().at(0).value<AuditReport>();
        bool said = false;
        for (const Finding &f : report.findings) {
            if (f.check != QLatin1String("live"))
                continue;
            QVERIFY2(f.severity == Severity::NotChecked,
                     qPrintable(f.environment + QStringLiteral(": ") + f.title));
            said = said || QString(f.title + f.evidence).contains(QLatin1String("cancel"));
        }
        QVERIFY(said);
        QCOMPARE(counter(QStringLiteral("production"), "syncs"), prodSyncs + 1);
    }

    // The environments table's Deployment column: the container's view joined with the bucket's by the
    // same rule as `moltctl status`; no worker and an unreachable worker are "not checked", in words.
    void deploymentColumn()
    {
        QTcpServer closed; // a loopback port nothing listens on once closed
        QVERIFY(closed.listen(QHostAddress::LocalHost));
        const quint16 port = closed.serverPort();
        closed.close();
        writeProfile(QStringLiteral("profile-column.json"),
                     {{QStringLiteral("development"), m_worker.url(QStringLiteral("development"))},
                      {QStringLiteral("legacy"), QStringLiteral("http://127.0.0.1:%1").arg(port)}});
        // Development's container mis-wired (backs up into production's bucket) while its own bucket's
        // .last-sync is days old: the seed's Phase 1/2 bug.
        QVERIFY(
            m_worker.control(QStringLiteral("config"),
                             {{QStringLiteral("env"), QStringLiteral("development")},
                              {QStringLiteral("writeBucket"), QStringLiteral("moltbot-data-production")}}));
        QVERIFY(m_worker.control(QStringLiteral("put"),
                                 {{QStringLiteral("bucket"), QStringLiteral("moltbot-data-development")},
                                  {QStringLiteral("key"), QStringLiteral(".last-sync")},
                                  {QStringLiteral("body"), QStringLiteral("2026-02-03T18:02:11+00:00\n")}}));
        const MainWindow::Options o = windowOptions(QStringLiteral("activity3.jsonl"));
        MainWindow w(o);
        w.resize(900, 600);
        w.show();
        QSignalSpy opened(&w, &MainWindow::profileOpened);
        QSignalSpy refreshed(&w, &MainWindow::statusRefreshed);
        w.openProfile(m_dir.filePath(QStringLiteral("profile-column.json")));
        QTRY_VERIFY_WITH_TIMEOUT(opened.count() == 1, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(refreshed.count() >= 1, 60000);
        EnvironmentTableModel *m = w.environmentModel();
        using C = EnvironmentTableModel;
        const auto data = [m](int r, int c, int role = Qt::DisplayRole) { return m->index(r, c).data(role); };
        const int dev = m->rowOf(QStringLiteral("development"));
        const int prod = m->rowOf(QStringLiteral("production"));
        const int legacy = m->rowOf(QStringLiteral("(legacy)"));
        QVERIFY(dev >= 0 && prod >= 0 && legacy >= 0);
        QCOMPARE(data(prod, C::DeploymentColumn).toString(),
                 QStringLiteral("not checked — no worker configured"));
        const QString unreachable = data(legacy, C::DeploymentColumn).toString();
        QVERIFY2(unreachable.startsWith(QStringLiteral("not checked — ")) && unreachable.size() > 20,
                 qPrintable(unreachable));
        QCOMPARE(data(legacy, C::DeploymentColumn, C::DeploymentHealthRole).toInt(), int(Health::Warning));
        QVERIFY(
            data(legacy, C::DeploymentColumn, Qt::ToolTipRole).toString().contains(QString::number(port)));

        // Development's container backs up (Back up now, from the Deployment dialog): into the wrong
        // bucket. Its row is refreshed, and the join turns it into a failure with the reason.
        w.findChild<QAction *>(QStringLiteral("actionDeployment"))->trigger();
        DeploymentDialog *d = nullptr;
        QTRY_VERIFY((d = w.findChild<DeploymentDialog *>(QStringLiteral("deploymentDialog"))) &&
                    d->isVisible());
        QTRY_VERIFY_WITH_TIMEOUT(d->model()->rowCount() == 2, 60000); // production has no worker
        QSignalSpy done(d, &DeploymentDialog::actionFinished);
        QVERIFY(d->start(DeploymentDialog::Action::Backup, rowOf(d, QStringLiteral("development"))));
        QTRY_VERIFY_WITH_TIMEOUT(done.count() == 1, 120000);
        QVERIFY(!done.first().at(0).toBool());
        QTRY_COMPARE_WITH_TIMEOUT(data(dev, C::DeploymentColumn, C::DeploymentHealthRole).toInt(),
                                  int(Health::Failure), 60000);
        const QString text = data(dev, C::DeploymentColumn).toString();
        QVERIFY2(text.contains(QStringLiteral("✘")) && text.contains(QLatin1String("gateway running")) &&
                     text.contains(QLatin1String("R2 configured")) && text.contains(QLatin1String("synced")),
                 qPrintable(text));
        const QString tip = data(dev, C::DeploymentColumn, Qt::ToolTipRole).toString();
        QVERIFY2(tip.contains(m_worker.url(QStringLiteral("development"))) &&
                     tip.contains(QLatin1String("Phase 1/2")) &&
                     tip.contains(QLatin1String("bucket's .last-sync: 2026-02-03T18:02:11+00:00")),
                 qPrintable(tip));
        QCOMPARE(data(dev, C::HealthColumn, C::HealthRole).toInt(), int(Health::Failure));
        QVERIFY(data(dev, C::HealthColumn, Qt::ToolTipRole).toString().contains(QLatin1String("Phase 1/2")));

        // Wired right again and backed up: the same row turns ok (nothing sticks from before).
        QVERIFY(m_worker.control(QStringLiteral("config"),
                                 {{QStringLiteral("env"), QStringLiteral("development")},
                                  {QStringLiteral("writeBucket"), QJsonValue(QJsonValue::Null)}}));
        QTRY_VERIFY_WITH_TIMEOUT(!d->busy() && d->model()->rowCount() == 2, 60000); // its own refresh
        QVERIFY(d->start(DeploymentDialog::Action::Backup, rowOf(d, QStringLiteral("development"))));
        QTRY_VERIFY_WITH_TIMEOUT(done.count() == 2, 120000);
        QVERIFY2(done.at(1).at(0).toBool(), qPrintable(done.at(1).at(1).toString()));
        QTRY_COMPARE_WITH_TIMEOUT(data(dev, C::DeploymentColumn, C::DeploymentHealthRole).toInt(),
                                  int(Health::Ok), 60000);
        QCOMPARE(data(dev, C::DeploymentColumn).toString(),
                 QStringLiteral("gateway running · R2 configured · synced just now"));
        QVERIFY(data(dev, C::HealthColumn, C::HealthRole).toInt() != int(Health::Failure));

        // F5 checks the deployment again with the table.
        refreshed.clear();
        w.findChild<QAction *>(QStringLiteral("actionRefresh"))->trigger();
        QCOMPARE(data(dev, C::DeploymentColumn).toString(), QStringLiteral("checking…"));
        QCOMPARE(data(dev, C::HealthColumn).toString(), QStringLiteral("updating…"));
        QTRY_VERIFY_WITH_TIMEOUT(refreshed.count() >= 1, 60000);
        QCOMPARE(data(dev, C::DeploymentColumn, C::DeploymentHealthRole).toInt(), int(Health::Ok));
    }

    // Check persistence from the window: the seed's procedure passes on a well-wired container and fails,
    // with the lost device named in the activity log, on one that restores from the wrong place.
    void deploymentPersistence()
    {
        const auto window = openedWindow(QStringLiteral("activity5.jsonl"), QStringLiteral("profile.json"));
        QVERIFY(window);
        MainWindow &w = *window;
        DeploymentDialog *d = w.showDeploymentDialog();
        QVERIFY(d);
        QTRY_VERIFY_WITH_TIMEOUT(d->model()->rowCount() == 3, 60000);
        QSignalSpy done(d, &DeploymentDialog::actionFinished);
        const int restarts = counter(QStringLiteral("development"), "restarts");
        QVERIFY(d->start(DeploymentDialog::Action::Persistence, rowOf(d, QStringLiteral("development"))));
        // Progress while it runs: every step's text replaces the starting one until the result.
        QTRY_VERIFY_WITH_TIMEOUT(!d->message().startsWith(QLatin1String("worker check-persistence")), 30000);
        QTRY_VERIFY_WITH_TIMEOUT(done.count() == 1, 180000);
        QVERIFY2(done.first().at(0).toBool(), qPrintable(done.first().at(1).toString()));
        QCOMPARE(counter(QStringLiteral("development"), "restarts"), restarts + 1);
        const ActivityEntry *e =
            logged(w, QStringLiteral("worker check-persistence"), QStringLiteral("development"));
        QVERIFY(e);
        QCOMPARE(e->outcome, QStringLiteral("succeeded"));
        QVERIFY2(e->resultSummary.contains(QLatin1String("still there")), qPrintable(e->resultSummary));

        // Restoring from another bucket (the rsync era: not the mounted one, so it starts fresh).
        QVERIFY(
            m_worker.control(QStringLiteral("config"),
                             {{QStringLiteral("env"), QStringLiteral("development")},
                              {QStringLiteral("restoreBucket"), QStringLiteral("moltbot-data-production")}}));
        QTRY_VERIFY_WITH_TIMEOUT(!d->busy() && d->model()->rowCount() == 3, 60000);
        QVERIFY(d->start(DeploymentDialog::Action::Persistence, rowOf(d, QStringLiteral("development"))));
        QTRY_VERIFY_WITH_TIMEOUT(done.count() == 2, 180000);
        QVERIFY(!done.at(1).at(0).toBool());
        QTRY_COMPARE(w.activityModel()->entry(0).action, QStringLiteral("worker check-persistence"));
        QCOMPARE(w.activityModel()->entry(0).outcome, QStringLiteral("failed"));
        QVERIFY2(w.activityModel()->entry(0).resultSummary.contains(QLatin1String("lost across the restart")),
                 qPrintable(w.activityModel()->entry(0).resultSummary));
        QVERIFY(m_worker.control(QStringLiteral("config"),
                                 {{QStringLiteral("env"), QStringLiteral("development")},
                                  {QStringLiteral("restoreBucket"), QJsonValue(QJsonValue::Null)}}));
        QVERIFY(m_worker.control(QStringLiteral("seed"),
                                 {{QStringLiteral("env"), QStringLiteral("development")}}));
    }

    // The rclone era (upstream): the container keeps its last sync in /tmp, so the column shows it and says
    // why it is not compared; the mis-wired rclone container is caught by Verify live… from the window.
    void rcloneEra()
    {
        const QJsonObject dev{{QStringLiteral("env"), QStringLiteral("development")}};
        QVERIFY(m_worker.control(QStringLiteral("config"),
                                 {{QStringLiteral("env"), QStringLiteral("development")},
                                  {QStringLiteral("era"), QStringLiteral("rclone")}}));
        QVERIFY(m_worker.control(QStringLiteral("wipe"),
                                 {{QStringLiteral("bucket"), QStringLiteral("moltbot-data-development")}}));
        QVERIFY(m_worker.control(QStringLiteral("seed"), dev));
        const auto window = openedWindow(QStringLiteral("activity6.jsonl"),
                                         QStringLiteral("profile-column.json")); // development's worker only
        QVERIFY(window);
        MainWindow &w = *window;
        DeploymentDialog *d = w.showDeploymentDialog();
        QVERIFY(d);
        QTRY_VERIFY_WITH_TIMEOUT(d->model()->rowCount() == 2, 60000);
        QSignalSpy done(d, &DeploymentDialog::actionFinished);
        QVERIFY(d->start(DeploymentDialog::Action::Backup, rowOf(d, QStringLiteral("development"))));
        QTRY_VERIFY_WITH_TIMEOUT(done.count() == 1, 120000);
        QVERIFY2(done.first().at(0).toBool(), qPrintable(done.first().at(1).toString()));
        EnvironmentTableModel *m = w.environmentModel();
        using C = EnvironmentTableModel;
        const int row = m->rowOf(QStringLiteral("development"));
        const auto data = [m, row](int c, int role = Qt::DisplayRole) { return m->index(row, c).data(role); };
        QTRY_COMPARE_WITH_TIMEOUT(data(C::DeploymentColumn).toString(),
                                  QStringLiteral("gateway running · R2 configured · synced just now"), 60000);
        QCOMPARE(data(C::DeploymentColumn, C::DeploymentHealthRole).toInt(), int(Health::Ok));
        QVERIFY2(data(C::DeploymentColumn, Qt::ToolTipRole).toString().contains(QLatin1String("rclone era")),
                 qPrintable(data(C::DeploymentColumn, Qt::ToolTipRole).toString()));

        // Mis-wired: its backup goes into production's bucket. The live check from the window says so.
        QVERIFY(
            m_worker.control(QStringLiteral("config"),
                             {{QStringLiteral("env"), QStringLiteral("development")},
                              {QStringLiteral("writeBucket"), QStringLiteral("moltbot-data-production")}}));
        QVERIFY(m_worker.control(QStringLiteral("seed"), dev)); // a change for the backup to carry
        LiveVerifyDialog *live = w.showLiveVerifyDialog();
        QVERIFY(live);
        QSignalSpy audited(&w, &MainWindow::auditFinished);
        QVERIFY(live->start());
        QTRY_VERIFY_WITH_TIMEOUT(!live->busy(), 300000);
        QTRY_VERIFY_WITH_TIMEOUT(hasLive(audited), 120000);
        bool caught = false;
        for (const Finding &f : audited.last().at(0).value<AuditReport>().findings) {
            caught = caught || (f.check == QLatin1String("live") && f.severity == Severity::Failure &&
                                f.environment == QLatin1String("development") &&
                                f.title.contains(QLatin1String("changed moltbot-data-production")));
        }
        QVERIFY(caught);
        const ActivityEntry *e = logged(w, QStringLiteral("verify live"), QStringLiteral("development"));
        QVERIFY(e);
        QCOMPARE(e->outcome, QStringLiteral("failed"));
        QVERIFY(!e->errors.isEmpty());
        QVERIFY(m_worker.control(QStringLiteral("config"),
                                 {{QStringLiteral("env"), QStringLiteral("development")},
                                  {QStringLiteral("era"), QStringLiteral("rsync")},
                                  {QStringLiteral("writeBucket"), QJsonValue(QJsonValue::Null)}}));
        QVERIFY(m_worker.control(QStringLiteral("seed"), dev));
    }

    // The Deployment dialog's restart polls with progress, and Cancel stops the wait: logged as cancelled.
    void deploymentCancel()
    {
        QVERIFY(m_worker.control(QStringLiteral("config"), {{QStringLiteral("env"), QStringLiteral("legacy")},
                                                            {QStringLiteral("bootSeconds"), 20}}));
        const auto window = openedWindow(QStringLiteral("activity4.jsonl"), QStringLiteral("profile.json"));
        QVERIFY(window);
        MainWindow &w = *window;
        DeploymentDialog *d = w.showDeploymentDialog();
        QVERIFY(d);
        QTRY_VERIFY_WITH_TIMEOUT(d->model()->rowCount() == 3, 60000);
        QSignalSpy done(d, &DeploymentDialog::actionFinished);
        QVERIFY(d->start(DeploymentDialog::Action::Restart, rowOf(d, QStringLiteral("(legacy)"))));
        QTRY_VERIFY_WITH_TIMEOUT(d->message().startsWith(QLatin1String("gateway: ")), 30000); // polling
        d->cancel();
        QTRY_VERIFY_WITH_TIMEOUT(done.count() == 1, 30000);
        QVERIFY(!done.first().at(0).toBool());
        const ActivityEntry *e = logged(w, QStringLiteral("worker restart"), QStringLiteral("(legacy)"));
        QVERIFY(e);
        QCOMPARE(e->outcome, QStringLiteral("cancelled"));
        QVERIFY(m_worker.control(QStringLiteral("config"), {{QStringLiteral("env"), QStringLiteral("legacy")},
                                                            {QStringLiteral("bootSeconds"), 0.6}}));
    }

    // Cancel while the container's backup runs (a slow worker): the probe stops at once and says "not
    // checked"; closing the window during a live check does not wait for the backup either.
    void liveCancelMidBackup()
    {
        QVERIFY(m_worker.control(QStringLiteral("config"),
                                 {{QStringLiteral("env"), QStringLiteral("development")},
                                  {QStringLiteral("fault"), QStringLiteral("slow")},
                                  {QStringLiteral("faultMatch"), QStringLiteral("/storage/sync")},
                                  {QStringLiteral("slowSeconds"), 8}}));
        const int syncs = counter(QStringLiteral("development"), "syncs");
        const int asked = syncRequests(QStringLiteral("development"));
        const MainWindow::Options o = windowOptions(QStringLiteral("activity7.jsonl"));
        auto w = std::make_unique<MainWindow>(o);
        w->show();
        QSignalSpy opened(w.get(), &MainWindow::profileOpened);
        QSignalSpy audited(w.get(), &MainWindow::auditFinished);
        w->openProfile(m_dir.filePath(QStringLiteral("profile-column.json")));
        QTRY_VERIFY_WITH_TIMEOUT(opened.count() == 1, 30000);
        LiveVerifyDialog *live = w->showLiveVerifyDialog();
        QVERIFY(live && live->start());
        QTRY_VERIFY_WITH_TIMEOUT(syncRequests(QStringLiteral("development")) == asked + 1,
                                 60000); // inside it
        QElapsedTimer t;
        t.start();
        live->cancel();
        QTRY_VERIFY_WITH_TIMEOUT(!live->busy(), 20000);
        QVERIFY2(t.elapsed() < 5000, qPrintable(QString::number(t.elapsed())));
        QTRY_VERIFY_WITH_TIMEOUT(hasLive(audited), 60000);
        const QMap<QString, Severity> seen = liveOf(audited.last().at(0).value<AuditReport>());
        QCOMPARE(seen.value(QStringLiteral("development"), Severity::Ok), Severity::NotChecked);
        // The stand-in finishes the request it got; wait for it so nothing runs into the next step.
        QTRY_VERIFY_WITH_TIMEOUT(counter(QStringLiteral("development"), "syncs") == syncs + 1, 60000);

        live = w->showLiveVerifyDialog();
        QVERIFY(live && live->start());
        QTRY_VERIFY_WITH_TIMEOUT(syncRequests(QStringLiteral("development")) == asked + 2, 60000);
        t.restart();
        w.reset();
        QVERIFY2(t.elapsed() < 5000, qPrintable(QString::number(t.elapsed())));
        QTRY_VERIFY_WITH_TIMEOUT(counter(QStringLiteral("development"), "syncs") == syncs + 2, 60000);
        QVERIFY(m_worker.control(QStringLiteral("config"),
                                 {{QStringLiteral("env"), QStringLiteral("development")},
                                  {QStringLiteral("fault"), QStringLiteral("none")}}));
    }

    // A worker slow to answer the table's status: closing the window does not wait for it.
    void closeWhileDeploymentChecks()
    {
        QVERIFY(m_worker.control(QStringLiteral("config"),
                                 {{QStringLiteral("env"), QStringLiteral("development")},
                                  {QStringLiteral("fault"), QStringLiteral("slow")},
                                  {QStringLiteral("faultMatch"), QStringLiteral("/api/status")},
                                  {QStringLiteral("slowSeconds"), 8}}));
        const auto statusAsked = [this]() {
            int n = 0;
            for (const QJsonValue &r :
                 m_worker.state(QStringLiteral("development")).value(QLatin1String("requests")).toArray())
                n += r.toObject().value(QLatin1String("path")).toString() == QLatin1String("/api/status");
            return n;
        };
        const int asked = statusAsked();
        auto w = openedWindow(QStringLiteral("activity8.jsonl"), QStringLiteral("profile-column.json"));
        QVERIFY(w);
        QTRY_VERIFY_WITH_TIMEOUT(statusAsked() == asked + 1, 30000);
        const int row = w->environmentModel()->rowOf(QStringLiteral("development"));
        QCOMPARE(w->environmentModel()->index(row, EnvironmentTableModel::DeploymentColumn).data().toString(),
                 QStringLiteral("checking…"));
        QElapsedTimer t;
        t.start();
        w.reset();
        QVERIFY2(t.elapsed() < 5000, qPrintable(QString::number(t.elapsed())));
        QVERIFY(m_worker.control(QStringLiteral("config"),
                                 {{QStringLiteral("env"), QStringLiteral("development")},
                                  {QStringLiteral("fault"), QStringLiteral("none")}}));
        QTest::qWait(8000); // the stand-in's sleeping handler finishes before the fixture stops
    }
};

QTEST_MAIN(TestGuiWorker)
#include "tst_gui_worker.moc"

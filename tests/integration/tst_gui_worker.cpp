// The window's Deployment dialog on the real MainWindow, against the stand-in worker and the real S3
// fixture: the container's and the bucket's last sync side by side, "Back up now (in the container)"
// verified and logged, production refused until its name is typed, restart with polling, the
// mis-wired container's backup reported as failed in the activity log.
#include "ActivityLogModel.h"
#include "AuditReport.h"
#include "DeploymentDialog.h"
#include "MainWindow.h"
#include "StandinWorker.h"

#include <QJsonArray>
#include <QLineEdit>
#include <QSignalSpy>
#include <QStandardItemModel>
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
    int counter(const QString &env, const char *name) const
    {
        return m_worker.state(env)
            .value(QLatin1String("counters"))
            .toObject()
            .value(QLatin1String(name))
            .toInt();
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

private slots:
    void initTestCase()
    {
        MOLTDESK_REQUIRE_SERVER(m_server);
        MOLTDESK_REQUIRE_WORKER(m_worker);
        QJsonObject workers;
        for (const char *e : {"development", "production", "legacy"})
            workers.insert(QLatin1String(e), m_worker.url(QLatin1String(e)));
        write(QStringLiteral("profile.json"),
              QJsonDocument(
                  QJsonObject{{QStringLiteral("environments"),
                               QJsonArray{QStringLiteral("development"), QStringLiteral("production")}},
                              {QStringLiteral("storage"),
                               QJsonObject{{QStringLiteral("type"), QStringLiteral("s3")},
                                           {QStringLiteral("endpoint"), m_server.endpoint().toString()}}},
                              {QStringLiteral("workers"), workers}})
                  .toJson());
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
            QVERIFY(m_worker.control(QStringLiteral("config"), {{QStringLiteral("env"), QLatin1String(e)},
                                                                {QStringLiteral("era"), QStringLiteral("rsync")},
                                                                {QStringLiteral("bootSeconds"), 0.6}}));
            QVERIFY(m_worker.control(QStringLiteral("seed"), {{QStringLiteral("env"), QLatin1String(e)}}));
        }
    }

    void deploymentDialog()
    {
        MainWindow::Options o;
        o.useKeychain = false;
        o.activityLogPath = m_dir.filePath(QStringLiteral("activity.jsonl"));
        MainWindow w(o);
        w.show();
        QSignalSpy opened(&w, &MainWindow::profileOpened);
        w.openProfile(m_dir.filePath(QStringLiteral("profile.json")));
        QTRY_VERIFY_WITH_TIMEOUT(opened.count() == 1, 30000);

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
        QFile log(o.activityLogPath);
        QTRY_VERIFY(log.exists());
        QVERIFY(log.open(QIODevice::ReadOnly));
        const QByteArray written = log.readAll();
        QVERIFY(written.contains("worker sync"));
        for (const char *e : {"development", "production", "legacy"})
            QVERIFY(!written.contains(m_worker.clientSecret(QLatin1String(e)).toUtf8()));
    }

    // View > Verify live: the window's Verify runs the live probe; production is "not checked" there.
    void verifyLive()
    {
        QVERIFY(m_worker.control(QStringLiteral("config"),
                                 {{QStringLiteral("env"), QStringLiteral("development")},
                                  {QStringLiteral("writeBucket"), QJsonValue(QJsonValue::Null)}}));
        MainWindow::Options o;
        o.useKeychain = false;
        o.activityLogPath = m_dir.filePath(QStringLiteral("activity2.jsonl"));
        MainWindow w(o);
        w.show();
        QSignalSpy opened(&w, &MainWindow::profileOpened);
        w.openProfile(m_dir.filePath(QStringLiteral("profile.json")));
        QTRY_VERIFY_WITH_TIMEOUT(opened.count() == 1, 30000);
        w.findChild<QAction *>(QStringLiteral("actionVerifyLive"))->setChecked(true);
        QSignalSpy audited(&w, &MainWindow::auditFinished);
        w.findChild<QAction *>(QStringLiteral("actionVerify"))->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(audited.count() >= 1, 180000);
        const AuditReport report = audited.last().at(0).value<AuditReport>();
        QMap<QString, Severity> live;
        for (const Finding &f : report.findings) {
            if (f.check == QLatin1String("live"))
                live.insert(f.environment, f.severity);
        }
        QCOMPARE(live.value(QStringLiteral("development"), Severity::Failure), Severity::Ok);
        QCOMPARE(live.value(QStringLiteral("production"), Severity::Ok), Severity::NotChecked);
        QCOMPARE(counter(QStringLiteral("production"), "syncs"), 0);
    }
};

QTEST_MAIN(TestGuiWorker)
#include "tst_gui_worker.moc"

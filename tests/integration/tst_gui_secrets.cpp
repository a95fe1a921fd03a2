// Secrets typed in the window go to the keychain and nowhere else. Run under a real secret service
// (tests/support/with-keyring.sh: GNOME Keyring on a private D-Bus session) against the real S3
// server: the operator types each environment's keys into the Credentials dialog, then syncs,
// restores, migrates legacy data and verifies isolation from the window, with every logging category
// at debug level. Afterwards every message logged and every file the app wrote (settings, activity
// log, caches, profile folder, restore target, reports) is searched for the secrets: none is found.
// The keychain, read back independently, holds them.
#include "ActionDialog.h"
#include "Credentials.h"
#include "CredentialsDialog.h"
#include "FileDialog.h"
#include "LogCapture.h"
#include "MainWindow.h"
#include "TestServer.h"
#include "Workspace.h"

#include <QAbstractItemView>
#include <QAction>
#include <QApplication>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QLoggingCategory>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace moltdesk;
using namespace moltdesk::test;

namespace {
QTemporaryDir *g_home = nullptr; // set in main() before the application reads any XDG folder
} // namespace

class TestGuiSecrets : public QObject
{
    Q_OBJECT
private:
    TestServer m_server;
    QString m_profile;

    QString path(const QString &rel) const { return g_home->filePath(rel); }
    void write(const QString &rel, const QByteArray &data)
    {
        QDir().mkpath(QFileInfo(path(rel)).absolutePath());
        QFile f(path(rel));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(data);
    }
    static int rowOf(MainWindow &w, const QString &name)
    {
        auto *view = w.findChild<QAbstractItemView *>(QStringLiteral("environmentsTable"));
        for (int r = 0; r < view->model()->rowCount(); ++r)
            if (view->model()->index(r, 0).data().toString().contains(name, Qt::CaseInsensitive))
                return r;
        return -1;
    }
    // Runs the action on the selected row through its dialog, as an operator would; `out` gets the result.
    void runAction(MainWindow &w, const char *action, JobResult &out, const QString &confirm = {})
    {
        const auto before = w.findChildren<ActionDialog *>();
        w.findChild<QAction *>(QLatin1String(action))->trigger();
        ActionDialog *dlg = nullptr;
        for (ActionDialog *d : w.findChildren<ActionDialog *>())
            if (!before.contains(d))
                dlg = d;
        QVERIFY2(dlg, action);
        auto *run = dlg->findChild<QPushButton *>(QStringLiteral("runButton"));
        if (!confirm.isEmpty()) {
            auto *edit = dlg->findChild<QLineEdit *>(QStringLiteral("confirmEdit"));
            QTRY_VERIFY_WITH_TIMEOUT(edit->isVisible(), 60000);
            QTest::keyClicks(edit, confirm);
        }
        QTRY_VERIFY_WITH_TIMEOUT(run->isEnabled(), 120000);
        QSignalSpy finished(dlg->job(), &Job::finished);
        QTest::mouseClick(run, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 300000);
        out = finished.at(0).at(0).value<JobResult>();
    }

    // The keychain's jobs finish through this thread's event loop (D-Bus replies): wait by spinning
    // it, never by blocking in QFuture::result().
    template <typename T> static bool settle(const QFuture<T> &f, int ms = 30000)
    {
        QElapsedTimer t;
        t.start();
        while (!f.isFinished() && t.elapsed() < ms)
            QTest::qWait(10);
        return f.isFinished();
    }

private slots:
    void initTestCase()
    {
        // Installed here, after QTest installed its own handler, so both see every message.
        LogCapture::install();
        MOLTDESK_REQUIRE_SERVER(m_server);
        // The secret service must be real here: this test exists to prove the keychain path.
        KeychainStore probe;
        const Credentials c{QStringLiteral("probe-id"), QStringLiteral("probe-secret"), QString()};
        auto write = probe.write(QStringLiteral("moltdesk-test-probe"), c);
        QVERIFY2(settle(write), "the keychain did not answer within 30 s");
        const Status stored = write.result();
        if (!stored.ok()) {
            const QByteArray why = "\n!!!!!!!! NO SECRET SERVICE, KEYCHAIN TEST NOT RUN !!!!!!!!\n" +
                                   stored.error().toString().toUtf8() +
                                   "\nrun through ctest (tests/support/with-keyring.sh starts GNOME Keyring)";
            if (TestServer::required())
                QFAIL(why.constData());
            QSKIP(why.constData());
        }
        auto read = probe.read(QStringLiteral("moltdesk-test-probe"));
        QVERIFY(settle(read));
        QCOMPARE(read.result().value().secretAccessKey, c.secretAccessKey);
        auto removed = probe.remove(QStringLiteral("moltdesk-test-probe"));
        QVERIFY(settle(removed) && removed.result().ok());
    }

    void typedCredentialsReachOnlyTheKeychain()
    {
        const ServerUser dev = m_server.user(QStringLiteral("dev"));
        const ServerUser prod = m_server.user(QStringLiteral("prod"));
        const ServerUser legacy = m_server.user(QStringLiteral("legacy"));
        qInfo("emptying the buckets");
        // Empty buckets, so the sync uploads and the migration copies.
        for (const QString &b : {QStringLiteral("moltbot-data"), QStringLiteral("moltbot-data-development"),
                                 QStringLiteral("moltbot-data-production")}) {
            QProcess rm;
            QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
            e.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), m_server.user(QStringLiteral("admin")).accessKeyId);
            e.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), m_server.user(QStringLiteral("admin")).secret);
            e.insert(QStringLiteral("AWS_DEFAULT_REGION"), QStringLiteral("auto"));
            e.remove(QStringLiteral("AWS_CA_BUNDLE"));
            rm.setProcessEnvironment(e);
            rm.start(QStringLiteral("/usr/bin/aws"),
                     {QStringLiteral("--endpoint-url"), m_server.endpoint().toString(), QStringLiteral("s3"),
                      QStringLiteral("rm"), QStringLiteral("--recursive"),
                      QStringLiteral("--only-show-errors"), QStringLiteral("s3://") + b});
            QVERIFY(rm.waitForFinished(120000));
            QCOMPARE(rm.exitCode(), 0);
        }
        m_profile = path(QStringLiteral("ws/profile.json"));
        write(QStringLiteral("ws/profile.json"),
              QJsonDocument(
                  m_server.profile(
                      {{QStringLiteral("syncSets"),
                        QJsonArray{QJsonObject{{QStringLiteral("local"), QStringLiteral("src")},
                                               {QStringLiteral("prefix"), QStringLiteral("clawdbot/")}}}}}))
                  .toJson());
        for (int i = 0; i < 20; ++i)
            write(QStringLiteral("ws/src/file%1.json").arg(i), QByteArray(500 + i, char('a' + i % 26)));
        write(QStringLiteral("ws/src/clawdbot.json"), "{}");

        qInfo("opening the window");
        {
            MainWindow::Options o;
            o.useKeychain = true;
            MainWindow w(o);
            w.show();
            QSignalSpy refreshed(&w, &MainWindow::statusRefreshed);
            w.openProfile(m_profile);
            QTRY_VERIFY_WITH_TIMEOUT(refreshed.count() >= 1, 60000);

            // The operator types each environment's keys into the Credentials dialog.
            const QList<QPair<QString, ServerUser>> typed{{QStringLiteral("development"), dev},
                                                          {QStringLiteral("production"), prod},
                                                          {QStringLiteral("legacy"), legacy}};
            for (const auto &[name, user] : typed) {
                const int row = rowOf(w, name);
                QVERIFY2(row >= 0, qPrintable(name));
                w.selectRow(row);
                w.findChild<QAction *>(QStringLiteral("actionCredentials"))->trigger();
                CredentialsDialog *dlg = nullptr;
                QTRY_VERIFY((dlg = w.findChild<CredentialsDialog *>(QStringLiteral("credentialsDialog"))) &&
                            dlg->isVisible());
                QTest::keyClicks(dlg->findChild<QLineEdit *>(QStringLiteral("accessKeyIdEdit")),
                                 user.accessKeyId);
                QTest::keyClicks(dlg->findChild<QLineEdit *>(QStringLiteral("secretEdit")), user.secret);
                QCOMPARE(dlg->findChild<QLineEdit *>(QStringLiteral("secretEdit"))->echoMode(),
                         QLineEdit::Password);
                QSignalSpy stored(dlg, &CredentialsDialog::stored);
                QTest::mouseClick(dlg->findChild<QPushButton *>(QStringLiteral("saveButton")),
                                  Qt::LeftButton);
                QTRY_VERIFY2_WITH_TIMEOUT(
                    stored.count() == 1,
                    qPrintable(name + QStringLiteral(": ") +
                               dlg->findChild<QLabel *>(QStringLiteral("credentialsNote"))->text()),
                    20000);
                delete dlg;
            }
            refreshed.clear();
            w.refresh();
            QTRY_VERIFY_WITH_TIMEOUT(refreshed.count() >= 1, 60000);
            auto *view = w.findChild<QAbstractItemView *>(QStringLiteral("environmentsTable"));
            for (const QString &name : {QStringLiteral("development"), QStringLiteral("production")}) {
                bool fromKeychain = false;
                for (int c = 0; c < view->model()->columnCount(); ++c)
                    fromKeychain |= view->model()->index(rowOf(w, name), c).data().toString() ==
                                    QLatin1String("keychain");
                QVERIFY2(fromKeychain,
                         qPrintable(name + QStringLiteral(": credentials not taken from the keychain")));
            }

            qInfo("credentials stored; running every action");
            // Every action, from the window.
            w.selectRow(rowOf(w, QStringLiteral("development")));
            JobResult r;
            runAction(w, "actionSync", r);
            if (QTest::currentTestFailed())
                return;
            QVERIFY2(r.ok() && r.uploaded == 21, qPrintable(r.summaryLine()));
            w.selectRow(rowOf(w, QStringLiteral("production")));
            runAction(w, "actionSync", r, QStringLiteral("production"));
            if (QTest::currentTestFailed())
                return;
            QVERIFY2(r.ok(), qPrintable(r.summaryLine()));
            w.selectRow(rowOf(w, QStringLiteral("development")));
            FileDialog::presetAnswer(path(QStringLiteral("restored")));
            runAction(w, "actionRestore", r);
            if (QTest::currentTestFailed())
                return;
            QVERIFY2(r.ok() && r.downloaded == 21, qPrintable(r.summaryLine()));
            QCOMPARE(QDir(path(QStringLiteral("restored/clawdbot"))).entryList(QDir::Files).size(), 21);
            // The legacy bucket (empty) into development: planned and applied with the legacy keys.
            runAction(w, "actionMigrate", r);
            if (QTest::currentTestFailed())
                return;
            QVERIFY2(r.outcome != JobResult::Outcome::Failed, qPrintable(r.summaryLine()));
            QSignalSpy audited(&w, &MainWindow::auditFinished);
            w.findChild<QAction *>(QStringLiteral("actionVerify"))->trigger();
            QTRY_VERIFY_WITH_TIMEOUT(audited.count() >= 1, 120000);
            QTest::qWait(500); // the activity log's appends finish in their worker
        }                      // closing the window saves its settings

        // The keychain holds what was typed, read back independently of the window.
        KeychainStore store;
        const auto ws = Workspace::open(m_profile);
        QVERIFY(ws.ok());
        auto pending = store.read(
            KeychainStore::entryName(m_profile, ws.value().find(QStringLiteral("development")).value()));
        QVERIFY(settle(pending));
        const auto got = pending.result();
        QVERIFY2(got.ok(), got.ok() ? "" : qPrintable(got.error().toString()));
        QCOMPARE(got.value().secretAccessKey, dev.secret);

        // Nothing else does: not a logged message, not a file the app wrote.
        const QList<QByteArray> secrets{dev.secret.toUtf8(), prod.secret.toUtf8(), legacy.secret.toUtf8()};
        {
            const QByteArray log = LogCapture::text();
            QVERIFY2(log.size() > 2000, "too little was logged for this search to mean anything");
            QVERIFY2(log.contains(dev.accessKeyId.toUtf8()) || log.contains("moltbot-data-development"),
                     "the search must see what the app logged");
            for (const QByteArray &s : secrets)
                QVERIFY2(!log.contains(s), "a secret was logged");
            QVERIFY(!log.contains("Signature="));
        }
        int searched = 0;
        bool sawSettings = false, sawActivity = false;
        QDirIterator it(g_home->path(), QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot,
                        QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString f = it.next();
            QFile file(f);
            QVERIFY(file.open(QIODevice::ReadOnly));
            const QByteArray data = file.readAll();
            for (const QByteArray &s : secrets)
                QVERIFY2(!data.contains(s), qPrintable(QStringLiteral("secret found in ") + f));
            sawSettings |= f.endsWith(QLatin1String(".conf"));
            sawActivity |= f.endsWith(QLatin1String("activity.jsonl"));
            ++searched;
        }
        qInfo("searched %lld bytes of log and %d files written by the window",
              qint64(LogCapture::text().size()), searched);
        QVERIFY2(sawSettings, "QSettings wrote no file where expected: the search would miss it");
        QVERIFY2(sawActivity, "no activity log found: the search would miss it");
        QVERIFY(searched > 25);
        for (const auto &name :
             {QStringLiteral("development"), QStringLiteral("production"), QStringLiteral("legacy")})
            QVERIFY(settle(store.remove(KeychainStore::entryName(m_profile, ws.value().find(name).value()))));
    }
};

int main(int argc, char **argv)
{
    // Every folder the app writes to lives in one temporary home, set before Qt reads any of them.
    QTemporaryDir home;
    g_home = &home;
    // (The keyring daemon started by with-keyring.sh has read its own XDG_DATA_HOME already.)
    for (const char *v : {"XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"})
        qputenv(v, (home.path() + QLatin1Char('/') + QString::fromLatin1(v).mid(4).toLower()).toUtf8());
    qputenv("QT_LOGGING_RULES", "moltdesk.*.debug=true");
    QApplication app(argc, argv);
    app.setOrganizationName(QStringLiteral("moltdesk-test"));
    app.setApplicationName(QStringLiteral("moltdesk"));
    TestGuiSecrets t;
    return QTest::qExec(&t, argc, argv);
}

#include "tst_gui_secrets.moc"

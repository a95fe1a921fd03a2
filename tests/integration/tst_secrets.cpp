// No secret leaks: every moltctl command runs against the real server with a recognisable secret,
// with all logging categories at debug level, then every byte it printed or wrote (stdout, stderr,
// the data, cache and config folders, restore targets, reports, the hash cache, the profile's folder)
// is searched for the secret. It must not be found anywhere.
#include "SecretScan.h"
#include "TestServer.h"

#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace moltdesk::test;

class TestSecrets : public QObject
{
    Q_OBJECT
private:
    TestServer m_server;
    QTemporaryDir m_dir;
    QByteArray m_output;

    int run(const QStringList &args, const QByteArray &stdinData = {})
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_DATA_HOME"), m_dir.filePath(QStringLiteral("xdg/data")));
        env.insert(QStringLiteral("XDG_CACHE_HOME"), m_dir.filePath(QStringLiteral("xdg/cache")));
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_dir.filePath(QStringLiteral("xdg/config")));
        env.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("moltdesk.*.debug=true"));
        env.remove(QStringLiteral("R2_SECRET_ACCESS_KEY"));
        p.setProcessEnvironment(env);
        p.start(qEnvironmentVariable("MOLTCTL"),
                QStringList{QStringLiteral("--profile"), m_dir.filePath(QStringLiteral("ws/profile.json"))} +
                    args);
        p.write(stdinData);
        p.closeWriteChannel();
        p.waitForFinished(300000);
        m_output += p.readAllStandardOutput() + p.readAllStandardError();
        return p.exitCode();
    }
    void write(const QString &rel, const QByteArray &data)
    {
        QDir().mkpath(QFileInfo(m_dir.filePath(rel)).absolutePath());
        QFile f(m_dir.filePath(rel));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(data);
    }

private slots:
    void initTestCase() { MOLTDESK_REQUIRE_SERVER(m_server); }

    void noCommandLeaksTheSecret()
    {
        const ServerUser dev = m_server.user(QStringLiteral("dev"));
        const ServerUser legacy = m_server.user(QStringLiteral("legacy"));
        const ServerUser prod = m_server.user(QStringLiteral("prod"));
        QVERIFY(dev.secret.size() >= 16);
        write(QStringLiteral("ws/profile.json"),
              QJsonDocument(
                  m_server.profile(
                      {{QStringLiteral("syncSets"),
                        QJsonArray{QJsonObject{{QStringLiteral("local"), QStringLiteral("src")},
                                               {QStringLiteral("prefix"), QStringLiteral("clawdbot/")}}}}}))
                  .toJson());
        // The credentials live only in the wrangler-style secret files the operator made.
        write(QStringLiteral("ws/.dev.vars.development"),
              QString(QStringLiteral("R2_ACCESS_KEY_ID=") + dev.accessKeyId +
                      QStringLiteral("\nR2_SECRET_ACCESS_KEY=") + dev.secret + QStringLiteral("\n"))
                  .toUtf8());
        write(QStringLiteral("ws/.dev.vars.production"),
              QString(QStringLiteral("R2_ACCESS_KEY_ID=") + prod.accessKeyId +
                      QStringLiteral("\nR2_SECRET_ACCESS_KEY=") + prod.secret + QStringLiteral("\n"))
                  .toUtf8());
        write(QStringLiteral("ws/.dev.vars"),
              QString(QStringLiteral("R2_ACCESS_KEY_ID=") + legacy.accessKeyId +
                      QStringLiteral("\nR2_SECRET_ACCESS_KEY=") + legacy.secret + QStringLiteral("\n"))
                  .toUtf8());
        for (int i = 0; i < 20; ++i)
            write(QStringLiteral("ws/src/file%1.json").arg(i), QByteArray(500 + i, char('a' + i % 26)));
        write(QStringLiteral("ws/src/clawdbot.json"), "{}");

        QCOMPARE(run({QStringLiteral("status")}), 0);
        QCOMPARE(run({QStringLiteral("status"), QStringLiteral("--json")}), 0);
        QCOMPARE(run({QStringLiteral("sync"), QStringLiteral("development"), QStringLiteral("--json")}), 0);
        QCOMPARE(run({QStringLiteral("sync"), QStringLiteral("development")}), 0);
        QCOMPARE(run({QStringLiteral("sync"), QStringLiteral("development"), QStringLiteral("--dry-run"),
                      QStringLiteral("--json")}),
                 0);
        QCOMPARE(run({QStringLiteral("ls"), QStringLiteral("development"), QStringLiteral("--json")}), 0);
        QCOMPARE(run({QStringLiteral("restore"), QStringLiteral("development"), QStringLiteral("--to"),
                      m_dir.filePath(QStringLiteral("restored")), QStringLiteral("--json")}),
                 0);
        run({QStringLiteral("migrate"), QStringLiteral("development"), QStringLiteral("--report"),
             m_dir.filePath(QStringLiteral("report.json"))});
        run({QStringLiteral("verify"), QStringLiteral("--probe-write")});
        run({QStringLiteral("verify"), QStringLiteral("--json")});
        run({QStringLiteral("stamp"), QStringLiteral("production"), QStringLiteral("--confirm"),
             QStringLiteral("production")});
        // Errors too: a wrong secret must not be echoed either.
        write(QStringLiteral("ws/.dev.vars.production"),
              QString(QStringLiteral("R2_ACCESS_KEY_ID=") + prod.accessKeyId +
                      QStringLiteral("\nR2_SECRET_ACCESS_KEY=") + dev.secret + QStringLiteral("x\n"))
                  .toUtf8());
        QCOMPARE(run({QStringLiteral("ls"), QStringLiteral("production")}), 1);
        // The keychain path (no secret service in CI: it must fail without echoing what it got).
        run({QStringLiteral("credentials"), QStringLiteral("set"), QStringLiteral("development")},
            QString(QStringLiteral("R2_ACCESS_KEY_ID=") + dev.accessKeyId +
                    QStringLiteral("\nR2_SECRET_ACCESS_KEY=") + dev.secret + QStringLiteral("\n"))
                .toUtf8());

        QVERIFY2(m_output.size() > 10000, "the commands printed too little for this search to mean anything");
        QVERIFY2(m_output.contains(dev.accessKeyId.toUtf8()),
                 "the key id (not secret) should appear: the search works");
        QVERIFY2(!m_output.contains(dev.secret.toUtf8()), "a secret was printed or logged");
        QVERIFY(!m_output.contains(prod.secret.toUtf8()));
        QVERIFY(!m_output.contains(legacy.secret.toUtf8()));
        QVERIFY(!m_output.contains("Signature=")); // nor a request signature
        const SecretScan scan =
            scanForSecrets(m_dir.path(), {dev.secret.toUtf8(), prod.secret.toUtf8(), legacy.secret.toUtf8()});
        QVERIFY2(scan.findings.isEmpty(), qPrintable(scan.findings.join(QLatin1Char('\n'))));
        const int searched = scan.searched;
        qInfo("searched %lld bytes of output and %d files written by moltctl", qint64(m_output.size()),
              searched);
        QVERIFY(searched > 20);
    }
};

QTEST_GUILESS_MAIN(TestSecrets)
#include "tst_secrets.moc"

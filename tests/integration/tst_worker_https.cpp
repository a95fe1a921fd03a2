// The worker's admin API the way operators reach it: HTTPS through a TLS terminator (stunnel4) with a
// CA this test mints, through a CONNECT proxy (tinyproxy) whose log proves the tunnel, with the
// same NetworkSettings as S3; TLS fail-closed with the reason in words; no secret in any output.
#include "StandinWorker.h"
#include "TestServer.h"
#include "TlsFront.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

using namespace moltdesk::test;

class TestWorkerHttps : public QObject
{
    Q_OBJECT
private:
    TestServer m_server;
    StandinWorker m_worker;
    QTemporaryDir m_dir;
    TlsFront m_tls;
    QByteArray m_output;

    QJsonObject proxy() const { return m_tls.proxy(); }
    QString endpoint(const char *kind) const { return m_tls.endpoint(kind); }
    void write(const QString &rel, const QByteArray &data)
    {
        QFile f(m_dir.filePath(rel));
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(data);
    }
    // development's worker at `url` (the stunnel front of the stand-in), with or without the test's CA.
    void profile(const QString &url, bool trustCa)
    {
        QJsonObject p{{QStringLiteral("environments"), QJsonArray{QStringLiteral("development")}},
                      {QStringLiteral("includeLegacy"), false},
                      {QStringLiteral("storage"),
                       QJsonObject{{QStringLiteral("type"), QStringLiteral("s3")},
                                   {QStringLiteral("endpoint"), m_server.endpoint().toString()}}},
                      {QStringLiteral("workers"), QJsonObject{{QStringLiteral("development"), url}}}};
        if (trustCa)
            p.insert(QStringLiteral("caBundle"), m_tls.caFile());
        write(QStringLiteral("profile.json"), QJsonDocument(p).toJson());
    }
    int run(const QStringList &args, const QMap<QString, QString> &vars)
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const char *v :
             {"AWS_CA_BUNDLE", "SSL_CERT_FILE", "HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy",
              "NO_PROXY", "no_proxy", "CF_ACCESS_CLIENT_ID", "CF_ACCESS_CLIENT_SECRET"})
            env.remove(QString::fromLatin1(v));
        env.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("moltdesk.*.debug=true"));
        env.insert(QStringLiteral("XDG_DATA_HOME"), m_dir.filePath(QStringLiteral("xdg-data")));
        for (auto it = vars.cbegin(); it != vars.cend(); ++it)
            env.insert(it.key(), it.value());
        p.setProcessEnvironment(env);
        p.start(qEnvironmentVariable("MOLTCTL"),
                QStringList{QStringLiteral("--no-keychain"), QStringLiteral("--profile"),
                            m_dir.filePath(QStringLiteral("profile.json"))} +
                    args);
        if (!p.waitForFinished(120000))
            return -1;
        m_output = p.readAllStandardOutput() + p.readAllStandardError();
        return p.exitCode();
    }
    int tunnelsTo(const QString &url) const
    {
        QFile f(proxy().value(QLatin1String("log")).toString());
        if (!f.open(QIODevice::ReadOnly))
            return -1;
        const QByteArray line = QByteArray("CONNECT ") + QUrl(url).authority().toLatin1();
        return int(f.readAll().count(line));
    }
    void noSecretShown()
    {
        for (const QString &s : {proxy().value(QLatin1String("password")).toString(),
                                 m_worker.clientSecret(QStringLiteral("development")),
                                 m_server.user(QStringLiteral("dev")).secret})
            QVERIFY2(!s.isEmpty() && !m_output.contains(s.toUtf8()), "a secret reached the output");
    }

private slots:
    void initTestCase()
    {
        MOLTDESK_REQUIRE_SERVER(m_server);
        MOLTDESK_REQUIRE_WORKER(m_worker);
        MOLTDESK_REQUIRE_TLSFRONT(m_tls, m_dir.filePath(QStringLiteral("tls")),
                                  QUrl(m_worker.url(QStringLiteral("development"))).port());
        const ServerUser dev = m_server.user(QStringLiteral("dev"));
        write(QStringLiteral(".dev.vars.development"),
              QStringLiteral("R2_ACCESS_KEY_ID=%1\nR2_SECRET_ACCESS_KEY=%2\nCF_ACCESS_CLIENT_ID=%3\n"
                             "CF_ACCESS_CLIENT_SECRET=%4\n")
                  .arg(dev.accessKeyId, dev.secret, m_worker.clientId(QStringLiteral("development")),
                       m_worker.clientSecret(QStringLiteral("development")))
                  .toUtf8());
        QVERIFY(m_worker.control(QStringLiteral("reset"), {}));
        QVERIFY(m_worker.control(QStringLiteral("seed"),
                                 {{QStringLiteral("env"), QStringLiteral("development")}}));
    }
    void cleanupTestCase() { m_tls.stop(); }

    // Trusted through the profile's caBundle, and tunnelled through HTTPS_PROXY: the proxy's log shows it.
    void throughTheProxyWithThePrivateCa()
    {
        profile(endpoint("good"), true);
        const int before = tunnelsTo(endpoint("good"));
        const int code =
            run({QStringLiteral("worker"), QStringLiteral("status"), QStringLiteral("development"),
                 QStringLiteral("--json")},
                {{QStringLiteral("HTTPS_PROXY"), proxy().value(QLatin1String("url")).toString()}});
        QVERIFY2(code == 0, m_output.constData());
        QVERIFY2(m_output.contains("running"), m_output.constData());
        QVERIFY2(tunnelsTo(endpoint("good")) > before, "the proxy's log shows no CONNECT to the worker");
        noSecretShown();
        // NO_PROXY exempts the worker: straight to it, no new tunnel.
        const int tunnels = tunnelsTo(endpoint("good"));
        QCOMPARE(run({QStringLiteral("worker"), QStringLiteral("status"), QStringLiteral("development")},
                     {{QStringLiteral("HTTPS_PROXY"), proxy().value(QLatin1String("url")).toString()},
                      {QStringLiteral("NO_PROXY"), QStringLiteral("127.0.0.1")}}),
                 0);
        QCOMPARE(tunnelsTo(endpoint("good")), tunnels);
    }

    // Fail-closed: an issuer nobody trusts, a certificate for another name, an expired one.
    void tlsFailsClosedWithTheReason_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<bool>("trustCa");
        QTest::addColumn<QString>("why");
        QTest::newRow("unknown issuer")
            << QStringLiteral("good") << false << QStringLiteral("unknown issuer");
        QTest::newRow("wrong name") << QStringLiteral("wrongName") << true
                                    << QStringLiteral("host name mismatch");
        QTest::newRow("expired") << QStringLiteral("expired") << true << QStringLiteral("expired");
    }
    void tlsFailsClosedWithTheReason()
    {
        QFETCH(QString, kind);
        QFETCH(bool, trustCa);
        QFETCH(QString, why);
        profile(endpoint(kind.toLatin1().constData()), trustCa);
        const int syncsBefore = m_worker.state(QStringLiteral("development"))
                                    .value(QLatin1String("counters"))
                                    .toObject()
                                    .value(QLatin1String("syncs"))
                                    .toInt();
        QCOMPARE(run({QStringLiteral("worker"), QStringLiteral("sync"), QStringLiteral("development")}, {}),
                 1);
        QVERIFY2(m_output.contains(why.toUtf8()), m_output.constData());
        // Nothing reached the worker: no backup was triggered.
        QCOMPARE(m_worker.state(QStringLiteral("development"))
                     .value(QLatin1String("counters"))
                     .toObject()
                     .value(QLatin1String("syncs"))
                     .toInt(),
                 syncsBefore);
        noSecretShown();
    }
};

QTEST_GUILESS_MAIN(TestWorkerHttps)
#include "tst_worker_https.moc"

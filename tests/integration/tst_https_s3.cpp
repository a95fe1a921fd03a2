// HTTPS the way operators have it, on the real S3 server: a TLS terminator (stunnel4) in front of it
// with certificates of a CA this test mints (tests/support/tlsfront), and a CONNECT proxy (tinyproxy)
// with basic authentication. moltctl trusts the private CA through the profile's "caBundle",
// AWS_CA_BUNDLE or SSL_CERT_FILE, goes through HTTPS_PROXY / https_proxy unless NO_PROXY exempts the
// host (the proxy's log proves it), never shows the proxy's password, and refuses an unknown issuer,
// a wrong host name and an expired certificate with exit 1, saying which, having written nothing.
#include "S3Storage.h"
#include "TestServer.h"
#include "TlsFront.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace moltdesk;
using namespace moltdesk::test;

class TestHttpsS3 : public QObject
{
    Q_OBJECT
private:
    TestServer m_server;
    QTemporaryDir m_dir;
    TlsFront m_tls;
    QByteArray m_output; // stdout and stderr of the last run
    QByteArray m_stdout;
    QString endpoint(const char *name) const { return m_tls.endpoint(name); }
    QJsonObject proxy() const { return m_tls.proxy(); }

    void write(const QString &rel, const QByteArray &data)
    {
        QDir().mkpath(QFileInfo(m_dir.filePath(rel)).absolutePath());
        QFile f(m_dir.filePath(rel));
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(data);
    }
    // A workspace whose development bucket is reached at `url`; the CA in the profile when asked.
    void profile(const QString &url, bool caInProfile)
    {
        QJsonObject p{{QStringLiteral("environments"), QJsonArray{QStringLiteral("development")}},
                      {QStringLiteral("includeLegacy"), false},
                      {QStringLiteral("storage"), QJsonObject{{QStringLiteral("type"), QStringLiteral("s3")},
                                                              {QStringLiteral("endpoint"), url}}},
                      {QStringLiteral("syncSets"),
                       QJsonArray{QJsonObject{{QStringLiteral("local"), QStringLiteral("src")},
                                              {QStringLiteral("prefix"), QStringLiteral("clawdbot/")}}}}};
        if (caInProfile)
            p.insert(QStringLiteral("caBundle"), m_tls.caFile());
        write(QStringLiteral("ws/profile.json"), QJsonDocument(p).toJson());
    }
    // moltctl with the machine's CA and proxy variables removed, then `vars` added.
    int run(const QStringList &args, const QMap<QString, QString> &vars = {})
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const char *v :
             {"AWS_CA_BUNDLE", "SSL_CERT_FILE", "HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy",
              "NO_PROXY", "no_proxy", "R2_ACCESS_KEY_ID", "R2_SECRET_ACCESS_KEY"})
            env.remove(QString::fromLatin1(v));
        env.insert(QStringLiteral("XDG_CACHE_HOME"), m_dir.filePath(QStringLiteral("xdg/cache")));
        env.insert(QStringLiteral("XDG_DATA_HOME"), m_dir.filePath(QStringLiteral("xdg/data")));
        env.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("moltdesk.*.debug=true"));
        env.insert(QStringLiteral("MOLTDESK_S3_MAX_ATTEMPTS"), QStringLiteral("2"));
        for (auto it = vars.cbegin(); it != vars.cend(); ++it)
            env.insert(it.key(), it.value());
        p.setProcessEnvironment(env);
        p.start(qEnvironmentVariable("MOLTCTL"),
                QStringList{QStringLiteral("--profile"), m_dir.filePath(QStringLiteral("ws/profile.json")),
                            QStringLiteral("--no-keychain")} +
                    args);
        p.waitForFinished(120000);
        m_stdout = p.readAllStandardOutput();
        m_output = m_stdout + p.readAllStandardError();
        return p.exitCode();
    }
    // Development's bucket over plain HTTP with the admin's keys.
    S3Config adminConfig() const
    {
        S3Config c;
        c.endpoint = m_server.endpoint();
        c.bucket = QStringLiteral("moltbot-data-development");
        c.accessKeyId = m_server.user(QStringLiteral("admin")).accessKeyId;
        c.secretAccessKey = m_server.user(QStringLiteral("admin")).secret;
        return c;
    }
    // The bucket as the server holds it.
    QStringList keys() const
    {
        S3Storage s(adminConfig());
        QStringList out;
        auto l = s.list(ListRequest{}).result();
        if (l.ok())
            for (const ObjectInfo &o : l.value().objects)
                out << o.key;
        return out;
    }
    void emptyBucket()
    {
        S3Storage s(adminConfig());
        const QStringList all = keys();
        if (!all.isEmpty())
            QVERIFY(s.remove(all).result().ok());
    }
    int tunnelsTo(const QString &url) const
    {
        QFile f(proxy().value(QLatin1String("log")).toString());
        if (!f.open(QIODevice::ReadOnly))
            return -1;
        const QByteArray line =
            QByteArray("CONNECT ") + QUrl(url).authority().toLatin1() + QByteArray(" HTTP/1.1");
        return int(f.readAll().count(line));
    }
    QByteArray secretsShown() const
    {
        for (const QString &s : {proxy().value(QLatin1String("password")).toString(),
                                 m_server.user(QStringLiteral("dev")).secret})
            if (m_output.contains(s.toUtf8()))
                return s.left(4).toUtf8() + "…";
        return {};
    }

private slots:
    void initTestCase()
    {
        MOLTDESK_REQUIRE_SERVER(m_server);
        MOLTDESK_REQUIRE_TLSFRONT(m_tls, m_dir.filePath(QStringLiteral("tls")), m_server.endpoint().port());
        const ServerUser dev = m_server.user(QStringLiteral("dev"));
        write(QStringLiteral("ws/.dev.vars.development"),
              QStringLiteral("R2_ACCESS_KEY_ID=%1\nR2_SECRET_ACCESS_KEY=%2\n")
                  .arg(dev.accessKeyId, dev.secret)
                  .toUtf8());
        write(QStringLiteral("ws/src/clawdbot.json"), "{\"gateway\":{}}\n");
        write(QStringLiteral("ws/src/devices/paired.json"), "{}\n");
        emptyBucket();
    }
    void cleanupTestCase()
    {
        if (m_tls.started()) {
            emptyBucket();
            m_tls.stop();
        }
    }

    void trustedThroughEachSource_data()
    {
        QTest::addColumn<bool>("caInProfile");
        QTest::addColumn<QString>("variable");
        QTest::newRow("profile caBundle") << true << QString();
        QTest::newRow("AWS_CA_BUNDLE") << false << QStringLiteral("AWS_CA_BUNDLE");
        QTest::newRow("SSL_CERT_FILE") << false << QStringLiteral("SSL_CERT_FILE");
    }
    void trustedThroughEachSource()
    {
        QFETCH(bool, caInProfile);
        QFETCH(QString, variable);
        profile(endpoint("good"), caInProfile);
        QMap<QString, QString> vars;
        if (!variable.isEmpty())
            vars.insert(variable, m_tls.caFile());
        QCOMPARE(run({QStringLiteral("sync"), QStringLiteral("development")}, vars), 0);
        QVERIFY2(keys().contains(QStringLiteral("clawdbot/devices/paired.json")), m_output.constData());
        QCOMPARE(run({QStringLiteral("status"), QStringLiteral("--json")}, vars), 0);
        const QJsonObject env = QJsonDocument::fromJson(m_stdout)
                                    .object()
                                    .value(QLatin1String("environments"))
                                    .toArray()
                                    .first()
                                    .toObject();
        QVERIFY2(env.value(QLatin1String("reachable")).toBool(), m_output.constData());
        emptyBucket();
    }

    void failsClosedAndSaysWhy_data()
    {
        QTest::addColumn<QString>("which");
        QTest::addColumn<bool>("trustCa");
        QTest::addColumn<QString>("why");
        QTest::newRow("unknown issuer (no CA given)")
            << QStringLiteral("good") << false << QStringLiteral("unknown issuer");
        QTest::newRow("unknown issuer (another CA)")
            << QStringLiteral("otherCa") << true << QStringLiteral("unknown issuer");
        QTest::newRow("host name mismatch")
            << QStringLiteral("wrongName") << true << QStringLiteral("host name mismatch");
        QTest::newRow("expired") << QStringLiteral("expired") << true << QStringLiteral("expired");
    }
    void failsClosedAndSaysWhy()
    {
        QFETCH(QString, which);
        QFETCH(bool, trustCa);
        QFETCH(QString, why);
        profile(endpoint(which.toLatin1().constData()), trustCa);
        QCOMPARE(run({QStringLiteral("sync"), QStringLiteral("development")}), 1);
        QVERIFY2(m_output.contains(why.toUtf8()), m_output.constData());
        QVERIFY2(m_output.contains("TLS failed"), m_output.constData());
        QVERIFY2(keys().isEmpty(), qPrintable(keys().join(QLatin1Char(' ')))); // nothing written
        QCOMPARE(run({QStringLiteral("ls"), QStringLiteral("development")}), 1);
        QVERIFY2(m_output.contains(why.toUtf8()), m_output.constData());
    }

    void throughTheProxy_data()
    {
        QTest::addColumn<QString>("variable");
        QTest::newRow("HTTPS_PROXY") << QStringLiteral("HTTPS_PROXY");
        QTest::newRow("https_proxy") << QStringLiteral("https_proxy");
    }
    void throughTheProxy()
    {
        QFETCH(QString, variable);
        profile(endpoint("good"), true);
        const int before = tunnelsTo(endpoint("good"));
        QVERIFY(before >= 0);
        QCOMPARE(run({QStringLiteral("sync"), QStringLiteral("development")},
                     {{variable, proxy().value(QLatin1String("url")).toString()}}),
                 0);
        QVERIFY2(keys().contains(QStringLiteral("clawdbot/clawdbot.json")), m_output.constData());
        // The proxy's own log: the requests went through it, tunnelled to the TLS endpoint.
        QVERIFY2(tunnelsTo(endpoint("good")) > before, "the proxy's log shows no CONNECT to the endpoint");
        QVERIFY2(secretsShown().isEmpty(), secretsShown().constData());
        emptyBucket();
    }

    void proxyErrorsAreRedactedAndNoProxyExempts()
    {
        profile(endpoint("good"), true);
        // Wrong proxy password: refused by the proxy, said without the password.
        QString wrong = proxy().value(QLatin1String("url")).toString();
        wrong.replace(proxy().value(QLatin1String("password")).toString(),
                      QStringLiteral("not-the-password-42"));
        QCOMPARE(run({QStringLiteral("sync"), QStringLiteral("development")},
                     {{QStringLiteral("HTTPS_PROXY"), wrong}}),
                 1);
        QVERIFY2(!m_output.contains("not-the-password-42"), m_output.constData());
        QVERIFY2(m_output.contains("proxy"), m_output.constData());
        QVERIFY(keys().isEmpty());

        // A dead proxy: exempted by NO_PROXY, it is never used; without the exemption, nothing works.
        const QString dead = QStringLiteral("http://moltdesk:dead-proxy-secret@127.0.0.1:9");
        const int before = tunnelsTo(endpoint("good"));
        QCOMPARE(run({QStringLiteral("ls"), QStringLiteral("development")},
                     {{QStringLiteral("HTTPS_PROXY"), dead},
                      {QStringLiteral("NO_PROXY"), QStringLiteral("localhost,127.0.0.1")}}),
                 0);
        QCOMPARE(run({QStringLiteral("ls"), QStringLiteral("development")},
                     {{QStringLiteral("HTTPS_PROXY"), dead}}),
                 1);
        QVERIFY2(m_output.contains("through proxy http://moltdesk:***@127.0.0.1:9"), m_output.constData());
        QVERIFY2(!m_output.contains("dead-proxy-secret"), m_output.constData());
        QCOMPARE(tunnelsTo(endpoint("good")), before);

        // A proxy variable that is not a URL is bad input (exit 2), said without its content's secret.
        QCOMPARE(run({QStringLiteral("ls"), QStringLiteral("development")},
                     {{QStringLiteral("HTTPS_PROXY"), QStringLiteral("ftp://u:ftp-secret@x:1")}}),
                 2);
        QVERIFY2(m_output.contains("HTTPS_PROXY") && !m_output.contains("ftp-secret"), m_output.constData());
        // So is a CA file that holds no certificate.
        write(QStringLiteral("ws/not-a-ca.pem"), "hello\n");
        QCOMPARE(run({QStringLiteral("ls"), QStringLiteral("development")},
                     {{QStringLiteral("AWS_CA_BUNDLE"), m_dir.filePath(QStringLiteral("ws/not-a-ca.pem"))}}),
                 2);
        QVERIFY2(m_output.contains("AWS_CA_BUNDLE") && m_output.contains("no PEM or DER certificate"),
                 m_output.constData());
    }
};

QTEST_GUILESS_MAIN(TestHttpsS3)
#include "tst_https_s3.moc"

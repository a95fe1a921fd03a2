// NetworkSettings (core/net): the proxy variables, NO_PROXY, extra CAs and the words for TLS errors.
#include "NetworkSettings.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace moltdesk;
using namespace Qt::StringLiterals;

class TestNetworkSettings : public QObject
{
    Q_OBJECT
    static QProcessEnvironment env(std::initializer_list<std::pair<QString, QString>> vars)
    {
        QProcessEnvironment e;
        for (const auto &[k, v] : vars)
            e.insert(k, v);
        return e;
    }
private Q_SLOTS:
    void noProxy_data()
    {
        QTest::addColumn<QString>("noProxy");
        QTest::addColumn<QString>("url");
        QTest::addColumn<bool>("exempt");
        QTest::newRow("empty") << QString() << u"https://a.example"_s << false;
        QTest::newRow("star") << u"*"_s << u"https://a.example"_s << true;
        QTest::newRow("host") << u"a.example"_s << u"https://a.example/x"_s << true;
        QTest::newRow("subdomain by name") << u"example.com"_s << u"https://acc.r2.example.com"_s << true;
        QTest::newRow("subdomain by dot") << u".example.com"_s << u"https://x.example.com"_s << true;
        QTest::newRow("wildcard") << u"*.example.com"_s << u"https://x.example.com"_s << true;
        QTest::newRow("not a suffix of a label") << u"example.com"_s << u"https://badexample.com"_s << false;
        QTest::newRow("list with spaces")
            << u"localhost, 127.0.0.1 ,::1"_s << u"https://127.0.0.1:9000"_s << true;
        QTest::newRow("port matches") << u"127.0.0.1:9000"_s << u"https://127.0.0.1:9000"_s << true;
        QTest::newRow("port differs") << u"127.0.0.1:9000"_s << u"https://127.0.0.1:9001"_s << false;
        QTest::newRow("default port") << u"a.example:443"_s << u"https://a.example"_s << true;
        QTest::newRow("ipv6") << u"[::1]"_s << u"https://[::1]:9000"_s << true;
        QTest::newRow("case") << u"A.Example"_s << u"https://a.example"_s << true;
    }
    void noProxy()
    {
        QFETCH(QString, noProxy);
        QFETCH(QString, url);
        QFETCH(bool, exempt);
        QCOMPARE(NetworkSettings::noProxyMatches(noProxy, QUrl(url)), exempt);
    }

    void proxyVariables()
    {
        auto s = NetworkSettings::fromEnvironment(
            {}, env({{u"HTTPS_PROXY"_s, u"http://u:p%40ss@proxy.corp:3128"_s},
                     {u"http_proxy"_s, u"plain.corp:8080"_s},
                     {u"NO_PROXY"_s, u".internal"_s}}));
        QVERIFY(s.ok());
        const auto p = s.value().proxyFor(QUrl(u"https://acc.r2.cloudflarestorage.com"_s));
        QCOMPARE(p.proxy.type(), QNetworkProxy::HttpProxy);
        QCOMPARE(p.proxy.hostName(), u"proxy.corp"_s);
        QCOMPARE(p.proxy.port(), quint16(3128));
        QCOMPARE(p.proxy.user(), u"u"_s);
        QCOMPARE(p.proxy.password(), u"p@ss"_s);
        QVERIFY(!p.display.contains(u"p%40ss"_s) && !p.display.contains(u"p@ss"_s));
        QCOMPARE(p.display, u"http://u:***@proxy.corp:3128 (HTTPS_PROXY)"_s);
        QCOMPARE(s.value().proxyFor(QUrl(u"http://s3.local"_s)).proxy.hostName(), u"plain.corp"_s);
        QCOMPARE(s.value().proxyFor(QUrl(u"https://minio.internal"_s)).proxy.type(), QNetworkProxy::NoProxy);

        // Lowercase https_proxy counts too; nothing set means no proxy, never the application default.
        auto lower = NetworkSettings::fromEnvironment({}, env({{u"https_proxy"_s, u"http://p:1"_s}}));
        QCOMPARE(lower.value().proxyFor(QUrl(u"https://x"_s)).proxy.hostName(), u"p"_s);
        auto none = NetworkSettings::fromEnvironment({}, QProcessEnvironment());
        QCOMPARE(none.value().proxyFor(QUrl(u"https://x"_s)).proxy.type(), QNetworkProxy::NoProxy);
        QCOMPARE(NetworkSettings().proxyFor(QUrl(u"https://x"_s)).proxy.type(), QNetworkProxy::NoProxy);

        for (const QString &bad : {u"ftp://u:secret1@x:1"_s, u"https://u:secret1@x:1"_s, u"http://"_s}) {
            auto r = NetworkSettings::fromEnvironment({}, env({{u"HTTPS_PROXY"_s, bad}}));
            QVERIFY2(!r.ok(), qPrintable(bad));
            QCOMPARE(r.error().kind, ErrorKind::InvalidInput);
            QVERIFY(r.error().message.contains(u"HTTPS_PROXY"_s));
            QVERIFY2(!r.error().message.contains(u"secret1"_s), qPrintable(r.error().message));
        }
    }

    void caFiles()
    {
        QTemporaryDir dir;
        const QString garbage = dir.filePath(u"garbage.pem"_s);
        QFile g(garbage);
        QVERIFY(g.open(QIODevice::WriteOnly));
        g.write("not a certificate\n");
        g.close();
        auto bad = NetworkSettings::fromEnvironment(garbage, QProcessEnvironment());
        QVERIFY(!bad.ok());
        QVERIFY(bad.error().message.startsWith(u"caBundle names "_s));
        auto missing =
            NetworkSettings::fromEnvironment({}, env({{u"SSL_CERT_FILE"_s, dir.filePath(u"nope.pem"_s)}}));
        QVERIFY(!missing.ok());
        QVERIFY(missing.error().message.contains(u"SSL_CERT_FILE"_s));

        // A real CA file, named by two variables: read once, and added (the system's stay trusted).
        QProcess openssl;
        openssl.start(u"openssl"_s, {u"req"_s, u"-x509"_s, u"-newkey"_s, u"rsa:2048"_s, u"-nodes"_s,
                                     u"-keyout"_s, dir.filePath(u"k"_s), u"-out"_s, dir.filePath(u"ca.pem"_s),
                                     u"-days"_s, u"1"_s, u"-subj"_s, u"/CN=t"_s});
        QVERIFY(openssl.waitForFinished(30000) && openssl.exitCode() == 0);
        auto ok =
            NetworkSettings::fromEnvironment({}, env({{u"AWS_CA_BUNDLE"_s, dir.filePath(u"ca.pem"_s)},
                                                      {u"SSL_CERT_FILE"_s, dir.filePath(u"ca.pem"_s)}}));
        QVERIFY(ok.ok());
        QVERIFY(ok.value().hasExtraCas());
        QCOMPARE(ok.value().caSources().size(), 1);
        QVERIFY(ok.value().caSources().first().startsWith(u"AWS_CA_BUNDLE "_s));
    }

    void tlsErrorsInWords()
    {
        QCOMPARE(NetworkSettings::describeTlsErrors({QSslError(QSslError::HostNameMismatch)}),
                 u"host name mismatch: the certificate is not for this host"_s);
        QVERIFY(NetworkSettings::describeTlsErrors({QSslError(QSslError::CertificateExpired)})
                    .startsWith(u"expired"_s));
        const QString unknown =
            NetworkSettings::describeTlsErrors({QSslError(QSslError::UnableToGetLocalIssuerCertificate),
                                                QSslError(QSslError::UnableToVerifyFirstCertificate)});
        QVERIFY(unknown.startsWith(u"unknown issuer"_s));
        QVERIFY(!unknown.contains(u"; "_s)); // said once
    }

    void redaction()
    {
        QCOMPARE(NetworkSettings::redactUrl(u"http://a:b@h:1"_s), u"http://a:***@h:1"_s);
        QCOMPARE(NetworkSettings::redactUrl(u"http://h:1"_s), u"http://h:1"_s);
        QVERIFY(!NetworkSettings::redactUrl(u"::bad@@:secret"_s).contains(u"secret"_s));
    }
};

QTEST_GUILESS_MAIN(TestNetworkSettings)
#include "tst_networksettings.moc"

// The test-support helpers themselves: the s3server fixture's description (users, scopes, random secrets),
// the loud-skip / CI-fail macro (run on this binary in a child process without a server), the fault
// proxy fixture's control endpoint, and the workload tree generator.
#include "TestServer.h"
#include "WorkloadTree.h"

#include <QCryptographicHash>
#include <QDirIterator>
#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace moltdesk::test;

class TestSupport : public QObject
{
    Q_OBJECT
    TestServer m_server;

    static QMap<QString, QByteArray> snapshot(const QString &root)
    {
        QMap<QString, QByteArray> out;
        QDirIterator it(root, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString p = it.next();
            QFile f(p);
            if (f.open(QIODevice::ReadOnly))
                out.insert(QDir(root).relativeFilePath(p), QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256));
        }
        return out;
    }
    static QByteArray run(const QStringList &args, const QProcessEnvironment &env, int *exitCode)
    {
        QProcess p;
        p.setProcessEnvironment(env);
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(QStringLiteral("/usr/bin/python3"), args);
        p.waitForFinished(120000);
        *exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        return p.readAll();
    }

private slots:
    void initTestCase() { MOLTDESK_REQUIRE_SERVER(m_server); }

    void serverDescription()
    {
        QVERIFY(m_server.endpoint().toString().startsWith(QLatin1String("http://127.0.0.1:")));
        QVERIFY(m_server.endpoint().port() > 0);
        QCOMPARE(m_server.region(), QStringLiteral("auto"));
        QSet<QString> secrets;
        for (const char *u : {"admin", "dev", "prod", "legacy", "leaky"}) {
            const ServerUser su = m_server.user(QLatin1String(u));
            QCOMPARE(su.accessKeyId, QStringLiteral("test:") + QLatin1String(u));
            QVERIFY2(QRegularExpression(QStringLiteral("^[0-9a-f]{40}$")).match(su.secret).hasMatch(), u);
            secrets.insert(su.secret);
        }
        QCOMPARE(secrets.size(), 5);
        for (const char *b : {"moltbot-data", "moltbot-data-development", "moltbot-data-production", "moltdesk-test",
                              "moltdesk-test-other"})
            QVERIFY2(m_server.buckets().contains(QLatin1String(b)), b);
        QCOMPARE(m_server.scope(QStringLiteral("dev")), QStringList{QStringLiteral("moltbot-data-development")});
        QCOMPARE(m_server.scope(QStringLiteral("prod")), QStringList{QStringLiteral("moltbot-data-production")});
        QCOMPARE(m_server.scope(QStringLiteral("legacy")), QStringList{QStringLiteral("moltbot-data")});
        QCOMPARE(m_server.scope(QStringLiteral("leaky")),
                 (QStringList{QStringLiteral("moltbot-data-development"), QStringLiteral("moltbot-data-production")}));
        QCOMPARE(m_server.scope(QStringLiteral("admin")), m_server.buckets());
    }

    // The macro, in a child process of this very binary with no server description.
    void missingServerSkipsLoudlyOrFailsInCi()
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("MOLTDESK_S3_SERVER_JSON"), QStringLiteral("/nonexistent/server.json"));
        env.remove(QStringLiteral("CI"));
        env.remove(QStringLiteral("MOLTDESK_REQUIRE_S3"));
        struct Case { const char *var; const char *value; bool fails; };
        for (const Case &c : {Case{nullptr, nullptr, false}, Case{"CI", "true", true}, Case{"MOLTDESK_REQUIRE_S3", "1", true},
                              Case{"CI", "false", false}}) {
            QProcessEnvironment e = env;
            if (c.var)
                e.insert(QLatin1String(c.var), QLatin1String(c.value));
            QProcess p;
            p.setProcessEnvironment(e);
            p.setProcessChannelMode(QProcess::MergedChannels);
            p.start(QCoreApplication::applicationFilePath(), {QStringLiteral("serverDescription")});
            QVERIFY(p.waitForFinished(60000));
            const QByteArray out = p.readAll();
            QVERIFY2(out.contains("REAL S3 SERVER UNAVAILABLE"), out.constData());
            QVERIFY2(out.contains("/nonexistent/server.json"), out.constData());
            QCOMPARE(p.exitCode() != 0, c.fails);
            QCOMPARE(out.contains("SKIP"), !c.fails);
        }
    }

    void faultProxyFixture()
    {
        const QJsonObject info = TestServer::proxyInfo();
        QVERIFY2(!info.isEmpty(), "no fault proxy description (MOLTDESK_FAULT_PROXY_JSON)");
        QCOMPARE(info.value(QLatin1String("upstream")).toString(), m_server.endpoint().toString());
        QVERIFY(m_server.proxyEndpoint().toString().startsWith(QLatin1String("http://127.0.0.1:")));
        QCOMPARE(m_server.proxyControl().toString(), m_server.proxyEndpoint().toString() + QStringLiteral("/__fault__"));
        QNetworkAccessManager nam;
        QNetworkReply *r = nam.get(QNetworkRequest(QUrl(m_server.proxyControl().toString() + QStringLiteral("/stats"))));
        QTRY_VERIFY_WITH_TIMEOUT(r->isFinished(), 10000);
        QCOMPARE(r->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        const QJsonObject stats = QJsonDocument::fromJson(r->readAll()).object();
        QVERIFY(stats.contains(QLatin1String("faults")) && stats.contains(QLatin1String("requests")));
        delete r;
    }

    void workloadTree()
    {
        QTemporaryDir a, b;
        QString err;
        QVERIFY2(WorkloadTree::generate(a.path(), 120, 1, 1, &err), qPrintable(err));
        QVERIFY2(WorkloadTree::generate(b.path(), 120, 1, 1, &err), qPrintable(err));
        const auto sa = snapshot(a.path());
        QCOMPARE(sa.size(), 123);
        QCOMPARE(sa, snapshot(b.path()));  // same arguments, same bytes
        QVERIFY(sa.contains(QStringLiteral("clawdbot/clawdbot.json")));
        QVERIFY(sa.contains(QStringLiteral("workspace/assets/big0.bin")));
        QCOMPARE(QFileInfo(a.filePath(QStringLiteral("workspace/assets/big0.bin"))).size(), 1 << 20);

        // The listing mode agrees with what was written, and the standard tree's shape is as documented.
        int code = 0;
        const QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        const QList<QByteArray> lines = run({WorkloadTree::script(), QStringLiteral("--list"), QStringLiteral("120"),
                                             QStringLiteral("1"), QStringLiteral("1")}, env, &code).trimmed().split('\n');
        QCOMPARE(code, 0);
        QCOMPARE(lines.size(), 123);
        for (const QByteArray &l : lines) {
            const QList<QByteArray> f = l.split(' ');
            QCOMPARE(QFileInfo(a.filePath(QString::fromUtf8(f[1]))).size(), f[0].toLongLong());
        }
        qint64 total = 0;
        const QList<QByteArray> standard = run({WorkloadTree::script(), QStringLiteral("--list")}, env, &code).trimmed().split('\n');
        for (const QByteArray &l : standard)
            total += l.split(' ')[0].toLongLong();
        QCOMPARE(standard.size(), WorkloadTree::standardFiles);
        QCOMPARE(total, WorkloadTree::standardBytes);

        // --touch changes exactly N files by 10 bytes, the same ones for the same seed.
        QVERIFY2(WorkloadTree::touch(a.path(), 7, 3, &err), qPrintable(err));
        QVERIFY2(WorkloadTree::touch(b.path(), 7, 3, &err), qPrintable(err));
        const auto ta = snapshot(a.path());
        QCOMPARE(ta, snapshot(b.path()));
        int changed = 0;
        for (auto it = sa.cbegin(); it != sa.cend(); ++it)
            changed += ta.value(it.key()) != it.value();
        QCOMPARE(changed, 7);
    }
};

QTEST_GUILESS_MAIN(TestSupport)
#include "tst_testsupport.moc"

// Where each environment's worker is (profile "workers", wrangler routes, workers.dev name), the
// profile keys' validation, and the reading of worker replies (each failure named), without network.
#include "WorkerLocator.h"
#include "WorkerReplies.h"

#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

using namespace moltdesk;

class TestWorkerLocator : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;

    Result<Workspace> workspace(const QByteArray &profileExtra, const QByteArray &wrangler = {})
    {
        if (!wrangler.isEmpty()) {
            QFile w(m_dir.filePath(QStringLiteral("wrangler.jsonc")));
            if (!w.open(QIODevice::WriteOnly | QIODevice::Truncate))
                return makeError(ErrorKind::Local, QStringLiteral("cannot write"));
            w.write(wrangler);
        }
        QFile p(m_dir.filePath(QStringLiteral("profile.json")));
        if (!p.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return makeError(ErrorKind::Local, QStringLiteral("cannot write"));
        p.write("{ \"environments\": [\"development\", \"production\"], \"storage\": { \"type\": \"mount\", "
                "\"root\": \"data\" }" +
                QByteArray(wrangler.isEmpty() ? "" : ", \"wrangler\": \"wrangler.jsonc\"") + profileExtra +
                "}");
        p.close();
        return Workspace::open(p.fileName());
    }

private slots:
    void profileWorkers()
    {
        auto ws = workspace(", \"workers\": { \"development\": \"https://dev.example.com/\", \"legacy\": "
                            "\"http://127.0.0.1:8787\" }");
        QVERIFY2(ws.ok(), ws.ok() ? "" : qPrintable(ws.error().message));
        const WorkerLocator loc(ws.value());
        auto dev = loc.locate(ws.value().find(QStringLiteral("development")).value());
        QVERIFY(dev.ok());
        QCOMPARE(dev.value().url, QUrl(QStringLiteral("https://dev.example.com")));
        QCOMPARE(dev.value().source, QStringLiteral("profile workers.development"));
        QCOMPARE(loc.locate(ws.value().find(QStringLiteral("legacy")).value()).value().url.port(), 8787);
        auto prod = loc.locate(ws.value().find(QStringLiteral("production")).value());
        QVERIFY(!prod.ok());
        QCOMPARE(prod.error().kind, ErrorKind::NotFound);
        QVERIFY(prod.error().message.contains(QLatin1String("\"workers\": { \"production\"")));
        // Round trip through toJson keeps the keys.
        auto again = Profile::parse(ws.value().profile().toJson(), ws.value().profile().path);
        QVERIFY(again.ok());
        QCOMPARE(again.value().workers, ws.value().profile().workers);
    }

    void badProfileKeys_data()
    {
        QTest::addColumn<QByteArray>("extra");
        QTest::addColumn<QString>("message");
        QTest::newRow("http remote") << QByteArray(
                                            ", \"workers\": { \"development\": \"http://dev.example.com\" }")
                                     << "must be https://";
        QTest::newRow("path") << QByteArray(
                                     ", \"workers\": { \"development\": \"https://x.example.com/api\" }")
                              << "no path";
        QTest::newRow("user") << QByteArray(
                                     ", \"workers\": { \"development\": \"https://u:p@x.example.com\" }")
                              << "no path, user";
        QTest::newRow("number") << QByteArray(", \"workers\": { \"development\": 3 }") << "not a string";
        QTest::newRow("array") << QByteArray(", \"workers\": [\"https://x\"]")
                               << "must map environment names";
        QTest::newRow("subdomain") << QByteArray(", \"workersDevSubdomain\": \"Acme.dev\"")
                                   << "one DNS label";
    }
    void badProfileKeys()
    {
        QFETCH(QByteArray, extra);
        QFETCH(QString, message);
        auto ws = workspace(extra);
        QVERIFY(!ws.ok());
        QCOMPARE(ws.error().kind, ErrorKind::InvalidInput);
        QVERIFY2(ws.error().message.contains(message), qPrintable(ws.error().message));
        QVERIFY2(ws.error().message.contains(QLatin1String("profile.json:")),
                 "the message names the file and line");
    }

    void fromWrangler()
    {
        const QByteArray wrangler = "{\n"
                                    "  \"name\": \"moltbot\",\n"
                                    "  \"env\": {\n"
                                    "    \"development\": { \"name\": \"moltbot-dev\", \"vars\": { "
                                    "\"ENVIRONMENT\": \"development\" } },\n"
                                    "    \"production\": { \"vars\": { \"ENVIRONMENT\": \"production\" },\n"
                                    "                    \"routes\": [ { \"pattern\": \"*.example.com/*\", "
                                    "\"zone_name\": \"example.com\" },\n"
                                    "                                { \"pattern\": \"bot.example.com/*\", "
                                    "\"custom_domain\": true } ] }\n"
                                    "  }\n"
                                    "}";
        auto ws = workspace(", \"workersDevSubdomain\": \"acme\"", wrangler);
        QVERIFY2(ws.ok(), ws.ok() ? "" : qPrintable(ws.error().message));
        const WorkerLocator loc(ws.value());
        QCOMPARE(loc.locate(ws.value().find(QStringLiteral("development")).value()).value().url,
                 QUrl(QStringLiteral("https://moltbot-dev.acme.workers.dev")));
        auto prod = loc.locate(ws.value().find(QStringLiteral("production")).value());
        QCOMPARE(prod.value().url,
                 QUrl(QStringLiteral("https://bot.example.com"))); // the wildcard route names no host
        QVERIFY2(prod.value().source.startsWith(QLatin1String("wrangler.jsonc:")),
                 qPrintable(prod.value().source));
        QCOMPARE(loc.locate(ws.value().find(QStringLiteral("legacy")).value()).value().url,
                 QUrl(QStringLiteral("https://moltbot.acme.workers.dev")));
        // Without the subdomain, development has no known worker.
        auto bare = workspace({}, wrangler);
        QCOMPARE(WorkerLocator(bare.value())
                     .locate(bare.value().find(QStringLiteral("development")).value())
                     .error()
                     .kind,
                 ErrorKind::NotFound);
    }

    void replies_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<QByteArray>("location");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("code");
        QTest::newRow("login") << 302 << QByteArray()
                               << QByteArray("https://team.cloudflareaccess.com/cdn-cgi/access/login/x")
                               << QByteArray() << int(ErrorKind::Auth) << "access-login";
        QTest::newRow("other redirect") << 301 << QByteArray() << QByteArray("https://elsewhere.example/")
                                        << QByteArray() << int(ErrorKind::Server) << "redirect";
        QTest::newRow("403") << 403 << QByteArray("text/html") << QByteArray()
                             << QByteArray("<html>Forbidden</html>") << int(ErrorKind::AccessDenied)
                             << "access-forbidden";
        QTest::newRow("401") << 401 << QByteArray("application/json") << QByteArray()
                             << QByteArray("{\"error\":\"Unauthorized\"}") << int(ErrorKind::Auth)
                             << "no-access-jwt";
        QTest::newRow("500 access") << 500 << QByteArray("application/json") << QByteArray()
                                    << QByteArray(
                                           "{\"error\":\"Cloudflare Access not configured\",\"hint\":\"x\"}")
                                    << int(ErrorKind::Server) << "access-not-configured";
        QTest::newRow("html 200") << 200 << QByteArray("text/html") << QByteArray()
                                  << QByteArray("<!DOCTYPE html><html></html>") << int(ErrorKind::Server)
                                  << "html";
        QTest::newRow("array") << 200 << QByteArray("application/json") << QByteArray() << QByteArray("[1]")
                               << int(ErrorKind::Server) << "not-json";
        QTest::newRow("404") << 404 << QByteArray("text/html") << QByteArray() << QByteArray("nothing here")
                             << int(ErrorKind::NotFound) << "not-deployed";
    }
    void replies()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, contentType);
        QFETCH(QByteArray, location);
        QFETCH(QByteArray, body);
        QFETCH(int, kind);
        QFETCH(QString, code);
        WorkerRawReply r;
        r.status = status;
        r.contentType = contentType;
        r.location = location;
        r.body = body;
        auto o = WorkerReplies::object(r, QUrl(QStringLiteral("https://w.example.com")),
                                       QStringLiteral("/api/admin/storage"));
        QVERIFY(!o.ok());
        QCOMPARE(int(o.error().kind), kind);
        QCOMPARE(o.error().code, code);
        QVERIFY(o.error().message.startsWith(QLatin1String("w.example.com/api/admin/storage: ")));
    }

    void shapes()
    {
        QVERIFY(!WorkerReplies::gateway(QJsonObject{{QStringLiteral("ok"), QStringLiteral("yes")}}).ok());
        QVERIFY(!WorkerReplies::storage(
                     QJsonObject{{QStringLiteral("configured"), true}, {QStringLiteral("lastSync"), 5}})
                     .ok());
        QVERIFY(!WorkerReplies::sync(QJsonObject{{QStringLiteral("success"), false},
                                                 {QStringLiteral("error"), QStringLiteral("boom")}})
                     .ok());
        QVERIFY(!WorkerReplies::devices(QJsonObject{{QStringLiteral("paired"), QJsonArray{}}})
                     .ok()); // no "pending"
        auto d = WorkerReplies::devices(
            QJsonObject{{QStringLiteral("pending"),
                         QJsonArray{QJsonObject{{QStringLiteral("requestId"), QStringLiteral("r1")}}}},
                        {QStringLiteral("paired"),
                         QJsonArray{QJsonObject{{QStringLiteral("deviceId"), QStringLiteral("b")}},
                                    QJsonObject{{QStringLiteral("deviceId"), QStringLiteral("a")}}}}});
        QVERIFY(d.ok());
        QCOMPARE(d.value().pairedIds(), (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
        QCOMPARE(d.value().pending.first().id, QStringLiteral("r1"));
    }
};

QTEST_GUILESS_MAIN(TestWorkerLocator)
#include "tst_workerlocator.moc"

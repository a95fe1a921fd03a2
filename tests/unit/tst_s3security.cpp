// S3 client security rules that need no real server: a redirect is never followed (so credentials
// never travel to the host it names), and nothing secret appears in the client's log lines.
#include "S3Storage.h"

#include <QLoggingCategory>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <functional>

using namespace moltdesk;

namespace {
QStringList g_log;
QtMessageHandler g_previous = nullptr;
void capture(QtMsgType type, const QMessageLogContext &ctx, const QString &msg)
{
    g_log << msg;
    if (g_previous)
        g_previous(type, ctx, msg);
}

// Answers every request on server, once its headers are in, with what reply() makes.
void answerEvery(QTcpServer &server, const std::function<QByteArray()> &reply)
{
    QObject::connect(&server, &QTcpServer::newConnection, &server, [&server, reply]() {
        QTcpSocket *sock = server.nextPendingConnection();
        QObject::connect(sock, &QTcpSocket::readyRead, sock, [sock, reply]() {
            if (!sock->readAll().contains("\r\n\r\n"))
                return;
            sock->write(reply());
            sock->flush();
        });
    });
}

// A client of bucket on the local endpoint, with these keys.
S3Config configFor(const QTcpServer &endpoint, const QString &bucket, const QString &keyId,
                   const QString &secret)
{
    S3Config c;
    c.endpoint = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(endpoint.serverPort()));
    c.bucket = bucket;
    c.accessKeyId = keyId;
    c.secretAccessKey = secret;
    return c;
}
} // namespace

class TestS3Security : public QObject
{
    Q_OBJECT
private slots:
    void redirectsAreNotFollowed()
    {
        // The "elsewhere" host counts every connection it receives.
        QTcpServer elsewhere;
        QVERIFY(elsewhere.listen(QHostAddress::LocalHost));
        int elsewhereConnections = 0;
        connect(&elsewhere, &QTcpServer::newConnection, &elsewhere, [&]() {
            ++elsewhereConnections;
            delete elsewhere.nextPendingConnection();
        });
        // The "endpoint" answers every request with a redirect there.
        QTcpServer endpoint;
        QVERIFY(endpoint.listen(QHostAddress::LocalHost));
        const QByteArray location =
            "http://127.0.0.1:" + QByteArray::number(elsewhere.serverPort()) + "/moltdesk-test";
        answerEvery(endpoint, [location]() -> QByteArray {
            return "HTTP/1.1 307 Temporary Redirect\r\nLocation: " + location +
                   "\r\nContent-Length: 0\r\n\r\n";
        });
        S3Config c = configFor(endpoint, QStringLiteral("moltdesk-test"), QStringLiteral("AKIDREDIRECT"),
                               QStringLiteral("secret-that-must-stay-home"));
        c.retry.baseDelayMs = 10;
        S3Storage s(c);
        auto future = s.list(ListRequest{});
        QTRY_VERIFY_WITH_TIMEOUT(future.isFinished(), 20000);
        const Result<Listing> r = future.result();
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, ErrorKind::Server);
        QVERIFY2(r.error().message.contains(QLatin1String("redirect")), qPrintable(r.error().message));
        QTest::qWait(200);
        QCOMPARE(elsewhereConnections, 0);
    }

    void clockSkewIsExplained()
    {
        // The server says the request time is 20 minutes off (its clock is 20 minutes behind ours).
        QTcpServer endpoint;
        QVERIFY(endpoint.listen(QHostAddress::LocalHost));
        answerEvery(endpoint, []() -> QByteArray {
            const QDateTime server = QDateTime::currentDateTimeUtc().addSecs(-20 * 60 - 30);
            const QByteArray body = "<Error><Code>RequestTimeTooSkewed</Code><Message>The difference "
                                    "between the request time "
                                    "and the current time is too large.</Message><ServerTime>" +
                                    server.toString(Qt::ISODate).toLatin1() + "</ServerTime></Error>";
            return "HTTP/1.1 403 Forbidden\r\nContent-Length: " + QByteArray::number(body.size()) +
                   "\r\n\r\n" + body;
        });
        const S3Config c =
            configFor(endpoint, QStringLiteral("b"), QStringLiteral("AKIDSKEW"), QStringLiteral("s"));
        S3Storage s(c);
        auto f = s.list(ListRequest{});
        QTRY_VERIFY_WITH_TIMEOUT(f.isFinished(), 20000);
        const Error e = f.result().error();
        QCOMPARE(e.kind, ErrorKind::ClockSkew);
        QVERIFY2(e.message.contains(QLatin1String("your clock is 20 minutes ahead of the server")),
                 qPrintable(e.message));
    }

    void logsCarryNoSecrets()
    {
        QLoggingCategory::setFilterRules(QStringLiteral("moltdesk.*.debug=true"));
        g_previous = qInstallMessageHandler(capture);
        QTcpServer endpoint; // answers 503 SlowDown, so the client retries and logs each attempt
        QVERIFY(endpoint.listen(QHostAddress::LocalHost));
        answerEvery(endpoint, []() -> QByteArray {
            const QByteArray body = "<Error><Code>SlowDown</Code><Message>slow</Message></Error>";
            return "HTTP/1.1 503 Slow Down\r\nContent-Length: " + QByteArray::number(body.size()) +
                   "\r\n\r\n" + body;
        });
        S3Config c = configFor(endpoint, QStringLiteral("b"), QStringLiteral("AKIDLOGS"),
                               QStringLiteral("secret-in-no-log-line"));
        c.retry.baseDelayMs = 5;
        c.retry.maxAttempts = 3;
        S3Storage s(c);
        auto f = s.putBytes(QStringLiteral("k"), "v");
        QTRY_VERIFY_WITH_TIMEOUT(f.isFinished(), 20000);
        qInstallMessageHandler(g_previous);
        QLoggingCategory::setFilterRules(QString());
        QCOMPARE(f.result().error().kind, ErrorKind::Server);
        const QString all = g_log.join(QLatin1Char('\n'));
        QVERIFY2(all.contains(QLatin1String("retrying")), qPrintable(all)); // the log was on
        QVERIFY(!all.contains(QLatin1String("secret-in-no-log-line")));
        QVERIFY(!all.contains(QLatin1String("Signature=")));
        QVERIFY(!all.contains(QLatin1String("Authorization")));
    }
};

QTEST_GUILESS_MAIN(TestS3Security)
#include "tst_s3security.moc"

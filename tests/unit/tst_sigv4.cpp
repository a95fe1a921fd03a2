// SigV4 proven three ways: AWS's published examples byte for byte, hundreds of hostile keys signed the
// same as botocore signs them, and (in tests/integration) a real server that accepts them.
#include "S3Xml.h"
#include "SigV4.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QTest>

using namespace moltdesk;

namespace {
const QByteArray kS3Key = "AKIAIOSFODNN7EXAMPLE";
const QByteArray kS3Secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const QDateTime kS3When(QDate(2013, 5, 24), QTime(0, 0), Qt::UTC);
const QByteArray kEmpty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
} // namespace

class TestSigV4 : public QObject
{
    Q_OBJECT
private slots:
    // "Signature Calculations for the Authorization Header: Transferring Payload in a Single Chunk",
    // AWS S3 API reference: the four worked examples.
    void awsS3Examples_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<QList<QPair<QByteArray, QByteArray>>>("query");
        QTest::addColumn<QList<QPair<QByteArray, QByteArray>>>("headers");
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<QByteArray>("canonical");
        QTest::addColumn<QByteArray>("signature");
        using H = QList<QPair<QByteArray, QByteArray>>;
        QTest::newRow("GET Object")
            << QByteArray("GET") << QByteArray("/test.txt") << H{}
            << H{{"Host", "examplebucket.s3.amazonaws.com"},
                 {"Range", "bytes=0-9"},
                 {"x-amz-content-sha256", kEmpty},
                 {"x-amz-date", "20130524T000000Z"}}
            << kEmpty
            << QByteArray(
                   "GET\n/"
                   "test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\nx-amz-content-sha256:" +
                   kEmpty + "\nx-amz-date:20130524T000000Z\n\nhost;range;x-amz-content-sha256;x-amz-date\n" +
                   kEmpty)
            << QByteArray("f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
        const QByteArray putHash = "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072";
        QTest::newRow("PUT Object")
            << QByteArray("PUT") << SigV4::uriEncode("/test$file.text", true) << H{}
            << H{{"Host", "examplebucket.s3.amazonaws.com"},
                 {"Date", "Fri, 24 May 2013 00:00:00 GMT"},
                 {"x-amz-date", "20130524T000000Z"},
                 {"x-amz-storage-class", "REDUCED_REDUNDANCY"},
                 {"x-amz-content-sha256", putHash}}
            << putHash
            << QByteArray("PUT\n/test%24file.text\n\ndate:Fri, 24 May 2013 00:00:00 "
                          "GMT\nhost:examplebucket.s3.amazonaws.com\nx-amz-content-sha256:" +
                          putHash +
                          "\nx-amz-date:20130524T000000Z\nx-amz-storage-class:REDUCED_REDUNDANCY\n\ndate;"
                          "host;x-amz-content-sha256;x-amz-date;x-amz-storage-class\n" +
                          putHash)
            << QByteArray("98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd");
        QTest::newRow("GET Bucket Lifecycle")
            << QByteArray("GET") << QByteArray("/") << H{{"lifecycle", ""}}
            << H{{"Host", "examplebucket.s3.amazonaws.com"},
                 {"x-amz-date", "20130524T000000Z"},
                 {"x-amz-content-sha256", kEmpty}}
            << kEmpty
            << QByteArray(
                   "GET\n/\nlifecycle=\nhost:examplebucket.s3.amazonaws.com\nx-amz-content-sha256:" + kEmpty +
                   "\nx-amz-date:20130524T000000Z\n\nhost;x-amz-content-sha256;x-amz-date\n" + kEmpty)
            << QByteArray("fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543");
        QTest::newRow("Get Bucket (List Objects)")
            << QByteArray("GET") << QByteArray("/") << H{{"max-keys", "2"}, {"prefix", "J"}}
            << H{{"Host", "examplebucket.s3.amazonaws.com"},
                 {"x-amz-date", "20130524T000000Z"},
                 {"x-amz-content-sha256", kEmpty}}
            << kEmpty
            << QByteArray(
                   "GET\n/\nmax-keys=2&prefix=J\nhost:examplebucket.s3.amazonaws.com\nx-amz-content-sha256:" +
                   kEmpty + "\nx-amz-date:20130524T000000Z\n\nhost;x-amz-content-sha256;x-amz-date\n" +
                   kEmpty)
            << QByteArray("34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");
    }
    void awsS3Examples()
    {
        QFETCH(QByteArray, method);
        QFETCH(QByteArray, path);
        using H = QList<QPair<QByteArray, QByteArray>>;
        QFETCH(H, query);
        QFETCH(H, headers);
        QFETCH(QByteArray, payload);
        QFETCH(QByteArray, canonical);
        QFETCH(QByteArray, signature);
        const SigV4::Signature s = SigV4::sign({method, path, query, headers, payload}, kS3Key, kS3Secret,
                                               "us-east-1", "s3", kS3When);
        QCOMPARE(s.canonicalRequest, canonical);
        QCOMPARE(s.stringToSign,
                 QByteArray("AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n") +
                     SigV4::sha256Hex(canonical));
        QCOMPARE(s.signature, signature);
        QVERIFY(s.authorization.startsWith(
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            "SignedHeaders="));
    }

    // The generic SigV4 test suite (service "service"). Its paths need no normalisation, so S3's
    // never-normalise rule and the suite agree on these.
    void awsTestSuite_data()
    {
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<QList<QPair<QByteArray, QByteArray>>>("query");
        QTest::addColumn<QByteArray>("signature");
        using H = QList<QPair<QByteArray, QByteArray>>;
        QTest::newRow("get-vanilla")
            << QByteArray("/") << H{}
            << QByteArray("5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
        QTest::newRow("get-vanilla-query-order-key-case")
            << QByteArray("/") << H{{"Param2", "value2"}, {"Param1", "value1"}}
            << QByteArray("b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500");
        QTest::newRow("get-unreserved")
            << SigV4::uriEncode("/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", true)
            << H{} << QByteArray("07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f");
        QTest::newRow("get-utf8") << SigV4::uriEncode(QStringLiteral("/ሴ").toUtf8(), true) << H{}
                                  << QByteArray(
                                         "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85");
    }
    void awsTestSuite()
    {
        QFETCH(QByteArray, path);
        using H = QList<QPair<QByteArray, QByteArray>>;
        QFETCH(H, query);
        QFETCH(QByteArray, signature);
        const SigV4::Signature s =
            SigV4::sign({"GET",
                         path,
                         query,
                         {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", "20150830T123600Z"}},
                         kEmpty},
                        "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "us-east-1", "service",
                        QDateTime(QDate(2015, 8, 30), QTime(12, 36), Qt::UTC));
        QCOMPARE(s.signature, signature);
    }

    void encodingRules()
    {
        QCOMPARE(SigV4::uriEncode("a b+c%2B/~é", true), QByteArray("a%20b%2Bc%252B/~%C3%A9"));
        QCOMPARE(SigV4::uriEncode("a/b", false), QByteArray("a%2Fb"));
        QCOMPARE(SigV4::encodeKeyPath(QStringLiteral("bkt"), QStringLiteral("a//b/../c.")),
                 QByteArray("/bkt/a//b/../c.")); // never normalised
    }

    void matchesBotocore()
    {
        // Hostile keys: spaces, +, %, literal %2B, ?#&=$~, emoji, NFC and NFD, a//b, dots, 1,024 bytes.
        QStringList keys{QStringLiteral("a b"),
                         QStringLiteral("a+b"),
                         QStringLiteral("100%"),
                         QStringLiteral("lit%2Bral"),
                         QStringLiteral("q?x#y&z=w$v~u"),
                         QStringLiteral("emoji 😀/🦀"),
                         QStringLiteral("café"),
                         QStringLiteral("cafe\u0301"),
                         QStringLiteral("a//b"),
                         QStringLiteral("./x"),
                         QStringLiteral("../x"),
                         QStringLiteral("trailing."),
                         QString(1024, QLatin1Char('k')),
                         QStringLiteral("ü/ö/ä"),
                         QStringLiteral("semi;colon,comma'quote\"")};
        QRandomGenerator rng(4242);
        // Whole code points (an emoji is two UTF-16 units: never split one).
        const QStringList alphabet =
            QStringLiteral("a b c X Y Z 0 1 9 + % ? # & = $ ~ ! * ( ) ' [ ] @ : ; , / . _ - é 😀 \u0301 ሴ")
                .split(QLatin1Char(' ')) +
            QStringList{QStringLiteral(" ")};
        while (keys.size() < 300) {
            QString k;
            const int len = 1 + int(rng.bounded(60));
            for (int i = 0; i < len; ++i)
                k += alphabet.at(int(rng.bounded(int(alphabet.size())))); // QStringList::at: a code point
            if (!k.toUtf8().isEmpty())
                keys << k;
        }
        QJsonArray requests;
        QList<SigV4::Signature> ours;
        const QDateTime when(QDate(2026, 2, 4), QTime(10, 15, 30), Qt::UTC);
        for (qsizetype i = 0; i < keys.size(); ++i) {
            const QByteArray path =
                SigV4::encodeKeyPath(QStringLiteral("moltbot-data-development"), keys.at(i));
            const QByteArray hash = SigV4::sha256Hex(keys.at(i).toUtf8());
            const QByteArray method = i % 3 == 0 ? "PUT" : i % 3 == 1 ? "GET" : "HEAD";
            SigV4::Query query;
            if (i % 5 == 0)
                query = {{"list-type", "2"},
                         {"prefix", keys.at(i).toUtf8()},
                         {"continuation-token", "1/abc+def=="}};
            const SigV4::Request req{method,
                                     path,
                                     query,
                                     {{"host", "127.0.0.1:9000"},
                                      {"x-amz-date", SigV4::amzDate(when)},
                                      {"x-amz-content-sha256", hash}},
                                     hash};
            ours << SigV4::sign(req, "test:dev", "s3cr3t/+=", "auto", "s3", when);
            QByteArray url = "http://127.0.0.1:9000" + path;
            if (!query.isEmpty())
                url += '?' + SigV4::encodedQuery(query);
            requests.append(QJsonObject{
                {QStringLiteral("method"), QString::fromLatin1(method)},
                {QStringLiteral("url"), QString::fromLatin1(url)},
                {QStringLiteral("headers"),
                 QJsonObject{{QStringLiteral("x-amz-date"), QString::fromLatin1(SigV4::amzDate(when))}}},
                {QStringLiteral("body"), keys.at(i)},
                {QStringLiteral("accessKey"), QStringLiteral("test:dev")},
                {QStringLiteral("secret"), QStringLiteral("s3cr3t/+=")},
                {QStringLiteral("region"), QStringLiteral("auto")},
                {QStringLiteral("amzDate"), QString::fromLatin1(SigV4::amzDate(when))}});
        }
        QProcess py;
        py.start(QStringLiteral("/usr/bin/python3"), {qEnvironmentVariable("MOLTDESK_SOURCE_DIR") +
                                                      QStringLiteral("/tests/support/botocore_sign.py")});
        if (!py.waitForStarted())
            QFAIL("/usr/bin/python3 is missing (scripts/install-deps.sh installs it)");
        py.write(QJsonDocument(requests).toJson());
        py.closeWriteChannel();
        QVERIFY(py.waitForFinished(120000));
        const QByteArray err = py.readAllStandardError();
        if (py.exitCode() != 0 && err.contains("No module named 'botocore'"))
            QFAIL("python3-botocore is missing (scripts/install-deps.sh installs it)");
        QCOMPARE(py.exitCode(), 0);
        const QJsonArray theirs = QJsonDocument::fromJson(py.readAllStandardOutput()).array();
        QCOMPARE(theirs.size(), keys.size());
        for (qsizetype i = 0; i < keys.size(); ++i) {
            const QJsonObject t = theirs.at(i).toObject();
            QVERIFY2(ours.at(i).canonicalRequest ==
                         t.value(QLatin1String("canonicalRequest")).toString().toUtf8(),
                     qPrintable(QStringLiteral("key %1\nours:\n%2\nbotocore:\n%3")
                                    .arg(keys.at(i), QString::fromUtf8(ours.at(i).canonicalRequest),
                                         t.value(QLatin1String("canonicalRequest")).toString())));
            QCOMPARE(ours.at(i).signature, t.value(QLatin1String("signature")).toString().toLatin1());
        }
    }

    void xmlReplies()
    {
        auto ok = S3Xml::parseListV2(
            "<?xml "
            "version=\"1.0\"?><ListBucketResult><IsTruncated>true</IsTruncated><NextContinuationToken>a+b/=</"
            "NextContinuationToken>"
            "<Contents><Key>a &amp; "
            "b</Key><Size>3</Size><ETag>&quot;900150983cd24fb0d6963f7d28e17f72&quot;</ETag>"
            "<LastModified>2026-02-04T10:15:30.000Z</LastModified></Contents></ListBucketResult>");
        QVERIFY(ok.ok());
        QCOMPARE(ok.value().objects.size(), 1);
        QCOMPARE(ok.value().objects.first().key, QStringLiteral("a & b"));
        QCOMPARE(ok.value().objects.first().md5, QByteArray("900150983cd24fb0d6963f7d28e17f72"));
        QCOMPARE(ok.value().nextToken, QStringLiteral("a+b/="));
        // Refused: truncated without a token, entity expansion, HTML, no IsTruncated, garbage.
        QVERIFY(
            !S3Xml::parseListV2("<ListBucketResult><IsTruncated>true</IsTruncated></ListBucketResult>").ok());
        QVERIFY(!S3Xml::parseListV2(
                     "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"aaaa\"><!ENTITY b "
                     "\"&a;&a;&a;\">]><ListBucketResult><IsTruncated>false</IsTruncated><Contents><Key>&b;</"
                     "Key><Size>1</Size></Contents></ListBucketResult>")
                     .ok());
        QVERIFY(!S3Xml::parseListV2("<html><body>Bad gateway</body></html>").ok());
        QVERIFY(!S3Xml::parseListV2("<ListBucketResult></ListBucketResult>").ok());
        QVERIFY(!S3Xml::parseListV2("<ListBucketResult><IsTruncated>false</IsTruncated><Contents><Key>k</"
                                    "Key><Size>lots</Size></Contents></ListBucketResult>")
                     .ok());
        QVERIFY(!S3Xml::parseListV2(QByteArray("\x00\x01\x02", 3)).ok());
        S3Xml::ErrorReply e;
        QVERIFY(S3Xml::parseError(
            "<Error><Code>SlowDown</Code><Message>Reduce your request rate.</Message></Error>", e));
        QCOMPARE(e.code, QStringLiteral("SlowDown"));
        QVERIFY(!S3Xml::parseError("<CopyObjectResult/>", e));
        auto del = S3Xml::parseDeleteResult(
            "<DeleteResult><Deleted><Key>a</Key></Deleted><Error><Key>b</Key><Code>AccessDenied</"
            "Code><Message>no</Message></Error></DeleteResult>");
        QVERIFY(del.ok());
        QCOMPARE(del.value().deleted, QStringList{QStringLiteral("a")});
        QCOMPARE(del.value().errors.size(), 1);
        QCOMPARE(del.value().errors.first().first, QStringLiteral("b"));
        QVERIFY(S3Xml::deleteRequest({QStringLiteral("<&>")}).contains("<Key>&lt;&amp;&gt;</Key>"));
    }
};

QTEST_GUILESS_MAIN(TestSigV4)
#include "tst_sigv4.moc"

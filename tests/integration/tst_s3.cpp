// The S3 client against a real server that checks signatures (OpenStack Swift + s3api, started by the
// s3server fixture), and through the project's fault-injecting proxy.
#include "FaultProxyControl.h"
#include "S3Storage.h"
#include "TestServer.h"
#include "TestTree.h"

#include <QCryptographicHash>
#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QtConcurrent>

using namespace moltdesk;
using namespace moltdesk::test;

class TestS3 : public QObject
{
    Q_OBJECT
private:
    TestServer m_server;

    S3Config config(const QString &user, const QString &bucket, bool viaProxy = false) const
    {
        S3Config c;
        c.endpoint = viaProxy ? m_server.proxyEndpoint() : m_server.endpoint();
        c.region = m_server.region();
        c.bucket = bucket;
        c.accessKeyId = m_server.user(user).accessKeyId;
        c.secretAccessKey = m_server.user(user).secret;
        c.retry.baseDelayMs = 20;
        c.retry.maxDelayMs = 200;
        return c;
    }
    static void emptyBucket(S3Storage &s, const QString &prefix = {})
    {
        auto l = s.list(ListRequest{prefix, {}, 0}).result();
        QVERIFY2(l.ok(), qPrintable(l.ok() ? QString() : l.error().message));
        QStringList keys;
        for (const ObjectInfo &o : l.value().objects)
            keys << o.key;
        if (!keys.isEmpty())
            QVERIFY(s.remove(keys).result().value().failed.isEmpty());
    }
    static QByteArray readFile(const QString &p)
    {
        QFile f(p);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }
    static void writeFile(const QString &p, const QByteArray &d)
    {
        QDir().mkpath(QFileInfo(p).absolutePath());
        QFile f(p);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(d);
    }
    void setFaults(const QByteArray &json)
    {
        QNetworkAccessManager nam;
        QNetworkRequest req(QUrl(m_server.proxyEndpoint().toString() + QStringLiteral("/__fault__/rules")));
        req.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
        QNetworkReply *r = nam.post(req, json);
        QTRY_VERIFY_WITH_TIMEOUT(r->isFinished(), 5000);
        QCOMPARE(r->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        delete r;
    }
    QJsonObject faultStats()
    {
        return faultProxyControl(m_server, "stats").value(QLatin1String("faults")).toObject();
    }

private slots:
    void initTestCase() { MOLTDESK_REQUIRE_SERVER(m_server); }
    void init()
    {
        S3Storage s(config(QStringLiteral("admin"), QStringLiteral("moltdesk-test")));
        emptyBucket(s);
    }

    void hostileKeysRoundTrip()
    {
        const QStringList keys{QStringLiteral("space in name"),
                               QStringLiteral("plus+sign"),
                               QStringLiteral("100%"),
                               QStringLiteral("literal%2Bplus"),
                               QStringLiteral("q?x#y&z=w$v~u"),
                               QStringLiteral("emoji 😀/🦀.txt"),
                               QStringLiteral("café-nfc"),
                               QStringLiteral("cafe\u0301-nfd"),
                               QStringLiteral("a//b"),
                               QStringLiteral("trailing."),
                               QStringLiteral("semi;colon,comma'quote"),
                               QStringLiteral("x") + QString(1023, QLatin1Char('k'))};
        S3Storage s(config(QStringLiteral("admin"), QStringLiteral("moltdesk-test")));
        for (const QString &key : keys) {
            const QByteArray data = "content of " + key.toUtf8();
            auto put = s.putBytes(key, data).result();
            QVERIFY2(put.ok(),
                     qPrintable(key + QStringLiteral(": ") + (put.ok() ? QString() : put.error().message)));
            auto head = s.headObject(key).result();
            QVERIFY2(head.ok(), qPrintable(key));
            QCOMPARE(head.value().size, data.size());
            QCOMPARE(head.value().md5, QCryptographicHash::hash(data, QCryptographicHash::Md5).toHex());
            // The browser's details: the same HEAD, with the ETag and the metadata putBytes wrote.
            auto details = s.headDetails(key).result();
            QVERIFY2(details.ok(), qPrintable(key));
            QCOMPARE(details.value().info.size, data.size());
            QVERIFY(details.value().hasEtag());
            QVERIFY2(details.value().metadata.contains(
                         {QStringLiteral("md5"), QString::fromLatin1(head.value().md5)}),
                     qPrintable(key));
            auto got = s.getBytes(key).result();
            QVERIFY2(got.ok(), qPrintable(key));
            QCOMPARE(got.value(), data);
            auto listed = s.list(ListRequest{key, {}, 0}).result();
            QVERIFY(listed.ok());
            QVERIFY2(std::any_of(listed.value().objects.cbegin(), listed.value().objects.cend(),
                                 [&](const ObjectInfo &o) { return o.key == key; }),
                     qPrintable(key));
            // The copy's key stays within the 1,024-byte limit too.
            const QString copyKey = key.toUtf8().size() > 1000 ? QStringLiteral("copy of a long key")
                                                               : key + QStringLiteral(".copy");
            auto copy = s.copyFrom(s, key, copyKey).result();
            QVERIFY2(copy.ok(),
                     qPrintable(key + QStringLiteral(": ") + (copy.ok() ? QString() : copy.error().message)));
            QCOMPARE(s.getBytes(copyKey).result().value(), data);
            auto del = s.remove({key, copyKey}).result();
            QVERIFY(del.ok());
            QCOMPARE(del.value().deleted.size(), 2);
            QCOMPARE(s.headObject(key).result().error().kind, ErrorKind::NotFound);
        }
        // Dot segments would be rewritten by the HTTP stack: refused, never sent as another key.
        QCOMPARE(s.putBytes(QStringLiteral("dir/./dot"), "x").result().error().kind, ErrorKind::InvalidInput);
        QCOMPARE(s.getBytes(QStringLiteral("a/../b")).result().error().kind, ErrorKind::InvalidInput);
        // NFC and NFD spellings are two different keys to the server.
        QVERIFY(s.putBytes(QStringLiteral("caf\u00e9"), "nfc").result().ok());
        QVERIFY(s.putBytes(QStringLiteral("cafe\u0301"), "nfd").result().ok());
        QCOMPARE(s.getBytes(QStringLiteral("caf\u00e9")).result().value(), QByteArray("nfc"));
        QCOMPARE(s.getBytes(QStringLiteral("cafe\u0301")).result().value(), QByteArray("nfd"));
        emptyBucket(s);
    }

    void listingPagesEndExactlyOnPageSize()
    {
        S3Storage s(config(QStringLiteral("admin"), QStringLiteral("moltdesk-test")));
        QThreadPool pool;
        pool.setMaxThreadCount(16);
        QList<int> ids(2500);
        std::iota(ids.begin(), ids.end(), 0);
        QAtomicInt failures;
        QtConcurrent::blockingMap(&pool, ids, [&](int i) {
            const QString key = (i < 2000 ? QStringLiteral("p2000/k%1") : QStringLiteral("p500/k%1"))
                                    .arg(i, 5, 10, QLatin1Char('0'));
            if (!s.putBytes(key, QByteArray::number(i)).result().ok())
                failures.ref();
        });
        QCOMPARE(failures.loadRelaxed(), 0);
        auto two = s.list(ListRequest{QStringLiteral("p2000/"), {}, 0}).result(); // exactly two full pages
        QVERIFY(two.ok());
        QCOMPARE(two.value().objects.size(), 2000);
        auto all = s.list(ListRequest{}).result();
        QVERIFY(all.ok());
        QCOMPARE(all.value().objects.size(), 2500);
        QSet<QString> unique;
        for (const ObjectInfo &o : all.value().objects)
            unique.insert(o.key);
        QCOMPARE(unique.size(), 2500);
        auto folders = s.list(ListRequest{QString(), QStringLiteral("/"), 0}).result();
        QCOMPARE(folders.value().commonPrefixes,
                 (QStringList{QStringLiteral("p2000/"), QStringLiteral("p500/")}));
        auto one = s.list(ListRequest{QString(), {}, 1}).result();
        QCOMPARE(one.value().objects.size(), 1);
        // Page by page: the server's pages as they come, the same keys in the same order as list().
        QList<qsizetype> pageSizes;
        QStringList paged;
        const Status streamed = s.listPages(ListRequest{}, [&](QList<ObjectInfo> &&page) {
                                     pageSizes << page.size();
                                     for (const ObjectInfo &o : page)
                                         paged << o.key;
                                 }).result();
        QVERIFY(streamed.ok());
        QCOMPARE(pageSizes, (QList<qsizetype>{1000, 1000, 500}));
        QStringList listed;
        for (const ObjectInfo &o : all.value().objects)
            listed << o.key;
        QCOMPARE(paged, listed);
        qsizetype upTo = 0;
        QVERIFY(s.listPages(ListRequest{QString(), {}, 1200},
                            [&](QList<ObjectInfo> &&page) { upTo += page.size(); })
                    .result()
                    .ok());
        QCOMPARE(upTo, 1200);
        emptyBucket(s);
    }

    void multipartRoundTrip()
    {
        QTemporaryDir tmp;
        S3Config c = config(QStringLiteral("admin"), QStringLiteral("moltdesk-test"));
        c.multipartThreshold = 8LL * 1024 * 1024;
        c.partSize = 5LL * 1024 * 1024;
        S3Storage s(c);
        const QString src = tmp.filePath(QStringLiteral("big.bin"));
        std::mt19937_64 rng(7);
        TestTree::write(tmp.path(), QStringLiteral("big.bin"), 20LL * 1024 * 1024, rng);
        qint64 progress = 0;
        UploadOptions opts;
        opts.onBytes = [&progress](qint64 n) { progress = qMax(progress, n); };
        auto up = s.upload(QStringLiteral("assets/big.bin"), src, opts).result();
        QVERIFY2(up.ok(), qPrintable(up.ok() ? QString() : up.error().message));
        QVERIFY(up.value().etag.endsWith("-4")); // 5+5+5+5 MiB parts: a multipart ETag, not an MD5
        auto head = s.headObject(QStringLiteral("assets/big.bin")).result();
        QCOMPARE(head.value().size, 20LL * 1024 * 1024);
        QCOMPARE(
            head.value().md5,
            QCryptographicHash::hash(readFile(src), QCryptographicHash::Md5).toHex()); // kept in metadata
        QVERIFY(progress > 15LL * 1024 * 1024);
        const QString back = tmp.filePath(QStringLiteral("back.bin"));
        auto down = s.download(QStringLiteral("assets/big.bin"), back).result();
        QVERIFY2(down.ok(), qPrintable(down.ok() ? QString() : down.error().message));
        QVERIFY(readFile(back) == readFile(src));
        emptyBucket(s);
    }

    void errorsSayWhatToDo()
    {
        S3Storage other(config(QStringLiteral("other"), QStringLiteral("moltdesk-test")));
        auto denied = other.headBucket().result();
        QCOMPARE(denied.error().kind, ErrorKind::AccessDenied);
        QVERIFY(denied.error().message.contains(QLatin1String("test:other")));
        QCOMPARE(other.list(ListRequest{}).result().error().kind,
                 ErrorKind::AccessDenied); // never an empty listing
        QCOMPARE(other.putBytes(QStringLiteral("x"), "y").result().error().kind, ErrorKind::AccessDenied);
        S3Storage own(config(QStringLiteral("other"), QStringLiteral("moltdesk-test-other")));
        QVERIFY(own.headBucket().result().ok());

        S3Config wrong = config(QStringLiteral("admin"), QStringLiteral("moltdesk-test"));
        wrong.secretAccessKey = QStringLiteral("not-the-secret");
        S3Storage bad(wrong);
        auto auth = bad.headBucket().result();
        QCOMPARE(auth.error().kind, ErrorKind::Auth);
        QVERIFY(auth.error().message.contains(QLatin1String("R2_SECRET_ACCESS_KEY")));
        QVERIFY(!auth.error().message.contains(QLatin1String("not-the-secret")));

        S3Storage missing(config(QStringLiteral("admin"), QStringLiteral("no-such-bucket-here")));
        QCOMPARE(missing.headBucket().result().error().kind, ErrorKind::NotFound);
        QCOMPARE(missing.list(ListRequest{}).result().error().kind, ErrorKind::NotFound);

        S3Storage s(config(QStringLiteral("admin"), QStringLiteral("moltdesk-test")));
        QCOMPARE(s.getBytes(QStringLiteral("does/not/exist")).result().error().kind, ErrorKind::NotFound);
        QVERIFY(s.putBytes(QStringLiteral("big-marker"), QByteArray(5000, 'x')).result().ok());
        QCOMPARE(s.getBytes(QStringLiteral("big-marker"), 100).result().error().kind,
                 ErrorKind::InvalidInput);

        // A denied batch delete reports every key as failed, none as deleted.
        auto del = other.remove({QStringLiteral("big-marker"), QStringLiteral("other")}).result();
        QVERIFY(del.ok());
        QVERIFY(del.value().deleted.isEmpty());
        QCOMPARE(del.value().failed.size(), 2);
        QVERIFY(s.headObject(QStringLiteral("big-marker")).result().ok());
        emptyBucket(s);
    }

    void retriesThroughFaults()
    {
        if (m_server.proxyEndpoint().isEmpty())
            QFAIL("the fault proxy fixture is not running");
        QTemporaryDir tmp;
        S3Config c = config(QStringLiteral("admin"), QStringLiteral("moltdesk-test"), true);
        c.timeoutMs = 1000;
        S3Storage s(c);
        const QByteArray data = QByteArray(300000, 'd') + "end";
        const QString src = tmp.filePath(QStringLiteral("src"));
        writeFile(src, data);

        setFaults("{\"mode\":\"next\",\"count\":3,\"fault\":\"503\",\"match\":\"PUT\"}");
        QVERIFY(s.upload(QStringLiteral("f/obj"), src).result().ok()); // a burst of 503 SlowDown
        setFaults("{\"mode\":\"next\",\"count\":2,\"fault\":\"reset\",\"match\":\"PUT\"}");
        QVERIFY(s.upload(QStringLiteral("f/obj2"), src).result().ok()); // reset while sending the body
        setFaults(
            "{\"mode\":\"next\",\"count\":1,\"fault\":\"stall\",\"match\":\"GET\",\"stallSeconds\":2.5}");
        QVERIFY(s.getBytes(QStringLiteral("f/obj"), 1 << 20).result().ok()); // stall past the 1 s timeout
        const char *bodyFaults[] = {"reset-response", "truncate", "flip"};
        for (const char *f : bodyFaults) {
            setFaults(QByteArray("{\"mode\":\"next\",\"count\":2,\"fault\":\"") + f +
                      "\",\"match\":\"GET /moltdesk-test/f/obj\"}");
            const QString dst = tmp.filePath(QStringLiteral("dst-") + QLatin1String(f));
            auto r = s.download(QStringLiteral("f/obj"), dst).result();
            QVERIFY2(r.ok(), qPrintable(QLatin1String(f) + QStringLiteral(": ") +
                                        (r.ok() ? QString() : r.error().message)));
            QCOMPARE(readFile(dst), data);
        }
        // Corrupted every time: the download fails as Corrupted and never reaches its final path.
        setFaults(
            "{\"mode\":\"next\",\"count\":50,\"fault\":\"flip\",\"match\":\"GET /moltdesk-test/f/obj\"}");
        const QString never = tmp.filePath(QStringLiteral("never"));
        auto bad = s.download(QStringLiteral("f/obj"), never).result();
        QCOMPARE(bad.error().kind, ErrorKind::Corrupted);
        QVERIFY(!QFileInfo::exists(never));
        QCOMPARE(QDir(tmp.path())
                     .entryList({QStringLiteral(".moltdesk-part-*")}, QDir::Hidden | QDir::Files)
                     .size(),
                 0);
        // A listing error is never an empty listing.
        setFaults("{\"mode\":\"next\",\"count\":50,\"fault\":\"500\",\"match\":\"GET /moltdesk-test?\"}");
        auto listing = s.list(ListRequest{}).result();
        QCOMPARE(listing.error().kind, ErrorKind::Server);
        // Other 4xx are final at once.
        setFaults("{\"mode\":\"off\"}");
        const QJsonObject stats = faultStats();
        QVERIFY(stats.value(QLatin1String("503")).toInt() >= 3);
        QVERIFY(stats.value(QLatin1String("stall")).toInt() >= 1);
        QVERIFY(stats.value(QLatin1String("flip")).toInt() >= 2);
        S3Storage direct(config(QStringLiteral("admin"), QStringLiteral("moltdesk-test")));
        emptyBucket(direct);
    }

    void interoperability()
    {
        QTemporaryDir tmp;
        const QString tree = tmp.filePath(QStringLiteral("tree"));
        TestTree::make(tree, 150, 1, 9); // one 9 MiB file: multipart for aws-cli (8 MiB threshold) too
        S3Config c = config(QStringLiteral("admin"), QStringLiteral("moltdesk-test"));
        c.multipartThreshold = 8LL * 1024 * 1024;
        c.partSize = 5LL * 1024 * 1024;
        S3Storage s(c);
        for (const QString &rel : TestTree::files(tree))
            QVERIFY(s.upload(QStringLiteral("ours/") + rel, tree + QLatin1Char('/') + rel).result().ok());
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("AWS_CA_BUNDLE")); // breaks rclone's and aws-cli's S3 clients here
        env.insert(QStringLiteral("RCLONE_CONFIG_T_TYPE"), QStringLiteral("s3"));
        env.insert(QStringLiteral("RCLONE_CONFIG_T_PROVIDER"), QStringLiteral("Other"));
        env.insert(QStringLiteral("RCLONE_CONFIG_T_ENDPOINT"), m_server.endpoint().toString());
        env.insert(QStringLiteral("RCLONE_CONFIG_T_ACCESS_KEY_ID"), c.accessKeyId);
        env.insert(QStringLiteral("RCLONE_CONFIG_T_SECRET_ACCESS_KEY"), c.secretAccessKey);
        env.insert(QStringLiteral("RCLONE_CONFIG_T_FORCE_PATH_STYLE"), QStringLiteral("true"));
        env.insert(QStringLiteral("RCLONE_CONFIG_T_REGION"), QStringLiteral("auto"));
        env.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), c.accessKeyId);
        env.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), c.secretAccessKey);
        env.insert(QStringLiteral("AWS_DEFAULT_REGION"), QStringLiteral("auto"));
        QProcess rclone;
        rclone.setProcessEnvironment(env);
        rclone.start(QStringLiteral("rclone"),
                     {QStringLiteral("check"), tree, QStringLiteral("t:moltdesk-test/ours"),
                      QStringLiteral("--one-way")});
        QVERIFY2(rclone.waitForFinished(180000), "rclone check did not finish");
        QVERIFY2(rclone.exitCode() == 0, rclone.readAllStandardError().constData());

        QProcess aws;
        aws.setProcessEnvironment(env);
        aws.start(QStringLiteral("/usr/bin/aws"),
                  {QStringLiteral("--endpoint-url"), m_server.endpoint().toString(), QStringLiteral("s3"),
                   QStringLiteral("cp"), QStringLiteral("--recursive"), QStringLiteral("--only-show-errors"),
                   tree, QStringLiteral("s3://moltdesk-test/theirs/")});
        QVERIFY2(aws.waitForFinished(300000), "aws s3 cp did not finish");
        QVERIFY2(aws.exitCode() == 0, aws.readAllStandardError().constData());
        const QString back = tmp.filePath(QStringLiteral("back"));
        auto listing = s.list(ListRequest{QStringLiteral("theirs/"), {}, 0}).result();
        QVERIFY(listing.ok());
        QCOMPARE(listing.value().objects.size(), TestTree::files(tree).size());
        for (const ObjectInfo &o : listing.value().objects) {
            const QString dst = back + QLatin1Char('/') + o.key.mid(7);
            QDir().mkpath(QFileInfo(dst).absolutePath());
            auto r = s.download(o.key, dst).result();
            QVERIFY2(r.ok(),
                     qPrintable(o.key + QStringLiteral(": ") + (r.ok() ? QString() : r.error().message)));
        }
        QCOMPARE(TestTree::digests(back), TestTree::digests(tree));
        emptyBucket(s);
    }
};

QTEST_GUILESS_MAIN(TestS3)
#include "tst_s3.moc"

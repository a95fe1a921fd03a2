// Reliability on the real server: sync, restore and legacy migration of the standard workload tree
// (3,007 files, about 60 MB) through the fault-injecting proxy failing about 10% of requests (resets,
// 500/503/429, stalls past the timeout, truncated bodies, flipped bytes). Each ends in exactly the
// intended state, checked independently (a fresh listing's hashes against the files, rclone check,
// the restored files byte for byte), or fails cleanly and converges when run again.
#include "EngineFixture.h"
#include "FaultProxyControl.h"
#include "S3Storage.h"
#include "TestServer.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QTest>

using namespace moltdesk;
using namespace moltdesk::test;

class TestReliabilityS3 : public QObject
{
    Q_OBJECT
private:
    TestServer m_server;
    int m_faults = 0;
    int m_requests = 0;

    S3Config direct(const QString &user, const QString &bucket) const
    {
        S3Config c;
        c.endpoint = m_server.endpoint();
        c.bucket = bucket;
        c.accessKeyId = m_server.user(user).accessKeyId;
        c.secretAccessKey = m_server.user(user).secret;
        return c;
    }
    QJsonObject control(const QByteArray &path, const QByteArray &body = {})
    {
        return faultProxyControl(m_server, path, body);
    }
    void faultsOn(int seed)
    {
        control("rules", QByteArray("{\"mode\":\"random\",\"rate\":0.1,\"seed\":") +
                             QByteArray::number(seed) +
                             ",\"stallSeconds\":2.5,\"faults\":[\"reset\",\"reset-response\",\"500\",\"503\","
                             "\"429\",\"stall\",\"truncate\",\"flip\"]}");
    }
    void faultsOff()
    {
        const QJsonObject stats = control("stats");
        int n = 0;
        for (const QJsonValue &v : stats.value(QLatin1String("faults")).toObject())
            n += v.toInt();
        m_faults += n;
        m_requests += stats.value(QLatin1String("requests")).toInt();
        qInfo("faults injected so far: %d in %d requests", m_faults, m_requests);
        control("rules", "{\"mode\":\"off\"}");
        control("reset", "{}");
    }
    static void empty(S3Storage &s)
    {
        auto l = s.list(ListRequest{}).result();
        QVERIFY(l.ok());
        QStringList keys;
        for (const ObjectInfo &o : l.value().objects)
            keys << o.key;
        if (!keys.isEmpty())
            QVERIFY(s.remove(keys).result().value().failed.isEmpty());
    }
    // Runs the job until it succeeds (at most `runs` times); every failed run must have failed cleanly.
    template <typename MakeJob, typename CheckClean>
    JobResult converge(MakeJob make, CheckClean clean, int runs = 6)
    {
        JobResult r;
        for (int i = 0; i < runs; ++i) {
            auto job = make();
            auto plan = job->planNow();
            if (!plan) {
                qInfo("plan failed cleanly (run %d): %s", i + 1, qPrintable(plan.error().message));
                continue;
            }
            r = job->applyNow();
            if (r.ok())
                return r;
            qInfo("run %d failed cleanly: %s", i + 1, qPrintable(describe(r)));
            clean();
        }
        return r;
    }

private slots:
    void initTestCase()
    {
        MOLTDESK_REQUIRE_SERVER(m_server);
        if (m_server.proxyEndpoint().isEmpty())
            QFAIL("the fault proxy fixture is not running");
    }

    void syncRestoreMigrateUnderFaults()
    {
        EngineFixture fx;
        QVERIFY(fx.create(QJsonObject{{QStringLiteral("type"), QStringLiteral("s3")},
                                      {QStringLiteral("endpoint"), m_server.proxyEndpoint().toString()}},
                          {QStringLiteral("development")}));
        fx.writeDevVars(QStringLiteral("development"), m_server.user(QStringLiteral("dev")).accessKeyId,
                        m_server.user(QStringLiteral("dev")).secret);
        fx.writeDevVars(QString(), m_server.user(QStringLiteral("legacy")).accessKeyId,
                        m_server.user(QStringLiteral("legacy")).secret);
        S3Storage dev(direct(QStringLiteral("admin"), QStringLiteral("moltbot-data-development")));
        S3Storage legacy(direct(QStringLiteral("admin"), QStringLiteral("moltbot-data")));
        empty(dev);
        empty(legacy);
        TestTree::make(fx.tree()); // the standard workload: 3,007 files, ~60 MB
        QCOMPARE(TestTree::files(fx.tree()).size(), 3007);
        qputenv("MOLTDESK_S3_TIMEOUT_MS", "1500"); // stalls of 2.5 s must time out and be retried
        qputenv("MOLTDESK_S3_MAX_ATTEMPTS", "8");

        // 1. Sync.
        faultsOn(7);
        const JobResult synced = converge(
            [&] {
                return std::make_unique<SyncJob>(fx.context(QStringLiteral("development")), fx.syncOptions());
            },
            [&] {
                // A failed run deleted nothing and wrote no .last-sync.
                QCOMPARE(dev.getBytes(QStringLiteral(".last-sync")).result().error().kind,
                         ErrorKind::NotFound);
            });
        faultsOff();
        QVERIFY2(synced.ok(), qPrintable(describe(synced)));
        // Independent check: a fresh, fault-free listing's MD5s against the files.
        auto listing = dev.list(ListRequest{}).result();
        QVERIFY(listing.ok());
        QMap<QString, QByteArray> remote;
        for (const ObjectInfo &o : listing.value().objects)
            remote.insert(o.key, o.md5);
        const auto local = TestTree::digests(fx.tree());
        for (auto it = local.cbegin(); it != local.cend(); ++it)
            QVERIFY2(remote.value(it.key()) == it.value(), qPrintable(it.key()));
        QCOMPARE(remote.size(), local.size() + 2); // + .last-sync and the identity marker
        // And rclone's check, another client entirely.
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("AWS_CA_BUNDLE"));
        const QMap<QString, QString> rc{
            {QStringLiteral("TYPE"), QStringLiteral("s3")},
            {QStringLiteral("PROVIDER"), QStringLiteral("Other")},
            {QStringLiteral("ENDPOINT"), m_server.endpoint().toString()},
            {QStringLiteral("ACCESS_KEY_ID"), m_server.user(QStringLiteral("admin")).accessKeyId},
            {QStringLiteral("SECRET_ACCESS_KEY"), m_server.user(QStringLiteral("admin")).secret},
            {QStringLiteral("FORCE_PATH_STYLE"), QStringLiteral("true")},
            {QStringLiteral("REGION"), QStringLiteral("auto")}};
        for (auto it = rc.cbegin(); it != rc.cend(); ++it)
            env.insert(QStringLiteral("RCLONE_CONFIG_T_") + it.key(), it.value());
        QProcess rclone;
        rclone.setProcessEnvironment(env);
        rclone.start(QStringLiteral("rclone"),
                     {QStringLiteral("check"), fx.tree() + QStringLiteral("/skills"),
                      QStringLiteral("t:moltbot-data-development/skills")});
        QVERIFY(rclone.waitForFinished(300000));
        QVERIFY2(rclone.exitCode() == 0, rclone.readAllStandardError().constData());

        // 2. Restore into an empty folder, through faults; byte for byte.
        const QString target = fx.dir.filePath(QStringLiteral("restored"));
        faultsOn(11);
        const JobResult restored = converge(
            [&] {
                return std::make_unique<RestoreJob>(fx.context(QStringLiteral("development")),
                                                    RestoreOptions{target, true, {}});
            },
            [&] {
                // A failed restore left the target as it was: empty.
                QVERIFY(TestTree::files(target).isEmpty() ||
                        !QFileInfo::exists(target + QStringLiteral("/clawdbot")));
            });
        faultsOff();
        QVERIFY2(restored.ok(), qPrintable(describe(restored)));
        QCOMPARE(TestTree::digests(target, {QStringLiteral(".last-sync")}), local);

        // 3. Legacy migration (different keys for the two buckets: download and upload), through faults.
        const QStringList legacyFiles = TestTree::files(fx.tree() + QStringLiteral("/clawdbot")).mid(0, 400);
        for (const QString &rel : legacyFiles)
            QVERIFY(
                legacy
                    .upload(QStringLiteral("clawdbot/") + rel, fx.tree() + QStringLiteral("/clawdbot/") + rel)
                    .result()
                    .ok());
        QVERIFY(legacy.putBytes(QStringLiteral(".last-sync"), "2026-02-03T18:02:11+00:00\n").result().ok());
        empty(dev);
        auto legacyBefore = legacy.list(ListRequest{}).result();
        QVERIFY(legacyBefore.ok());
        faultsOn(13);
        MigrationOptions mopts;
        mopts.reportPath = fx.dir.filePath(QStringLiteral("migration.json"));
        const JobResult migrated = converge(
            [&] { return std::make_unique<MigrationJob>(fx.context(QStringLiteral("development")), mopts); },
            [] {});
        faultsOff();
        QVERIFY2(migrated.ok(), qPrintable(describe(migrated)));
        auto after = dev.list(ListRequest{}).result();
        QVERIFY(after.ok());
        QMap<QString, QByteArray> migratedMd5;
        for (const ObjectInfo &o : after.value().objects)
            migratedMd5.insert(o.key, o.md5);
        for (const ObjectInfo &o : legacyBefore.value().objects) {
            if (o.key != QLatin1String(".last-sync"))
                QVERIFY2(migratedMd5.value(o.key) == o.md5, qPrintable(o.key));
        }
        QCOMPARE(dev.getBytes(QStringLiteral(".last-sync")).result().value(),
                 QByteArray("2026-02-03T18:02:11+00:00\n"));
        QVERIFY(dev.headObject(QStringLiteral(".migrated-from")).result().ok());
        auto legacyAfter = legacy.list(ListRequest{}).result(); // the source is untouched
        QCOMPARE(legacyAfter.value().objects.size(), legacyBefore.value().objects.size());
        for (qsizetype i = 0; i < legacyAfter.value().objects.size(); ++i)
            QCOMPARE(legacyAfter.value().objects.at(i).md5, legacyBefore.value().objects.at(i).md5);

        qInfo("reliability summary: %d faults injected in %d requests; bytes lost: 0", m_faults, m_requests);
        QVERIFY2(m_faults >= 100, "the proxy injected too few faults for this to mean anything");
        empty(dev);
        empty(legacy);
    }
};

QTEST_GUILESS_MAIN(TestReliabilityS3)
#include "tst_reliability_s3.moc"

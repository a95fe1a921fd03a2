// Upstream moltworker's rclone era: buckets named by wrangler's vars.R2_BUCKET_NAME (or the profile's
// bucketNames), checked by the naming audit; the openclaw/, workspace/ (without skills/**), skills/
// layout synced and restored; no .last-sync in the bucket, so status shows the newest object's time.
// Mount-mode storage here; tst_upstream_s3 runs the same scenarios on the real server
// (MOLTDESK_ENGINE_STORAGE=s3).
#include "IsolationAudit.h"
#include "RestoreJob.h"
#include "S3Storage.h"
#include "StatusCollector.h"
#include "SyncJob.h"
#include "TestServer.h"
#include "TestTree.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace moltdesk;
using namespace moltdesk::test;

namespace {

void writeFile(const QString &path, const QByteArray &data)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY2(f.open(QIODevice::WriteOnly | QIODevice::Truncate), qPrintable(path));
    f.write(data);
}

bool onS3()
{
    return qEnvironmentVariable("MOLTDESK_ENGINE_STORAGE") == QLatin1String("s3");
}

// Two upstream deployments, each isolated only by its bucket name (no ENVIRONMENT at all).
QByteArray upstreamWrangler(const QString &devBucket, const QString &prodBucket)
{
    return QStringLiteral(R"({
  "name": "moltbot",
  "r2_buckets": [{ "binding": "MOLTBOT_BUCKET", "bucket_name": "moltbot-data" }],
  "env": {
    "development": {
      "name": "moltbot-development",
      "vars": { "R2_BUCKET_NAME": "%1" },
      "r2_buckets": [{ "binding": "MOLTBOT_BUCKET", "bucket_name": "%1" }]
    },
    "production": {
      "name": "moltbot-production",
      "vars": { "R2_BUCKET_NAME": "%2" },
      "r2_buckets": [{ "binding": "MOLTBOT_BUCKET", "bucket_name": "%2" }]
    }
  }
}
)")
        .arg(devBucket, prodBucket)
        .toUtf8();
}

} // namespace

class TestUpstream : public QObject
{
    Q_OBJECT
private:
    TestServer m_server;
    QTemporaryDir m_tmp;
    QString m_devBucket, m_prodBucket;

    // A profile with "layout": "upstream" over the storage under test; keys for S3 in .dev.vars.
    Result<Workspace> workspace(const QString &dir, const QByteArray &wrangler,
                                const QJsonObject &extra = {}) const
    {
        writeFile(dir + QStringLiteral("/wrangler.jsonc"), wrangler);
        QJsonObject storage{{QStringLiteral("type"), QStringLiteral("mount")},
                            {QStringLiteral("root"), QStringLiteral("data")}};
        if (onS3()) {
            storage = QJsonObject{{QStringLiteral("type"), QStringLiteral("s3")},
                                  {QStringLiteral("endpoint"), m_server.endpoint().toString()}};
            const ServerUser admin = m_server.user(QStringLiteral("admin"));
            writeFile(dir + QStringLiteral("/.dev.vars"),
                      QStringLiteral("R2_ACCESS_KEY_ID=%1\nR2_SECRET_ACCESS_KEY=%2\n")
                          .arg(admin.accessKeyId, admin.secret)
                          .toUtf8());
        }
        QJsonObject profile{
            {QStringLiteral("wrangler"), QStringLiteral("wrangler.jsonc")},
            {QStringLiteral("includeLegacy"), false},
            {QStringLiteral("layout"), QStringLiteral("upstream")},
            {QStringLiteral("storage"), storage},
            {QStringLiteral("syncSets"),
             QJsonArray{QJsonObject{{QStringLiteral("local"), QStringLiteral("home/.openclaw")},
                                    {QStringLiteral("prefix"), QStringLiteral("openclaw/")}},
                        QJsonObject{{QStringLiteral("local"), QStringLiteral("home/clawd")},
                                    {QStringLiteral("prefix"), QStringLiteral("workspace/")},
                                    {QStringLiteral("exclude"), QJsonArray{QStringLiteral("skills/**")}}},
                        QJsonObject{{QStringLiteral("local"), QStringLiteral("home/clawd/skills")},
                                    {QStringLiteral("prefix"), QStringLiteral("skills/")}}}}};
        for (auto it = extra.begin(); it != extra.end(); ++it)
            profile.insert(it.key(), it.value());
        writeFile(dir + QStringLiteral("/profile.json"), QJsonDocument(profile).toJson());
        return Workspace::open(dir + QStringLiteral("/profile.json"));
    }
    std::shared_ptr<StorageBackend> open(const Workspace &ws, const EnvironmentNames &env) const
    {
        StorageFactory factory(ws);
        CredentialResolver resolver(ws.profile().path, nullptr, false);
        CredentialLookup creds;
        if (onS3())
            creds = resolver.resolve(env);
        else
            creds.source = CredentialSource::NotNeeded;
        auto b = factory.open(env, creds);
        return b ? b.value() : nullptr;
    }
    static bool empty(StorageBackend &b)
    {
        auto l = b.list(ListRequest{}).result();
        if (!l)
            return false;
        QStringList keys;
        for (const ObjectInfo &o : l.value().objects + l.value().folderObjects)
            keys << o.key;
        return keys.isEmpty() || (b.remove(keys).result().ok());
    }
    static QList<Finding> naming(const Workspace &ws, Severity s)
    {
        CredentialResolver resolver(ws.profile().path, nullptr, false);
        AuditOptions o;
        o.mountInfoPath = QStringLiteral("/nonexistent");
        QList<Finding> out;
        for (const Finding &f : IsolationAudit(ws, resolver, o).run().findings)
            if (f.check == QLatin1String("naming") && f.severity == s)
                out << f;
        return out;
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        if (onS3())
            MOLTDESK_REQUIRE_SERVER(m_server);
        // On the server: two buckets with names of their own, as an upstream operator would choose.
        m_devBucket = onS3() ? QStringLiteral("moltdesk-test") : QStringLiteral("acme-bot-dev");
        m_prodBucket = onS3() ? QStringLiteral("moltdesk-test-other") : QStringLiteral("acme-bot-prod");
    }

    void wranglerBucketNames()
    {
        auto cfg =
            WranglerConfig::parse(upstreamWrangler(m_devBucket, m_prodBucket), QStringLiteral("w.jsonc"));
        QVERIFY(cfg.ok());
        QCOMPARE(cfg.value().environmentNames(),
                 QStringList({QStringLiteral("development"), QStringLiteral("production")}));
        const WranglerEnvironment *p = cfg.value().environmentFor(QStringLiteral("production"));
        QVERIFY(p);
        QCOMPARE(p->bucketNameVar, m_prodBucket);
        QCOMPARE(p->bucketNameLine, 12);

        auto bad = WranglerConfig::parse(upstreamWrangler(m_devBucket, QStringLiteral("Acme_Prod")),
                                         QStringLiteral("w.jsonc"));
        QVERIFY(!bad.ok());
        QVERIFY2(bad.error().message.contains(QLatin1String("line 12: env.production.vars.R2_BUCKET_NAME")),
                 qPrintable(bad.error().message));
        auto notString = WranglerConfig::parse(R"({"env":{"a":{"vars":{"R2_BUCKET_NAME":7}}}})");
        QVERIFY(!notString.ok());
    }

    void workspaceUsesThemAndTheProfileOverrides()
    {
        const QString dir = m_tmp.filePath(QStringLiteral("names"));
        auto ws = workspace(dir, upstreamWrangler(m_devBucket, m_prodBucket));
        QVERIFY2(ws.ok(), qPrintable(ws.ok() ? QString() : ws.error().message));
        QCOMPARE(ws.value().environments().size(), 2);
        const EnvironmentNames prod = ws.value().find(QStringLiteral("production")).value();
        QCOMPARE(prod.bucket, m_prodBucket);
        QCOMPARE(prod.mountPath, QStringLiteral("/data/moltbot-production")); // paths still by the rule
        QCOMPARE(ws.value().bucketOrigin(prod),
                 QStringLiteral("wrangler.jsonc:12 env.production.vars.R2_BUCKET_NAME"));

        auto over = workspace(dir, upstreamWrangler(m_devBucket, m_prodBucket),
                              {{QStringLiteral("bucketNames"),
                                QJsonObject{{QStringLiteral("production"), QStringLiteral("ops-prod")}}}});
        QVERIFY(over.ok());
        const EnvironmentNames p2 = over.value().find(QStringLiteral("production")).value();
        QCOMPARE(p2.bucket, QStringLiteral("ops-prod"));
        QCOMPARE(over.value().bucketOrigin(p2), QStringLiteral("profile bucketNames"));
        QCOMPARE(over.value().find(QStringLiteral("development")).value().bucket, m_devBucket);
        // The profile round-trips its overrides.
        auto again = Profile::parse(over.value().profile().toJson(), dir + QStringLiteral("/p2.json"));
        QVERIFY(again.ok());
        QCOMPARE(again.value().bucketNames.value(QStringLiteral("production")), QStringLiteral("ops-prod"));
        QCOMPARE(again.value().syncSets.at(1).exclude, QStringList{QStringLiteral("skills/**")});

        auto badName = workspace(dir, upstreamWrangler(m_devBucket, m_prodBucket),
                                 {{QStringLiteral("bucketNames"),
                                   QJsonObject{{QStringLiteral("production"), QStringLiteral("Ops")}}}});
        QVERIFY(!badName.ok());
        QVERIFY2(badName.error().message.contains(QLatin1String("bucketNames.production")),
                 qPrintable(badName.error().message));
        auto badLayout = Profile::parse(R"({"layout":"rclone","storage":{"type":"mount","root":"/"}})",
                                        QStringLiteral("p.json"));
        QVERIFY(!badLayout.ok());
        auto layout = Profile::parse(R"({"layout":"upstream","storage":{"type":"mount","root":"/"}})",
                                     QStringLiteral("p.json"));
        QVERIFY(layout.ok());
        QCOMPARE(layout.value().syncSets.size(), 3);
        QCOMPARE(layout.value().syncSets.at(0).prefix, QStringLiteral("openclaw/"));
        QCOMPARE(layout.value().syncSets.at(1).prefix, QStringLiteral("workspace/"));
        QCOMPARE(layout.value().syncSets.at(1).exclude, QStringList{QStringLiteral("skills/**")});
        QCOMPARE(layout.value().syncSets.at(2).prefix, QStringLiteral("skills/"));
    }

    void namingAuditChecksThem()
    {
        const QString dir = m_tmp.filePath(QStringLiteral("audit"));
        auto good = workspace(dir, upstreamWrangler(m_devBucket, m_prodBucket));
        QVERIFY(good.ok());
        const auto goodFailures = naming(good.value(), Severity::Failure);
        QVERIFY2(goodFailures.isEmpty(),
                 qPrintable(goodFailures.isEmpty() ? QString() : goodFailures.first().title));

        auto shared = workspace(dir, upstreamWrangler(m_devBucket, m_devBucket));
        QVERIFY(shared.ok());
        bool sawShared = false;
        for (const Finding &f : naming(shared.value(), Severity::Failure))
            sawShared =
                sawShared || f.title.contains(QLatin1String("all set R2_BUCKET_NAME to ") + m_devBucket);
        QVERIFY(sawShared);

        auto legacy = workspace(dir, upstreamWrangler(m_devBucket, QStringLiteral("moltbot-data")));
        QVERIFY(legacy.ok());
        bool sawLegacy = false;
        for (const Finding &f : naming(legacy.value(), Severity::Failure))
            sawLegacy =
                sawLegacy ||
                (f.environment == QLatin1String("production") &&
                 f.title.contains(QLatin1String("R2_BUCKET_NAME to the legacy bucket")) && f.line == 12);
        QVERIFY(sawLegacy);
    }

    void syncRestoreAndStatusOfTheUpstreamLayout()
    {
        const QString dir = m_tmp.filePath(QStringLiteral("layout"));
        auto ws = workspace(dir, upstreamWrangler(m_devBucket, m_prodBucket));
        QVERIFY(ws.ok());
        const EnvironmentNames dev = ws.value().find(QStringLiteral("development")).value();
        if (!onS3())
            QDir().mkpath(ws.value().mountDirectory(dev));
        auto bucket = open(ws.value(), dev);
        QVERIFY(bucket);
        QVERIFY(empty(*bucket));
        const QString home = dir + QStringLiteral("/home");
        writeFile(home + QStringLiteral("/.openclaw/openclaw.json"), "{\"gateway\":{}}\n");
        writeFile(home + QStringLiteral("/.openclaw/devices/paired.json"), "{}\n");
        writeFile(home + QStringLiteral("/clawd/IDENTITY.md"), "# who I am\n");
        writeFile(home + QStringLiteral("/clawd/memory/2026-12-01.md"), "notes\n");
        writeFile(home + QStringLiteral("/clawd/skills/hello/SKILL.md"), "# hello\n");
        // rclone never deletes what it excludes: an old copy under workspace/skills/ stays.
        QVERIFY(bucket->putBytes(QStringLiteral("workspace/skills/old/SKILL.md"), "old").result().ok());

        SyncOptions so;
        so.hashCachePath = dir + QStringLiteral("/hashes");
        SyncJob sync(
            JobContext{ws.value(), dev, CredentialResolver(ws.value().profile().path, nullptr, false)}, so);
        auto plan = sync.planNow();
        QVERIFY2(plan.ok(), qPrintable(plan.ok() ? QString() : plan.error().message));
        QCOMPARE(plan.value().counts().countOf(PlanAction::Delete), 0);
        const JobResult r = sync.applyNow();
        QVERIFY2(r.ok(), qPrintable(r.summaryLine()));
        QCOMPARE(r.uploaded, 5);
        QStringList keys;
        const Result<Listing> listing = bucket->list(ListRequest{}).result();
        QVERIFY(listing.ok());
        for (const ObjectInfo &o : listing.value().objects)
            keys << o.key;
        QCOMPARE(keys, QStringList({QStringLiteral(".last-sync"), QStringLiteral(".moltdesk-environment"),
                                    QStringLiteral("openclaw/devices/paired.json"),
                                    QStringLiteral("openclaw/openclaw.json"),
                                    QStringLiteral("skills/hello/SKILL.md"),
                                    QStringLiteral("workspace/IDENTITY.md"),
                                    QStringLiteral("workspace/memory/2026-12-01.md"),
                                    QStringLiteral("workspace/skills/old/SKILL.md")}));

        // What rclone leaves: no .last-sync. Status calls that normal and shows the newest change.
        QVERIFY(bucket->remove({QStringLiteral(".last-sync")}).result().ok());
        EnvironmentStatus seed;
        seed.names = dev;
        const EnvironmentStatus st = StatusCollector::collectFrom(*bucket, seed, 24);
        QCOMPARE(int(st.lastSyncState), int(EnvironmentStatus::LastSyncState::Missing));
        QVERIFY(st.lastChange.isValid());
        QVERIFY(qAbs(st.lastChange.secsTo(QDateTime::currentDateTimeUtc())) < 300);
        QVERIFY2(st.health == Health::Ok, qPrintable(st.problems.join(QLatin1Char(';'))));
        QVERIFY(st.lastSyncText(QDateTime::currentDateTimeUtc(), 24)
                    .startsWith(QLatin1String("no .last-sync, last change ")));
        const QJsonObject json = st.toJson(QDateTime::currentDateTimeUtc(), 24);
        QCOMPARE(json.value(QLatin1String("lastChange")).toObject().value(QLatin1String("time")).toString(),
                 st.lastChange.toString(Qt::ISODate));

        // Restore the way upstream lays it out: openclaw/, workspace/ and skills/ side by side.
        const QString target = dir + QStringLiteral("/restored");
        RestoreJob restore(
            JobContext{ws.value(), dev, CredentialResolver(ws.value().profile().path, nullptr, false)},
            RestoreOptions{target, false, {}});
        auto rp = restore.planNow();
        QVERIFY2(rp.ok(), qPrintable(rp.ok() ? QString() : rp.error().message));
        QCOMPARE(rp.value().layout, QStringLiteral("openclaw"));
        QVERIFY(rp.value().restoreNeeded); // nothing in the bucket or the target says otherwise
        const JobResult rr = restore.applyNow();
        QVERIFY2(rr.ok(), qPrintable(rr.summaryLine()));
        QCOMPARE(TestTree::files(target), QStringList({QStringLiteral("openclaw/devices/paired.json"),
                                                       QStringLiteral("openclaw/openclaw.json"),
                                                       QStringLiteral("skills/hello/SKILL.md"),
                                                       QStringLiteral("workspace/IDENTITY.md"),
                                                       QStringLiteral("workspace/memory/2026-12-01.md"),
                                                       QStringLiteral("workspace/skills/old/SKILL.md")}));
        QVERIFY(empty(*bucket));
    }
};

QTEST_GUILESS_MAIN(TestUpstream)
#include "tst_upstream.moc"

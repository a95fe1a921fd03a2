// The isolation audit against the real S3 server (OpenStack Swift + s3api, started by the `s3server`
// fixture), whose users are scoped per bucket like R2 Object-tier tokens:
//   dev -> moltbot-data-development, prod -> moltbot-data-production, legacy -> moltbot-data,
//   leaky -> development and production, admin -> everything (used only to prepare buckets).
// The tests own the three moltbot-data* buckets while they run (RESOURCE_LOCK moltbot-data-buckets).

#include "AuditFindings.h"
#include "AuditText.h"
#include "IdentityMarker.h"
#include "IsolationAudit.h"
#include "LastSync.h"
#include "TestServer.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace moltdesk;
using moltdesk::test::dump;
using moltdesk::test::findings;

namespace {

const QStringList kEnvs{QStringLiteral("development"), QStringLiteral("production"), QString()};

QString bucketOf(const QString &env)
{
    return env.isEmpty() ? QStringLiteral("moltbot-data") : QStringLiteral("moltbot-data-") + env;
}

const AccessCell *cell(const AuditReport &r, const QString &creds, const QString &bucketEnv)
{
    for (const AccessCell &c : r.matrix) {
        if (c.credentialsOf == creds && c.bucketOf == bucketEnv)
            return &c;
    }
    return nullptr;
}

} // namespace

class TestAuditS3 : public QObject
{
    Q_OBJECT

    test::TestServer m_server;
    QTemporaryDir m_tmp;

    QString profilePath() const { return m_tmp.filePath(QStringLiteral("profile.json")); }

    void writeFile(const QString &path, const QByteArray &data)
    {
        QFile f(path);
        QVERIFY2(f.open(QIODevice::WriteOnly | QIODevice::Truncate), qPrintable(path));
        f.write(data);
    }

    // Which server user's credentials each environment gets ("" for legacy).
    void setCredentials(const QString &devUser, const QString &prodUser, const QString &legacyUser)
    {
        const auto vars = [&](const QString &user) -> QByteArray {
            const test::ServerUser u = m_server.user(user);
            return QByteArray("R2_ACCESS_KEY_ID=") + u.accessKeyId.toUtf8() +
                   "\nR2_SECRET_ACCESS_KEY=" + u.secret.toUtf8() + "\nCF_ACCOUNT_ID=test\n";
        };
        writeFile(m_tmp.filePath(QStringLiteral(".dev.vars.development")), vars(devUser));
        writeFile(m_tmp.filePath(QStringLiteral(".dev.vars.production")), vars(prodUser));
        writeFile(m_tmp.filePath(QStringLiteral(".dev.vars")), vars(legacyUser)); // the legacy environment's
    }

    CredentialLookup admin() const
    {
        CredentialLookup l;
        l.credentials.accessKeyId = m_server.user(QStringLiteral("admin")).accessKeyId;
        l.credentials.secretAccessKey = m_server.user(QStringLiteral("admin")).secret;
        l.source = CredentialSource::ProcessEnvironment;
        return l;
    }

    std::shared_ptr<StorageBackend> adminBucket(const Workspace &ws, const QString &env)
    {
        const StorageFactory factory(ws);
        auto b = factory.openBucket(bucketOf(env), QString(), admin());
        if (!b) {
            qWarning() << b.error().message;
            return {};
        }
        return b.value();
    }

    Result<Workspace> workspace() { return Workspace::open(profilePath()); }

    void put(StorageBackend &b, const QString &key, const QByteArray &data)
    {
        const auto r = b.putBytes(key, data).result();
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message));
    }

    // Empties the three buckets and fills each with a well-isolated environment's state.
    void prepareBuckets()
    {
        auto ws = workspace();
        QVERIFY(ws.ok());
        for (const QString &env : kEnvs) {
            auto b = adminBucket(ws.value(), env);
            QVERIFY(b);
            const auto l = b->list(ListRequest{}).result();
            QVERIFY2(l.ok(), qPrintable(l.ok() ? QString() : l.error().message));
            QStringList keys;
            for (const ObjectInfo &o : l.value().objects)
                keys << o.key;
            if (!keys.isEmpty()) {
                const auto d = b->remove(keys).result();
                QVERIFY(d.ok() && d.value().failed.isEmpty());
            }
            if (env.isEmpty())
                continue; // the legacy bucket stays empty: nothing left to migrate
            const QByteArray e = env.toUtf8();
            put(*b, QStringLiteral("clawdbot/clawdbot.json"),
                "{\"gateway\":{\"token\":\"" + e + "-secret\"}}\n");
            put(*b, QStringLiteral("clawdbot/devices/paired.json"),
                "{\"devices\":[{\"id\":\"" + e + "-phone\"}]}\n");
            put(*b, QStringLiteral("skills/hello/SKILL.md"), "# hello\n");
            put(*b, QStringLiteral(".last-sync"), LastSync::now() + '\n');
        }
        for (const QString &env : kEnvs) {
            auto b = adminBucket(ws.value(), env);
            const Status s = stampMarker(
                *b, env.isEmpty() ? ws.value().naming().legacy() : ws.value().naming().resolve(env).value(),
                {.confirmation = env});
            QVERIFY2(s.ok(), qPrintable(s.ok() ? QString() : s.error().message));
        }
    }

    AuditReport audit(bool probeWrite = false)
    {
        auto ws = workspace();
        if (!ws) {
            qWarning() << ws.error().message;
            return {};
        }
        const CredentialResolver resolver(profilePath(), nullptr, false);
        const StorageFactory factory(ws.value());
        AuditOptions o;
        o.probeWrite = probeWrite;
        return IsolationAudit(ws.value(), resolver, factory, o).run();
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        MOLTDESK_REQUIRE_SERVER(m_server);
        QVERIFY(m_tmp.isValid());
        const QJsonObject profile{
            {QStringLiteral("environments"),
             QJsonArray{QStringLiteral("development"), QStringLiteral("production")}},
            {QStringLiteral("includeLegacy"), true},
            {QStringLiteral("wrangler"), QStringLiteral("wrangler.jsonc")},
            {QStringLiteral("startScript"), QStringLiteral("start-moltbot.sh")},
            {QStringLiteral("storage"),
             QJsonObject{{QStringLiteral("type"), QStringLiteral("s3")},
                         {QStringLiteral("endpoint"), m_server.endpoint().toString()},
                         {QStringLiteral("region"),
                          m_server.region().isEmpty() ? QStringLiteral("auto") : m_server.region()}}}};
        writeFile(profilePath(), QJsonDocument(profile).toJson());
        writeFile(m_tmp.filePath(QStringLiteral("wrangler.jsonc")), R"({
  "name": "moltbot",
  "env": {
    "development": { "name": "moltbot-development", "vars": { "ENVIRONMENT": "development" } },
    "production": { "name": "moltbot-production", "vars": { "ENVIRONMENT": "production" } }
  }
}
)");
        writeFile(
            m_tmp.filePath(QStringLiteral("start-moltbot.sh")),
            "#!/bin/bash\nif [ -n \"$ENVIRONMENT\" ]; then\n    BACKUP_DIR=\"/data/moltbot-$ENVIRONMENT\"\n"
            "else\n    BACKUP_DIR=\"/data/moltbot\"\nfi\n");
        setCredentials(QStringLiteral("dev"), QStringLiteral("prod"), QStringLiteral("legacy"));
        auto ws = workspace();
        QVERIFY2(ws.ok(), qPrintable(ws.ok() ? QString() : ws.error().message));
        const StorageFactory factory(ws.value());
        const auto probe = factory.openBucket(bucketOf(QString()), QString(), admin());
        if (!probe) // this build cannot talk S3 at all
            MOLTDESK_FAIL_OR_SKIP("S3 BACKEND NOT BUILT, AUDIT INTEGRATION TESTS NOT RUN: " +
                                  probe.error().message.toUtf8());
    }

    void init()
    {
        setCredentials(QStringLiteral("dev"), QStringLiteral("prod"), QStringLiteral("legacy"));
        prepareBuckets();
    }

    void isolatedSetupVerifiesClean()
    {
        const AuditReport r = audit();
        QVERIFY2(r.overall() == Severity::Ok, qPrintable(dump(r)));
        QCOMPARE(r.verdict(), Verdict::Holds);
        QCOMPARE(r.matrix.size(), 9);
        for (const AccessCell &c : r.matrix) {
            if (c.expected)
                QVERIFY2(c.access == AccessCell::Access::Allowed && c.canList, qPrintable(dump(r)));
            else
                QVERIFY2(c.access == AccessCell::Access::Denied, qPrintable(dump(r)));
        }
        QCOMPARE(cell(r, QStringLiteral("development"), QStringLiteral("production"))->accessKeyId,
                 QStringLiteral("test:dev"));
        QVERIFY(!findings(r, QStringLiteral("leak"), Severity::Ok).isEmpty());
        QVERIFY(!findings(r, QStringLiteral("marker"), Severity::Ok, QStringLiteral("production")).isEmpty());
        // The JSON never carries a secret.
        const QByteArray json = QJsonDocument(r.toJson()).toJson();
        for (const char *u : {"dev", "prod", "legacy"})
            QVERIFY(!json.contains(m_server.user(QString::fromLatin1(u)).secret.toUtf8()));
    }

    void writeProbesOnIsolatedSetup()
    {
        const AuditReport r = audit(true);
        QVERIFY2(r.overall() == Severity::Ok, qPrintable(dump(r)));
        for (const AccessCell &c : r.matrix)
            QCOMPARE(c.canWrite, c.expected);
        // Probes are removed again.
        auto ws = workspace();
        for (const QString &env : kEnvs) {
            ListRequest req;
            req.prefix = QStringLiteral(".isolation-probe/");
            const auto l = adminBucket(ws.value(), env)->list(req).result();
            QVERIFY(l.ok());
            QVERIFY2(l.value().objects.isEmpty(), qPrintable(bucketOf(env)));
        }
    }

    void developmentKeyReadingProductionFails()
    {
        setCredentials(QStringLiteral("leaky"), QStringLiteral("prod"), QStringLiteral("legacy"));
        const AuditReport r = audit();
        const AccessCell *c = cell(r, QStringLiteral("development"), QStringLiteral("production"));
        QVERIFY(c);
        QCOMPARE(c->access, AccessCell::Access::Allowed);
        const auto f =
            findings(r, QStringLiteral("credentials"), Severity::Failure, QStringLiteral("development"));
        QVERIFY2(f.size() == 1, qPrintable(dump(r)));
        QVERIFY(f.first().title.contains(QLatin1String("REACH production")));
        QVERIFY(f.first().evidence.contains(QLatin1String("test:leaky")));
        QCOMPARE(cell(r, QStringLiteral("development"), QStringLiteral("(legacy)"))->access,
                 AccessCell::Access::Denied);
        QVERIFY(renderAuditText(r).contains(QStringLiteral("▲ REACHES")));
    }

    // The credentials check's third state: with no keys it cannot run, and says so.
    void noKeysIsNotChecked()
    {
        for (const char *f : {".dev.vars.development", ".dev.vars.production", ".dev.vars"})
            QVERIFY(QFile::remove(m_tmp.filePath(QString::fromLatin1(f))));
        const AuditReport r = audit();
        QVERIFY2(r.verdict() == Verdict::Unverified, qPrintable(dump(r)));
        QVERIFY(findings(r, QStringLiteral("credentials"), Severity::Ok).isEmpty());
        QCOMPARE(findings(r, QStringLiteral("credentials"), Severity::NotChecked).size(), 3);
        for (const AccessCell &c : r.matrix)
            QCOMPARE(c.access, AccessCell::Access::NotTested);
        // One environment's keys: its row is tested, the others' are not, so still unverified.
        setCredentials(QStringLiteral("dev"), QStringLiteral("prod"), QStringLiteral("legacy"));
        // (.dev.vars would be production's fallback)
        QVERIFY(QFile::remove(m_tmp.filePath(QStringLiteral(".dev.vars.production"))));
        QVERIFY(QFile::remove(m_tmp.filePath(QStringLiteral(".dev.vars"))));
        const AuditReport r2 = audit();
        QCOMPARE(r2.verdict(), Verdict::Unverified);
        QVERIFY(findings(r2, QStringLiteral("credentials"), Severity::Ok).isEmpty());
        QCOMPARE(cell(r2, QStringLiteral("development"), QStringLiteral("production"))->access,
                 AccessCell::Access::Denied);
    }

    void sharedKeyIsFlagged()
    {
        setCredentials(QStringLiteral("leaky"), QStringLiteral("leaky"), QStringLiteral("legacy"));
        const AuditReport r = audit();
        bool shared = false;
        for (const Finding &f : findings(r, QStringLiteral("credentials"), Severity::Failure))
            shared =
                shared ||
                (f.title.contains(QLatin1String("access key test:leaky is configured for 2 environments")));
        QVERIFY2(shared, qPrintable(dump(r)));
    }

    void foreignMarkerFails()
    {
        auto ws = workspace();
        auto prod = adminBucket(ws.value(), QStringLiteral("production"));
        IdentityMarker m;
        m.environment = QStringLiteral("development");
        m.bucket = bucketOf(QStringLiteral("development"));
        m.written = QDateTime::currentDateTimeUtc();
        put(*prod, QString::fromLatin1(IdentityMarker::kKey), m.toJson());
        const AuditReport r = audit();
        const auto f = findings(r, QStringLiteral("marker"), Severity::Failure, QStringLiteral("production"));
        QVERIFY2(f.size() == 1, qPrintable(dump(r)));
        // And stamping refuses to paper over it.
        QCOMPARE(stampMarker(*prod, ws.value().naming().resolve(QStringLiteral("production")).value(),
                             {.confirmation = QStringLiteral("production")})
                     .error()
                     .kind,
                 ErrorKind::Refused);
    }

    void copiedPairedDevicesLeak()
    {
        auto ws = workspace();
        auto prod = adminBucket(ws.value(), QStringLiteral("production"));
        auto dev = adminBucket(ws.value(), QStringLiteral("development"));
        const auto paired = prod->getBytes(QStringLiteral("clawdbot/devices/paired.json")).result();
        QVERIFY(paired.ok());
        put(*dev, QStringLiteral("clawdbot/devices/paired.json"), paired.value());
        const AuditReport r = audit();
        const auto f = findings(r, QStringLiteral("leak"), Severity::Failure);
        QVERIFY2(f.size() == 1, qPrintable(dump(r)));
        QVERIFY(f.first().evidence.contains(QLatin1String("clawdbot/devices/paired.json in development")));
    }

    void cleanupTestCase()
    {
        if (!m_server.load())
            return;
        auto ws = workspace();
        if (!ws)
            return;
        // Leave the shared buckets empty for whoever runs next.
        for (const QString &env : kEnvs) {
            auto b = adminBucket(ws.value(), env);
            if (!b)
                continue;
            const auto l = b->list(ListRequest{}).result();
            if (!l)
                continue;
            QStringList keys;
            for (const ObjectInfo &o : l.value().objects)
                keys << o.key;
            if (!keys.isEmpty())
                b->remove(keys).waitForFinished();
        }
    }
};

QTEST_GUILESS_MAIN(TestAuditS3)
#include "tst_audit_s3.moc"

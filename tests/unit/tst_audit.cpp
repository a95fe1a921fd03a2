#include "AuditFixture.h"

using namespace moltdesk;
using namespace moltdesk::test;

class TestAudit : public QObject
{
    Q_OBJECT

    // Legacy's config and one skill, and production as MigrationJob leaves it after migrating them:
    // the copies (expected there, not a leak) and .migrated-from naming each with its size and MD5,
    // plus the report's keys in `more`.
    static void migrateLegacyByHand(const Fixture &fx, const QJsonObject &more)
    {
        const QByteArray cfg = "{\"gateway\":{\"token\":\"old-secret\"}}\n";
        const QByteArray skill = "# old skill\n";
        const auto md5 = [](const QByteArray &b) {
            return QString::fromLatin1(QCryptographicHash::hash(b, QCryptographicHash::Md5).toHex());
        };
        QJsonObject report{
            {QStringLiteral("source"), QStringLiteral("moltbot-data")},
            {QStringLiteral("destination"), QStringLiteral("moltbot-data-production")},
            {QStringLiteral("objects"),
             QJsonArray{QJsonObject{{QStringLiteral("key"), QStringLiteral("clawdbot/clawdbot.json")},
                                    {QStringLiteral("size"), double(cfg.size())},
                                    {QStringLiteral("md5"), md5(cfg)}},
                        QJsonObject{{QStringLiteral("key"), QStringLiteral("skills/old/SKILL.md")},
                                    {QStringLiteral("size"), double(skill.size())},
                                    {QStringLiteral("md5"), md5(skill)}}}}};
        for (auto it = more.begin(); it != more.end(); ++it)
            report.insert(it.key(), it.value());
        const QString legacy = fx.bucketDir(QString());
        const QString prod = fx.bucketDir(QStringLiteral("production"));
        writeFile(legacy + QStringLiteral("/clawdbot/clawdbot.json"), cfg);
        writeFile(legacy + QStringLiteral("/skills/old/SKILL.md"), skill);
        writeFile(prod + QStringLiteral("/.migrated-from"), QJsonDocument(report).toJson());
        writeFile(prod + QStringLiteral("/clawdbot/clawdbot.json"), cfg);
        writeFile(prod + QStringLiteral("/skills/old/SKILL.md"), skill);
    }
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void cleanSetupVerifiesClean()
    {
        Fixture fx;
        const AuditReport r = fx.audit();
        QVERIFY2(r.overall() == Severity::Ok, qPrintable(dump(r)));
        QCOMPARE(r.count(Severity::Warning), 0);
        QCOMPARE(r.count(Severity::Failure), 0);
        QVERIFY(r.complete);
        QCOMPARE(r.environments, (QStringList{QStringLiteral("development"), QStringLiteral("production"),
                                              QStringLiteral("(legacy)")}));
        // Every check had its say.
        for (const char *check :
             {"naming", "paths", "marker", "credentials", "leak", "freshness", "leftover"})
            QVERIFY2(!findings(r, QString::fromLatin1(check), Severity::Ok).isEmpty(), check);
        QCOMPARE(r.paths.size(), 3);
        const PathRow *dev = pathRow(r, QStringLiteral("development"));
        QVERIFY(dev);
        QCOMPARE(dev->mountPath, QStringLiteral("/data/moltbot-development"));
        QCOMPARE(dev->readPath, QStringLiteral("/data/moltbot-development"));
        QCOMPARE(dev->writePath, fx.bucketDir(QStringLiteral("development")));
        QCOMPARE(dev->mountedBy, QStringLiteral("fuse.s3fs"));
        QCOMPARE(dev->workerBucket, QStringLiteral("moltbot-data-development"));
        QVERIFY(dev->agree);
        QCOMPARE(pathRow(r, QStringLiteral("(legacy)"))->readPath, QStringLiteral("/data/moltbot"));
        QVERIFY(r.matrix.isEmpty());
        QCOMPARE(findings(r, QStringLiteral("credentials"), Severity::Ok).first().title,
                 QStringLiteral("the credential matrix does not apply in mount mode"));
    }

    // Every check, in one case each where it passes, fails (or warns, for checks that only warn) and
    // cannot run (the same rows run per check in tests/unit/checks/).
    void checkStates_data() { addCheckStateRows(); }
    void checkStates() { runCheckState(); }

    void rsyncEraMissingLastSyncIsWorseThanStale()
    {
        Fixture fx;
        QVERIFY(QFile::remove(fx.bucketDir(QStringLiteral("development")) + QStringLiteral("/.last-sync")));
        QVERIFY(QFile::remove(fx.bucketDir(QStringLiteral("production")) + QStringLiteral("/.last-sync")));
        const AuditReport r = fx.audit();
        const auto prod =
            findings(r, QStringLiteral("freshness"), Severity::Failure, QStringLiteral("production"));
        QVERIFY2(prod.size() == 1 && prod.first().title.contains(QLatin1String("will not restore")),
                 qPrintable(dump(r)));
        QVERIFY(prod.first().evidence.contains(QLatin1String("clawdbot/ layout")));
        QCOMPARE(prod.first().fixCommand, QStringLiteral("moltctl sync production"));
        QCOMPARE(
            findings(r, QStringLiteral("freshness"), Severity::Warning, QStringLiteral("development")).size(),
            1);
        QCOMPARE(r.verdict(), Verdict::Broken);
    }

    void rcloneEraWithoutLastSyncIsNormal()
    {
        Fixture fx;
        for (const char *e : {"development", "production"}) {
            const QString dir = fx.bucketDir(QString::fromLatin1(e));
            QVERIFY(QDir(dir + QStringLiteral("/clawdbot")).removeRecursively());
            QVERIFY(QFile::remove(dir + QStringLiteral("/.last-sync")));
            writeFile(dir + QStringLiteral("/openclaw/openclaw.json"),
                      "{\"gateway\":{\"token\":\"" + QByteArray(e) + "-secret\"}}\n");
        }
        const AuditReport r = fx.audit();
        QVERIFY2(r.verdict() == Verdict::Holds, qPrintable(dump(r)));
        const auto f = findings(r, QStringLiteral("freshness"), Severity::Ok, QStringLiteral("production"));
        QVERIFY2(f.size() == 1 && f.first().evidence.contains(QLatin1String("rclone era")),
                 qPrintable(dump(r)));

        // The start script outranks the layout: one that restores by .last-sync is the rsync era.
        fx.writeScript(kFixedScript + "if [ -f \"$BACKUP_DIR/.last-sync\" ]; then echo restore; fi\n");
        const AuditReport r2 = fx.audit();
        QVERIFY2(findings(r2, QStringLiteral("freshness"), Severity::Failure, QStringLiteral("production"))
                         .size() == 1,
                 qPrintable(dump(r2)));
    }

    void extraCheckIsRegisteredAndMustReport()
    {
        struct Silent : AuditCheck
        {
            QString name() const override { return QStringLiteral("live"); }
            void run(const AuditContext &ctx, FindingSink &sink) override
            {
                if (ctx.environments.size() == 3 && speak)
                    sink.add(
                        Finding{.check = name(), .severity = Severity::Ok, .title = QStringLiteral("alive")});
            }
            bool speak = false;
        };
        Fixture fx;
        fx.audit(); // writes the files
        auto ws = Workspace::open(fx.profilePath());
        QVERIFY(ws);
        const CredentialResolver resolver(fx.profilePath(), nullptr, false);
        const StorageFactory factory(ws.value());
        AuditOptions opts;
        opts.mountInfoPath = fx.mountInfoPath();
        auto check = std::make_shared<Silent>();
        IsolationAudit audit(ws.value(), resolver, factory, opts);
        audit.addCheck(check);
        AuditReport r = audit.run();
        QVERIFY(r.checks.contains(QLatin1String("live")));
        QCOMPARE(stateOf(r, QStringLiteral("live")), QStringLiteral("not-checked")); // silent: not a pass
        QCOMPARE(r.verdict(), Verdict::Unverified);
        check->speak = true;
        r = audit.run();
        QCOMPARE(stateOf(r, QStringLiteral("live")), QStringLiteral("passed"));
        QVERIFY2(r.verdict() == Verdict::Holds, qPrintable(dump(r)));
    }

    void productionWithoutEnvironmentVarFails()
    {
        Fixture fx;
        fx.wrangler.replace("      \"vars\": { \"ENVIRONMENT\": \"production\" },\n", "");
        const AuditReport r = fx.audit();
        const auto naming =
            findings(r, QStringLiteral("naming"), Severity::Failure, QStringLiteral("production"));
        QVERIFY2(naming.size() == 1, qPrintable(dump(r)));
        QCOMPARE(naming.first().file, fx.wranglerPath());
        QCOMPARE(naming.first().line, lineOf(fx.wrangler, "\"production\": {"));
        QVERIFY(naming.first().title.contains(QLatin1String("legacy bucket moltbot-data")));
        QVERIFY(
            naming.first().evidence.contains(QStringLiteral("wrangler.jsonc:%1").arg(naming.first().line)));
        // The worker now mounts the legacy path, so sync's writes and the container disagree too.
        const PathRow *prod = pathRow(r, QStringLiteral("production"));
        QCOMPARE(prod->mountPath, QStringLiteral("/data/moltbot"));
        QVERIFY(!prod->agree);
        QVERIFY(
            !findings(r, QStringLiteral("paths"), Severity::Failure, QStringLiteral("production")).isEmpty());
        QCOMPARE(r.overall(), Severity::Failure);
        // Development is untouched.
        QVERIFY(
            findings(r, QStringLiteral("paths"), Severity::Failure, QStringLiteral("development")).isEmpty());
    }

    void wranglerNamingProblems()
    {
        Fixture fx;
        fx.wrangler.replace("\"name\": \"moltbot-development\"", "\"name\": \"moltbot-production\"");
        fx.wrangler.replace("\"bucket_name\": \"moltbot-data-development\"",
                            "\"bucket_name\": \"moltbot-data-production\"");
        const AuditReport r = fx.audit();
        const auto naming = findings(r, QStringLiteral("naming"), Severity::Failure);
        QVERIFY2(naming.size() == 2, qPrintable(dump(r)));
        bool worker = false, binding = false;
        for (const Finding &f : naming) {
            worker = worker || f.title.contains(QLatin1String("worker name moltbot-production"));
            if (f.title.contains(QLatin1String("binds bucket moltbot-data-production"))) {
                binding = true;
                // development's binding comes first in the file
                QCOMPARE(f.line, lineOf(fx.wrangler, "\"bucket_name\": \"moltbot-data-production\""));
                QCOMPARE(f.environment, QStringLiteral("development"));
            }
        }
        QVERIFY(worker);
        QVERIFY(binding);
        QVERIFY(findings(r, QStringLiteral("naming"), Severity::Ok).isEmpty());
    }

    void environmentVarOfAnotherEnvFails()
    {
        Fixture fx;
        fx.wrangler.replace("\"ENVIRONMENT\": \"development\"", "\"ENVIRONMENT\": \"production\"");
        const AuditReport r = fx.audit();
        bool crossWired = false, shared = false;
        for (const Finding &f : findings(r, QStringLiteral("naming"), Severity::Failure)) {
            crossWired =
                crossWired || f.title == QLatin1String("env.development deploys with ENVIRONMENT=production");
            shared = shared || f.title.contains(QLatin1String("all deploy with ENVIRONMENT=production"));
        }
        QVERIFY2(crossWired && shared, qPrintable(dump(r)));
    }

    void readPathDiffersFails()
    {
        Fixture fx;
        fx.writeScript(kHardCodedScript);
        const AuditReport r = fx.audit();
        for (const QString &env : {QStringLiteral("development"), QStringLiteral("production")}) {
            const auto f = findings(r, QStringLiteral("paths"), Severity::Failure, env);
            QVERIFY2(f.size() == 1, qPrintable(dump(r)));
            QCOMPARE(f.first().file, fx.scriptPath());
            QCOMPARE(f.first().line, 3);
            QVERIFY(f.first().title.contains(QLatin1String("data written by sync would be lost at restart")));
            QVERIFY(f.first().evidence.contains(QLatin1String("start-moltbot.sh:3")));
            QCOMPARE(pathRow(r, env)->readPath, QStringLiteral("/data/moltbot"));
            QVERIFY(!pathRow(r, env)->agree);
        }
        // Without ENVIRONMENT the hard-coded path is right.
        QVERIFY(
            findings(r, QStringLiteral("paths"), Severity::Failure, QStringLiteral("(legacy)")).isEmpty());
        QVERIFY(pathRow(r, QStringLiteral("(legacy)"))->agree);
    }

    void unevaluableScriptIsNotChecked()
    {
        Fixture fx;
        fx.writeScript("#!/bin/sh\nBACKUP_DIR=\"$R2_MOUNT/moltbot-$ENVIRONMENT\"\n");
        const AuditReport r = fx.audit();
        QCOMPARE(r.verdict(), Verdict::Unverified);
        const auto f =
            findings(r, QStringLiteral("paths"), Severity::NotChecked, QStringLiteral("development"));
        QVERIFY2(f.size() == 1, qPrintable(dump(r)));
        QCOMPARE(f.first().line, 2);
        QVERIFY(f.first().evidence.contains(QLatin1String("$R2_MOUNT")));
        QVERIFY(!pathRow(r, QStringLiteral("development"))->readPathKnown);
        QVERIFY(findings(r, QStringLiteral("paths"), Severity::Failure).isEmpty());
    }

    void withoutScriptReadPathIsNotChecked()
    {
        Fixture fx;
        fx.withScript = false;
        fx.writeScript(kHardCodedScript); // present on disk but not in the profile: not read
        const AuditReport r = fx.audit();
        QVERIFY2(r.verdict() == Verdict::Unverified, qPrintable(dump(r)));
        QVERIFY(findings(r, QStringLiteral("paths"), Severity::Failure).isEmpty());
        const PathRow *dev = pathRow(r, QStringLiteral("development"));
        QVERIFY(!dev->readPathKnown);
        QVERIFY(!dev->agree);
        const auto f =
            findings(r, QStringLiteral("paths"), Severity::NotChecked, QStringLiteral("development"));
        QVERIFY2(f.size() == 1 && f.first().remedy.contains(QLatin1String("startScript")),
                 qPrintable(dump(r)));
    }

    void mountStates()
    {
        Fixture fx;
        QVERIFY(QDir(fx.bucketDir(QString())).removeRecursively());
        const AuditReport r = fx.audit({}, {QStringLiteral("development"), QStringLiteral("legacy")});
        const auto dev =
            findings(r, QStringLiteral("paths"), Severity::Warning, QStringLiteral("development"));
        QVERIFY2(dev.size() == 1 && dev.first().title.contains(QLatin1String("plain directory")),
                 qPrintable(dump(r)));
        QCOMPARE(pathRow(r, QStringLiteral("development"))->mountedBy, QStringLiteral("plain directory"));
        QCOMPARE(pathRow(r, QStringLiteral("(legacy)"))->mountedBy, QStringLiteral("missing"));
        QCOMPARE(pathRow(r, QStringLiteral("production"))->mountedBy, QStringLiteral("fuse.s3fs"));
        QVERIFY(!findings(r, QStringLiteral("access"), Severity::NotChecked, QStringLiteral("(legacy)"))
                     .isEmpty());
        // The legacy bucket is missing: every check that reads it says so, and nothing holds.
        for (const char *check : {"marker", "leak", "freshness", "leftover"})
            QVERIFY2(
                !findings(r, QString::fromLatin1(check), Severity::NotChecked, QStringLiteral("(legacy)"))
                     .isEmpty(),
                check);
        QCOMPARE(r.verdict(), Verdict::Unverified);
    }

    void rcloneMountOfWrongBucketFails()
    {
        Fixture fx;
        fx.audit(); // writes the default mountinfo; replaced below
        QByteArray mi = "22 1 8:1 / / rw - ext4 /dev/sda1 rw\n40 22 0:50 / " +
                        mountInfoEscape(fx.bucketDir(QStringLiteral("development"))) +
                        " rw - fuse.rclone r2:moltbot-data-production rw\n";
        writeFile(fx.tmp.filePath(QStringLiteral("other-mountinfo")), mi);
        AuditOptions o;
        o.mountInfoPath = fx.tmp.filePath(QStringLiteral("other-mountinfo"));
        const AuditReport r = fx.audit(o);
        const auto f = findings(r, QStringLiteral("paths"), Severity::Failure, QStringLiteral("development"));
        QVERIFY2(f.size() == 1 &&
                     f.first().title.contains(QLatin1String("mount of bucket moltbot-data-production")),
                 qPrintable(dump(r)));
    }

    void foreignMarkerFails()
    {
        Fixture fx;
        fx.stamp(QStringLiteral("production"), QStringLiteral("development"));
        const AuditReport r = fx.audit();
        const auto f = findings(r, QStringLiteral("marker"), Severity::Failure, QStringLiteral("production"));
        QVERIFY2(f.size() == 1, qPrintable(dump(r)));
        QVERIFY(f.first().title.contains(QLatin1String("carries the marker of development")));
        QVERIFY(
            !findings(r, QStringLiteral("marker"), Severity::Ok, QStringLiteral("development")).isEmpty());
    }

    void missingMarkerWarnsWithStampCommand()
    {
        Fixture fx;
        QVERIFY(QFile::remove(fx.bucketDir(QStringLiteral("development")) +
                              QStringLiteral("/.moltdesk-environment")));
        QVERIFY(QFile::remove(fx.bucketDir(QString()) + QStringLiteral("/.moltdesk-environment")));
        const AuditReport r = fx.audit();
        const auto dev =
            findings(r, QStringLiteral("marker"), Severity::Warning, QStringLiteral("development"));
        QVERIFY2(dev.size() == 1, qPrintable(dump(r)));
        QCOMPARE(dev.first().fixCommand, QStringLiteral("moltctl stamp development"));
        QCOMPARE(findings(r, QStringLiteral("marker"), Severity::Warning, QStringLiteral("(legacy)"))
                     .first()
                     .fixCommand,
                 QStringLiteral("moltctl stamp legacy"));
        QCOMPARE(r.overall(), Severity::Warning);
    }

    void stampMarkerWritesAndRefuses()
    {
        Fixture fx;
        const EnvironmentNames dev = BucketNaming().resolve(QStringLiteral("development")).value();
        const EnvironmentNames prod = BucketNaming().resolve(QStringLiteral("production")).value();
        const QString markerFile =
            fx.bucketDir(QStringLiteral("development")) + QStringLiteral("/.moltdesk-environment");
        QVERIFY(QFile::remove(markerFile));
        MountBackend devBucket(dev.bucket, fx.bucketDir(QStringLiteral("development")));
        QVERIFY(stampMarker(devBucket, dev).ok());
        QFile f(markerFile);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const auto m = IdentityMarker::parse(f.readAll());
        QVERIFY(m.ok());
        QCOMPARE(m.value().environment, QStringLiteral("development"));
        QCOMPARE(m.value().bucket, dev.bucket);
        QVERIFY(stampMarker(devBucket, dev).ok()); // idempotent

        // A bucket that is not the environment's.
        const Status wrongBucket = stampMarker(devBucket, prod, {.confirmation = prod.environment});
        QVERIFY(!wrongBucket.ok());
        QCOMPARE(wrongBucket.error().kind, ErrorKind::Refused);

        // A foreign marker stays.
        fx.stamp(QStringLiteral("production"), QStringLiteral("development"));
        MountBackend prodBucket(prod.bucket, fx.bucketDir(QStringLiteral("production")));
        const Status foreign = stampMarker(prodBucket, prod, {.confirmation = prod.environment});
        QVERIFY(!foreign.ok());
        QCOMPARE(foreign.error().kind, ErrorKind::Refused);
        QFile pf(fx.bucketDir(QStringLiteral("production")) + QStringLiteral("/.moltdesk-environment"));
        QVERIFY(pf.open(QIODevice::ReadOnly));
        QCOMPARE(IdentityMarker::parse(pf.readAll()).value().environment, QStringLiteral("development"));

        // An unreadable one too.
        writeFile(markerFile, "not json");
        QCOMPARE(stampMarker(devBucket, dev).error().kind, ErrorKind::Refused);
    }

    void copiedPairedDevicesLeak()
    {
        Fixture fx;
        QVERIFY(QFile::remove(fx.bucketDir(QStringLiteral("development")) +
                              QStringLiteral("/clawdbot/devices/paired.json")));
        QVERIFY(QFile::copy(
            fx.bucketDir(QStringLiteral("production")) + QStringLiteral("/clawdbot/devices/paired.json"),
            fx.bucketDir(QStringLiteral("development")) + QStringLiteral("/clawdbot/devices/paired.json")));
        const AuditReport r = fx.audit();
        const auto f = findings(r, QStringLiteral("leak"), Severity::Failure);
        QVERIFY2(f.size() == 1, qPrintable(dump(r)));
        QVERIFY(f.first().evidence.contains(QLatin1String("clawdbot/devices/paired.json in development")));
        QVERIFY(f.first().remedy.contains(QLatin1String("moltbot-data-development")));
        QVERIFY(findings(r, QStringLiteral("leak"), Severity::Ok).isEmpty());
    }

    void leakWithoutProductionWarns()
    {
        Fixture fx;
        // The same credentials file, under another key, in development and the legacy bucket.
        writeFile(fx.bucketDir(QStringLiteral("development")) +
                      QStringLiteral("/openclaw/credentials/whatsapp.json"),
                  "{\"session\":\"abcdef0123456789\"}");
        writeFile(fx.bucketDir(QString()) + QStringLiteral("/credentials/whatsapp.json"),
                  "{\"session\":\"abcdef0123456789\"}");
        // Same size, different content: not a leak.
        writeFile(fx.bucketDir(QStringLiteral("production")) +
                      QStringLiteral("/openclaw/credentials/whatsapp.json"),
                  "{\"session\":\"zzzzzz0123456789\"}");
        const AuditReport r = fx.audit();
        const auto f = findings(r, QStringLiteral("leak"), Severity::Warning);
        QVERIFY2(f.size() == 1, qPrintable(dump(r)));
        QVERIFY(f.first().title.contains(QLatin1String("development and (legacy)")));
        QVERIFY(findings(r, QStringLiteral("leak"), Severity::Failure).isEmpty());
    }

    void staleLastSyncWarns()
    {
        Fixture fx;
        writeFile(fx.bucketDir(QStringLiteral("production")) + QStringLiteral("/.last-sync"),
                  LastSync::format(QDateTime::currentDateTimeUtc().addDays(-3)) + '\n');
        // An old legacy .last-sync is expected once environments have their own buckets.
        writeFile(fx.bucketDir(QString()) + QStringLiteral("/.last-sync"),
                  LastSync::format(QDateTime::currentDateTimeUtc().addDays(-300)) + '\n');
        const AuditReport r = fx.audit();
        QVERIFY(findings(r, QStringLiteral("freshness"), Severity::Warning, QStringLiteral("(legacy)"))
                    .isEmpty());
        QVERIFY(
            !findings(r, QStringLiteral("freshness"), Severity::Ok, QStringLiteral("(legacy)")).isEmpty());
        const auto f =
            findings(r, QStringLiteral("freshness"), Severity::Warning, QStringLiteral("production"));
        QVERIFY2(f.size() == 1, qPrintable(dump(r)));
        QCOMPARE(f.first().fixCommand, QStringLiteral("moltctl sync production"));
        QVERIFY(
            !findings(r, QStringLiteral("freshness"), Severity::Ok, QStringLiteral("development")).isEmpty());

        // The option overrides the profile's age.
        AuditOptions lenient;
        lenient.staleAfterHours = 24 * 7;
        const AuditReport r2 = fx.audit(lenient);
        QVERIFY2(findings(r2, QStringLiteral("freshness"), Severity::Warning).isEmpty(),
                 qPrintable(dump(r2)));
    }

    void unmigratedLegacyDataWarns()
    {
        Fixture fx;
        const QString legacy = fx.bucketDir(QString());
        writeFile(legacy + QStringLiteral("/clawdbot/clawdbot.json"),
                  "{\"gateway\":{\"token\":\"old-secret\"}}\n");
        writeFile(legacy + QStringLiteral("/skills/old/SKILL.md"), "# old skill\n");
        const AuditReport r = fx.audit();
        const auto f = findings(r, QStringLiteral("leftover"), Severity::Warning, QStringLiteral("(legacy)"));
        QVERIFY2(f.size() == 1, qPrintable(dump(r)));
        QVERIFY(f.first().title.contains(QLatin1String("2 objects never migrated")));
        QCOMPARE(f.first().fixCommand, QStringLiteral("moltctl migrate production"));
    }

    void migratedLegacyDataIsOkUntilItChanges()
    {
        Fixture fx;
        const QString legacy = fx.bucketDir(QString());
        migrateLegacyByHand(fx, {{QStringLiteral("environment"), QStringLiteral("production")}});
        const AuditReport r = fx.audit();
        QVERIFY2(r.overall() == Severity::Ok, qPrintable(dump(r)));
        QCOMPARE(findings(r, QStringLiteral("leftover"), Severity::Ok).first().title,
                 QStringLiteral("all legacy data was migrated"));

        // Same size, other content: changed since the migration.
        writeFile(legacy + QStringLiteral("/skills/old/SKILL.md"), "# new skill\n");
        const AuditReport r2 = fx.audit();
        const auto f = findings(r2, QStringLiteral("leftover"), Severity::Warning);
        QVERIFY2(f.size() == 1 && f.first().title.contains(QLatin1String("changed since")),
                 qPrintable(dump(r2)));
    }

    void migratedObjectsDeletedLaterAreNotMigrated()
    {
        Fixture fx;
        const QDateTime migratedAt = QDateTime::currentDateTimeUtc().addSecs(-3600);
        migrateLegacyByHand(fx, {{QStringLiteral("migratedAt"), migratedAt.toString(Qt::ISODate)}});
        const QString prod = fx.bucketDir(QStringLiteral("production"));
        QCOMPARE(findings(fx.audit(), QStringLiteral("leftover"), Severity::Ok).first().title,
                 QStringLiteral("all legacy data was migrated"));

        // A sync whose local side lacks the migrated skill deletes it; the activity log recorded it.
        QVERIFY(QFile::remove(prod + QStringLiteral("/skills/old/SKILL.md")));
        fx.activityLog = fx.tmp.filePath(QStringLiteral("activity.jsonl"));
        ActivityLog log(fx.activityLog);
        const QDateTime syncedAt = migratedAt.addSecs(600);
        ActivityEntry entry;
        entry.time = migratedAt.addSecs(-60);
        entry.environment = QStringLiteral("production");
        entry.action = QStringLiteral("sync");
        entry.outcome = QStringLiteral("succeeded");
        entry.resultSummary = QStringLiteral("succeeded: deleted 9");
        QVERIFY(log.append(entry));
        entry.time = syncedAt;
        entry.environment = QStringLiteral("production");
        entry.action = QStringLiteral("sync");
        entry.outcome = QStringLiteral("succeeded");
        entry.resultSummary = QStringLiteral("succeeded: deleted 1, kept 7");
        QVERIFY(log.append(entry));
        const AuditReport r = fx.audit();
        for (const Finding &f : r.findings)
            QVERIFY2(f.title != QLatin1String("all legacy data was migrated"), qPrintable(dump(r)));
        const auto gone =
            findings(r, QStringLiteral("leftover"), Severity::Warning, QStringLiteral("production"));
        QVERIFY2(gone.size() == 1, qPrintable(dump(r)));
        QVERIFY(gone.first().title.startsWith(
            QLatin1String("1 of 2 objects migrated into moltbot-data-production")));
        QVERIFY2(gone.first().title.contains(syncedAt.toString(Qt::ISODate)), qPrintable(gone.first().title));
        QVERIFY(gone.first().evidence.contains(QLatin1String("skills/old/SKILL.md")));
        QCOMPARE(gone.first().fixCommand, QStringLiteral("moltctl migrate production"));

        // Without the log it still says how many, and that it does not know which sync.
        fx.activityLog.clear();
        QFile::remove(fx.tmp.filePath(QStringLiteral("activity.jsonl")));
        const auto gone2 =
            findings(fx.audit(), QStringLiteral("leftover"), Severity::Warning, QStringLiteral("production"));
        QVERIFY(gone2.size() == 1 && gone2.first().evidence.contains(QLatin1String("names no sync")));
    }

    void cancelledAuditIsNotClean()
    {
        Fixture fx;
        CancelToken cancel;
        cancel.cancel();
        const AuditReport r = fx.audit({}, {}, cancel);
        QVERIFY(!r.complete);
        QVERIFY(r.overall() != Severity::Ok);
        QCOMPARE(r.toJson().value(QLatin1String("complete")).toBool(), false);
    }

    void jsonAndText()
    {
        Fixture fx;
        fx.writeScript(kHardCodedScript);
        const AuditReport r = fx.audit();
        const QJsonObject j = r.toJson();
        QCOMPARE(j.value(QLatin1String("format")).toString(), QStringLiteral("moltdesk-audit"));
        QCOMPARE(j.value(QLatin1String("version")).toInt(), 1);
        QCOMPARE(j.value(QLatin1String("overall")).toString(), QStringLiteral("failure"));
        QCOMPARE(j.value(QLatin1String("storage")).toString(), QStringLiteral("mount"));
        QCOMPARE(j.value(QLatin1String("counts")).toObject().value(QLatin1String("failure")).toInt(),
                 r.count(Severity::Failure));
        QCOMPARE(j.value(QLatin1String("paths")).toArray().size(), 3);
        QCOMPARE(j.value(QLatin1String("matrix")).toArray().size(), 0);
        bool sawLine = false;
        for (const QJsonValue &v : j.value(QLatin1String("findings")).toArray()) {
            const QJsonObject f = v.toObject();
            QVERIFY(f.contains(QLatin1String("check")) && f.contains(QLatin1String("severity")) &&
                    f.contains(QLatin1String("evidence")) && f.contains(QLatin1String("remedy")));
            if (f.value(QLatin1String("severity")).toString() == QLatin1String("failure")) {
                QVERIFY(!f.value(QLatin1String("remedy")).toString().isEmpty());
                sawLine = sawLine || f.value(QLatin1String("line")).toInt() == 3;
            }
        }
        QVERIFY(sawLine);

        const QString text = renderAuditText(r);
        QVERIFY(text.contains(QStringLiteral("Overall: ✘ FAILURE")));
        QVERIFY(text.contains(QLatin1String("does not apply: mount mode uses no credentials")));
        QVERIFY(text.contains(QStringLiteral("✘ disagree")));
        QVERIFY(text.indexOf(QLatin1String("Failures (")) < text.indexOf(QLatin1String("OK (")));
        QVERIFY(text.contains(QStringLiteral("at:   %1:3").arg(fx.scriptPath())));
    }

    void matrixRendering()
    {
        AuditReport r;
        r.storageMode = QStringLiteral("s3");
        r.environments = {QStringLiteral("development"), QStringLiteral("production")};
        const auto cell = [](const char *cred, const char *of, AccessCell::Access a, bool list) {
            AccessCell c;
            c.credentialsOf = QString::fromLatin1(cred);
            c.bucketOf = QString::fromLatin1(of);
            c.bucket = QStringLiteral("moltbot-data-") + c.bucketOf;
            c.access = a;
            c.canList = list;
            c.expected = c.credentialsOf == c.bucketOf;
            return c;
        };
        r.matrix = {cell("development", "development", AccessCell::Access::Allowed, true),
                    cell("development", "production", AccessCell::Access::Allowed, true),
                    cell("production", "development", AccessCell::Access::Denied, false),
                    cell("production", "production", AccessCell::Access::NotTested, false)};
        const QString text = renderAuditText(r);
        const QStringList lines = text.split(QLatin1Char('\n'));
        QString devRow, prodRow;
        for (const QString &l : lines) {
            if (l.startsWith(QLatin1String("  development ")))
                devRow = l;
            if (l.startsWith(QLatin1String("  production ")))
                prodRow = l;
        }
        QVERIFY2(devRow.contains(QStringLiteral("✔ own")) && devRow.contains(QStringLiteral("▲ REACHES")),
                 qPrintable(text));
        QVERIFY2(devRow.indexOf(QStringLiteral("✔ own")) < devRow.indexOf(QStringLiteral("▲ REACHES")),
                 qPrintable(text));
        QVERIFY2(prodRow.contains(QStringLiteral("✘ denied")) &&
                     prodRow.contains(QStringLiteral("– not tested")),
                 qPrintable(text));
        QVERIFY(text.contains(QLatin1String("production (moltbot-data-production)")));
    }
};

QTEST_GUILESS_MAIN(TestAudit)
#include "tst_audit.moc"

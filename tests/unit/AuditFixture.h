// The isolation audit's test fixture, shared by tst_audit and the per-check tests (tests/unit/checks/):
// a deployment in mount mode built in a temporary directory, and the scenarios that break one thing.
#pragma once

#include "ActivityLog.h"
#include "AuditCheck.h"
#include "AuditFindings.h"
#include "AuditText.h"
#include "IdentityMarker.h"
#include "IsolationAudit.h"
#include "LastSync.h"
#include "MountBackend.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

namespace moltdesk::test {

using namespace moltdesk;

inline void writeFile(const QString &path, const QByteArray &data)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY2(f.open(QIODevice::WriteOnly | QIODevice::Truncate), qPrintable(path));
    f.write(data);
}

inline int lineOf(const QByteArray &text, const QByteArray &needle)
{
    const qsizetype at = text.indexOf(needle);
    return at < 0 ? 0 : int(text.left(at).count('\n')) + 1;
}

inline QByteArray mountInfoEscape(const QString &path)
{
    QByteArray out;
    for (char c : path.toUtf8()) {
        if (c == ' ')
            out += "\\040";
        else if (c == '\\')
            out += "\\134";
        else
            out += c;
    }
    return out;
}

inline const QByteArray kFixedScript = R"SH(#!/bin/bash
CONFIG_DIR="/root/.clawdbot"
if [ -n "$ENVIRONMENT" ]; then
    BACKUP_DIR="/data/moltbot-$ENVIRONMENT"
else
    BACKUP_DIR="/data/moltbot"
fi
echo "Backup directory: $BACKUP_DIR"
)SH";

inline const QByteArray kHardCodedScript = R"SH(#!/bin/bash
CONFIG_DIR="/root/.clawdbot"
BACKUP_DIR="/data/moltbot"
echo "Backup directory: $BACKUP_DIR"
)SH";

// A deployment in mount mode: profile, wrangler.jsonc, start script, a storage root (with a space in
// its path, so mountinfo escapes are exercised) holding the three buckets, and a mountinfo file in
// which each is an s3fs mount. Tests break one thing and look for exactly that finding.
struct Fixture
{
    QTemporaryDir tmp;
    QString root;
    QByteArray wrangler;
    bool withScript = true;
    bool withWrangler = true;
    QJsonArray syncSets; // empty: the profile's default
    QString activityLog; // passed to the audit when set

    Fixture()
    {
        root = tmp.filePath(QStringLiteral("storage root"));
        wrangler = R"({
  // the worker
  "name": "moltbot",
  "main": "src/index.ts",
  "r2_buckets": [{ "binding": "MOLTBOT_BUCKET", "bucket_name": "moltbot-data" }],
  "env": {
    "development": {
      "name": "moltbot-development",
      "vars": { "ENVIRONMENT": "development" },
      "r2_buckets": [{ "binding": "MOLTBOT_BUCKET", "bucket_name": "moltbot-data-development" }]
    },
    "production": {
      "name": "moltbot-production",
      "vars": { "ENVIRONMENT": "production" },
      "r2_buckets": [{ "binding": "MOLTBOT_BUCKET", "bucket_name": "moltbot-data-production" }]
    }
  }
}
)";
        const QDateTime recent = QDateTime::currentDateTimeUtc().addSecs(-600);
        for (const char *e : {"development", "production"}) {
            const QString env = QString::fromLatin1(e);
            const QString dir = bucketDir(env);
            writeFile(dir + QStringLiteral("/clawdbot/clawdbot.json"),
                      "{\"gateway\":{\"token\":\"" + QByteArray(e) + "-secret\"}}\n");
            writeFile(dir + QStringLiteral("/clawdbot/devices/paired.json"),
                      "{\"devices\":[{\"id\":\"" + QByteArray(e) + "-phone\"}]}\n");
            writeFile(dir + QStringLiteral("/skills/hello/SKILL.md"), "# hello\n");
            writeFile(dir + QStringLiteral("/.last-sync"), LastSync::format(recent) + '\n');
            stamp(env, env);
        }
        QDir().mkpath(bucketDir(QString()));
        stamp(QString(), QString());
        writeScript(kFixedScript);
    }

    QString bucketName(const QString &env) const
    {
        return env.isEmpty() ? QStringLiteral("moltbot-data") : QStringLiteral("moltbot-data-") + env;
    }
    QString bucketDir(const QString &env) const
    {
        return root +
               (env.isEmpty() ? QStringLiteral("/data/moltbot") : QStringLiteral("/data/moltbot-") + env);
    }
    QString profilePath() const { return tmp.filePath(QStringLiteral("profile.json")); }
    QString wranglerPath() const { return tmp.filePath(QStringLiteral("wrangler.jsonc")); }
    QString scriptPath() const { return tmp.filePath(QStringLiteral("start-moltbot.sh")); }
    QString mountInfoPath() const { return tmp.filePath(QStringLiteral("mountinfo")); }

    void stamp(const QString &bucketOf, const QString &markerEnv)
    {
        IdentityMarker m;
        m.environment = markerEnv;
        m.bucket = bucketName(markerEnv);
        m.written = QDateTime::currentDateTimeUtc();
        writeFile(bucketDir(bucketOf) + QStringLiteral("/.moltdesk-environment"), m.toJson());
    }
    void writeScript(const QByteArray &text) { writeFile(scriptPath(), text); }

    void writeMountInfo(const QStringList &skip = {})
    {
        QByteArray text = "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n";
        int id = 40;
        for (const QString &env : {QStringLiteral("development"), QStringLiteral("production"), QString()}) {
            if (skip.contains(env.isEmpty() ? QStringLiteral("legacy") : env))
                continue;
            ++id;
            text += QByteArray::number(id) + " 22 0:" + QByteArray::number(id + 10) + " / " +
                    mountInfoEscape(bucketDir(env)) +
                    " rw,nosuid,nodev,relatime shared:2 - fuse.s3fs s3fs rw,user_id=0\n";
        }
        writeFile(mountInfoPath(), text);
    }

    AuditReport audit(AuditOptions options = {}, const QStringList &unmounted = {},
                      const CancelToken &cancel = {})
    {
        QJsonObject profile{{QStringLiteral("environments"),
                             QJsonArray{QStringLiteral("development"), QStringLiteral("production")}},
                            {QStringLiteral("includeLegacy"), true},
                            {QStringLiteral("storage"),
                             QJsonObject{{QStringLiteral("type"), QStringLiteral("mount")},
                                         {QStringLiteral("root"), QStringLiteral("storage root")}}},
                            {QStringLiteral("staleAfterHours"), 24}};
        if (withScript)
            profile.insert(QStringLiteral("startScript"), QStringLiteral("start-moltbot.sh"));
        if (withWrangler)
            profile.insert(QStringLiteral("wrangler"), QStringLiteral("wrangler.jsonc"));
        if (!syncSets.isEmpty())
            profile.insert(QStringLiteral("syncSets"), syncSets);
        if (options.activityLogPath.isEmpty())
            options.activityLogPath = activityLog;
        writeFile(profilePath(), QJsonDocument(profile).toJson());
        writeFile(wranglerPath(), wrangler);
        writeMountInfo(unmounted);
        auto ws = Workspace::open(profilePath());
        if (!ws) {
            qWarning() << ws.error().message;
            return {};
        }
        const CredentialResolver resolver(profilePath(), nullptr, false);
        const StorageFactory factory(ws.value());
        if (options.mountInfoPath == QLatin1String("/proc/self/mountinfo"))
            options.mountInfoPath = mountInfoPath();
        return IsolationAudit(ws.value(), resolver, factory, options).run(cancel);
    }
};

inline QString stateOf(const AuditReport &r, const QString &check)
{
    for (const CheckStatus &st : r.checkStatuses()) {
        if (st.check == check)
            return st.state();
    }
    return QStringLiteral("absent");
}

// The fixture's bucket of env (empty: legacy) removed and not mounted: nothing can read it.
inline void removeBucket(Fixture &fx, const QString &env, QStringList &unmounted)
{
    QVERIFY(QDir(fx.bucketDir(env)).removeRecursively());
    unmounted << (env.isEmpty() ? QStringLiteral("legacy") : env);
}

// Ways to break (or not) the fixture, one per row of checkStates.
enum class Scenario {
    Clean,
    NoWrangler,
    ProductionWithoutEnvironmentVar,
    HardCodedScript,
    UnevaluableScript,
    ProductionBucketMissing,
    LegacyBucketMissing,
    ForeignMarker,
    CopiedDevices,
    LegacyLeftover,
    RsyncEraWithoutLastSync,
    UnknownEraWithoutLastSync,
};

inline QStringList applyScenario(Fixture &fx, Scenario s)
{
    QStringList unmounted;
    const QString prod = QStringLiteral("production");
    switch (s) {
    case Scenario::Clean:
        break;
    case Scenario::NoWrangler:
        fx.withWrangler = false;
        break;
    case Scenario::ProductionWithoutEnvironmentVar:
        fx.wrangler.replace("      \"vars\": { \"ENVIRONMENT\": \"production\" },\n", "");
        break;
    case Scenario::HardCodedScript:
        fx.writeScript(kHardCodedScript);
        break;
    case Scenario::UnevaluableScript:
        fx.writeScript("#!/bin/sh\nBACKUP_DIR=\"$R2_MOUNT/moltbot-$ENVIRONMENT\"\n");
        break;
    case Scenario::ProductionBucketMissing:
        removeBucket(fx, prod, unmounted);
        break;
    case Scenario::LegacyBucketMissing:
        removeBucket(fx, QString(), unmounted);
        break;
    case Scenario::ForeignMarker:
        fx.stamp(prod, QStringLiteral("development"));
        break;
    case Scenario::CopiedDevices:
        QFile::remove(fx.bucketDir(QStringLiteral("development")) +
                      QStringLiteral("/clawdbot/devices/paired.json"));
        QFile::copy(fx.bucketDir(prod) + QStringLiteral("/clawdbot/devices/paired.json"),
                    fx.bucketDir(QStringLiteral("development")) +
                        QStringLiteral("/clawdbot/devices/paired.json"));
        break;
    case Scenario::LegacyLeftover:
        writeFile(fx.bucketDir(QString()) + QStringLiteral("/skills/old/SKILL.md"), "# old skill\n");
        break;
    case Scenario::RsyncEraWithoutLastSync:
        QFile::remove(fx.bucketDir(prod) + QStringLiteral("/.last-sync"));
        break;
    case Scenario::UnknownEraWithoutLastSync:
        // Neither the script, the layout nor the profile says which container restores this bucket.
        QDir(fx.bucketDir(prod) + QStringLiteral("/clawdbot")).removeRecursively();
        QDir(fx.bucketDir(prod) + QStringLiteral("/skills")).removeRecursively();
        QFile::remove(fx.bucketDir(prod) + QStringLiteral("/.last-sync"));
        writeFile(fx.bucketDir(prod) + QStringLiteral("/workspace/notes.md"), "notes\n");
        fx.syncSets = QJsonArray{QJsonObject{{QStringLiteral("local"), fx.tmp.filePath(QStringLiteral("ws"))},
                                             {QStringLiteral("prefix"), QStringLiteral("workspace/")}}};
        break;
    }
    return unmounted;
}

inline const PathRow *pathRow(const AuditReport &r, const QString &env)
{
    for (const PathRow &p : r.paths) {
        if (p.environment == env)
            return &p;
    }
    return nullptr;
}

// Every check, in one case each where it passes, fails (or warns, for checks that only warn) and
// cannot run; a check that cannot run makes the verdict unverified, never holds.
// Rows of checkStates for one check (empty: every check).
inline void addCheckStateRows(const QString &only = {})
{
    QTest::addColumn<QString>("check");
    QTest::addColumn<int>("scenario");
    QTest::addColumn<QString>("state");
    QTest::addColumn<int>("verdict");
    const auto row = [&only](const char *check, Scenario sc, const char *state, Verdict v) {
        if (!only.isEmpty() && only != QLatin1String(check))
            return;
        QTest::addRow("%s %s (scenario %d)", check, state, int(sc))
            << QString::fromLatin1(check) << int(sc) << QString::fromLatin1(state) << int(v);
    };
    using S = Scenario;
    for (const char *check :
         {"naming", "paths", "access", "marker", "credentials", "leak", "freshness", "leftover"})
        row(check, S::Clean, "passed", Verdict::Holds);
    row("naming", S::ProductionWithoutEnvironmentVar, "failed", Verdict::Broken);
    row("naming", S::NoWrangler, "not-checked", Verdict::Unverified);
    row("paths", S::HardCodedScript, "failed", Verdict::Broken);
    row("paths", S::UnevaluableScript, "not-checked", Verdict::Unverified);
    row("access", S::ProductionBucketMissing, "not-checked", Verdict::Unverified);
    row("marker", S::ForeignMarker, "failed", Verdict::Broken);
    row("marker", S::ProductionBucketMissing, "not-checked", Verdict::Unverified);
    row("leak", S::CopiedDevices, "failed", Verdict::Broken);
    row("leak", S::ProductionBucketMissing, "not-checked", Verdict::Unverified);
    row("freshness", S::RsyncEraWithoutLastSync, "failed", Verdict::Broken);
    row("freshness", S::UnknownEraWithoutLastSync, "not-checked", Verdict::Unverified);
    row("freshness", S::ProductionBucketMissing, "not-checked", Verdict::Unverified);
    row("leftover", S::LegacyLeftover, "warning", Verdict::Holds);
    row("leftover", S::LegacyBucketMissing, "not-checked", Verdict::Unverified);
}

// One row: the scenario applied, the check in the stated state, the verdict and JSON agreeing.
inline void runCheckState()
{
    QFETCH(QString, check);
    QFETCH(int, scenario);
    QFETCH(QString, state);
    QFETCH(int, verdict);
    Fixture fx;
    const QStringList unmounted = applyScenario(fx, Scenario(scenario));
    const AuditReport r = fx.audit({}, unmounted);
    QVERIFY2(stateOf(r, check) == state, qPrintable(stateOf(r, check) + QLatin1Char('\n') + dump(r)));
    QVERIFY2(int(r.verdict()) == verdict, qPrintable(dump(r)));
    QCOMPARE(r.checks, AuditChecks::builtIn());
    // The JSON says the same, per check.
    const QJsonObject j = r.toJson();
    QCOMPARE(j.value(QLatin1String("verdict")).toString(), verdictName(Verdict(verdict)));
    bool seen = false;
    for (const QJsonValue &v : j.value(QLatin1String("checks")).toArray()) {
        const QJsonObject o = v.toObject();
        if (o.value(QLatin1String("check")).toString() != check)
            continue;
        seen = true;
        QCOMPARE(o.value(QLatin1String("state")).toString(), state);
        QCOMPARE(o.value(QLatin1String("ran")).toBool(), state != QLatin1String("not-checked"));
        if (state == QLatin1String("not-checked")) {
            const QJsonArray why = o.value(QLatin1String("notChecked")).toArray();
            QVERIFY(!why.isEmpty());
            QVERIFY(!why.first().toObject().value(QLatin1String("why")).toString().isEmpty());
            QVERIFY(!why.first().toObject().value(QLatin1String("toRun")).toString().isEmpty());
        }
    }
    QVERIFY(seen);
    // A check that could not run is never listed as ok.
    if (state == QLatin1String("not-checked"))
        QVERIFY(!renderAuditText(r).contains(QLatin1String("HOLDS")));
}

} // namespace moltdesk::test

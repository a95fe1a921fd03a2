#include "DemoWorkspace.h"

#include "IdentityMarker.h"
#include "LastSync.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QStandardPaths>

namespace moltdesk {

namespace {

class Writer
{
public:
    explicit Writer(QString root) : m_root(std::move(root)), m_rng(20260204) {}

    bool file(const QString &rel, const QByteArray &data, const QDateTime &mtime = {})
    {
        const QString path = m_root + QLatin1Char('/') + rel;
        if (!QDir().mkpath(QFileInfo(path).absolutePath()))
            return fail(path);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly) || f.write(data) != data.size())
            return fail(path);
        if (mtime.isValid())
            f.setFileTime(mtime, QFileDevice::FileModificationTime);
        return true;
    }
    QByteArray text(int lines, const char *kind)
    {
        static const char *words[] = {"assistant", "paired",  "device",  "memory",  "note",
                                      "skill",     "session", "reply",   "weather", "calendar",
                                      "reminder",  "summary", "context", "token",   "agent"};
        QByteArray out;
        for (int i = 0; i < lines; ++i) {
            out += "{\"type\":\"";
            out += kind;
            out += "\",\"text\":\"";
            for (int w = 0; w < 8; ++w) {
                out += words[m_rng.bounded(int(std::size(words)))];
                out += ' ';
            }
            out += "\"}\n";
        }
        return out;
    }
    bool ok() const { return m_error.isEmpty(); }
    QString error() const { return m_error; }

private:
    bool fail(const QString &path)
    {
        if (m_error.isEmpty())
            m_error = QStringLiteral("cannot write %1").arg(path);
        return false;
    }
    QString m_root;
    QRandomGenerator m_rng;
    QString m_error;
};

// The state an operator would recognise: a real clawdbot tree with config, paired devices,
// sessions and skills.
void writeBackup(Writer &w, const QString &base, int sessions, const QByteArray &configTag,
                 bool withWorkspace)
{
    w.file(base + QStringLiteral("clawdbot/clawdbot.json"),
           "{\n  \"agent\": { \"model\": \"claude\", \"name\": \"Moltbot\" },\n  \"deployment\": \"" +
               configTag + "\"\n}\n");
    w.file(base + QStringLiteral("clawdbot/devices/paired.json"),
           "{ \"devices\": [ { \"id\": \"" + configTag + "-phone\", \"name\": \"Phone\" } ] }\n");
    for (int i = 0; i < sessions; ++i)
        w.file(base +
                   QStringLiteral("clawdbot/agents/main/sessions/s%1.jsonl").arg(i, 5, 10, QLatin1Char('0')),
               w.text(20 + i % 30, "message"));
    for (int s = 0; s < 4; ++s)
        for (int i = 0; i < 3; ++i)
            w.file(base + QStringLiteral("skills/skill%1/file%2.md").arg(s).arg(i), w.text(10, "skill"));
    if (withWorkspace)
        for (int i = 0; i < 6; ++i)
            w.file(base + QStringLiteral("workspace/memory/note%1.md").arg(i), w.text(15, "memory"));
}

} // namespace

QString DemoWorkspace::defaultDirectory()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/demo");
}

namespace {

// The profile, wrangler.jsonc and start script of the demo deployment.
void writeConfigFiles(Writer &w)
{
    w.file(QStringLiteral("profile.json"), R"json({
  "name": "demo (local, mount mode)",
  "environments": ["development", "production"],
  "includeLegacy": true,
  "naming": { "bucketBase": "moltbot-data", "mountBase": "/data/moltbot", "instanceBase": "moltbot" },
  "wrangler": "wrangler.jsonc",
  "startScript": "start-moltbot.sh",
  "storage": { "type": "mount", "root": "data" },
  "syncSets": [ { "local": "container/root/.clawdbot", "prefix": "clawdbot/" },
                { "local": "container/root/clawd/skills", "prefix": "skills/" } ],
  "exclude": ["*.lock", "*.log", "*.tmp", ".git/**"],
  "staleAfterHours": 24
}
)json");
    w.file(QStringLiteral("wrangler.jsonc"), R"json({
  // The demo deployment, as wrangler.jsonc would describe it.
  "name": "paramita-cloud",
  "main": "src/index.ts",
  "env": {
    "development": {
      "name": "paramita-cloud-development",
      "vars": { "ENVIRONMENT": "development" }, // -> /data/moltbot-development
      "r2_buckets": [ { "binding": "MOLTBOT_BUCKET", "bucket_name": "moltbot-data-development" } ]
    },
    "production": {
      "name": "paramita-cloud-production",
      "vars": { "ENVIRONMENT": "production" },
      "r2_buckets": [ { "binding": "MOLTBOT_BUCKET", "bucket_name": "moltbot-data-production" } ],
    },
  },
}
)json");
    // The container's start script with the seed's Phase 2 fix: BACKUP_DIR follows ENVIRONMENT.
    w.file(QStringLiteral("start-moltbot.sh"), R"sh(#!/bin/bash
CONFIG_DIR="/root/.clawdbot"
if [ -n "$ENVIRONMENT" ]; then
    BACKUP_DIR="/data/moltbot-$ENVIRONMENT"
else
    BACKUP_DIR="/data/moltbot"
fi
if [ -f "$BACKUP_DIR/.last-sync" ]; then
    echo "Restoring from R2 backup at $BACKUP_DIR/clawdbot..."
fi
)sh");
}

// The three buckets: legacy (never migrated), development (fresh, stamped), production (stale, unstamped).
void writeBuckets(Writer &w, const QDateTime &now)
{
    // Legacy bucket: the pre-isolation data, never migrated.
    writeBackup(w, QStringLiteral("data/data/moltbot/"), 40, "legacy", false);
    w.file(QStringLiteral("data/data/moltbot/.last-sync"), "2026-02-03T18:02:11+00:00\n");
    // Development: synced minutes ago, marked.
    writeBackup(w, QStringLiteral("data/data/moltbot-development/"), 25, "development", true);
    w.file(QStringLiteral("data/data/moltbot-development/.last-sync"),
           LastSync::format(now.addSecs(-4 * 60)));
    w.file(QStringLiteral("data/data/moltbot-development/") + QLatin1String(IdentityMarker::kKey),
           IdentityMarker{QStringLiteral("development"), QStringLiteral("moltbot-data-development"),
                          now.addDays(-10)}
               .toJson());
    // Production: two days stale and never stamped.
    // Ten sessions more than the container holds now: a production sync plans ten deletions (within the
    // default limit), shown in the plan and guarded by the typed confirmation.
    writeBackup(w, QStringLiteral("data/data/moltbot-production/"), 40, "production", true);
    w.file(QStringLiteral("data/data/moltbot-production/.last-sync"), LastSync::format(now.addDays(-2)));
}

// Lays the local sources out as the container has them: ~/.clawdbot and ~/clawd/skills.
Status layOutContainer(const QString &dir, Writer &w)
{
    const QString src = dir + QStringLiteral("/container/root/.clawdbot-src");
    if (!QDir().rename(src + QStringLiteral("/clawdbot"),
                       dir + QStringLiteral("/container/root/.clawdbot")) ||
        !QDir().mkpath(dir + QStringLiteral("/container/root/clawd")) ||
        !QDir().rename(src + QStringLiteral("/skills"), dir + QStringLiteral("/container/root/clawd/skills")))
        return makeError(ErrorKind::Local,
                         QStringLiteral("cannot lay out the demo's container folders under %1").arg(dir));
    QDir(src).removeRecursively();
    w.file(QStringLiteral("container/root/.clawdbot/gateway.lock"), "pid 4242\n"); // excluded by *.lock
    return success();
}

} // namespace

Result<QString> DemoWorkspace::create(const QString &dirIn)
{
    const QString dir = QDir::cleanPath(QDir(dirIn).absolutePath());
    if (QFileInfo::exists(dir) && !QDir(dir).isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden))
        return makeError(ErrorKind::InvalidInput,
                         QStringLiteral("%1 is not empty; the demo needs a new or empty folder").arg(dir));
    if (!QDir().mkpath(dir))
        return makeError(ErrorKind::Local, QStringLiteral("cannot create %1").arg(dir));
    Writer w(dir);
    writeConfigFiles(w);
    writeBuckets(w, QDateTime::currentDateTimeUtc());
    // The container's local disk that sync backs up.
    writeBackup(w, QStringLiteral("container/root/.clawdbot-src/"), 30, "development", false);
    if (!w.ok())
        return makeError(ErrorKind::Local, w.error());
    if (const Status s = layOutContainer(dir, w); !s)
        return s.error();
    return QString(dir + QStringLiteral("/profile.json"));
}

} // namespace moltdesk

#pragma once

// A workspace in a temporary directory: a profile whose sync sets are the three top-level folders
// of a generated tree, over mount-mode storage or a real S3 server.

#include "Job.h"
#include "MigrationJob.h"
#include "RestoreJob.h"
#include "SyncJob.h"
#include "TestTree.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

namespace moltdesk::test {

struct EngineFixture
{
    QTemporaryDir dir;
    QString profilePath;
    std::optional<Workspace> workspace;
    KeychainStore *keychain = nullptr; // unused: tests never touch the developer's keychain

    QString tree() const { return dir.filePath(QStringLiteral("tree")); }
    QString dataRoot() const { return dir.filePath(QStringLiteral("data")); }
    QString bucketDir(const QString &env) const
    {
        return dataRoot() +
               (env.isEmpty() ? QStringLiteral("/data/moltbot") : QStringLiteral("/data/moltbot-") + env);
    }
    QString hashCache() const { return dir.filePath(QStringLiteral("hashes.v1")); }

    // storage: {"type":"mount","root":"data"} or an s3 object; credentials go to .dev.vars.<env>.
    bool create(const QJsonObject &storage,
                const QStringList &envs = {QStringLiteral("development"), QStringLiteral("production")})
    {
        QJsonArray sets;
        for (const char *p : {"clawdbot", "workspace", "skills"})
            sets.append(
                QJsonObject{{QStringLiteral("local"), QString(QStringLiteral("tree/") + QLatin1String(p))},
                            {QStringLiteral("prefix"), QString(QLatin1String(p) + QStringLiteral("/"))}});
        const QJsonObject profile{{QStringLiteral("environments"), QJsonArray::fromStringList(envs)},
                                  {QStringLiteral("includeLegacy"), true},
                                  {QStringLiteral("storage"), storage},
                                  {QStringLiteral("syncSets"), sets}};
        profilePath = dir.filePath(QStringLiteral("profile.json"));
        QFile f(profilePath);
        if (!f.open(QIODevice::WriteOnly))
            return false;
        f.write(QJsonDocument(profile).toJson());
        f.close();
        return reload();
    }
    bool reload()
    {
        auto ws = Workspace::open(profilePath);
        if (!ws)
            return false;
        workspace = ws.value();
        return true;
    }
    void writeDevVars(const QString &env, const QString &key, const QString &secret)
    {
        QFile f(
            dir.filePath(env.isEmpty() ? QStringLiteral(".dev.vars") : QStringLiteral(".dev.vars.") + env));
        f.open(QIODevice::WriteOnly);
        f.write(QStringLiteral("R2_ACCESS_KEY_ID=%1\nR2_SECRET_ACCESS_KEY=%2\n").arg(key, secret).toUtf8());
    }
    JobContext context(const QString &env, int concurrency = 0) const
    {
        JobContext c{*workspace, workspace->find(env).value(),
                     CredentialResolver(profilePath, nullptr, false)};
        c.concurrency = concurrency;
        return c;
    }
    SyncOptions syncOptions() const
    {
        SyncOptions o;
        o.hashCachePath = hashCache();
        return o;
    }
    JobResult sync(const QString &env, SyncOptions o = {}, const QString &confirm = {})
    {
        if (o.hashCachePath.isEmpty())
            o.hashCachePath = hashCache();
        SyncJob job(context(env), o);
        auto plan = job.planNow();
        if (!plan) {
            JobResult r;
            r.outcome = JobResult::Outcome::Failed;
            r.errors << plan.error();
            return r;
        }
        return job.applyNow(confirm);
    }
    JobResult restore(const QString &env, const QString &target, bool force = false)
    {
        RestoreJob job(context(env), RestoreOptions{target, force, {}});
        auto plan = job.planNow();
        if (!plan) {
            JobResult r;
            r.outcome = JobResult::Outcome::Failed;
            r.errors << plan.error();
            return r;
        }
        return job.applyNow(env == QLatin1String("production") ? env : QString());
    }
};

inline QString describe(const JobResult &r)
{
    QString s = r.summaryLine();
    for (const Error &e : r.errors.mid(0, 5))
        s += QStringLiteral("\n  ") + e.toString();
    return s;
}

} // namespace moltdesk::test

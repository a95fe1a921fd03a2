#pragma once

// A workspace in a temporary directory: a profile whose sync sets are the three top-level folders
// of a generated tree, over mount-mode storage or a real S3 server.
//
// Tests look into buckets only through the StorageBackend API (object(), put(), digests(), ...), never
// through the mount directory, so one scenario runs unchanged on both backends: tst_engine on mount,
// tst_engine_s3 (MOLTDESK_ENGINE_STORAGE=s3) on the s3server fixture with each environment's own
// scoped credentials.

#include "Job.h"
#include "MigrationJob.h"
#include "MountBackend.h"
#include "PlanThenApply.h"
#include "RestoreJob.h"
#include "S3Storage.h"
#include "SyncJob.h"
#include "TestServer.h"
#include "TestTree.h"

#include <QCryptographicHash>
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

    // Which backend the scenarios run on: MOLTDESK_ENGINE_STORAGE=s3 selects the real server.
    static bool onS3() { return qEnvironmentVariable("MOLTDESK_ENGINE_STORAGE") == QLatin1String("s3"); }
    const TestServer *server = nullptr; // set when onS3()

    // The storage under test with every bucket empty: a mount root, or the real server with each
    // environment's own scoped keys in .dev.vars.<env> (the legacy ones in .dev.vars). With
    // `sharedKeys`, every environment uses the admin keys, so migration can copy server-side.
    bool createStorage(const QStringList &envs = {QStringLiteral("development"),
                                                  QStringLiteral("production")},
                       bool sharedKeys = false)
    {
        if (!onS3()) {
            if (!create(QJsonObject{{QStringLiteral("type"), QStringLiteral("mount")},
                                    {QStringLiteral("root"), QStringLiteral("data")}},
                        envs))
                return false;
            for (const QString &e : envs + QStringList{QString()})
                QDir().mkpath(bucketDir(e));
            return true;
        }
        if (!server)
            return false;
        if (!create(QJsonObject{{QStringLiteral("type"), QStringLiteral("s3")},
                                {QStringLiteral("endpoint"), server->endpoint().toString()}},
                    envs))
            return false;
        for (const QString &e : envs + QStringList{QString()}) {
            QString user = e.isEmpty()                        ? QStringLiteral("legacy")
                           : e == QLatin1String("production") ? QStringLiteral("prod")
                                                              : QStringLiteral("dev");
            if (sharedKeys)
                user = QStringLiteral("admin");
            writeDevVars(e, server->user(user).accessKeyId, server->user(user).secret);
            if (!emptyBucket(e))
                return false;
        }
        return true;
    }

    // The bucket as an administrator sees it (all keys), independent of the job's own credentials.
    std::shared_ptr<StorageBackend> bucket(const QString &env) const
    {
        const EnvironmentNames names =
            workspace->find(env.isEmpty() ? QStringLiteral("legacy") : env).value();
        if (!onS3())
            return std::make_shared<MountBackend>(names.bucket, bucketDir(env));
        S3Config c;
        c.endpoint = server->endpoint();
        c.bucket = names.bucket;
        c.accessKeyId = server->user(QStringLiteral("admin")).accessKeyId;
        c.secretAccessKey = server->user(QStringLiteral("admin")).secret;
        return std::make_shared<S3Storage>(c);
    }
    QStringList keys(const QString &env) const
    {
        QStringList out;
        auto l = bucket(env)->list(ListRequest{}).result();
        if (l.ok())
            for (const ObjectInfo &o : l.value().objects)
                out << o.key;
        out.sort();
        return out;
    }
    int count(const QString &env) const { return int(keys(env).size()); }
    bool has(const QString &env, const QString &key) const
    {
        return bucket(env)->headObject(key).result().ok();
    }
    // The object's bytes, empty when it does not exist.
    QByteArray object(const QString &env, const QString &key) const
    {
        auto r = bucket(env)->getBytes(key, 64LL * 1024 * 1024).result();
        return r.ok() ? r.value() : QByteArray();
    }
    bool put(const QString &env, const QString &key, const QByteArray &data) const
    {
        return bucket(env)->putBytes(key, data).result().ok();
    }
    bool remove(const QString &env, const QString &key) const
    {
        auto r = bucket(env)->remove({key}).result();
        return r.ok() && r.value().failed.isEmpty();
    }
    // Uploads every file under root (relative path = key), e.g. a legacy bucket's content.
    bool fill(const QString &env, const QString &root) const
    {
        auto b = bucket(env);
        for (const QString &rel : TestTree::files(root))
            if (!b->upload(rel, root + QLatin1Char('/') + rel).result().ok())
                return false;
        return true;
    }
    // key -> MD5 of the downloaded bytes: the bucket's content checked independently of listings.
    QMap<QString, QByteArray> digests(const QString &env, const QStringList &skip = {}) const
    {
        QMap<QString, QByteArray> out;
        for (const QString &k : keys(env))
            if (!skip.contains(k))
                out.insert(k, QCryptographicHash::hash(object(env, k), QCryptographicHash::Md5).toHex());
        return out;
    }
    bool emptyBucket(const QString &env) const
    {
        QStringList all = keys(env);
        // s3fs's folder objects are not data, but an empty bucket holds none either.
        if (auto l = bucket(env)->list(ListRequest{}).result(); l.ok())
            for (const ObjectInfo &o : l.value().folderObjects)
                all << o.key;
        if (all.isEmpty())
            return true;
        auto r = bucket(env)->remove(all).result();
        return r.ok() && r.value().failed.isEmpty();
    }

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
        return planThenApply(job, confirm);
    }
    JobResult restore(const QString &env, const QString &target, bool force = false)
    {
        RestoreJob job(context(env), RestoreOptions{target, force, {}});
        return planThenApply(job, env == QLatin1String("production") ? env : QString());
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

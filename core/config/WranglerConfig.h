#pragma once

#include "Result.h"

#include <QList>
#include <QString>

namespace moltdesk {

struct R2BucketBinding
{
    QString binding;
    QString bucketName;
    int line = 0;
};

// One `env.<name>` block of wrangler.jsonc, with line numbers so findings can point at the file.
struct WranglerEnvironment
{
    QString name;       // the key under "env"
    QString workerName; // env.<name>.name, may be empty
    bool hasEnvironmentVar = false;
    QString environmentVar; // env.<name>.vars.ENVIRONMENT
    // Upstream moltworker names the bucket with vars.R2_BUCKET_NAME (`env.R2_BUCKET_NAME ||
    // "moltbot-data"`) instead of deriving it from ENVIRONMENT; empty when the env does not set it.
    QString bucketNameVar;
    int bucketNameLine = 0;
    QList<R2BucketBinding> r2Buckets;
    int line = 0;     // line of the env.<name> key
    int varsLine = 0; // line of vars (or of the env block when absent)
};

struct WranglerConfig
{
    QString path;
    QString topLevelName;
    QList<R2BucketBinding> topLevelR2Buckets;
    QList<WranglerEnvironment> environments;

    static Result<WranglerConfig> load(const QString &path);
    static Result<WranglerConfig> parse(const QByteArray &text, const QString &path = {});

    // The environments wrangler would deploy, in file order: each env's ENVIRONMENT value, or its key
    // when it sets only R2_BUCKET_NAME (upstream isolates deployments by bucket name alone).
    QStringList environmentNames() const;
    // The env block an environment name deploys through: the one whose ENVIRONMENT is `name`, else
    // the one keyed `name`; nullptr when there is none.
    const WranglerEnvironment *environmentFor(const QString &name) const;
};

} // namespace moltdesk

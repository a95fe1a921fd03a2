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

    // The ENVIRONMENT values wrangler would deploy with, in file order (blank ones skipped).
    QStringList environmentNames() const;
};

} // namespace moltdesk

#pragma once

#include "Result.h"

#include <QString>

namespace moltdesk {

// Base names; forks rename them, so they come from the profile.
struct NamingBases
{
    QString bucketBase = QStringLiteral("moltbot-data");
    QString mountBase = QStringLiteral("/data/moltbot");
    QString instanceBase = QStringLiteral("moltbot");
};

// One environment resolved through the seed's rule. An empty name is the legacy environment
// (no ENVIRONMENT), which is a first-class row, not a special case bolted on.
struct EnvironmentNames
{
    QString environment; // empty for legacy
    QString bucket;
    QString mountPath;
    QString instanceId;

    bool isLegacy() const { return environment.isEmpty(); }
    QString displayName() const; // "development", "(legacy)"
    bool isProduction() const;
};

class BucketNaming
{
public:
    explicit BucketNaming(NamingBases bases = {});

    const NamingBases &bases() const { return m_bases; }

    // Validates first: a name that cannot be an R2 bucket suffix never becomes a path or a shell word.
    Result<EnvironmentNames> resolve(const QString &environment) const;
    EnvironmentNames legacy() const;

    // Why `environment` is not allowed, or an empty string when it is fine.
    QString validationError(const QString &environment) const;
    // Validates a whole bucket name by R2's rules (3-63 chars, [a-z0-9-], no hyphen at either end).
    static QString bucketNameError(const QString &bucket);
    // Checks the bases themselves (a profile may set them).
    Status validateBases() const;

private:
    NamingBases m_bases;
};

} // namespace moltdesk

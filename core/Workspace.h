#pragma once

#include "BucketNaming.h"
#include "Credentials.h"
#include "NetworkSettings.h"
#include "Profile.h"
#include "StorageBackend.h"
#include "WranglerConfig.h"

#include <QHash>
#include <memory>
#include <optional>

namespace moltdesk {

class S3Transport;

// A loaded profile with everything derived from it: the environment rows (named ones, then the
// legacy one), the wrangler config when the profile names one, and where each bucket lives.
class Workspace
{
public:
    static Result<Workspace> open(const QString &profilePath);
    static Result<Workspace> fromProfile(Profile profile);

    const Profile &profile() const { return m_profile; }
    const BucketNaming &naming() const { return m_naming; }
    const std::optional<WranglerConfig> &wrangler() const { return m_wrangler; }
    const QList<EnvironmentNames> &environments() const { return m_environments; }
    QStringList warnings() const { return m_warnings; }

    // "development", or "legacy" / "(legacy)" / "" for the legacy environment.
    Result<EnvironmentNames> find(const QString &name) const;
    static bool isLegacyName(const QString &name);

    // Mount mode: the directory holding the environment's bucket (storage root + mount path).
    QString mountDirectory(const EnvironmentNames &env) const;
    // Where the environment's bucket name comes from: "naming rule", "profile bucketNames", or
    // "wrangler.jsonc:12 env.production.vars.R2_BUCKET_NAME".
    QString bucketOrigin(const EnvironmentNames &env) const;
    // Proxy and extra CAs from the environment and the profile's caBundle, read once at open.
    const NetworkSettings &network() const { return m_network; }

private:
    EnvironmentNames withBucketOverride(EnvironmentNames env);

    Profile m_profile;
    BucketNaming m_naming;
    std::optional<WranglerConfig> m_wrangler;
    QList<EnvironmentNames> m_environments;
    QStringList m_warnings;
    NetworkSettings m_network;
    QHash<QString, QString> m_bucketOrigins; // environment -> origin, when not the naming rule
};

// The credentials an environment's own bucket is opened with: none are needed in mount mode, else
// the resolver's chain (keychain, .dev.vars.<env>, .dev.vars, environment).
CredentialLookup credentialsFor(const Workspace &workspace, const CredentialResolver &resolver,
                                const EnvironmentNames &env);

// Opens an environment's bucket through the profile's storage, with a given set of credentials
// (the audit also opens one environment's bucket with another's credentials on purpose).
class StorageFactory
{
public:
    explicit StorageFactory(const Workspace &workspace);
    ~StorageFactory();

    Result<std::shared_ptr<StorageBackend>> open(const EnvironmentNames &env,
                                                 const CredentialLookup &credentials) const;
    Result<std::shared_ptr<StorageBackend>> openBucket(const QString &bucket, const QString &mountPath,
                                                       const CredentialLookup &credentials) const;
    // The endpoint S3 mode will use with these credentials, or why there is none.
    Result<QUrl> endpointFor(const CredentialLookup &credentials) const;

    // Tuning used by tests and benchmarks.
    void setS3Tuning(int timeoutMs, int maxAttempts, qint64 multipartThreshold);

private:
    const Workspace &m_workspace;
    int m_timeoutMs = 0;
    int m_maxAttempts = 0;
    qint64 m_multipartThreshold = 0;
};

} // namespace moltdesk

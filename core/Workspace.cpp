#include "Workspace.h"

#include "Logging.h"
#include "MountBackend.h"
#include "S3Storage.h"

#include <QDir>
#include <QFileInfo>

namespace moltdesk {

Result<Workspace> Workspace::open(const QString &profilePath)
{
    auto p = Profile::load(profilePath);
    if (!p)
        return p.error();
    return fromProfile(p.value());
}

Result<Workspace> Workspace::fromProfile(Profile profile)
{
    Workspace ws;
    ws.m_profile = std::move(profile);
    ws.m_naming = BucketNaming(ws.m_profile.naming);
    ws.m_warnings = ws.m_profile.warnings;
    // A broken proxy variable or CA file is bad input for anything that goes over the network; in
    // mount mode nothing does, so there it is only said.
    auto network = NetworkSettings::fromEnvironment(ws.m_profile.caBundlePath);
    if (network)
        ws.m_network = network.value();
    else if (ws.m_profile.storage.type == StorageType::S3)
        return network.error();
    else
        ws.m_warnings << network.error().message;
    QStringList names = ws.m_profile.environments;
    if (!ws.m_profile.wranglerPath.isEmpty()) {
        auto w = WranglerConfig::load(ws.m_profile.wranglerPath);
        if (!w)
            return w.error();
        ws.m_wrangler = w.value();
        if (names.isEmpty())
            names = ws.m_wrangler->environmentNames();
    }
    for (const QString &n : std::as_const(names)) {
        auto env = ws.m_naming.resolve(n);
        if (!env)
            return env.error();
        ws.m_environments.append(ws.withBucketOverride(env.value()));
    }
    if (ws.m_profile.includeLegacy)
        ws.m_environments.append(ws.withBucketOverride(ws.m_naming.legacy()));
    if (ws.m_environments.isEmpty())
        return makeError(
            ErrorKind::InvalidInput,
            QStringLiteral("%1 names no environment: list them in \"environments\", point \"wrangler\" at a "
                           "wrangler.jsonc, or set \"includeLegacy\": true")
                .arg(ws.m_profile.path));
    return ws;
}

EnvironmentNames Workspace::withBucketOverride(EnvironmentNames env)
{
    // The profile's own word first, then what the deployment itself sets (upstream's
    // vars.R2_BUCKET_NAME), then the naming rule. Only the bucket changes: mount path and sandbox
    // instance still follow ENVIRONMENT, as in the worker.
    if (const auto it = m_profile.bucketNames.constFind(env.environment);
        it != m_profile.bucketNames.cend()) {
        env.bucket = *it;
        m_bucketOrigins.insert(env.environment, QStringLiteral("profile bucketNames"));
        return env;
    }
    const WranglerEnvironment *we =
        (m_wrangler && !env.isLegacy()) ? m_wrangler->environmentFor(env.environment) : nullptr;
    if (we && !we->bucketNameVar.isEmpty()) {
        env.bucket = we->bucketNameVar;
        m_bucketOrigins.insert(env.environment, QStringLiteral("%1:%2 env.%3.vars.R2_BUCKET_NAME")
                                                    .arg(QFileInfo(m_wrangler->path).fileName())
                                                    .arg(we->bucketNameLine)
                                                    .arg(we->name));
    }
    return env;
}

QString Workspace::bucketOrigin(const EnvironmentNames &env) const
{
    return m_bucketOrigins.value(env.environment, QStringLiteral("naming rule"));
}

bool Workspace::isLegacyName(const QString &name)
{
    return name.isEmpty() || name == QLatin1String("legacy") || name == QLatin1String("(legacy)");
}

Result<EnvironmentNames> Workspace::find(const QString &name) const
{
    if (isLegacyName(name)) {
        if (!m_profile.includeLegacy)
            return makeError(
                ErrorKind::InvalidInput,
                QStringLiteral(
                    "this profile does not include the legacy environment (\"includeLegacy\": false)"));
        return m_environments.constLast(); // the legacy row is last, with its bucket override if any
    }
    if (const QString e = m_naming.validationError(name); !e.isEmpty())
        return makeError(ErrorKind::InvalidInput, e);
    QStringList known;
    for (const EnvironmentNames &env : m_environments) {
        if (env.environment == name)
            return env;
        known << (env.isLegacy() ? QStringLiteral("legacy") : env.environment);
    }
    return makeError(ErrorKind::InvalidInput,
                     QStringLiteral("environment \"%1\" is not in this profile; it has: %2")
                         .arg(name, known.join(QStringLiteral(", "))));
}

QString Workspace::mountDirectory(const EnvironmentNames &env) const
{
    return QDir::cleanPath(m_profile.storage.root + QLatin1Char('/') + env.mountPath);
}

StorageFactory::StorageFactory(const Workspace &workspace) : m_workspace(workspace) {}
StorageFactory::~StorageFactory() = default;

void StorageFactory::setS3Tuning(int timeoutMs, int maxAttempts, qint64 multipartThreshold)
{
    m_timeoutMs = timeoutMs;
    m_maxAttempts = maxAttempts;
    m_multipartThreshold = multipartThreshold;
}

Result<QUrl> StorageFactory::endpointFor(const CredentialLookup &credentials) const
{
    const StorageConfig &st = m_workspace.profile().storage;
    if (!st.endpoint.isEmpty())
        return st.endpoint;
    if (!credentials.credentials.accountId.isEmpty()) {
        const QString id = credentials.credentials.accountId;
        for (QChar c : id) {
            if (!c.isLetterOrNumber() || c.unicode() > 127)
                return makeError(
                    ErrorKind::InvalidInput,
                    QStringLiteral("CF_ACCOUNT_ID is not an account id (letters and digits only)"));
        }
        return Profile::r2Endpoint(id);
    }
    return makeError(
        ErrorKind::InvalidInput,
        QStringLiteral("no S3 endpoint: set storage.endpoint in the profile, or CF_ACCOUNT_ID (keychain, "
                       ".dev.vars or environment) so the R2 endpoint can be derived"));
}

Result<std::shared_ptr<StorageBackend>> StorageFactory::open(const EnvironmentNames &env,
                                                             const CredentialLookup &credentials) const
{
    return openBucket(env.bucket, env.mountPath, credentials);
}

Result<std::shared_ptr<StorageBackend>> StorageFactory::openBucket(const QString &bucket,
                                                                   const QString &mountPath,
                                                                   const CredentialLookup &credentials) const
{
    const StorageConfig &st = m_workspace.profile().storage;
    if (st.type == StorageType::Mount) {
        const QString dir = QDir::cleanPath(st.root + QLatin1Char('/') + mountPath);
        return std::shared_ptr<StorageBackend>(std::make_shared<MountBackend>(bucket, dir));
    }
    if (!credentials.credentials.hasKeys())
        return makeError(ErrorKind::Auth, QStringLiteral("no credentials for bucket %1: missing %2")
                                              .arg(bucket, credentials.missing.join(QStringLiteral(", "))));
    auto endpoint = endpointFor(credentials);
    if (!endpoint)
        return endpoint.error();
    S3Config cfg;
    cfg.endpoint = endpoint.value();
    cfg.region = st.region;
    cfg.bucket = bucket;
    cfg.accessKeyId = credentials.credentials.accessKeyId;
    cfg.secretAccessKey = credentials.credentials.secretAccessKey;
    cfg.network = m_workspace.network();
    // Operators on slow links (and tests) can tune the client without a rebuild.
    if (const int t = qEnvironmentVariableIntValue("MOLTDESK_S3_TIMEOUT_MS"); t > 0)
        cfg.timeoutMs = t;
    if (const int a = qEnvironmentVariableIntValue("MOLTDESK_S3_MAX_ATTEMPTS"); a > 0)
        cfg.retry.maxAttempts = a;
    if (m_timeoutMs > 0)
        cfg.timeoutMs = m_timeoutMs;
    if (m_maxAttempts > 0)
        cfg.retry.maxAttempts = m_maxAttempts;
    if (m_multipartThreshold > 0)
        cfg.multipartThreshold = m_multipartThreshold;
    return std::shared_ptr<StorageBackend>(std::make_shared<S3Storage>(cfg));
}

CredentialLookup credentialsFor(const Workspace &workspace, const CredentialResolver &resolver,
                                const EnvironmentNames &env)
{
    if (workspace.profile().storage.type == StorageType::Mount) {
        CredentialLookup none;
        none.source = CredentialSource::NotNeeded;
        return none;
    }
    return resolver.resolve(env);
}

} // namespace moltdesk

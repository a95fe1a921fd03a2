#pragma once

#include "BucketNaming.h"
#include "Result.h"

#include <QMap>
#include <QStringList>
#include <QUrl>

namespace moltdesk {

struct ProfileProblem;

struct SyncSet
{
    QString local;  // absolute after loading
    QString prefix; // ends with '/'
    // Globs for this set only, on top of the profile's "exclude" (upstream syncs /root/clawd/ to
    // workspace/ with `--exclude skills/**`, because skills/ is a set of its own).
    QStringList exclude = {};
};

enum class StorageType { S3, Mount };

struct StorageConfig
{
    StorageType type = StorageType::Mount;
    QUrl endpoint; // S3: empty until derived from CF_ACCOUNT_ID
    QString region = QStringLiteral("auto");
    QString root; // Mount: absolute directory that holds the mount paths
};

// A profile: which environments exist, where their storage is and what is synced.
// Loading reports every problem it can explain; unknown keys are warnings, not silence.
struct Profile
{
    QString path;      // the file it came from (empty for an in-memory profile)
    QString directory; // relative paths resolve against this
    QStringList environments;
    bool includeLegacy = true;
    NamingBases naming;
    QString wranglerPath; // absolute, may be empty
    // The container's start-moltbot.sh, absolute, may be empty: the audit reads its BACKUP_DIR to
    // learn where the container restores from (the seed's Phase 2 bug lived there).
    QString startScriptPath;
    // Extra trusted CAs (PEM), absolute, may be empty: for a TLS-inspecting corporate proxy or a
    // private endpoint. Added to the system's, like AWS_CA_BUNDLE and SSL_CERT_FILE.
    QString caBundlePath;
    StorageConfig storage;
    // Per-environment bucket overrides ("bucketNames": { "production": "my-bucket" }), for
    // deployments that name buckets their own way; they win over wrangler's vars.R2_BUCKET_NAME and
    // the naming rule.
    QMap<QString, QString> bucketNames;
    // What sync backs up: `syncSets` for every environment without a list of its own in
    // `syncSetsByEnvironment` (the profile's { "default": [...], "production": [...] } form), so
    // production can be fed from other folders than development.
    QList<SyncSet> syncSets;
    QMap<QString, QList<SyncSet>> syncSetsByEnvironment;
    const QList<SyncSet> &syncSetsFor(const QString &environment) const;
    QStringList exclude;
    int staleAfterHours = 24;
    // The deployed worker of each environment (key: environment name, or "legacy"), for its admin API:
    // https://, or http:// to a loopback address only (tests). See core/worker/WorkerLocator.
    QMap<QString, QUrl> workers;
    QString workersDevSubdomain; // "acme": the worker named N is at https://N.acme.workers.dev
    QStringList warnings;        // unknown keys and the like

    static QList<SyncSet> defaultSyncSets();  // the seed's: clawdbot/, skills/
    static QList<SyncSet> upstreamSyncSets(); // "layout": "upstream": openclaw/, workspace/, skills/
    static QStringList defaultExcludes();

    static Result<Profile> load(const QString &path);
    static Result<Profile> parse(const QByteArray &text, const QString &path);
    // The same, and when the profile is refused, `problem` says which field and why, without the file
    // and line (ProfileCheck.h: the profile dialog marks the field).
    static Result<Profile> parse(const QByteArray &text, const QString &path, ProfileProblem *problem);
    QByteArray toJson() const;
    Status save(const QString &path) const;

    // A path as the profile's file gives it (relative to its folder, "~" for the home folder), absolute;
    // empty stays empty.
    QString resolvePath(const QString &path) const;

    // The R2 endpoint for an account id, e.g. https://0123abcd.r2.cloudflarestorage.com
    static QUrl r2Endpoint(const QString &accountId);
};

// Why a storage endpoint is not acceptable (empty when it is): an http(s) URL with a host and no path.
QString endpointProblem(const QString &endpoint);

// Why a worker URL is not acceptable (empty when it is): https, or http to a loopback address.
QString workerUrlProblem(const QUrl &url);

} // namespace moltdesk

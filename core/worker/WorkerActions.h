#pragma once

#include "AccessToken.h"
#include "BucketSnapshot.h"
#include "EnvironmentStatus.h"
#include "WorkerClient.h"
#include "WorkerLocator.h"
#include "Workspace.h"

#include <QJsonObject>
#include <functional>
#include <memory>
#include <optional>

namespace moltdesk {

// One environment's deployment as `worker status` shows it: the container's view (gateway, R2,
// its last sync, devices) next to the bucket's (.last-sync read from outside), and what disagrees.
struct WorkerStatus
{
    EnvironmentNames env;
    WorkerEndpoint endpoint;
    QString tokenSource;
    std::optional<Error> error; // nothing could be asked (no worker, no token, unreachable...)
    std::optional<GatewayState> gateway;
    std::optional<StorageState> storage;
    std::optional<DeviceList> devices;
    std::optional<QJsonObject> debugEnv; // only when the worker has DEBUG_ROUTES=true
    QStringList routeErrors;             // admin routes that failed while /api/status answered
    // The bucket, from outside.
    bool bucketRead = false;
    QString bucketEra; // "rsync", "rclone", ""
    QByteArray bucketLastSyncRaw;
    QDateTime bucketLastSync;
    QString bucketError;
    QStringList problems; // failures: the two views disagree
    QStringList notes;    // what could not be compared, and why

    bool failed() const { return error.has_value() || !routeErrors.isEmpty() || !problems.isEmpty(); }
    QJsonObject toJson(const QDateTime &now) const;
};

// What the join rule needs of a bucket, from a snapshot or from the status table's row.
struct BucketView
{
    QString bucket;
    QString era; // "rsync", "rclone", "" (see BucketSnapshot::era)
    bool hasLastSync = false;
    QDateTime lastSync; // invalid when unreadable
    QByteArray lastSyncRaw;
    static BucketView of(const BucketSnapshot &s);
    static BucketView of(const EnvironmentStatus &row);
};

// The container's side for `moltctl status`: gateway and storage only (no devices, no listing).
struct ContainerView
{
    WorkerEndpoint endpoint;
    std::optional<Error> error;
    std::optional<GatewayState> gateway;
    std::optional<StorageState> storage;
    // Set by WorkerActions::joinInto: what the join rule found against the row's bucket.
    QString problem; // the container's claim and the bucket disagree: a failure of the row
    QString note;    // why the two could not be compared
    QJsonObject toJson(const QDateTime &now) const;
};

// The container's backup, then checked from outside: what the bucket really holds afterwards.
struct VerifiedSync
{
    SyncClaim claim;
    QString bucket;
    QString era;
    SnapshotDiff diff;
    QString evidence; // what was compared
    QJsonObject toJson() const;
};

struct RestartOutcome
{
    RestartClaim claim;
    bool waited = false;
    QString processId; // the new one, when waited
    qint64 waitedMs = 0;
};

struct PersistenceCheck
{
    QStringList before, after, missing; // paired device ids
    VerifiedSync sync;
    RestartOutcome restart;
    bool checked = false;
    QString notCheckedWhy;
    QJsonObject toJson() const;
};

// The deployment actions on top of WorkerClient, each blocking (call from a worker thread) and each
// checking what the container claims against the bucket it should have written.
class WorkerActions
{
public:
    using Progress = std::function<void(const QString &)>;

    WorkerActions(const Workspace &workspace, const CredentialResolver &r2, const AccessTokenResolver &access,
                  WorkerClientOptions options = {});

    Result<std::unique_ptr<WorkerClient>> client(const EnvironmentNames &env) const;
    Result<BucketSnapshot> snapshot(const EnvironmentNames &env, const CancelToken &cancel = {}) const;
    Result<BucketSnapshot> snapshotBucket(const EnvironmentNames &owner,
                                          const CancelToken &cancel = {}) const;

    WorkerStatus status(const EnvironmentNames &env, const CancelToken &cancel = {}) const;
    Result<VerifiedSync> syncVerified(const EnvironmentNames &env, const CancelToken &cancel = {},
                                      const Progress &progress = {}) const;
    Result<RestartOutcome> restart(const EnvironmentNames &env, bool wait, int waitMs,
                                   const CancelToken &cancel = {}, const Progress &progress = {}) const;
    Result<PersistenceCheck> checkPersistence(const EnvironmentNames &env, int waitMs,
                                              const CancelToken &cancel = {},
                                              const Progress &progress = {}) const;

    // The one rule joining the two views: the container's claimed last sync against the bucket's.
    // A failure text, or empty when they agree; *note says why nothing could be compared.
    static QString joinProblem(const StorageState &container, const BucketView &bucket, QString *note);
    // The status table's row joined with its container: a disagreement is one of the row's failures.
    ContainerView containerView(const EnvironmentNames &env, const CancelToken &cancel = {}) const;
    // What `moltctl status` and the window's Deployment column join: nothing when no worker is known
    // for env (nothing to join), else its container's view (with the error when it cannot be asked).
    std::optional<ContainerView> deploymentOf(const EnvironmentNames &env,
                                              const CancelToken &cancel = {}) const;
    // Joins a row with its container's view; the rule's verdict also lands in view.problem/note.
    static void joinInto(EnvironmentStatus &row, ContainerView &view);
    // The same rule after a backup: the bucket must hold what the worker claimed.
    static Result<VerifiedSync> verifyClaim(const SyncClaim &claim, const BucketSnapshot &before,
                                            const BucketSnapshot &after);

private:
    Result<RestartOutcome> waitRunning(WorkerClient &client, RestartOutcome out, int waitMs,
                                       const CancelToken &cancel, const Progress &progress) const;

    const Workspace &m_workspace;
    const CredentialResolver &m_r2;
    const AccessTokenResolver &m_access;
    WorkerClientOptions m_options;
};

} // namespace moltdesk

#pragma once

#include "HashCache.h"
#include "Job.h"

namespace moltdesk {

class SyncPlanInputs;

struct SyncOptions
{
    // Deletions allowed before the guard refuses: -1 = the default fraction of the bucket
    // (kDefaultDeleteFraction of the objects under the synced prefixes, at least kMinDeleteLimit).
    qint64 maxDelete = -1;
    bool allowUnlimitedDelete = false;
    // --no-delete / "Skip deletions": upload and replace only; what exists only in the bucket stays.
    bool noDelete = false;
    QString hashCachePath; // empty: the default under the user's cache directory
    // Mount mode's record of what was written (MountManifest); empty: next to the hash cache.
    QString manifestPath;
    QString effectiveManifestPath() const;
    static constexpr double kDefaultDeleteFraction = 0.25;
    static constexpr qint64 kMinDeleteLimit = 5;
};

// Backup: mirrors the profile's sync sets into the environment's bucket, deletions included.
// Incremental by content (size and MD5, with a local hash cache keyed by path, size and mtime);
// no deletion after any failed upload; .last-sync written last, only when everything succeeded.
class SyncJob : public Job
{
    Q_OBJECT
public:
    SyncJob(JobContext context, SyncOptions options, QObject *parent = nullptr);

protected:
    Result<Plan> computePlan(const CancelToken &cancel) override;
    JobResult execute(const Plan &plan, const CancelToken &cancel) override;

private:
    Status planSet(const SyncSet &set, const Listing &listing, Plan &plan, SyncPlanInputs &inputs,
                   const CancelToken &cancel);
    Status hashPending(Plan &plan, SyncPlanInputs &inputs, const CancelToken &cancel);
    Status checkMarker(Plan &plan, const Result<QByteArray> &fetched) const;
    void applyDeleteLimit(Plan &plan, qint64 remoteObjects) const;
    void writeStamps(const Plan &plan, StorageBackend &backend, JobResult &result) const;
    static void noteMigratedDeletions(Plan &plan, const Result<QByteArray> &reportBytes);
    static QString sharedSourcesWarning(const Workspace &ws, const EnvironmentNames &env);

    SyncOptions m_options;
};

} // namespace moltdesk

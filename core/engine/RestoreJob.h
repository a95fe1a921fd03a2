#pragma once

#include "Job.h"

namespace moltdesk {

struct RestoreOptions
{
    // Where to restore. Each data prefix lands in targetDir/<prefix> (clawdbot/, openclaw/,
    // workspace/, skills/; the flat legacy layout into targetDir/clawdbot/), and the bucket's
    // .last-sync into targetDir/.last-sync. Empty: the profile's sync-set directories.
    QString targetDir;
    bool force = false; // restore even when the target's .last-sync is not older
    QString backupDir;  // keep what was replaced here (empty: discard)
    // Restore only these bucket keys: an entry ending in '/' selects everything under it, any other
    // entry one key. Empty: everything. The rest of the target's folders is kept as it is, and the
    // target's .last-sync is left alone: it then holds only part of the bucket's state. Such a partial
    // restore is not held to the newer-than rule (it is asked for by name, whatever the stamps say).
    QStringList onlyPrefixes = {};
};

// Restore: the container's rule (bucket .last-sync newer than the target's, or none locally),
// decided once in the plan. Objects download into a staging directory on the target's filesystem,
// are verified (size and MD5), and only then replace the target's folders, through a journal
// (RestoreJournal) so an interrupted restore is rolled forward or back on the next run; never a mix
// of half-written files.
class RestoreJob : public Job
{
    Q_OBJECT
public:
    RestoreJob(JobContext context, RestoreOptions options, QObject *parent = nullptr);

    // Finishes or undoes a restore that was interrupted (crash, kill) in `targetDir`.
    static Status recover(const QString &targetDir);

protected:
    Result<Plan> computePlan(const CancelToken &cancel) override;
    JobResult execute(const Plan &plan, const CancelToken &cancel) override;

private:
    // An object to restore and where it lands, relative to the target folder; keyed by object key.
    struct Destination
    {
        QString rel;
        ObjectInfo object;
    };
    using Destinations = QMap<QString, Destination>;

    Result<QString> prepareTarget() const;
    Status decide(Plan &plan, const Result<QByteArray> &bucketStamp) const;
    static Destinations destinations(const Listing &listing, Plan &plan);
    Status select(Destinations &destinationOf, Plan &plan) const;
    static void planObjects(const Destinations &destinationOf, const StorageBackend &backend, Plan &plan,
                            const CancelToken &cancel);
    Status planTargetLeftovers(const Destinations &destinationOf, Plan &plan,
                               const CancelToken &cancel) const;
    QSet<QString> stage(const Plan &plan, const QString &stagingDir, const CancelToken &cancel,
                        JobResult &result);

    RestoreOptions m_options;
};

} // namespace moltdesk

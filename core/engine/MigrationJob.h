#pragma once

#include "Job.h"
#include "MigrationReport.h"

namespace moltdesk {

struct MigrationOptions
{
    bool overwrite = false; // replace conflicting objects in the destination
    QString reportPath;     // local JSON report; empty: under the user's data directory
};

// Legacy migration: copies the legacy bucket (moltbot-data) into the environment's bucket,
// server-side when one set of credentials reaches both, else by download and upload. Every copy
// is verified before it counts; the source is never modified; re-runs copy only what is missing.
// A JSON report is written locally and as `.migrated-from` in the destination, and the legacy
// .last-sync is carried over last so the container restores the migrated data.
class MigrationJob : public Job
{
    Q_OBJECT
public:
    static constexpr const char *kReportKey = MigrationReport::kKey;

    MigrationJob(JobContext context, MigrationOptions options, QObject *parent = nullptr);

protected:
    Result<Plan> computePlan(const CancelToken &cancel) override;
    JobResult execute(const Plan &plan, const CancelToken &cancel) override;

private:
    Status openBuckets(Plan &plan) const;
    Result<PlanItem> planObject(const ObjectInfo &o, const QHash<QString, ObjectInfo> &existing,
                                const Plan &plan) const;
    static void verifyLanded(StorageBackend &dst, const QList<const PlanItem *> &copies,
                             const CancelToken &cancel, JobResult &result);
    void writeReport(const Plan &plan, bool serverSide, JobResult &result) const;
    static void carryLastSync(StorageBackend &src, StorageBackend &dst, JobResult &result);

    MigrationOptions m_options;
};

} // namespace moltdesk

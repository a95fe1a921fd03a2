#pragma once

// A job run as the app runs it: plan, then apply; a plan that failed is a failed result carrying its
// error, so a test reads one JobResult either way.

#include "Job.h"

namespace moltdesk::test {

template <typename JobType> JobResult planThenApply(JobType &job, const QString &confirm = {})
{
    auto plan = job.planNow();
    if (!plan) {
        JobResult r;
        r.outcome = JobResult::Outcome::Failed;
        r.errors << plan.error();
        return r;
    }
    return job.applyNow(confirm);
}

} // namespace moltdesk::test

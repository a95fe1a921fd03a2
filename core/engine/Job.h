#pragma once

#include "CancelToken.h"
#include "Credentials.h"
#include "Plan.h"
#include "TransferRunner.h"
#include "Workspace.h"

#include <QElapsedTimer>
#include <QMutex>
#include <QObject>
#include <QThreadPool>

namespace moltdesk {

// Everything a job needs to reach storage, copied in so the job owns its inputs.
struct JobContext
{
    Workspace workspace;
    EnvironmentNames environment;
    CredentialResolver resolver;
    int concurrency = 0; // 0: backend default (16 for S3, 4 for mount)
    // Tests and benchmarks tune the S3 client through these (0 = default).
    int s3TimeoutMs = 0;
    int s3MaxAttempts = 0;
    qint64 multipartThreshold = 0;
};

// A plan-then-apply operation run off the calling thread. Both programs drive it the same way:
// plan() -> planned(plan) or failed(error); apply() (after confirmation) -> progress(...)* ->
// finished(result). cancel() stops as soon as it is safe; the result then says what was done.
class Job : public QObject
{
    Q_OBJECT
public:
    explicit Job(JobContext context, QObject *parent = nullptr);
    ~Job() override;

    const JobContext &context() const { return m_context; }
    const Plan &plan() const { return m_plan; }
    bool hasPlan() const { return m_hasPlan; }
    bool isRunning() const { return m_running; }

    void startPlan();
    // Refused when there is no plan, the plan has a refusal, or production is not confirmed.
    void startApply(const QString &confirmation = {});
    void cancel();

    // Blocking versions, for callers already on a worker thread (and tests).
    Result<Plan> planNow();
    JobResult applyNow(const QString &confirmation = {});

Q_SIGNALS:
    void planned(const moltdesk::Plan &plan);
    void planFailed(const moltdesk::Error &error);
    void progress(const moltdesk::JobProgress &progress);
    void finished(const moltdesk::JobResult &result);

protected:
    virtual Result<Plan> computePlan(const CancelToken &cancel) = 0;
    virtual JobResult execute(const Plan &plan, const CancelToken &cancel) = 0;

    // For subclasses: report progress (rate limited), thread-safe.
    void reportProgress(const JobProgress &p, bool force = false);
    // reportProgress, for a TransferRunner.
    TransferRunner::Reporter progressReporter();
    Result<std::shared_ptr<StorageBackend>> openEnvironment(const EnvironmentNames &env) const;
    int concurrencyFor(const StorageBackend &backend) const;

private:
    // computePlan, with an exception turned into the plan's error.
    Result<Plan> guardedPlan();
    JobResult runApply(const QString &confirmation);
    // Production's name typed, for a plan that writes its bucket (confirmProduction).
    Status confirmApply(const QString &confirmation) const;

    JobContext m_context;
    Plan m_plan;
    bool m_hasPlan = false;
    std::atomic_bool m_running{false};
    CancelToken m_cancel;
    QMutex m_progressMutex;
    QElapsedTimer m_lastProgress;
    // A job runs for minutes and blocks while it waits on transfers: it gets a thread of its own
    // rather than one of Qt's global pool, which the GUI's raster engine also waits on (a few
    // jobs at once would otherwise freeze painting on a 2-core machine). Declared last: destroyed
    // (and waited for) first.
    QThreadPool m_runner;
};

} // namespace moltdesk

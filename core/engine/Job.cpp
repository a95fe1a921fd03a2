#include "Job.h"

#include "Logging.h"
#include "ProductionGuard.h"

#include <QtConcurrent>

namespace moltdesk {

Job::Job(JobContext context, QObject *parent) : QObject(parent), m_context(std::move(context))
{
    qRegisterMetaType<moltdesk::Plan>();
    qRegisterMetaType<moltdesk::JobProgress>();
    qRegisterMetaType<moltdesk::JobResult>();
    qRegisterMetaType<moltdesk::Error>();
    m_runner.setMaxThreadCount(1);
}

Job::~Job()
{
    // Work in flight references this object: ask it to stop and wait for it.
    m_cancel.cancel();
    while (m_running.load())
        QThread::msleep(5);
}

void Job::startPlan()
{
    if (m_running.exchange(true))
        return;
    (void)QtConcurrent::run(&m_runner, [this]() {
        Result<Plan> r = computePlan(m_cancel);
        if (r.ok()) {
            m_plan = r.value();
            m_hasPlan = true;
            Q_EMIT planned(r.value());
        } else {
            Q_EMIT planFailed(r.error());
        }
        m_running = false; // last: the destructor waits for this
    });
}

Result<Plan> Job::planNow()
{
    m_running = true;
    Result<Plan> r = computePlan(m_cancel);
    if (r.ok()) {
        m_plan = r.value();
        m_hasPlan = true;
    }
    m_running = false;
    return r;
}

namespace {
JobResult refused(const Plan &plan, const Error &e)
{
    JobResult r;
    r.kind = plan.kind;
    r.environment = plan.environment.displayName();
    r.outcome = JobResult::Outcome::Refused;
    r.errors << e;
    return r;
}
} // namespace

JobResult Job::applyNow(const QString &confirmation)
{
    m_running = true;
    JobResult r = runApply(confirmation);
    m_running = false;
    return r;
}

Status Job::confirmApply(const QString &confirmation) const
{
    if (!m_plan.needsConfirmation())
        return success();
    return confirmProduction(m_plan.environment, confirmation,
                             QStringLiteral("a ") + planKindName(m_plan.kind));
}

JobResult Job::runApply(const QString &confirmation)
{
    if (!m_hasPlan) {
        Plan p;
        return refused(
            p, makeError(ErrorKind::Refused, QStringLiteral("there is no plan to apply; plan first")));
    }
    if (m_plan.refusal)
        return refused(m_plan, *m_plan.refusal);
    if (const Status confirmed = confirmApply(confirmation); !confirmed)
        return refused(m_plan, confirmed.error());
    QElapsedTimer t;
    t.start();
    JobResult r = execute(m_plan, m_cancel);
    r.elapsedMs = t.elapsed();
    if (r.outcome == JobResult::Outcome::Cancelled)
        r.setAsideCancelledTransfers();
    r.kind = m_plan.kind;
    r.environment = m_plan.environment.displayName();
    return r;
}

void Job::startApply(const QString &confirmation)
{
    if (m_running.load())
        return;
    // Refusals are answered at once, without a thread.
    if (!m_hasPlan || m_plan.refusal || !confirmApply(confirmation)) {
        const JobResult r = runApply(confirmation);
        QMetaObject::invokeMethod(
            this, [this, r]() { Q_EMIT finished(r); }, Qt::QueuedConnection);
        return;
    }
    m_running = true;
    (void)QtConcurrent::run(&m_runner, [this, confirmation]() {
        const JobResult r = runApply(confirmation);
        Q_EMIT finished(r);
        m_running = false; // last: the destructor waits for this
    });
}

void Job::cancel()
{
    m_cancel.cancel();
}

void Job::reportProgress(const JobProgress &p, bool force)
{
    {
        QMutexLocker lock(&m_progressMutex);
        // At most ~20 updates a second: a GUI needs no more, and a terminal even less.
        if (!force && m_lastProgress.isValid() && m_lastProgress.elapsed() < 50)
            return;
        m_lastProgress.restart();
    }
    Q_EMIT progress(p);
}

TransferRunner::Reporter Job::progressReporter()
{
    return [this](const JobProgress &p, bool force) { reportProgress(p, force); };
}

Result<std::shared_ptr<StorageBackend>> Job::openEnvironment(const EnvironmentNames &env) const
{
    StorageFactory factory(m_context.workspace);
    factory.setS3Tuning(m_context.s3TimeoutMs, m_context.s3MaxAttempts, m_context.multipartThreshold);
    CredentialLookup creds;
    if (m_context.workspace.profile().storage.type == StorageType::Mount)
        creds.source = CredentialSource::NotNeeded;
    else
        creds = m_context.resolver.resolve(env);
    return factory.open(env, creds);
}

int Job::concurrencyFor(const StorageBackend &backend) const
{
    if (m_context.concurrency > 0)
        return m_context.concurrency;
    return backend.accessKeyId().isEmpty() ? 4 : 16;
}

} // namespace moltdesk

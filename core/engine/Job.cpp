#include "Job.h"

#include "Logging.h"
#include "ProductionGuard.h"

#include <QScopeGuard>
#include <QtConcurrent>
#include <exception>

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

namespace {
// An exception escaping a subclass (bad_alloc, a bug) ends the job as a failure its caller sees.
// Let through, it would be lost in QtConcurrent's future and leave m_running set, and ~Job, which
// waits for that flag, would hang instead of reporting anything.
Error unexpectedFailure(const QString &during, const char *what)
{
    return makeError(
        ErrorKind::Local,
        QStringLiteral("%1 stopped by an unexpected failure (%2)").arg(during, QString::fromLocal8Bit(what)));
}

template <typename Fn, typename OnFailure>
auto catchingExceptions(Fn &&fn, OnFailure &&onFailure) -> decltype(fn())
{
    try {
        return fn();
    } catch (const std::exception &e) {
        return onFailure(e.what());
    } catch (...) {
        return onFailure("not a standard exception");
    }
}
} // namespace

Result<Plan> Job::guardedPlan()
{
    return catchingExceptions(
        [this]() { return computePlan(m_cancel); },
        [](const char *what) -> Result<Plan> { return unexpectedFailure(QStringLiteral("planning"), what); });
}

void Job::startPlan()
{
    if (m_running.exchange(true))
        return;
    (void)QtConcurrent::run(&m_runner, [this]() {
        const auto done = qScopeGuard([this]() { m_running = false; }); // last: ~Job waits for it
        Result<Plan> r = guardedPlan();
        if (r.ok()) {
            m_plan = r.value();
            m_hasPlan = true;
            Q_EMIT planned(r.value());
        } else {
            Q_EMIT planFailed(r.error());
        }
    });
}

Result<Plan> Job::planNow()
{
    m_running = true;
    const auto done = qScopeGuard([this]() { m_running = false; });
    Result<Plan> r = guardedPlan();
    if (r.ok()) {
        m_plan = r.value();
        m_hasPlan = true;
    }
    return r;
}

namespace {
JobResult ended(const Plan &plan, JobResult::Outcome outcome, const Error &e)
{
    JobResult r;
    r.kind = plan.kind;
    r.environment = plan.environment.displayName();
    r.outcome = outcome;
    r.errors << e;
    return r;
}

JobResult refused(const Plan &plan, const Error &e)
{
    return ended(plan, JobResult::Outcome::Refused, e);
}

JobResult failed(const Plan &plan, const Error &e)
{
    return ended(plan, JobResult::Outcome::Failed, e);
}
} // namespace

JobResult Job::applyNow(const QString &confirmation)
{
    m_running = true;
    const auto done = qScopeGuard([this]() { m_running = false; });
    return runApply(confirmation);
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
    JobResult r = catchingExceptions(
        [this]() { return execute(m_plan, m_cancel); },
        [this](const char *what) {
            return failed(m_plan,
                          unexpectedFailure(QStringLiteral("the %1").arg(planKindName(m_plan.kind)), what));
        });
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
        const auto done = qScopeGuard([this]() { m_running = false; }); // last: ~Job waits for it
        Q_EMIT finished(runApply(confirmation));
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

// Job, the plan-then-apply frame every operation shares: an exception escaping a subclass's
// planning or applying ends the job as an error its caller sees, and the job is no longer "running"
// afterwards (~Job waits for that flag, so a lost exception would hang instead of reporting).
#include "Job.h"

#include <QSignalSpy>
#include <QTest>
#include <stdexcept>

using namespace moltdesk;

namespace {

enum class Throw { Nothing, BadAlloc, Runtime, NotStandard };

[[noreturn]] void raise(Throw what)
{
    switch (what) {
    case Throw::BadAlloc:
        throw std::bad_alloc();
    case Throw::Runtime:
        throw std::runtime_error("boom in the subclass");
    case Throw::NotStandard:
    case Throw::Nothing:
        break;
    }
    throw 42;
}

// Neither planning nor applying here reaches storage or credentials.
JobContext noStorage()
{
    return JobContext{Workspace{}, EnvironmentNames{}, CredentialResolver({}, nullptr, false)};
}

class ThrowingJob : public Job
{
public:
    ThrowingJob(Throw inPlan, Throw inApply) : Job(noStorage()), m_inPlan(inPlan), m_inApply(inApply) {}

protected:
    Result<Plan> computePlan(const CancelToken &) override
    {
        if (m_inPlan != Throw::Nothing)
            raise(m_inPlan);
        Plan p;
        p.environment.environment = QStringLiteral("development");
        p.environment.bucket = QStringLiteral("moltbot-data-development");
        return p;
    }
    JobResult execute(const Plan &, const CancelToken &) override
    {
        if (m_inApply != Throw::Nothing)
            raise(m_inApply);
        return {};
    }

private:
    Throw m_inPlan, m_inApply;
};

} // namespace

class TestJob : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void planNowReportsAnExceptionAsItsError_data();
    void planNowReportsAnExceptionAsItsError();
    void startPlanReportsAnExceptionThroughPlanFailed();
    void applyNowReportsAnExceptionAsAFailure();
    void startApplyReportsAnExceptionThroughFinished();
    void anOrdinaryJobStillSucceeds();
};

void TestJob::planNowReportsAnExceptionAsItsError_data()
{
    QTest::addColumn<Throw>("what");
    QTest::addColumn<QString>("reason");
    QTest::newRow("bad_alloc") << Throw::BadAlloc << QStringLiteral("bad_alloc");
    QTest::newRow("runtime_error") << Throw::Runtime << QStringLiteral("boom in the subclass");
    QTest::newRow("not a std::exception") << Throw::NotStandard << QStringLiteral("not a standard exception");
}

void TestJob::planNowReportsAnExceptionAsItsError()
{
    QFETCH(Throw, what);
    QFETCH(QString, reason);
    ThrowingJob job(what, Throw::Nothing);
    const Result<Plan> r = job.planNow();
    QVERIFY(!r.ok());
    QCOMPARE(r.error().kind, ErrorKind::Local);
    QVERIFY2(r.error().message.startsWith(QStringLiteral("planning stopped")), qPrintable(r.error().message));
    QVERIFY2(r.error().message.contains(reason), qPrintable(r.error().message));
    QVERIFY(!job.isRunning());
    QVERIFY(!job.hasPlan());
}

void TestJob::startPlanReportsAnExceptionThroughPlanFailed()
{
    ThrowingJob job(Throw::BadAlloc, Throw::Nothing);
    QSignalSpy failed(&job, &Job::planFailed);
    job.startPlan();
    QVERIFY(failed.wait(10000));
    QVERIFY(failed.first().first().value<Error>().message.contains(QStringLiteral("bad_alloc")));
    QTRY_VERIFY(!job.isRunning());
}

void TestJob::applyNowReportsAnExceptionAsAFailure()
{
    ThrowingJob job(Throw::Nothing, Throw::Runtime);
    QVERIFY(job.planNow().ok());
    const JobResult r = job.applyNow();
    QCOMPARE(r.outcome, JobResult::Outcome::Failed);
    QCOMPARE(r.errors.size(), 1);
    QVERIFY2(r.errors.first().message.contains(QStringLiteral("boom in the subclass")),
             qPrintable(r.errors.first().message));
    QCOMPARE(r.environment, QStringLiteral("development"));
    QVERIFY(!job.isRunning());
}

void TestJob::startApplyReportsAnExceptionThroughFinished()
{
    ThrowingJob job(Throw::Nothing, Throw::NotStandard);
    QVERIFY(job.planNow().ok());
    QSignalSpy finished(&job, &Job::finished);
    job.startApply();
    QVERIFY(finished.wait(10000));
    QCOMPARE(finished.first().first().value<JobResult>().outcome, JobResult::Outcome::Failed);
    QTRY_VERIFY(!job.isRunning());
}

void TestJob::anOrdinaryJobStillSucceeds()
{
    ThrowingJob job(Throw::Nothing, Throw::Nothing);
    QVERIFY(job.planNow().ok());
    QVERIFY(job.hasPlan());
    QCOMPARE(job.applyNow().outcome, JobResult::Outcome::Succeeded);
    QVERIFY(!job.isRunning());
}

QTEST_GUILESS_MAIN(TestJob)
#include "tst_job.moc"

#include "LiveIsolationProbe.h"

#include "ProductionGuard.h"
#include "WorkerLogging.h"

namespace moltdesk {

namespace {
const QString kCheck = QStringLiteral("live");

Finding finding(Severity severity, const EnvironmentNames &env, const QString &title, const QString &evidence,
                const QString &remedy = {})
{
    Finding f;
    f.check = kCheck;
    f.severity = severity;
    f.environment = env.displayName();
    f.title = title;
    f.evidence = evidence;
    f.remedy = severity == Severity::Ok ? QString() : remedy;
    return f;
}
} // namespace

LiveIsolationProbe::LiveIsolationProbe(const Workspace &workspace, const WorkerActions &actions)
    : m_workspace(workspace), m_actions(actions)
{}

QMap<QString, Result<BucketSnapshot>> LiveIsolationProbe::snapshotAll(const CancelToken &cancel) const
{
    QMap<QString, Result<BucketSnapshot>> out;
    for (const EnvironmentNames &e : m_workspace.environments())
        out.insert(e.bucket, m_actions.snapshotBucket(e, cancel));
    return out;
}

QList<Finding> LiveIsolationProbe::run(const QString &confirmation, const CancelToken &cancel,
                                       const Progress &progress) const
{
    QList<Finding> out;
    for (const EnvironmentNames &env : m_workspace.environments()) {
        auto endpoint = WorkerLocator(m_workspace).locate(env);
        if (cancel.isCancelled() && endpoint) {
            // A cancelled probe says so for every worker it did not reach: silence is never a pass.
            out << finding(Severity::NotChecked, env, QStringLiteral("live check not checked: cancelled"),
                           QStringLiteral("the live check was cancelled before %1's backup was triggered")
                               .arg(env.displayName()),
                           QStringLiteral("run the live check again"));
            continue;
        }
        if (!endpoint) {
            if (endpoint.error().kind != ErrorKind::NotFound)
                out << finding(Severity::NotChecked, env,
                               QStringLiteral("live check not checked: no usable worker URL"),
                               endpoint.error().message, QStringLiteral("fix the worker URL in the profile"));
            continue; // no worker: nothing live to check
        }
        if (auto g = confirmProduction(env, confirmation, QStringLiteral("a live backup")); !g) {
            out << finding(
                Severity::NotChecked, env,
                QStringLiteral(
                    "live check not checked: production's backup is triggered only when confirmed"),
                g.error().message, QStringLiteral("run `moltctl verify --live --confirm production`"));
            continue;
        }
        out << probe(env, cancel, progress);
    }
    return out;
}

QList<Finding> LiveIsolationProbe::probe(const EnvironmentNames &env, const CancelToken &cancel,
                                         const Progress &progress) const
{
    if (progress)
        progress(QStringLiteral("live: %1: listing every bucket, then triggering its backup")
                     .arg(env.displayName()));
    const auto before = snapshotAll(cancel);
    auto client = m_actions.client(env);
    Result<SyncClaim> claim =
        client ? client.value()->sync(cancel).result() : Result<SyncClaim>(client.error());
    if (!claim)
        return {finding(Severity::NotChecked, env,
                        QStringLiteral("live check not checked: the backup could not be triggered"),
                        claim.error().message,
                        QStringLiteral("see `moltctl worker status %1`")
                            .arg(env.isLegacy() ? QStringLiteral("legacy") : env.environment))};
    const auto after = snapshotAll(cancel);
    QList<Finding> out;
    bool leaked = false;
    for (auto it = after.begin(); it != after.end(); ++it) {
        const auto &b = before.value(
            it.key(), Result<BucketSnapshot>(makeError(ErrorKind::Local, QStringLiteral("not read"))));
        if (!b || !it.value()) {
            out << finding(Severity::NotChecked, env,
                           QStringLiteral("live check: %1 not checked").arg(it.key()),
                           (!b ? b.error() : it.value().error()).message,
                           QStringLiteral("give moltdesk credentials that can list %1").arg(it.key()));
            continue;
        }
        if (it.key() == env.bucket) {
            auto v = WorkerActions::verifyClaim(claim.value(), b.value(), it.value().value());
            if (!v)
                out << finding(
                    Severity::Failure, env,
                    QStringLiteral("%1's backup did not land in its own bucket").arg(env.displayName()),
                    v.error().message, QStringLiteral("check the worker's R2 bucket binding and mount path"));
            continue;
        }
        const SnapshotDiff d = diff(b.value(), it.value().value());
        if (!d.empty()) {
            leaked = true;
            out << finding(
                Severity::Failure, env,
                QStringLiteral("%1's backup changed %2, another environment's bucket")
                    .arg(env.displayName(), it.key()),
                QStringLiteral("between the two listings around the backup: %1").arg(d.summary()),
                QStringLiteral("the container writes to the wrong bucket: check its ENVIRONMENT, R2 binding "
                               "and mount path (and that nothing else wrote %1 meanwhile)")
                    .arg(it.key()));
        }
    }
    if (!leaked &&
        std::none_of(out.begin(), out.end(), [](const Finding &f) { return f.severity != Severity::Ok; }))
        out << finding(Severity::Ok, env,
                       QStringLiteral("%1's live backup changed only its own bucket").arg(env.displayName()),
                       QStringLiteral("%1 buckets listed before and after; %2 holds the claimed backup (%3)")
                           .arg(after.size())
                           .arg(env.bucket, claim.value().lastSync));
    qCInfo(lcWorker) << "live probe of" << env.displayName() << "findings" << out.size();
    return out;
}

} // namespace moltdesk

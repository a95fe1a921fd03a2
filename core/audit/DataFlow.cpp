#include "DataFlow.h"

#include <QHash>
#include <algorithm>

namespace moltdesk {

namespace {

bool isLegacyName(const QString &display)
{
    return display.startsWith(QLatin1Char('('));
}

HopState fromSeverity(Severity s)
{
    switch (s) {
    case Severity::Ok:
        return HopState::Ok;
    case Severity::NotChecked:
        return HopState::NotChecked;
    case Severity::Warning:
        return HopState::Warning;
    case Severity::Failure:
        return HopState::Broken;
    }
    return HopState::NotChecked;
}

// The worst finding of one check for one environment, as a hop: its state and title. No finding at
// all means the check said nothing about it: not checked.
FlowHop fromFindings(const AuditReport &r, const QString &check, const QString &env)
{
    FlowHop hop;
    int worst = -1;
    for (const Finding &f : r.findings) {
        if (f.check != check || f.environment != env || int(f.severity) <= worst)
            continue;
        worst = int(f.severity);
        hop.state = fromSeverity(f.severity);
        hop.value = f.title;
        hop.detail = f.evidence;
    }
    if (worst < 0)
        hop.value = QStringLiteral("not checked");
    return hop;
}

// Values several environments share: where they converge.
QHash<QString, int> counts(const AuditReport &r, QString PathRow::*field)
{
    QHash<QString, int> n;
    for (const PathRow &p : r.paths) {
        if (!(p.*field).isEmpty())
            ++n[p.*field];
    }
    return n;
}

FlowHop hop(QString id, QString label, QString value, QString detail, HopState state)
{
    FlowHop h;
    h.id = std::move(id);
    h.label = std::move(label);
    h.value = std::move(value);
    h.detail = std::move(detail);
    h.state = state;
    return h;
}

// Values two or more environments share: where their chains converge.
struct Convergence
{
    QHash<QString, int> environments, buckets, mounts, reads;
};

bool noWrangler(const PathRow &p)
{
    return p.mountSource.startsWith(QLatin1String("profile (no wrangler"));
}

FlowHop wranglerHop(const PathRow &p)
{
    const HopState state = noWrangler(p)                                        ? HopState::NotChecked
                           : p.mountSource.startsWith(QLatin1String("profile")) ? HopState::Warning
                                                                                : HopState::Ok;
    return hop(QStringLiteral("wrangler"),
               isLegacyName(p.environment) ? QStringLiteral("wrangler (top level)")
                                           : QStringLiteral("wrangler env.%1").arg(p.environment),
               p.mountSource,
               noWrangler(p) ? QStringLiteral("no wrangler.jsonc in the profile: not checked") : QString(),
               state);
}

FlowHop environmentHop(const PathRow &p, const Convergence &cv)
{
    const bool legacy = isLegacyName(p.environment);
    HopState state = HopState::Ok;
    QString detail;
    if (noWrangler(p)) {
        state = HopState::NotChecked;
        detail = QStringLiteral("taken from the profile, not from the worker");
    } else if (!legacy && !p.workerEnvironmentSet) {
        state = HopState::Broken;
        detail = QStringLiteral("unset: the worker falls back to the legacy names");
    } else if (!legacy && p.workerEnvironment != p.environment) {
        state = HopState::Broken;
        detail = QStringLiteral("not the environment's own name %1").arg(p.environment);
    }
    if (p.workerEnvironmentSet && cv.environments.value(p.workerEnvironment) > 1) {
        state = HopState::Broken;
        detail = QStringLiteral("another environment deploys with the same ENVIRONMENT");
    }
    return hop(QStringLiteral("environment"), QStringLiteral("vars.ENVIRONMENT"),
               p.workerEnvironmentSet ? p.workerEnvironment : QStringLiteral("(unset)"), detail, state);
}

FlowHop bucketHop(const PathRow &p, const Convergence &cv)
{
    HopState state = noWrangler(p) ? HopState::NotChecked : HopState::Ok;
    QStringList detail{QStringLiteral("naming rule: %1").arg(p.ownBucket),
                       QStringLiteral("worker mounts: %1").arg(p.workerBucket)};
    const bool bound = !p.boundBucket.isEmpty();
    if (bound)
        detail << QStringLiteral("wrangler binds: %1 (%2)").arg(p.boundBucket, p.boundSource);
    if (p.workerBucket != p.ownBucket || (bound && p.boundBucket != p.ownBucket))
        state = HopState::Broken;
    if (cv.buckets.value(p.workerBucket) > 1 ||
        (bound && cv.buckets.value(p.boundBucket) > 0 && p.boundBucket != p.ownBucket)) {
        state = HopState::Broken;
        detail << QStringLiteral("environments converge on one bucket");
    }
    const QString value = bound && p.boundBucket != p.workerBucket
                              ? QStringLiteral("%1 · binds %2").arg(p.workerBucket, p.boundBucket)
                              : p.workerBucket;
    return hop(QStringLiteral("bucket"), QStringLiteral("bucket"), value, detail.join(QStringLiteral("; ")),
               state);
}

FlowHop mountHop(const PathRow &p, const Convergence &cv)
{
    HopState state = HopState::Ok;
    QString detail = p.mountedBy.isEmpty() ? QString() : QStringLiteral("mounted by: %1").arg(p.mountedBy);
    if (p.mountedBy == QLatin1String("plain directory") || p.mountedBy == QLatin1String("missing") ||
        p.mountedBy.startsWith(QLatin1String("inside ")))
        state = HopState::Warning;
    if (cv.mounts.value(p.mountPath) > 1) {
        state = HopState::Broken;
        detail = QStringLiteral("another environment mounts at the same path");
    }
    return hop(QStringLiteral("mount"), QStringLiteral("mount path"), p.mountPath, detail, state);
}

FlowHop readHop(const PathRow &p, const Convergence &cv)
{
    HopState state = !p.readPathKnown ? HopState::NotChecked : p.readAgrees ? HopState::Ok : HopState::Broken;
    QString detail = p.readSource;
    if (p.readPathKnown && cv.reads.value(p.readPath) > 1) {
        state = HopState::Broken;
        detail += QStringLiteral("; another environment restores from the same path");
    } else if (p.readPathKnown && !p.readAgrees) {
        detail +=
            QStringLiteral("; the worker mounts at %1: restore reads what nothing writes").arg(p.mountPath);
    }
    return hop(QStringLiteral("read"), QStringLiteral("restore reads (BACKUP_DIR)"),
               p.readPathKnown ? p.readPath : QStringLiteral("?"), detail, state);
}

FlowHop findingHop(const AuditReport &r, const QString &check, const PathRow &p, QString id, QString label)
{
    FlowHop h = fromFindings(r, check, p.environment);
    h.id = std::move(id);
    h.label = std::move(label);
    return h;
}

FlowColumn columnOf(const AuditReport &r, const PathRow &p, const Convergence &cv)
{
    FlowColumn c;
    c.environment = p.environment;
    c.hops << wranglerHop(p) << environmentHop(p, cv) << bucketHop(p, cv)
           << findingHop(r, QStringLiteral("marker"), p, QStringLiteral("marker"),
                         QStringLiteral("identity marker"))
           << mountHop(p, cv)
           << hop(QStringLiteral("write"), QStringLiteral("sync writes"), p.writePath,
                  p.writeAgrees ? QString()
                                : QStringLiteral("not where the worker mounts %1").arg(p.workerBucket),
                  p.writeAgrees ? HopState::Ok : HopState::Broken)
           << readHop(p, cv)
           << findingHop(r, QStringLiteral("freshness"), p, QStringLiteral("lastSync"),
                         QStringLiteral("last sync"));
    // The live probe ran (verify --live, View > Verify live…): what each container's backup touched.
    if (std::any_of(r.findings.begin(), r.findings.end(),
                    [](const Finding &f) { return f.check == QLatin1String("live"); }))
        c.hops << findingHop(r, QStringLiteral("live"), p, QStringLiteral("live"),
                             QStringLiteral("live backup"));
    for (FlowHop &h : c.hops) {
        if (h.state == HopState::Broken) {
            h.firstBreak = true;
            break;
        }
    }
    return c;
}

} // namespace

QString hopStateName(HopState s)
{
    switch (s) {
    case HopState::Ok:
        return QStringLiteral("ok");
    case HopState::Warning:
        return QStringLiteral("warning");
    case HopState::Broken:
        return QStringLiteral("broken");
    case HopState::NotChecked:
        return QStringLiteral("not-checked");
    }
    return QStringLiteral("not-checked");
}

QString hopSymbol(HopState s)
{
    switch (s) {
    case HopState::Ok:
        return QStringLiteral("✔");
    case HopState::Warning:
        return QStringLiteral("▲");
    case HopState::Broken:
        return QStringLiteral("✘");
    case HopState::NotChecked:
        return QStringLiteral("?");
    }
    return QStringLiteral("?");
}

QString FlowHop::description() const
{
    QString d = QStringLiteral("%1 %2: %3").arg(hopSymbol(state), hopStateName(state), value);
    if (firstBreak)
        d += QStringLiteral(" (the chain breaks here)");
    if (!detail.isEmpty())
        d += QStringLiteral(". ") + detail;
    return d;
}

QList<FlowColumn> buildDataFlow(const AuditReport &report)
{
    Convergence cv;
    for (const PathRow &p : report.paths) {
        if (p.workerEnvironmentSet)
            ++cv.environments[p.workerEnvironment];
        if (p.readPathKnown)
            ++cv.reads[p.readPath];
    }
    cv.buckets = counts(report, &PathRow::workerBucket);
    cv.mounts = counts(report, &PathRow::mountPath);
    QList<FlowColumn> out;
    for (const PathRow &p : report.paths)
        out << columnOf(report, p, cv);
    return out;
}

} // namespace moltdesk

#include "DataFlow.h"

#include <QHash>

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

FlowColumn columnOf(const AuditReport &r, const PathRow &p, const QHash<QString, int> &envs,
                    const QHash<QString, int> &buckets, const QHash<QString, int> &mounts,
                    const QHash<QString, int> &reads)
{
    const bool legacy = isLegacyName(p.environment);
    const bool noWrangler = p.mountSource.startsWith(QLatin1String("profile (no wrangler"));
    FlowColumn c;
    c.environment = p.environment;

    const HopState wranglerState = noWrangler                                           ? HopState::NotChecked
                                   : p.mountSource.startsWith(QLatin1String("profile")) ? HopState::Warning
                                                                                        : HopState::Ok;
    c.hops << hop(QStringLiteral("wrangler"),
                  legacy ? QStringLiteral("wrangler (top level)")
                         : QStringLiteral("wrangler env.%1").arg(p.environment),
                  p.mountSource,
                  noWrangler ? QStringLiteral("no wrangler.jsonc in the profile: not checked") : QString(),
                  wranglerState);

    HopState envState = HopState::Ok;
    QString envDetail;
    if (noWrangler) {
        envState = HopState::NotChecked;
        envDetail = QStringLiteral("taken from the profile, not from the worker");
    } else if (!legacy && !p.workerEnvironmentSet) {
        envState = HopState::Broken;
        envDetail = QStringLiteral("unset: the worker falls back to the legacy names");
    } else if (!legacy && p.workerEnvironment != p.environment) {
        envState = HopState::Broken;
        envDetail = QStringLiteral("not the environment's own name %1").arg(p.environment);
    }
    if (p.workerEnvironmentSet && envs.value(p.workerEnvironment) > 1) {
        envState = HopState::Broken;
        envDetail = QStringLiteral("another environment deploys with the same ENVIRONMENT");
    }
    c.hops << hop(QStringLiteral("environment"), QStringLiteral("vars.ENVIRONMENT"),
                  p.workerEnvironmentSet ? p.workerEnvironment : QStringLiteral("(unset)"), envDetail,
                  envState);

    HopState bucketState = noWrangler ? HopState::NotChecked : HopState::Ok;
    QStringList bucketDetail{QStringLiteral("naming rule: %1").arg(p.ownBucket),
                             QStringLiteral("worker mounts: %1").arg(p.workerBucket)};
    if (!p.boundBucket.isEmpty())
        bucketDetail << QStringLiteral("wrangler binds: %1 (%2)").arg(p.boundBucket, p.boundSource);
    if (p.workerBucket != p.ownBucket || (!p.boundBucket.isEmpty() && p.boundBucket != p.ownBucket))
        bucketState = HopState::Broken;
    if (buckets.value(p.workerBucket) > 1 ||
        (!p.boundBucket.isEmpty() && buckets.value(p.boundBucket) > 0 && p.boundBucket != p.ownBucket)) {
        bucketState = HopState::Broken;
        bucketDetail << QStringLiteral("environments converge on one bucket");
    }
    const QString bucketValue = !p.boundBucket.isEmpty() && p.boundBucket != p.workerBucket
                                    ? QStringLiteral("%1 · binds %2").arg(p.workerBucket, p.boundBucket)
                                    : p.workerBucket;
    c.hops << hop(QStringLiteral("bucket"), QStringLiteral("bucket"), bucketValue,
                  bucketDetail.join(QStringLiteral("; ")), bucketState);

    FlowHop marker = fromFindings(r, QStringLiteral("marker"), p.environment);
    marker.id = QStringLiteral("marker");
    marker.label = QStringLiteral("identity marker");
    c.hops << marker;

    HopState mountState = HopState::Ok;
    QString mountDetail =
        p.mountedBy.isEmpty() ? QString() : QStringLiteral("mounted by: %1").arg(p.mountedBy);
    if (p.mountedBy == QLatin1String("plain directory") || p.mountedBy == QLatin1String("missing") ||
        p.mountedBy.startsWith(QLatin1String("inside ")))
        mountState = HopState::Warning;
    if (mounts.value(p.mountPath) > 1) {
        mountState = HopState::Broken;
        mountDetail = QStringLiteral("another environment mounts at the same path");
    }
    c.hops << hop(QStringLiteral("mount"), QStringLiteral("mount path"), p.mountPath, mountDetail,
                  mountState);

    c.hops << hop(QStringLiteral("write"), QStringLiteral("sync writes"), p.writePath,
                  p.writeAgrees ? QString()
                                : QStringLiteral("not where the worker mounts %1").arg(p.workerBucket),
                  p.writeAgrees ? HopState::Ok : HopState::Broken);

    HopState readState = !p.readPathKnown ? HopState::NotChecked
                         : p.readAgrees   ? HopState::Ok
                                          : HopState::Broken;
    QString readDetail = p.readSource;
    if (p.readPathKnown && reads.value(p.readPath) > 1) {
        readState = HopState::Broken;
        readDetail += QStringLiteral("; another environment restores from the same path");
    } else if (p.readPathKnown && !p.readAgrees) {
        readDetail +=
            QStringLiteral("; the worker mounts at %1: restore reads what nothing writes").arg(p.mountPath);
    }
    c.hops << hop(QStringLiteral("read"), QStringLiteral("restore reads (BACKUP_DIR)"),
                  p.readPathKnown ? p.readPath : QStringLiteral("?"), readDetail, readState);

    FlowHop last = fromFindings(r, QStringLiteral("freshness"), p.environment);
    last.id = QStringLiteral("lastSync");
    last.label = QStringLiteral("last sync");
    c.hops << last;

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
    QHash<QString, int> envs;
    for (const PathRow &p : report.paths) {
        if (p.workerEnvironmentSet)
            ++envs[p.workerEnvironment];
    }
    const QHash<QString, int> buckets = counts(report, &PathRow::workerBucket);
    const QHash<QString, int> mounts = counts(report, &PathRow::mountPath);
    QHash<QString, int> reads;
    for (const PathRow &p : report.paths) {
        if (p.readPathKnown)
            ++reads[p.readPath];
    }
    QList<FlowColumn> out;
    for (const PathRow &p : report.paths)
        out << columnOf(report, p, envs, buckets, mounts, reads);
    return out;
}

} // namespace moltdesk

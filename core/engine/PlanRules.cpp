#include "PlanRules.h"

#include "IdentityMarker.h"
#include "Plan.h"
#include "SyncJob.h"

namespace moltdesk::PlanRules {

bool unchangedByTime(qint64 localSize, qint64 localMtimeNs, const ObjectInfo &remote, bool backendKeepsTimes)
{
    return backendKeepsTimes && remote.size == localSize &&
           remote.modified.toMSecsSinceEpoch() == localMtimeNs / 1000000;
}

FileDiff diffFile(qint64 localSize, const QByteArray &localMd5, const ObjectInfo *remote,
                  const QByteArray &remoteMd5)
{
    if (!remote)
        return FileDiff::Upload;
    if (remote->size != localSize)
        return FileDiff::Replace;
    if (remoteMd5.isEmpty())
        return FileDiff::ReplaceUnproven;
    if (localMd5.isEmpty())
        return FileDiff::HashFirst;
    return remoteMd5 == localMd5 ? FileDiff::Keep : FileDiff::Replace;
}

bool isConfigPrefix(const QString &prefix)
{
    return prefix == QLatin1String("clawdbot/") || prefix == QLatin1String("openclaw/");
}

QString emptySourceReason(const QString &local, const QString &prefix, bool rootExists, qint64 files,
                          bool hasConfigFile)
{
    if (!rootExists)
        return QStringLiteral("source folder %1 does not exist").arg(local);
    if (files == 0)
        return QStringLiteral("source folder %1 is empty").arg(local);
    if (isConfigPrefix(prefix) && !hasConfigFile)
        return QStringLiteral("source folder %1 has no clawdbot.json or openclaw.json").arg(local);
    return {};
}

std::optional<Error> emptySourceRefusal(const QString &reason, qint64 deletions, const QString &prefix,
                                        const QString &bucket)
{
    if (reason.isEmpty() || deletions <= 0)
        return std::nullopt;
    return makeRefusal(
        RefusalCode::EmptySource,
        QStringLiteral("%1, and syncing would delete %2 object(s) under %3 in %4. Refusing to "
                       "overwrite a backup with an empty source; restore first or fix the path.")
            .arg(reason)
            .arg(deletions)
            .arg(prefix.isEmpty() ? QStringLiteral("/") : prefix, bucket));
}

qint64 deleteLimit(qint64 maxDelete, qint64 remoteObjects)
{
    if (maxDelete >= 0)
        return maxDelete;
    return qMax<qint64>(SyncOptions::kMinDeleteLimit,
                        qint64(double(remoteObjects) * SyncOptions::kDefaultDeleteFraction));
}

std::optional<Error> deleteLimitRefusal(qint64 deletions, qint64 remoteObjects, qint64 maxDelete,
                                        bool allowUnlimited, const QString &bucket)
{
    const qint64 limit = deleteLimit(maxDelete, remoteObjects);
    if (allowUnlimited || deletions <= limit)
        return std::nullopt;
    return makeRefusal(
        RefusalCode::DeleteLimit,
        QStringLiteral("the plan deletes %1 of %2 objects in %3, more than the limit of %4. Check the "
                       "source folders; if this is intended, raise the limit (--max-delete %1).")
            .arg(deletions)
            .arg(remoteObjects)
            .arg(bucket)
            .arg(limit));
}

std::optional<Error> markerRefusal(const MarkerReading &marker, const EnvironmentNames &env,
                                   const QString &bucket)
{
    if (marker.state == MarkerState::Foreign)
        return makeRefusal(
            RefusalCode::CrossWired,
            QStringLiteral("bucket %1 is marked as belonging to %2, not %3: its environments are "
                           "cross-wired. Refusing to write; run `moltctl verify` to see why.")
                .arg(bucket, marker.marker->environmentLabel(), env.displayName()));
    // An unreadable marker is evidence (of what, only a person can tell): never written over by sync.
    if (marker.state == MarkerState::Unreadable)
        return makeRefusal(
            RefusalCode::UnreadableMarker,
            QStringLiteral("the identity marker in %1 cannot be read (%2), so nothing says whose bucket it "
                           "is. Refusing to write; look at it, and if the bucket is %3's, replace it with "
                           "`moltctl stamp %4 --force`.")
                .arg(bucket, marker.error ? marker.error->message : QString(), env.displayName(),
                     env.isLegacy() ? QStringLiteral("legacy") : env.environment));
    return std::nullopt;
}

RestoreDecision decideRestore(const RestoreStamps &stamps, bool force, bool partial)
{
    if (force)
        return {true, QStringLiteral("forced")};
    if (partial)
        return {true, QStringLiteral("a partial restore: the bucket's .last-sync is not compared with the "
                                     "target's")};
    if (!stamps.bucket) {
        const bool needed = !stamps.target && !stamps.targetUnreadable;
        return {needed, needed ? QStringLiteral("the bucket has no .last-sync and the target has none either")
                               : QStringLiteral("the bucket has no .last-sync, so it cannot be shown newer "
                                                "than the target's; use --force")};
    }
    if (!stamps.target)
        return {true, stamps.targetUnreadable ? QStringLiteral("the target's .last-sync is unreadable")
                                              : QStringLiteral("the target has no .last-sync")};
    const bool newer = *stamps.bucket > *stamps.target;
    return {newer, QStringLiteral("bucket %1 is %2 than target %3")
                       .arg(stamps.bucket->toString(Qt::ISODate),
                            newer ? QStringLiteral("newer") : QStringLiteral("not newer"),
                            stamps.target->toString(Qt::ISODate))};
}

QString detectLayout(const std::function<bool(const QString &key)> &hasKey)
{
    if (hasKey(QStringLiteral("openclaw/openclaw.json")))
        return QStringLiteral("openclaw");
    if (hasKey(QStringLiteral("clawdbot/clawdbot.json")))
        return QStringLiteral("clawdbot");
    if (hasKey(QStringLiteral("clawdbot.json")))
        return QStringLiteral("flat");
    return {};
}

QString restorePathOf(const QString &key, const QString &layout)
{
    static const QLatin1String dataPrefixes[] = {QLatin1String("workspace/"), QLatin1String("skills/")};
    for (const QLatin1String &p : dataPrefixes) {
        if (key.startsWith(p))
            return key;
    }
    if (layout == QLatin1String("flat"))
        return key.contains(QLatin1Char('/')) ? QString() : QStringLiteral("clawdbot/") + key;
    if (!layout.isEmpty() && key.startsWith(layout + QLatin1Char('/')))
        return key;
    return {};
}

} // namespace moltdesk::PlanRules

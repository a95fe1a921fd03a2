#include "BucketSnapshot.h"

#include "LastSync.h"

namespace moltdesk {

Result<BucketSnapshot> BucketSnapshot::take(StorageBackend &backend, const CancelToken &cancel)
{
    BucketSnapshot s;
    s.bucket = backend.bucket();
    auto listing = backend.list(ListRequest{}, cancel).result();
    if (!listing)
        return listing.error();
    for (const ObjectInfo &o : listing.value().objects)
        s.objects.insert(o.key, Entry{o.etag, o.size});
    if (s.objects.contains(QLatin1String(LastSync::kKey))) {
        auto raw = backend.getBytes(QLatin1String(LastSync::kKey)).result();
        if (!raw)
            return raw.error();
        s.hasLastSync = true;
        s.lastSyncRaw = raw.value().trimmed();
        if (auto t = LastSync::parse(raw.value()))
            s.lastSync = t.value();
    }
    return s;
}

bool BucketSnapshot::hasPrefix(const QString &prefix) const
{
    const auto it = objects.lowerBound(prefix);
    return it != objects.end() && it.key().startsWith(prefix);
}

QString BucketSnapshot::era() const
{
    if (hasPrefix(QStringLiteral("openclaw/")))
        return QStringLiteral("rclone");
    if (hasPrefix(QStringLiteral("clawdbot/")) || hasLastSync)
        return QStringLiteral("rsync");
    return {};
}

QString SnapshotDiff::summary(int maxKeys) const
{
    QString s = QStringLiteral("%1 added, %2 changed, %3 removed")
                    .arg(added.size())
                    .arg(changed.size())
                    .arg(removed.size());
    const QStringList keys = added + changed + removed;
    if (!keys.isEmpty()) {
        s += QStringLiteral(" (") + keys.mid(0, maxKeys).join(QStringLiteral(", "));
        if (keys.size() > maxKeys)
            s += QStringLiteral(", ...");
        s += QLatin1Char(')');
    }
    return s;
}

SnapshotDiff diff(const BucketSnapshot &before, const BucketSnapshot &after)
{
    SnapshotDiff d;
    for (auto it = after.objects.begin(); it != after.objects.end(); ++it) {
        const auto old = before.objects.constFind(it.key());
        if (old == before.objects.end())
            d.added << it.key();
        else if (!(old.value() == it.value()))
            d.changed << it.key();
    }
    for (auto it = before.objects.begin(); it != before.objects.end(); ++it) {
        if (!after.objects.contains(it.key()))
            d.removed << it.key();
    }
    return d;
}

} // namespace moltdesk

#pragma once

#include "StorageBackend.h"

#include <QDateTime>
#include <QMap>

namespace moltdesk {

// A bucket as seen from outside the container at one moment: every key with its ETag and size, and
// the .last-sync it holds. Two snapshots tell what a backup really changed.
struct BucketSnapshot
{
    struct Entry
    {
        QByteArray etag;
        qint64 size = -1;
        bool operator==(const Entry &o) const { return etag == o.etag && size == o.size; }
    };
    QString bucket;
    QMap<QString, Entry> objects;
    bool hasLastSync = false;
    QByteArray lastSyncRaw;
    QDateTime lastSync; // invalid when missing or unreadable

    // Reads the whole listing and .last-sync. Blocking: call it from a worker thread.
    static Result<BucketSnapshot> take(StorageBackend &backend, const CancelToken &cancel = {});

    bool hasPrefix(const QString &prefix) const;
    // The era of the backup it holds: "rclone" (openclaw/), "rsync" (clawdbot/ or .last-sync), "" (none).
    QString era() const;
};

struct SnapshotDiff
{
    QStringList added, changed, removed;
    bool empty() const { return added.isEmpty() && changed.isEmpty() && removed.isEmpty(); }
    int count() const { return int(added.size() + changed.size() + removed.size()); }
    // "3 added, 1 changed, 0 removed (clawdbot/devices/paired.json, ...)"
    QString summary(int maxKeys = 5) const;
};

SnapshotDiff diff(const BucketSnapshot &before, const BucketSnapshot &after);

} // namespace moltdesk

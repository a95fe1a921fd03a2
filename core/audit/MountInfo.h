#pragma once

#include "Result.h"

#include <QList>
#include <QString>

namespace moltdesk {

struct MountEntry
{
    QString mountPoint; // unescaped
    QString fsType;     // "fuse.s3fs", "fuse.rclone", "ext4", ...
    QString source;     // "s3fs", "r2:moltbot-data-production", "/dev/sda1"
};

// /proc/self/mountinfo, read to tell whether a mount path really is a bucket mount. Paths there
// escape space, tab, newline and backslash as \040, \011, \012 and \134.
class MountInfo
{
public:
    static Result<MountInfo> load(const QString &path);
    static MountInfo parse(const QByteArray &text);
    static QString unescape(const QByteArray &field);

    const QList<MountEntry> &entries() const { return m_entries; }
    // What is mounted exactly at path (the topmost of stacked mounts), or nullptr.
    const MountEntry *at(const QString &path) const;
    // The nearest mount strictly above path, or nullptr.
    const MountEntry *containing(const QString &path) const;

    // The bucket a mount source names, when it names one ("remote:bucket/sub" for rclone), else empty.
    static QString bucketOfSource(const MountEntry &entry);

private:
    QList<MountEntry> m_entries;
};

} // namespace moltdesk

#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QMutex>
#include <QString>

namespace moltdesk {

// What mount-mode sync wrote, keyed by what the mount reported right after the write. A FUSE mount
// of a bucket (s3fs, rclone mount) keeps no modification time through the rename that makes a write
// atomic and shows no checksum, so size and time alone cannot say a file is unchanged. This
// remembers, per object, the size and time the mount showed after we wrote it and the MD5 of what we
// wrote: while the mount still shows exactly that size and time, the object holds that MD5, so a
// no-op sync compares MD5s without reading any bucket file (and an object someone else rewrote has
// another time, and is compared by content again).
class MountManifest
{
public:
    struct Entry
    {
        qint64 size = 0;
        qint64 mtimeMs = 0; // as the mount showed it after the write
        QByteArray md5;
    };

    explicit MountManifest(QString path = {});
    static QString defaultPath();

    bool load();
    bool save() const;
    // The MD5 of `key` in the bucket at `location` if the mount still shows the size and time seen
    // right after Moltdesk wrote it; empty otherwise.
    QByteArray md5If(const QString &location, const QString &key, qint64 size,
                     const QDateTime &modified) const;
    void store(const QString &location, const QString &key, qint64 size, const QDateTime &modified,
               const QByteArray &md5);
    void forget(const QString &location, const QString &key);
    int size() const;

private:
    static QString id(const QString &location, const QString &key);
    QString m_path;
    mutable QMutex m_mutex;
    QHash<QString, Entry> m_entries;
    bool m_dirty = false;
};

} // namespace moltdesk

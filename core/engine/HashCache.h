#pragma once

#include <QByteArray>
#include <QHash>
#include <QMutex>
#include <QString>
#include <array>

namespace moltdesk {

// Remembers file digests keyed by path, size and modification time, so an unchanged file is never
// read again. A changed size or time (even a touch) means a fresh hash.
//
// Held compactly, because a sync of 100,000 files holds one entry per file while it plans: the path is
// kept as its 128-bit MD5 (two different paths sharing one is beyond any real tree: about 2^-100 for a
// million files, and even then the size and nanosecond time must match too), the digests as raw bytes.
// About 100 bytes an entry instead of about 400 with the path and hex digests as strings.
class HashCache
{
public:
    struct Entry
    {
        qint64 size = 0;
        qint64 mtimeNs = 0;
        QByteArray md5;    // hex
        QByteArray sha256; // hex
    };

    explicit HashCache(QString path = {});
    static QString defaultPath();

    bool load();
    bool save() const;
    bool lookup(const QString &file, qint64 size, qint64 mtimeNs, Entry &out) const;
    void store(const QString &file, const Entry &entry);
    int size() const;

    struct PathKey
    {
        quint64 hi = 0, lo = 0;
        bool operator==(const PathKey &o) const { return hi == o.hi && lo == o.lo; }
    };
    struct Stored
    {
        qint64 size = 0;
        qint64 mtimeNs = 0;
        std::array<char, 16> md5{};
        std::array<char, 32> sha256{};
    };
    static PathKey keyOf(const QString &file);

private:
    bool loadV1(class QDataStream &in, qint64 count, QHash<PathKey, Stored> &entries);
    QString m_path;
    mutable QMutex m_mutex;
    QHash<PathKey, Stored> m_entries;
    bool m_dirty = false;
};

inline size_t qHash(const HashCache::PathKey &k, size_t seed = 0) noexcept
{
    return size_t(k.lo) ^ seed;
}

} // namespace moltdesk

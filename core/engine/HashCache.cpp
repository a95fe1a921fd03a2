#include "HashCache.h"

#include "CacheFile.h"
#include "Logging.h"

#include <QCryptographicHash>
#include <QDataStream>
#include <QDir>
#include <QFileInfo>
#include <QSaveFile>
#include <QStandardPaths>
#include <cstring>

namespace moltdesk {

namespace {
constexpr quint32 kMagic = 0x4d444843; // "MDHC"
constexpr quint32 kVersionPaths = 1;   // path as a string, hex digests (still read)
constexpr quint32 kVersion = 2;        // path as its MD5, raw digests

template <size_t N> bool fromHex(const QByteArray &hex, std::array<char, N> &out)
{
    const QByteArray raw = QByteArray::fromHex(hex);
    if (raw.size() != qsizetype(N))
        return false;
    std::memcpy(out.data(), raw.constData(), N);
    return true;
}

template <size_t N> QByteArray toHex(const std::array<char, N> &raw)
{
    return QByteArray::fromRawData(raw.data(), N).toHex();
}

bool compact(const HashCache::Entry &e, HashCache::Stored &out)
{
    out.size = e.size;
    out.mtimeNs = e.mtimeNs;
    return fromHex(e.md5, out.md5) && fromHex(e.sha256, out.sha256);
}
} // namespace

HashCache::HashCache(QString path) : m_path(path.isEmpty() ? defaultPath() : std::move(path)) {}

QString HashCache::defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::CacheLocation) + QStringLiteral("/hashes.v1");
}

HashCache::PathKey HashCache::keyOf(const QString &file)
{
    const QByteArray d = QCryptographicHash::hash(
        QByteArrayView(reinterpret_cast<const char *>(file.utf16()), file.size() * 2),
        QCryptographicHash::Md5);
    PathKey k;
    std::memcpy(&k.hi, d.constData(), 8);
    std::memcpy(&k.lo, d.constData() + 8, 8);
    return k;
}

bool HashCache::loadV1(QDataStream &in, qint64 count, QHash<PathKey, Stored> &entries)
{
    for (qint64 i = 0; i < count && in.status() == QDataStream::Ok; ++i) {
        QString file;
        Entry e;
        in >> file >> e.size >> e.mtimeNs >> e.md5 >> e.sha256;
        Stored s;
        if (compact(e, s))
            entries.insert(keyOf(file), s);
    }
    return in.status() == QDataStream::Ok;
}

bool HashCache::load()
{
    QFile f(m_path);
    if (!f.open(QIODevice::ReadOnly))
        return false;
    QDataStream in(&f);
    quint32 magic = 0, version = 0;
    qint64 count = 0;
    in >> magic >> version >> count;
    if (magic != kMagic || (version != kVersion && version != kVersionPaths) || count < 0 ||
        count > 50'000'000)
        return false; // a damaged or foreign cache only costs re-hashing
    QHash<PathKey, Stored> entries;
    entries.reserve(count);
    if (version == kVersionPaths) {
        if (!loadV1(in, count, entries))
            return false;
    } else {
        for (qint64 i = 0; i < count && in.status() == QDataStream::Ok; ++i) {
            PathKey k;
            Stored s;
            in >> k.hi >> k.lo >> s.size >> s.mtimeNs;
            if (in.readRawData(s.md5.data(), 16) != 16 || in.readRawData(s.sha256.data(), 32) != 32)
                return false;
            entries.insert(k, s);
        }
        if (in.status() != QDataStream::Ok)
            return false;
    }
    QMutexLocker lock(&m_mutex);
    m_entries = std::move(entries);
    return true;
}

bool HashCache::save() const
{
    QMutexLocker lock(&m_mutex);
    if (!m_dirty)
        return true;
    const bool ok = saveCacheFile(m_path, kMagic, kVersion, m_entries.size(), [this](QDataStream &out) {
        for (auto it = m_entries.cbegin(); it != m_entries.cend(); ++it) {
            out << it.key().hi << it.key().lo << it->size << it->mtimeNs;
            out.writeRawData(it->md5.data(), 16);
            out.writeRawData(it->sha256.data(), 32);
        }
    });
    if (!ok)
        qCWarning(lcSync) << "cannot save the hash cache" << m_path;
    return ok;
}

bool HashCache::lookup(const QString &file, qint64 size, qint64 mtimeNs, Entry &out) const
{
    const PathKey key = keyOf(file);
    QMutexLocker lock(&m_mutex);
    const auto it = m_entries.constFind(key);
    if (it == m_entries.cend() || it->size != size || it->mtimeNs != mtimeNs)
        return false;
    out = Entry{it->size, it->mtimeNs, toHex(it->md5), toHex(it->sha256)};
    return true;
}

void HashCache::store(const QString &file, const Entry &entry)
{
    Stored s;
    if (!compact(entry, s))
        return; // not a digest pair: nothing worth remembering
    const PathKey key = keyOf(file);
    QMutexLocker lock(&m_mutex);
    m_entries.insert(key, s);
    m_dirty = true;
}

int HashCache::size() const
{
    QMutexLocker lock(&m_mutex);
    return int(m_entries.size());
}

} // namespace moltdesk

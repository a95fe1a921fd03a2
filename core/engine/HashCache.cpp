#include "HashCache.h"

#include "Logging.h"

#include <QDataStream>
#include <QDir>
#include <QFileInfo>
#include <QSaveFile>
#include <QStandardPaths>

namespace moltdesk {

namespace {
constexpr quint32 kMagic = 0x4d444843; // "MDHC"
constexpr quint32 kVersion = 1;
} // namespace

HashCache::HashCache(QString path) : m_path(path.isEmpty() ? defaultPath() : std::move(path)) {}

QString HashCache::defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::CacheLocation) + QStringLiteral("/hashes.v1");
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
    if (magic != kMagic || version != kVersion || count < 0 || count > 50'000'000)
        return false; // a damaged or foreign cache only costs re-hashing
    QHash<QString, Entry> entries;
    entries.reserve(count);
    for (qint64 i = 0; i < count && in.status() == QDataStream::Ok; ++i) {
        QString file;
        Entry e;
        in >> file >> e.size >> e.mtimeNs >> e.md5 >> e.sha256;
        entries.insert(file, e);
    }
    if (in.status() != QDataStream::Ok)
        return false;
    QMutexLocker lock(&m_mutex);
    m_entries = std::move(entries);
    return true;
}

bool HashCache::save() const
{
    QMutexLocker lock(&m_mutex);
    if (!m_dirty)
        return true;
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    QSaveFile f(m_path);
    if (!f.open(QIODevice::WriteOnly))
        return false;
    QDataStream out(&f);
    out << kMagic << kVersion << qint64(m_entries.size());
    for (auto it = m_entries.cbegin(); it != m_entries.cend(); ++it)
        out << it.key() << it->size << it->mtimeNs << it->md5 << it->sha256;
    const bool ok = f.commit();
    if (!ok)
        qCWarning(lcSync) << "cannot save the hash cache" << m_path;
    return ok;
}

bool HashCache::lookup(const QString &file, qint64 size, qint64 mtimeNs, Entry &out) const
{
    QMutexLocker lock(&m_mutex);
    const auto it = m_entries.constFind(file);
    if (it == m_entries.cend() || it->size != size || it->mtimeNs != mtimeNs)
        return false;
    out = *it;
    return true;
}

void HashCache::store(const QString &file, const Entry &entry)
{
    QMutexLocker lock(&m_mutex);
    m_entries.insert(file, entry);
    m_dirty = true;
}

int HashCache::size() const
{
    QMutexLocker lock(&m_mutex);
    return int(m_entries.size());
}

} // namespace moltdesk

#include "MountManifest.h"

#include "CacheFile.h"
#include "Logging.h"

#include <QDataStream>
#include <QDir>
#include <QFileInfo>
#include <QSaveFile>
#include <QStandardPaths>

namespace moltdesk {

namespace {
constexpr quint32 kMagic = 0x4d444d4d; // "MDMM"
constexpr quint32 kVersion = 1;
} // namespace

MountManifest::MountManifest(QString path) : m_path(path.isEmpty() ? defaultPath() : std::move(path)) {}

QString MountManifest::defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::CacheLocation) +
           QStringLiteral("/mount-manifest.v1");
}

QString MountManifest::id(const QString &location, const QString &key)
{
    return location + QChar(0x1f) + key;
}

bool MountManifest::load()
{
    QFile f(m_path);
    if (!f.open(QIODevice::ReadOnly))
        return false;
    QDataStream in(&f);
    quint32 magic = 0, version = 0;
    qint64 count = 0;
    in >> magic >> version >> count;
    if (magic != kMagic || version != kVersion || count < 0 || count > 50'000'000)
        return false; // a damaged manifest only costs one more write of each file
    QHash<QString, Entry> entries;
    entries.reserve(count);
    for (qint64 i = 0; i < count && in.status() == QDataStream::Ok; ++i) {
        QString k;
        Entry e;
        in >> k >> e.size >> e.mtimeMs >> e.md5;
        entries.insert(k, e);
    }
    if (in.status() != QDataStream::Ok)
        return false;
    QMutexLocker lock(&m_mutex);
    m_entries = std::move(entries);
    return true;
}

bool MountManifest::save() const
{
    QMutexLocker lock(&m_mutex);
    if (!m_dirty)
        return true;
    const bool ok = saveCacheFile(m_path, kMagic, kVersion, m_entries.size(), [this](QDataStream &out) {
        for (auto it = m_entries.cbegin(); it != m_entries.cend(); ++it)
            out << it.key() << it->size << it->mtimeMs << it->md5;
    });
    if (!ok)
        qCWarning(lcSync) << "cannot save the mount manifest" << m_path;
    return ok;
}

QByteArray MountManifest::md5If(const QString &location, const QString &key, qint64 size,
                                const QDateTime &modified) const
{
    QMutexLocker lock(&m_mutex);
    const auto it = m_entries.constFind(id(location, key));
    if (it == m_entries.cend() || it->size != size || it->mtimeMs != modified.toMSecsSinceEpoch())
        return {};
    return it->md5;
}

void MountManifest::store(const QString &location, const QString &key, qint64 size, const QDateTime &modified,
                          const QByteArray &md5)
{
    QMutexLocker lock(&m_mutex);
    m_entries.insert(id(location, key), Entry{size, modified.toMSecsSinceEpoch(), md5});
    m_dirty = true;
}

void MountManifest::forget(const QString &location, const QString &key)
{
    QMutexLocker lock(&m_mutex);
    m_dirty = m_entries.remove(id(location, key)) || m_dirty;
}

int MountManifest::size() const
{
    QMutexLocker lock(&m_mutex);
    return int(m_entries.size());
}

} // namespace moltdesk

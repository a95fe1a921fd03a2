#pragma once

#include <QByteArray>
#include <QHash>
#include <QMutex>
#include <QString>

namespace moltdesk {

// Remembers file digests keyed by path, size and modification time, so an unchanged file is never
// read again. A changed size or time (even a touch) means a fresh hash.
class HashCache
{
public:
    struct Entry
    {
        qint64 size = 0;
        qint64 mtimeNs = 0;
        QByteArray md5;
        QByteArray sha256;
    };

    explicit HashCache(QString path = {});
    static QString defaultPath();

    bool load();
    bool save() const;
    bool lookup(const QString &file, qint64 size, qint64 mtimeNs, Entry &out) const;
    void store(const QString &file, const Entry &entry);
    int size() const;

private:
    QString m_path;
    mutable QMutex m_mutex;
    QHash<QString, Entry> m_entries;
    bool m_dirty = false;
};

} // namespace moltdesk

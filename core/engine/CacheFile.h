#pragma once

#include <QDataStream>
#include <QDir>
#include <QFileInfo>
#include <QSaveFile>
#include <QString>

namespace moltdesk {

// The one writer of the engine's small binary caches (hash cache, mount manifest): a header of magic,
// version and entry count, then what `writeEntries(QDataStream &)` streams. Through QSaveFile, so a
// crash or a full disk leaves the previous file whole; false (and the old file) when anything failed.
template <typename WriteEntries>
bool saveCacheFile(const QString &path, quint32 magic, quint32 version, qint64 count,
                   WriteEntries &&writeEntries)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return false;
    QDataStream out(&f);
    out << magic << version << count;
    writeEntries(out);
    if (out.status() != QDataStream::Ok) {
        f.cancelWriting();
        return false;
    }
    return f.commit();
}

} // namespace moltdesk

#include "FileHash.h"

#include <QCryptographicHash>
#include <QFile>

namespace moltdesk {

Result<FileDigest> FileHash::compute(const QString &path, const CancelToken &cancel)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(ErrorKind::Local, QStringLiteral("cannot read %1: %2").arg(path, f.errorString()),
                         path);
    QCryptographicHash md5(QCryptographicHash::Md5);
    QCryptographicHash sha(QCryptographicHash::Sha256);
    QByteArray buf(256 * 1024, Qt::Uninitialized);
    FileDigest d;
    while (true) {
        if (cancel.isCancelled())
            return makeError(ErrorKind::Cancelled, QStringLiteral("cancelled"), path);
        const qint64 n = f.read(buf.data(), buf.size());
        if (n < 0)
            return makeError(ErrorKind::Local,
                             QStringLiteral("cannot read %1: %2").arg(path, f.errorString()), path);
        if (n == 0)
            break;
        md5.addData(QByteArrayView(buf.constData(), n));
        sha.addData(QByteArrayView(buf.constData(), n));
        d.size += n;
    }
    d.md5 = md5.result().toHex();
    d.sha256 = sha.result().toHex();
    return d;
}

} // namespace moltdesk

#include "ObjectDownload.h"

#include "KeyPath.h"
#include "Logging.h"
#include "Plan.h"

#include <QDir>
#include <QFileInfo>
#include <QLocale>

namespace moltdesk {

QString DownloadSummary::summaryLine() const
{
    QString s = QStringLiteral("downloaded %1 file(s), %2 into %3")
                    .arg(QLocale().toString(files), formatBytes(bytes), QDir::toNativeSeparators(target));
    if (!existing.isEmpty())
        s += QStringLiteral(" · %1 already there, kept").arg(existing.size());
    if (!errors.isEmpty())
        s += QStringLiteral(" · %1 failed").arg(errors.size());
    return s;
}

namespace {
// "clawdbot/agents/" → "clawdbot/"; "clawdbot/clawdbot.json" → "clawdbot/"; "a.txt" → "".
QString parentOf(const QString &keyOrPrefix)
{
    const QString trimmed = keyOrPrefix.endsWith(QLatin1Char('/')) ? keyOrPrefix.chopped(1) : keyOrPrefix;
    const qsizetype slash = trimmed.lastIndexOf(QLatin1Char('/'));
    return slash < 0 ? QString() : trimmed.left(slash + 1);
}

void downloadOne(StorageBackend &backend, const ObjectInfo &o, const QString &parent, const QString &dir,
                 const CancelToken &cancel, DownloadSummary &out)
{
    const Result<QString> rel = KeyPath::toRelativePath(o.key.mid(parent.size()));
    if (!rel) {
        out.errors << rel.error();
        return;
    }
    const QString path = dir + QLatin1Char('/') + rel.value();
    if (!KeyPath::staysInside(dir, path)) {
        out.errors << makeError(ErrorKind::InvalidInput,
                                QStringLiteral("%1 would be written outside %2").arg(o.key, dir), o.key);
        return;
    }
    if (QFileInfo::exists(path)) {
        out.existing << path;
        return;
    }
    if (!QDir().mkpath(QFileInfo(path).absolutePath())) {
        out.errors << makeError(ErrorKind::Local, QStringLiteral("cannot create the folder of %1").arg(path),
                                o.key);
        return;
    }
    DownloadOptions options;
    options.cancel = cancel;
    options.expectedSize = o.size;
    const Result<ObjectInfo> r = backend.download(o.key, path, options).result();
    if (!r) {
        out.errors << r.error();
        return;
    }
    ++out.files;
    out.bytes += r.value().size;
}
} // namespace

DownloadSummary downloadInto(StorageBackend &backend, const QString &keyOrPrefix, const QString &directory,
                             const CancelToken &cancel)
{
    DownloadSummary out;
    const QString parent = parentOf(keyOrPrefix);
    out.target = directory + QLatin1Char('/') + keyOrPrefix.mid(parent.size());
    if (out.target.endsWith(QLatin1Char('/')))
        out.target.chop(1);
    QList<ObjectInfo> objects;
    if (keyOrPrefix.endsWith(QLatin1Char('/'))) {
        ListRequest req;
        req.prefix = keyOrPrefix;
        const Result<Listing> l = backend.list(req, cancel).result();
        if (!l) {
            out.errors << l.error();
            return out;
        }
        objects = l.value().objects;
    } else {
        const Result<ObjectInfo> h = backend.headObject(keyOrPrefix).result();
        if (!h) {
            out.errors << h.error();
            return out;
        }
        objects << h.value();
    }
    for (const ObjectInfo &o : std::as_const(objects)) {
        if (cancel.isCancelled()) {
            out.errors << makeError(ErrorKind::Cancelled, QStringLiteral("download cancelled"), o.key);
            break;
        }
        downloadOne(backend, o, parent, directory, cancel, out);
    }
    qCInfo(lcStorage) << "download" << keyOrPrefix << out.summaryLine();
    return out;
}

} // namespace moltdesk

#include "MountBackend.h"

#include "KeyPath.h"
#include "Logging.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMimeDatabase>
#include <QRandomGenerator>
#include <QtConcurrent>
#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <limits>
#include <sys/stat.h>
#include <unistd.h>

namespace moltdesk {

namespace {

QString errnoText(int err)
{
    return QString::fromLocal8Bit(std::strerror(err));
}

QDateTime fromTimespec(const struct timespec &ts)
{
    return QDateTime::fromMSecsSinceEpoch(qint64(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000, Qt::UTC);
}

QString tempNameNextTo(const QString &path)
{
    const QString dir = QFileInfo(path).absolutePath();
    return dir + QLatin1Char('/') + MountBackend::tempPrefix() +
           QString::number(QRandomGenerator::global()->generate64(), 36);
}

// Where a walk puts the objects it finds: handed on every `pageSize` of them, and once at the end.
class WalkOutput
{
public:
    WalkOutput(const ListingPageSink &sink, qsizetype pageSize, int maxKeys)
        : m_sink(sink), m_pageSize(pageSize), m_maxKeys(maxKeys)
    {}
    void add(ObjectInfo info)
    {
        m_page.append(std::move(info));
        ++m_count;
        if (m_page.size() >= m_pageSize)
            flush();
    }
    bool full() const { return m_maxKeys > 0 && m_count >= m_maxKeys; }
    void flush()
    {
        if (m_page.isEmpty())
            return;
        m_sink(std::move(m_page));
        m_page = {};
    }

private:
    const ListingPageSink &m_sink;
    const qsizetype m_pageSize;
    const int m_maxKeys;
    QList<ObjectInfo> m_page;
    qsizetype m_count = 0;
};

// prefix + name in a string of exactly that size: a key is kept for as long as its listing (and a
// comparison's entry) lives, and `a + b` leaves the capacity of an append (a third more, 100,000 times).
QString joined(const QString &prefix, const QString &name)
{
    QString key;
    key.reserve(prefix.size() + name.size());
    key.append(prefix).append(name);
    return key;
}

// Recursive walk with lstat semantics: symlinks are neither followed nor listed, so a link can
// never make a listing (and so a restore or a delete) reach outside the bucket directory.
bool walk(const QByteArray &dirPath, const QString &keyPrefix, const QString &filter,
          const CancelToken &cancel, WalkOutput &out, QString &error)
{
    DIR *d = ::opendir(dirPath.constData());
    if (!d) {
        if (errno == ENOENT)
            return true;
        error = QStringLiteral("cannot list %1: %2").arg(QString::fromLocal8Bit(dirPath), errnoText(errno));
        return false;
    }
    struct Entry
    {
        QByteArray name;
        bool dir;
        struct stat st;
    };
    QList<Entry> entries;
    const int fd = ::dirfd(d);
    while (struct dirent *e = ::readdir(d)) {
        const char *n = e->d_name;
        if (std::strcmp(n, ".") == 0 || std::strcmp(n, "..") == 0)
            continue;
        struct stat st;
        if (::fstatat(fd, n, &st, AT_SYMLINK_NOFOLLOW) != 0)
            continue; // vanished while listing
        if (S_ISDIR(st.st_mode))
            entries.append({QByteArray(n), true, st});
        else if (S_ISREG(st.st_mode))
            entries.append({QByteArray(n), false, st});
    }
    ::closedir(d);
    // S3 lists in byte order of the UTF-8 key; keep the same order so plans read the same.
    std::sort(entries.begin(), entries.end(), [](const Entry &a, const Entry &b) {
        return (a.dir ? a.name + '/' : a.name) < (b.dir ? b.name + '/' : b.name);
    });
    for (const Entry &e : std::as_const(entries)) {
        if (cancel.isCancelled()) {
            error = QStringLiteral("cancelled");
            return false;
        }
        const QString name = QString::fromUtf8(e.name);
        QString key = joined(keyPrefix, name);
        if (e.dir) {
            if (!filter.isEmpty() && !QString(key + QLatin1Char('/')).startsWith(filter) &&
                !filter.startsWith(key + QLatin1Char('/')))
                continue;
            if (!walk(dirPath + '/' + e.name, key + QLatin1Char('/'), filter, cancel, out, error))
                return false;
        } else {
            if (name.startsWith(MountBackend::tempPrefix()))
                continue;
            if (!filter.isEmpty() && !key.startsWith(filter))
                continue;
            ObjectInfo info;
            info.key = std::move(key);
            info.size = e.st.st_size;
            info.modified = fromTimespec(e.st.st_mtim);
            out.add(std::move(info));
        }
        if (out.full())
            return true;
    }
    return true;
}

bool removeEmptyParents(const QString &root, QString path)
{
    while (true) {
        const qsizetype slash = path.lastIndexOf(QLatin1Char('/'));
        if (slash <= 0)
            return true;
        path = path.left(slash);
        if (path.size() <= root.size())
            return true;
        if (::rmdir(QFile::encodeName(path).constData()) != 0)
            return true; // not empty: s3fs-style implicit folders stay while they hold something
    }
}

} // namespace

Result<ObjectInfo> copyFileAtomically(const QString &from, const QString &to, qint64 expectedSize,
                                      const QByteArray &expectedMd5, const TransferOptions &options,
                                      const QDateTime &mtime, bool syncBeforeRename)
{
    QFile in(from);
    if (!in.open(QIODevice::ReadOnly))
        return makeError(ErrorKind::Local, QStringLiteral("cannot read %1: %2").arg(from, in.errorString()),
                         from);
    struct stat st;
    if (::fstat(in.handle(), &st) != 0 || !S_ISREG(st.st_mode))
        return makeError(ErrorKind::Local, QStringLiteral("%1 is not a regular file").arg(from), from);
    const QString tmp = tempNameNextTo(to);
    QFile out(tmp);
    if (!out.open(QIODevice::WriteOnly | QIODevice::NewOnly))
        return makeError(ErrorKind::Local, QStringLiteral("cannot write %1: %2").arg(tmp, out.errorString()),
                         to);
    const auto fail = [&](ErrorKind kind, const QString &message) {
        out.close();
        QFile::remove(tmp);
        return makeError(kind, message, to);
    };
    QCryptographicHash md5(QCryptographicHash::Md5);
    QByteArray buf(256 * 1024, Qt::Uninitialized);
    qint64 total = 0;
    while (true) {
        if (options.cancel.isCancelled())
            return fail(ErrorKind::Cancelled, QStringLiteral("cancelled"));
        const qint64 n = in.read(buf.data(), buf.size());
        if (n < 0)
            return fail(ErrorKind::Local, QStringLiteral("cannot read %1: %2").arg(from, in.errorString()));
        if (n == 0)
            break;
        if (out.write(buf.constData(), n) != n)
            return fail(ErrorKind::Local, QStringLiteral("cannot write %1: %2").arg(to, out.errorString()));
        md5.addData(QByteArrayView(buf.constData(), n));
        total += n;
        if (options.onBytes)
            options.onBytes(total);
    }
    if (!out.flush() || (syncBeforeRename && ::fsync(out.handle()) != 0))
        return fail(ErrorKind::Local, QStringLiteral("cannot write %1: %2").arg(to, out.errorString()));
    if (expectedSize >= 0 && total != expectedSize)
        return fail(ErrorKind::Corrupted,
                    QStringLiteral("%1 has %2 bytes but %3 were expected; it changed or is damaged")
                        .arg(from)
                        .arg(total)
                        .arg(expectedSize));
    const QByteArray digest = md5.result().toHex();
    if (!expectedMd5.isEmpty() && digest != expectedMd5)
        return fail(ErrorKind::Corrupted,
                    QStringLiteral("%1 does not have the expected MD5; it changed or is damaged").arg(from));
    const QDateTime when = mtime.isValid() ? mtime : fromTimespec(st.st_mtim);
    out.setFileTime(when, QFileDevice::FileModificationTime);
    out.close();
    if (::rename(QFile::encodeName(tmp).constData(), QFile::encodeName(to).constData()) != 0) {
        const int err = errno;
        QFile::remove(tmp);
        return makeError(ErrorKind::Local,
                         QStringLiteral("cannot move into place %1: %2").arg(to, errnoText(err)), to);
    }
    ObjectInfo info;
    info.size = total;
    info.md5 = digest;
    info.modified = QDateTime::fromMSecsSinceEpoch(when.toMSecsSinceEpoch(), Qt::UTC);
    return info;
}

MountBackend::MountBackend(QString bucket, QString directory, int threads)
    : m_bucket(std::move(bucket)), m_dir(QDir::cleanPath(directory))
{
    m_pool.setMaxThreadCount(qMax(1, threads));
}

MountBackend::~MountBackend()
{
    m_pool.waitForDone();
}

bool MountBackend::canCopyFrom(const StorageBackend &source) const
{
    return dynamic_cast<const MountBackend *>(&source) != nullptr;
}

Result<QString> MountBackend::pathFor(const QString &key, bool forWriting) const
{
    auto rel = KeyPath::toRelativePath(key);
    if (!rel)
        return rel.error();
    const QString path = m_dir + QLatin1Char('/') + rel.value();
    // The key has no dot segments, so only a link can lead outside: one among the parent's
    // components (the parent resolved inside the bucket), or the last one (a single lstat). Each
    // lookup of a missing name costs an s3fs mount four requests, so the name is looked up once.
    const auto outside = [&]() {
        return makeError(
            ErrorKind::InvalidInput,
            QStringLiteral("object key \"%1\" refused: it resolves outside %2 (through a symbolic link)")
                .arg(key, m_dir),
            key);
    };
    const QString parent = QFileInfo(path).absolutePath();
    if (!KeyPath::staysInside(m_dir, parent))
        return outside();
    if (forWriting && !QDir().mkpath(parent))
        return makeError(ErrorKind::Local, QStringLiteral("cannot create folder %1").arg(parent), key);
    struct stat st;
    if (::lstat(QFile::encodeName(path).constData(), &st) == 0 && S_ISLNK(st.st_mode))
        return outside();
    return path;
}

Error MountBackend::notMounted() const
{
    return makeError(
        ErrorKind::NotFound,
        QStringLiteral("mount path %1 does not exist: is bucket %2 mounted there?").arg(m_dir, m_bucket),
        m_dir);
}

QFuture<Status> MountBackend::headBucket()
{
    return QtConcurrent::run(&m_pool, [this]() -> Status {
        const QFileInfo fi(m_dir);
        if (!fi.exists())
            return notMounted();
        if (!fi.isDir())
            return makeError(ErrorKind::InvalidInput,
                             QStringLiteral("mount path %1 is not a directory").arg(m_dir), m_dir);
        if (!fi.isReadable())
            return makeError(ErrorKind::AccessDenied,
                             QStringLiteral("mount path %1 is not readable").arg(m_dir), m_dir);
        return success();
    });
}

Status MountBackend::walkAll(const ListRequest &request, const CancelToken &cancel,
                             const ListingPageSink &sink, qsizetype pageSize) const
{
    if (!QFileInfo(m_dir).isDir())
        return notMounted();
    // Start the walk at the deepest folder the prefix names, so a prefix listing stays cheap.
    const qsizetype slash = request.prefix.lastIndexOf(QLatin1Char('/'));
    const QString folder = slash >= 0 ? request.prefix.left(slash + 1) : QString();
    if (!folder.isEmpty() && !KeyPath::toRelativePath(folder.chopped(1)).ok())
        return success(); // no file can live under such a prefix
    WalkOutput out(sink, pageSize, request.maxKeys);
    QString error;
    if (!walk(QFile::encodeName(m_dir + QLatin1Char('/') + folder), folder, request.prefix, cancel, out,
              error))
        return makeError(cancel.isCancelled() ? ErrorKind::Cancelled : ErrorKind::Local, error, m_dir);
    out.flush();
    return success();
}

QFuture<Status> MountBackend::streamPages(const ListRequest &request, ListingPageSink sink,
                                          const CancelToken &cancel)
{
    return QtConcurrent::run(&m_pool, [this, request, sink = std::move(sink), cancel]() -> Status {
        return walkAll(request, cancel, sink, 1000);
    });
}

QFuture<Result<Listing>> MountBackend::list(const ListRequest &request, const CancelToken &cancel)
{
    return QtConcurrent::run(&m_pool, [this, request, cancel]() -> Result<Listing> {
        Listing listing;
        if (request.delimiter.isEmpty()) {
            // One page of everything: the objects land in the listing as they are found.
            const ListingPageSink all = [&listing](QList<ObjectInfo> &&page) {
                listing.objects = std::move(page);
            };
            if (Status s = walkAll(request, cancel, all, std::numeric_limits<qsizetype>::max()); !s)
                return s.error();
            return listing;
        }
        if (!QFileInfo(m_dir).isDir())
            return notMounted();
        if (request.delimiter != QLatin1String("/"))
            return makeError(ErrorKind::InvalidInput,
                             QStringLiteral("mount mode lists folders with \"/\" only"));
        const qsizetype slash = request.prefix.lastIndexOf(QLatin1Char('/'));
        const QString folder = slash >= 0 ? request.prefix.left(slash + 1) : QString();
        if (!folder.isEmpty() && !KeyPath::toRelativePath(folder.chopped(1)).ok())
            return listing;
        const QDir dir(m_dir + QLatin1Char('/') + folder);
        const auto entries = dir.entryInfoList(
            QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::NoSymLinks, QDir::Name);
        for (const QFileInfo &fi : entries) {
            const QString key = folder + fi.fileName();
            if (!key.startsWith(request.prefix))
                continue;
            if (fi.isDir()) {
                listing.commonPrefixes.append(key + QLatin1Char('/'));
            } else if (fi.isFile() && !fi.fileName().startsWith(tempPrefix())) {
                ObjectInfo info;
                info.key = key;
                info.size = fi.size();
                info.modified = fi.lastModified().toUTC();
                listing.objects.append(info);
            }
            if (request.maxKeys > 0 &&
                listing.objects.size() + listing.commonPrefixes.size() >= request.maxKeys)
                break;
        }
        return listing;
    });
}

Result<ObjectInfo> MountBackend::doList(const QString &key) const
{
    auto path = pathFor(key, false);
    if (!path)
        return path.error();
    struct stat st;
    if (::lstat(QFile::encodeName(path.value()).constData(), &st) != 0 || !S_ISREG(st.st_mode))
        return makeError(ErrorKind::NotFound, QStringLiteral("%1 has no object %2").arg(m_bucket, key), key);
    ObjectInfo info;
    info.key = key;
    info.size = st.st_size;
    info.modified = fromTimespec(st.st_mtim);
    return info;
}

QFuture<Result<ObjectInfo>> MountBackend::headObject(const QString &key)
{
    return QtConcurrent::run(&m_pool, [this, key]() { return doList(key); });
}

QFuture<Result<ObjectDetails>> MountBackend::headDetails(const QString &key)
{
    return QtConcurrent::run(&m_pool, [this, key]() -> Result<ObjectDetails> {
        auto info = doList(key);
        if (!info)
            return info.error();
        // A directory has no content type or metadata of its own: the type is guessed from the name
        // and the first bytes, as a desktop would; there is no ETag.
        ObjectDetails d;
        d.info = info.value();
        static const QMimeDatabase mimes;
        d.contentType = mimes.mimeTypeForFile(m_dir + QLatin1Char('/') + key).name();
        return d;
    });
}

QFuture<Result<QByteArray>> MountBackend::getBytes(const QString &key, qint64 maxBytes)
{
    return QtConcurrent::run(&m_pool, [this, key, maxBytes]() -> Result<QByteArray> {
        auto info = doList(key);
        if (!info)
            return info.error();
        if (info.value().size > maxBytes)
            return makeError(ErrorKind::InvalidInput,
                             QStringLiteral("object %1 is %2 bytes, more than the %3 expected")
                                 .arg(key)
                                 .arg(info.value().size)
                                 .arg(maxBytes),
                             key);
        QFile f(m_dir + QLatin1Char('/') + key);
        if (!f.open(QIODevice::ReadOnly))
            return makeError(ErrorKind::Local,
                             QStringLiteral("cannot read %1: %2").arg(f.fileName(), f.errorString()), key);
        return f.read(maxBytes + 1);
    });
}

QFuture<Result<ObjectInfo>> MountBackend::putBytes(const QString &key, const QByteArray &data)
{
    return QtConcurrent::run(&m_pool, [this, key, data]() -> Result<ObjectInfo> {
        auto path = pathFor(key, true);
        if (!path)
            return path.error();
        const QString tmp = tempNameNextTo(path.value());
        QFile f(tmp);
        if (!f.open(QIODevice::WriteOnly | QIODevice::NewOnly) || f.write(data) != data.size() ||
            !f.flush() || ::fsync(f.handle()) != 0) {
            const QString why = f.errorString();
            f.close();
            QFile::remove(tmp);
            return makeError(ErrorKind::Local, QStringLiteral("cannot write %1: %2").arg(path.value(), why),
                             key);
        }
        f.close();
        if (::rename(QFile::encodeName(tmp).constData(), QFile::encodeName(path.value()).constData()) != 0) {
            const int err = errno;
            QFile::remove(tmp);
            return makeError(ErrorKind::Local,
                             QStringLiteral("cannot write %1: %2").arg(path.value(), errnoText(err)), key);
        }
        auto info = doList(key);
        if (info)
            info.value().md5 = QCryptographicHash::hash(data, QCryptographicHash::Md5).toHex();
        return info;
    });
}

QFuture<Result<ObjectInfo>> MountBackend::download(const QString &key, const QString &localPath,
                                                   const DownloadOptions &options)
{
    return QtConcurrent::run(&m_pool, [this, key, localPath, options]() -> Result<ObjectInfo> {
        auto info = doList(key);
        if (!info)
            return info.error();
        auto r =
            copyFileAtomically(m_dir + QLatin1Char('/') + key, localPath, options.expectedSize,
                               options.expectedMd5, options, info.value().modified, options.syncEachFile);
        if (r)
            r.value().key = key;
        return r;
    });
}

QFuture<Result<ObjectInfo>> MountBackend::upload(const QString &key, const QString &localPath,
                                                 const UploadOptions &options)
{
    return QtConcurrent::run(&m_pool, [this, key, localPath, options]() -> Result<ObjectInfo> {
        auto path = pathFor(key, true);
        if (!path)
            return path.error();
        auto r = copyFileAtomically(localPath, path.value(), options.expectedSize, options.md5, options);
        if (r) {
            r.value().key = key;
            // What the mount shows now, which a FUSE mount may not have kept from the write (s3fs
            // drops the time through the rename): callers record it to recognise the file later.
            if (auto seen = doList(key); seen)
                r.value().modified = seen.value().modified;
        }
        return r;
    });
}

QFuture<Result<ObjectInfo>> MountBackend::copyFrom(const StorageBackend &source, const QString &sourceKey,
                                                   const QString &key, const TransferOptions &options)
{
    const auto *src = dynamic_cast<const MountBackend *>(&source);
    const QString srcDir = src ? src->directory() : QString();
    return QtConcurrent::run(&m_pool, [this, srcDir, sourceKey, key, options]() -> Result<ObjectInfo> {
        if (srcDir.isEmpty())
            return makeError(
                ErrorKind::InvalidInput,
                QStringLiteral("a mount-mode bucket can copy only from another mount-mode bucket"));
        MountBackend srcBackend(QString(), srcDir, 1);
        auto srcInfo = srcBackend.doList(sourceKey);
        if (!srcInfo)
            return srcInfo.error();
        auto path = pathFor(key, true);
        if (!path)
            return path.error();
        auto r = copyFileAtomically(srcDir + QLatin1Char('/') + sourceKey, path.value(), srcInfo.value().size,
                                    {}, options, srcInfo.value().modified);
        if (r)
            r.value().key = key;
        return r;
    });
}

QFuture<Result<DeleteReport>> MountBackend::remove(const QStringList &keys)
{
    return QtConcurrent::run(&m_pool, [this, keys]() -> Result<DeleteReport> {
        DeleteReport report;
        for (const QString &key : keys) {
            auto path = pathFor(key, false);
            if (!path) {
                report.failed.append(path.error());
                continue;
            }
            const QByteArray native = QFile::encodeName(path.value());
            if (::unlink(native.constData()) != 0 && errno != ENOENT) {
                report.failed.append(makeError(
                    ErrorKind::Local,
                    QStringLiteral("cannot delete %1: %2").arg(path.value(), errnoText(errno)), key));
                continue;
            }
            removeEmptyParents(m_dir, path.value());
            report.deleted.append(key);
        }
        return report;
    });
}

} // namespace moltdesk

#pragma once

#include "CancelToken.h"
#include "ObjectInfo.h"
#include "Result.h"

#include <QFuture>
#include <functional>

namespace moltdesk {

struct TransferOptions
{
    CancelToken cancel;
    // Called with the bytes moved so far for this transfer; may run on any thread.
    std::function<void(qint64)> onBytes;
};

struct UploadOptions : TransferOptions
{
    QByteArray md5;           // hex, when the caller already hashed the file (else computed)
    QByteArray sha256;        // hex, ditto
    qint64 expectedSize = -1; // the size the plan saw; a file that changed since is an error
};

struct DownloadOptions : TransferOptions
{
    qint64 expectedSize = -1; // from the listing; a short body is Corrupted
    QByteArray expectedMd5;   // hex; a mismatch is Corrupted
    // True: the file is on disk (fsync) before it is renamed to localPath, for a download that lands
    // where the user's data lives. False only for a caller that makes its files durable itself before
    // anything relies on them (a restore's staging: RestoreJournal::write syncs it in one step) or
    // that throws the file away (a migration's scratch copy).
    bool syncEachFile = true;
};

// One page of a listing at a time, in the listing's order, on the listing's thread (never two at once).
using ListingPageSink = std::function<void(QList<ObjectInfo> &&page)>;

// One bucket of one environment, reached through S3 or as a directory (mount mode).
// Every operation is asynchronous and never blocks the caller's thread; results say exactly what
// happened or carry an Error whose kind says what to do next. Keys are S3 keys ('/'-separated).
class StorageBackend
{
public:
    virtual ~StorageBackend() = default;

    virtual QString bucket() const = 0;
    // Where the bucket is, for people: "s3://host/bucket" or the mount directory.
    virtual QString location() const = 0;
    // True when a written object keeps the source's modification time (mount mode), so an
    // unchanged size and time mean unchanged content without reading anything.
    virtual bool preservesModificationTime() const = 0;
    // True when copyFrom(source, ...) can copy server-side (same server and credentials).
    virtual bool canCopyFrom(const StorageBackend &source) const = 0;
    // An identifier of the credentials in use (access key id), empty in mount mode. Never the secret.
    virtual QString accessKeyId() const = 0;

    virtual QFuture<Status> headBucket() = 0;
    virtual QFuture<Result<Listing>> list(const ListRequest &request, const CancelToken &cancel = {}) = 0;
    // The objects list() would return (folder objects left out), handed to `sink` page by page, so a
    // caller that counts or folds them never holds the whole listing (100,000 objects: tens of MB).
    // Without a delimiter only (refused here, for every backend). The pages seen before an error are
    // not the listing: the result says so.
    QFuture<Status> listPages(const ListRequest &request, ListingPageSink sink,
                              const CancelToken &cancel = {});
    virtual QFuture<Result<ObjectInfo>> headObject(const QString &key) = 0;
    // The same HEAD with what it says for people: content type and user metadata.
    virtual QFuture<Result<ObjectDetails>> headDetails(const QString &key) = 0;
    // Small objects (markers, reports): fails with InvalidInput past maxBytes.
    virtual QFuture<Result<QByteArray>> getBytes(const QString &key, qint64 maxBytes = 64 * 1024) = 0;
    virtual QFuture<Result<ObjectInfo>> putBytes(const QString &key, const QByteArray &data) = 0;
    // Streams the object into localPath, verified against the options before localPath appears.
    virtual QFuture<Result<ObjectInfo>> download(const QString &key, const QString &localPath,
                                                 const DownloadOptions &options = {}) = 0;
    virtual QFuture<Result<ObjectInfo>> upload(const QString &key, const QString &localPath,
                                               const UploadOptions &options = {}) = 0;
    // Server-side copy from another bucket of the same server (see canCopyFrom).
    virtual QFuture<Result<ObjectInfo>> copyFrom(const StorageBackend &source, const QString &sourceKey,
                                                 const QString &key, const TransferOptions &options = {}) = 0;
    virtual QFuture<Result<DeleteReport>> remove(const QStringList &keys) = 0;

protected:
    // listPages() once the request is known to have no delimiter. This default hands over list()'s
    // result as one page; backends override it to stream.
    virtual QFuture<Status> streamPages(const ListRequest &request, ListingPageSink sink,
                                        const CancelToken &cancel);
};

inline QFuture<Status> StorageBackend::listPages(const ListRequest &request, ListingPageSink sink,
                                                 const CancelToken &cancel)
{
    if (!request.delimiter.isEmpty())
        return QtFuture::makeReadyFuture<Status>(
            makeError(ErrorKind::InvalidInput, QStringLiteral("a listing page by page has no delimiter")));
    return streamPages(request, std::move(sink), cancel);
}

inline QFuture<Status> StorageBackend::streamPages(const ListRequest &request, ListingPageSink sink,
                                                   const CancelToken &cancel)
{
    return list(request, cancel).then([sink = std::move(sink)](Result<Listing> listing) -> Status {
        if (!listing)
            return listing.error();
        sink(std::move(listing.value().objects));
        return success();
    });
}

} // namespace moltdesk

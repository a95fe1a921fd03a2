#pragma once

#include "StorageBackend.h"

#include <QThreadPool>

namespace moltdesk {

// A bucket that is a directory: an s3fs or rclone mount inside the container, or a plain directory
// (the demo workspace, tests). Keys map to relative paths and can never escape the directory.
// Writes go to a temporary file in the same directory, are flushed and renamed into place, and keep
// the source's modification time, so size and time identify unchanged content without reading it.
class MountBackend : public StorageBackend
{
public:
    MountBackend(QString bucket, QString directory, int threads = 4);
    ~MountBackend() override;

    QString bucket() const override { return m_bucket; }
    QString location() const override { return m_dir; }
    QString directory() const { return m_dir; }
    bool preservesModificationTime() const override { return true; }
    bool canCopyFrom(const StorageBackend &source) const override;
    QString accessKeyId() const override { return {}; }

    QFuture<Status> headBucket() override;
    QFuture<Result<Listing>> list(const ListRequest &request, const CancelToken &cancel = {}) override;
    QFuture<Result<ObjectInfo>> headObject(const QString &key) override;
    QFuture<Result<ObjectDetails>> headDetails(const QString &key) override;
    QFuture<Result<QByteArray>> getBytes(const QString &key, qint64 maxBytes = 64 * 1024) override;
    QFuture<Result<ObjectInfo>> putBytes(const QString &key, const QByteArray &data) override;
    QFuture<Result<ObjectInfo>> download(const QString &key, const QString &localPath,
                                         const DownloadOptions &options = {}) override;
    QFuture<Result<ObjectInfo>> upload(const QString &key, const QString &localPath,
                                       const UploadOptions &options = {}) override;
    QFuture<Result<ObjectInfo>> copyFrom(const StorageBackend &source, const QString &sourceKey,
                                         const QString &key, const TransferOptions &options = {}) override;
    QFuture<Result<DeleteReport>> remove(const QStringList &keys) override;

    // The prefix of the temporary files writes use; listings never show them.
    static QString tempPrefix() { return QStringLiteral(".moltdesk-tmp-"); }

protected:
    QFuture<Status> streamPages(const ListRequest &request, ListingPageSink sink,
                                const CancelToken &cancel) override;

private:
    Result<QString> pathFor(const QString &key, bool forWriting) const;
    Result<ObjectInfo> doList(const QString &key) const;
    Error notMounted() const;
    // The recursive listing (no delimiter) behind list() and streamPages(): every page to `sink`.
    Status walkAll(const ListRequest &request, const CancelToken &cancel, const ListingPageSink &sink,
                   qsizetype pageSize) const;

    QString m_bucket;
    QString m_dir;
    mutable QThreadPool m_pool;
};

// Copies `from` to `to` through a temporary file next to `to`: flushed (and fsynced when
// syncBeforeRename; see DownloadOptions::syncEachFile), checked against the expected size and MD5,
// given `mtime`, then renamed into place. Shared by backends and restore.
Result<ObjectInfo> copyFileAtomically(const QString &from, const QString &to, qint64 expectedSize,
                                      const QByteArray &expectedMd5, const TransferOptions &options,
                                      const QDateTime &mtime = {}, bool syncBeforeRename = true);

} // namespace moltdesk

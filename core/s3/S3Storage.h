#pragma once

#include "S3Transport.h"
#include "StorageBackend.h"

#include <QThreadPool>

namespace moltdesk {

namespace S3Xml {
struct ListPage;
}

// One bucket on an S3-compatible server (R2; OpenStack Swift s3api in tests), path-style.
// Operations run on the backend's own pool and talk to the network thread of an S3Transport, which
// may be shared by the backends of one endpoint and key.
class S3Storage : public StorageBackend
{
public:
    explicit S3Storage(S3Config config, std::shared_ptr<S3Transport> transport = {});
    ~S3Storage() override;

    const S3Config &config() const { return m_config; }

    QString bucket() const override { return m_config.bucket; }
    QString location() const override;
    bool preservesModificationTime() const override { return false; }
    bool canCopyFrom(const StorageBackend &source) const override;
    QString accessKeyId() const override { return m_config.accessKeyId; }

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

    // Blocking forms, for the pool's own use and tests.
    Result<Listing> listNow(const ListRequest &request, const CancelToken &cancel);
    // Maps an S3 answer to an Error a person can act on.
    Error errorFrom(const HttpReply &reply, const QString &subject) const;

protected:
    QFuture<Status> streamPages(const ListRequest &request, ListingPageSink sink,
                                const CancelToken &cancel) override;

private:
    HttpCall call(const QByteArray &method, const QString &key = QString()) const;
    HttpReply exchange(HttpCall c) const;
    // The listing's pages as the server sends them, parsed one at a time, each to `onPage`.
    Status eachListPage(const ListRequest &request, const CancelToken &cancel,
                        const std::function<void(S3Xml::ListPage &&)> &onPage);
    Result<ObjectInfo> uploadNow(const QString &key, const QString &localPath, const UploadOptions &options);
    Result<ObjectInfo> multipartNow(const QString &key, const QString &localPath, qint64 size,
                                    const QByteArray &md5, const UploadOptions &options);
    Result<ObjectInfo> downloadNow(const QString &key, const QString &localPath,
                                   const DownloadOptions &options);

    S3Config m_config;
    std::shared_ptr<S3Transport> m_transport;
    mutable QThreadPool m_pool;
};

} // namespace moltdesk

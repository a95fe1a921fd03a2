#pragma once

#include "AccessToken.h"
#include "CancelToken.h"
#include "NetworkSettings.h"
#include "WorkerReplies.h"

#include <QFuture>
#include <QThread>
#include <QUrl>

class QNetworkAccessManager;

namespace moltdesk {

// How long a status (the table, `moltctl status`, the Deployment dialog) waits on one worker: an
// unreachable worker must not hold up the rows of the others for the full exchange timeout.
inline constexpr int kStatusTimeoutMs = 10000;

struct WorkerClientOptions
{
    int timeoutMs = 30000;      // a whole exchange, not just a pause: a drip-feeding server is cut off too
    int syncTimeoutMs = 600000; // the container's backup runs while the request waits
    qint64 maxBodyBytes = WorkerReplies::kMaxBodyBytes;
    // Proxy (HTTPS_PROXY, NO_PROXY, ...) and extra CAs, the same as for S3 (the workspace's).
    NetworkSettings network;
};

// One environment's worker, over its admin API. Requests go only to the worker's own URL (https, or
// loopback http), with the Access service token on every admin request and never on a redirect:
// redirects are reported, not followed. The QNetworkAccessManager lives on a thread of its own, so no
// caller blocks the network; every call returns a future that always finishes, with a value or an
// Error that names the cause. Nothing here retries: a POST (backup, restart) must not run twice.
class WorkerClient
{
public:
    WorkerClient(QUrl worker, AccessToken token, WorkerClientOptions options = {});
    ~WorkerClient();
    WorkerClient(const WorkerClient &) = delete;
    WorkerClient &operator=(const WorkerClient &) = delete;

    const QUrl &url() const { return m_url; }

    QFuture<Result<GatewayState>> status(const CancelToken &cancel = {});
    QFuture<Result<StorageState>> storage(const CancelToken &cancel = {});
    QFuture<Result<SyncClaim>> sync(const CancelToken &cancel = {});
    QFuture<Result<RestartClaim>> restart(const CancelToken &cancel = {});
    QFuture<Result<DeviceList>> devices(const CancelToken &cancel = {});
    // /debug/env exists only with DEBUG_ROUTES=true: NotFound otherwise, which callers treat as absent.
    QFuture<Result<QJsonObject>> debugEnv(const CancelToken &cancel = {});

private:
    struct Call;
    QFuture<WorkerRawReply> send(const QByteArray &method, const QString &route, bool admin, int timeoutMs,
                                 const CancelToken &cancel);
    template <typename T, typename Parse>
    QFuture<Result<T>> call(const QByteArray &method, const QString &route, bool admin, int timeoutMs,
                            const CancelToken &cancel, Parse parse);
    void start(const std::shared_ptr<Call> &c);

    QUrl m_url;
    AccessToken m_token;
    WorkerClientOptions m_options;
    QThread m_thread;
    QObject *m_home = nullptr; // lives in m_thread
    QNetworkAccessManager *m_nam = nullptr;
};

} // namespace moltdesk

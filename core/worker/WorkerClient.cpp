#include "WorkerClient.h"

#include "WorkerLogging.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPromise>
#include <QTimer>

namespace moltdesk {

struct WorkerClient::Call
{
    QByteArray method;
    QString route;
    bool admin = false;
    int timeoutMs = 0;
    CancelToken cancel;
    QPromise<WorkerRawReply> promise;
    WorkerRawReply reply;
    bool settled = false;
};

WorkerClient::WorkerClient(QUrl worker, AccessToken token, WorkerClientOptions options)
    : m_url(std::move(worker)), m_token(std::move(token)), m_options(options)
{
    m_thread.setObjectName(QStringLiteral("moltdesk-worker"));
    m_home = new QObject;
    m_home->moveToThread(&m_thread);
    m_thread.start();
    QMetaObject::invokeMethod(
        m_home,
        [this]() {
            m_nam = new QNetworkAccessManager(m_home);
            // A redirect would carry the service token to wherever it points: never follow one.
            m_nam->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
            m_options.network.configure(*m_nam, m_url);
        },
        Qt::BlockingQueuedConnection);
}

WorkerClient::~WorkerClient()
{
    QMetaObject::invokeMethod(
        m_home, [this]() { delete m_home; }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

QFuture<WorkerRawReply> WorkerClient::send(const QByteArray &method, const QString &route, bool admin,
                                           int timeoutMs, const CancelToken &cancel)
{
    auto c = std::make_shared<Call>();
    c->method = method;
    c->route = route;
    c->admin = admin;
    c->timeoutMs = timeoutMs;
    c->cancel = cancel;
    c->promise.start();
    QFuture<WorkerRawReply> f = c->promise.future();
    QMetaObject::invokeMethod(m_home, [this, c]() { start(c); });
    return f;
}

void WorkerClient::start(const std::shared_ptr<Call> &c)
{
    QUrl url = m_url;
    url.setPath(c->route);
    QNetworkRequest req(url);
    req.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    req.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    m_options.network.configure(req);
    req.setRawHeader("Accept", "application/json");
    req.setRawHeader("Accept-Encoding", "identity");
    if (c->admin) {
        req.setRawHeader("CF-Access-Client-Id", m_token.clientId.toUtf8());
        req.setRawHeader("CF-Access-Client-Secret", m_token.clientSecret.toUtf8());
    }
    qCDebug(lcWorker).noquote() << c->method << url.host() + c->route; // never the headers
    QNetworkReply *reply =
        c->method == "POST" ? m_nam->post(req, QByteArray()) : m_nam->sendCustomRequest(req, c->method);
    const auto settle = [c, reply]() {
        if (c->settled)
            return;
        c->settled = true;
        WorkerRawReply &r = c->reply;
        r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (!r.timedOut && !r.tooLarge && !r.cancelled) {
            r.networkError = reply->error();
            r.networkErrorText =
                r.tlsWhy.isEmpty() ? reply->errorString() : QStringLiteral("TLS refused: %1").arg(r.tlsWhy);
        }
        r.contentType = reply->header(QNetworkRequest::ContentTypeHeader).toByteArray();
        r.location = reply->rawHeader("Location");
        if (!r.tooLarge)
            r.body += reply->readAll();
        c->promise.addResult(r);
        c->promise.finish();
        reply->deleteLater();
    };
    // TLS stays fail-closed; the errors are only put in words ("unknown issuer", "expired").
    QObject::connect(reply, &QNetworkReply::sslErrors, reply, [c](const QList<QSslError> &errors) {
        c->reply.tlsWhy = NetworkSettings::describeTlsErrors(errors);
    });
    auto *deadline = new QTimer(reply);
    deadline->setSingleShot(true);
    QObject::connect(deadline, &QTimer::timeout, reply, [c, reply]() {
        c->reply.timedOut = true;
        reply->abort();
    });
    deadline->start(c->timeoutMs);
    auto *watch = new QTimer(reply); // cancellation is polled: CancelToken has no signal
    QObject::connect(watch, &QTimer::timeout, reply, [c, reply]() {
        if (c->cancel.isCancelled()) {
            c->reply.cancelled = true;
            reply->abort();
        }
    });
    watch->start(100);
    const qint64 limit = m_options.maxBodyBytes;
    QObject::connect(reply, &QNetworkReply::metaDataChanged, reply, [c, reply, limit]() {
        const QVariant length = reply->header(QNetworkRequest::ContentLengthHeader);
        if (length.isValid() && length.toLongLong() > limit) {
            c->reply.tooLarge = true;
            reply->abort();
        }
    });
    QObject::connect(reply, &QNetworkReply::readyRead, reply, [c, reply, limit]() {
        if (c->reply.tooLarge)
            return;
        c->reply.body += reply->readAll();
        if (c->reply.body.size() > limit) {
            c->reply.tooLarge = true;
            c->reply.body.clear();
            reply->abort();
        }
    });
    QObject::connect(reply, &QNetworkReply::finished, reply, settle);
}

template <typename T, typename Parse>
QFuture<Result<T>> WorkerClient::call(const QByteArray &method, const QString &route, bool admin,
                                      int timeoutMs, const CancelToken &cancel, Parse parse)
{
    const QUrl url = m_url;
    return send(method, route, admin, timeoutMs, cancel)
        .then([url, route, parse](const WorkerRawReply &r) -> Result<T> {
            auto o = WorkerReplies::object(r, url, route);
            if (!o)
                return o.error();
            Result<T> v = parse(o.value());
            if (!v.ok()) {
                Error e = v.error();
                e.message = url.host() + route + QStringLiteral(": ") + e.message;
                return e;
            }
            return v;
        });
}

QFuture<Result<GatewayState>> WorkerClient::status(const CancelToken &cancel)
{
    return call<GatewayState>("GET", QStringLiteral("/api/status"), false, m_options.timeoutMs, cancel,
                              &WorkerReplies::gateway);
}

QFuture<Result<StorageState>> WorkerClient::storage(const CancelToken &cancel)
{
    return call<StorageState>("GET", QStringLiteral("/api/admin/storage"), true, m_options.timeoutMs, cancel,
                              &WorkerReplies::storage);
}

QFuture<Result<SyncClaim>> WorkerClient::sync(const CancelToken &cancel)
{
    return call<SyncClaim>("POST", QStringLiteral("/api/admin/storage/sync"), true, m_options.syncTimeoutMs,
                           cancel, &WorkerReplies::sync);
}

QFuture<Result<RestartClaim>> WorkerClient::restart(const CancelToken &cancel)
{
    return call<RestartClaim>("POST", QStringLiteral("/api/admin/gateway/restart"), true, m_options.timeoutMs,
                              cancel, &WorkerReplies::restart);
}

QFuture<Result<DeviceList>> WorkerClient::devices(const CancelToken &cancel)
{
    return call<DeviceList>("GET", QStringLiteral("/api/admin/devices"), true, m_options.timeoutMs, cancel,
                            &WorkerReplies::devices);
}

QFuture<Result<QJsonObject>> WorkerClient::debugEnv(const CancelToken &cancel)
{
    return call<QJsonObject>("GET", QStringLiteral("/debug/env"), true, m_options.timeoutMs, cancel,
                             [](const QJsonObject &o) -> Result<QJsonObject> { return o; });
}

} // namespace moltdesk

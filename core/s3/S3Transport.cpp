#include "S3Transport.h"

#include "Logging.h"
#include "S3Xml.h"

#include <QCryptographicHash>
#include <QFile>
#include <QNetworkAccessManager>
#include <QPromise>
#include <QRandomGenerator>
#include <QTimer>

namespace moltdesk {

QByteArray HttpReply::header(const QByteArray &name) const
{
    for (const auto &[k, v] : headers) {
        if (k.compare(name, Qt::CaseInsensitive) == 0)
            return v;
    }
    return {};
}

struct S3Transport::Attempt
{
    HttpCall call;
    QPromise<HttpReply> promise;
    HttpReply reply;
    std::unique_ptr<QFile> sink;
    std::unique_ptr<QCryptographicHash> md5;
    bool sinkFailed = false;
    QString tlsWhy; // the certificate errors of the last handshake, in words

    void reset();                         // before each attempt
    bool openSink();                      // false: failed (and settled)
    void takeChunk(QNetworkReply *from);  // a body chunk: to the file and its MD5, or kept (bounded)
    void failLocally(const QString &why); // settles with a local error (file not readable/writable)
    void settle();                        // hands the reply to the caller
};

S3Transport::S3Transport(S3Config config) : m_config(std::move(config))
{
    m_thread.setObjectName(QStringLiteral("moltdesk-s3"));
    m_home = new QObject;
    m_home->moveToThread(&m_thread);
    m_thread.start();
    const int lanes = qMax(1, m_config.lanes);
    if (m_config.network.proxyFor(m_config.endpoint).proxy.type() != QNetworkProxy::NoProxy)
        m_proxyDisplay = m_config.network.proxyFor(m_config.endpoint).display;
    QMetaObject::invokeMethod(
        m_home,
        [this, lanes]() {
            for (int i = 0; i < lanes; ++i) {
                auto *nam = new QNetworkAccessManager(m_home);
                // Never follow a redirect: it could carry credentials to another host.
                nam->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
                m_config.network.configure(*nam, m_config.endpoint);
                m_managers.append(nam);
            }
        },
        Qt::BlockingQueuedConnection);
}

S3Transport::~S3Transport()
{
    QMetaObject::invokeMethod(
        m_home, [this]() { delete m_home; }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

QString S3Transport::describe(const HttpCall &call)
{
    QString s = QString::fromLatin1(call.method) + QLatin1Char(' ') +
                QString::fromLatin1(SigV4::encodeKeyPath(call.bucket, call.key));
    const QByteArray q = SigV4::encodedQuery(call.query);
    if (!q.isEmpty())
        s += QLatin1Char('?') + QString::fromLatin1(q);
    return s; // no headers: nothing secret
}

QFuture<HttpReply> S3Transport::send(HttpCall call)
{
    auto a = std::make_shared<Attempt>();
    a->call = std::move(call);
    if (a->call.payloadHash.isEmpty())
        a->call.payloadHash = SigV4::sha256Hex(a->call.body);
    a->promise.start();
    QFuture<HttpReply> f = a->promise.future();
    QMetaObject::invokeMethod(m_home, [this, a]() { start(a); });
    return f;
}

QNetworkRequest S3Transport::buildRequest(const HttpCall &call, QByteArray &hostHeader) const
{
    const QUrl &ep = m_config.endpoint;
    const bool defaultPort = ep.port() == -1 || (ep.scheme() == QLatin1String("https") && ep.port() == 443) ||
                             (ep.scheme() == QLatin1String("http") && ep.port() == 80);
    hostHeader = ep.host(QUrl::FullyEncoded).toLatin1();
    if (!defaultPort)
        hostHeader += ':' + QByteArray::number(ep.port());
    const QByteArray path = SigV4::encodeKeyPath(call.bucket, call.key);
    const QByteArray query = SigV4::encodedQuery(call.query);
    QByteArray url = ep.scheme().toLatin1() + "://" + hostHeader + path;
    if (!query.isEmpty())
        url += '?' + query;
    // StrictMode keeps our encoding byte for byte: what is signed is what is sent.
    QNetworkRequest req(QUrl::fromEncoded(url, QUrl::StrictMode));
    req.setTransferTimeout(m_config.timeoutMs);
    req.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    req.setAttribute(QNetworkRequest::HttpPipeliningAllowedAttribute, false);
    req.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    req.setRawHeader("Accept-Encoding", "identity");
    m_config.network.configure(req);

    const QDateTime now = QDateTime::currentDateTimeUtc();
    SigV4::Request sr;
    sr.method = call.method;
    sr.encodedPath = path;
    sr.query = call.query;
    sr.payloadHash = call.payloadHash;
    sr.headers = {{"host", hostHeader},
                  {"x-amz-date", SigV4::amzDate(now)},
                  {"x-amz-content-sha256", call.payloadHash}};
    for (const auto &h : call.headers)
        sr.headers.append(h);
    const SigV4::Signature sig =
        SigV4::sign(sr, m_config.accessKeyId.toUtf8(), m_config.secretAccessKey.toUtf8(),
                    m_config.region.toUtf8(), "s3", now);
    for (const auto &[name, value] : sr.headers) {
        if (name != "host")
            req.setRawHeader(name, value);
    }
    req.setRawHeader("Authorization", sig.authorization);
    return req;
}

void S3Transport::Attempt::reset()
{
    ++reply.attempts;
    reply.status = 0;
    reply.networkError = QNetworkReply::NoError;
    reply.body.clear();
    reply.bodyBytes = 0;
    sinkFailed = false;
    tlsWhy.clear();
    sink.reset();
    md5.reset();
}

void S3Transport::Attempt::settle()
{
    promise.addResult(reply);
    promise.finish();
}

void S3Transport::Attempt::failLocally(const QString &why)
{
    reply.networkError = QNetworkReply::UnknownContentError;
    reply.networkErrorText = why;
    settle();
}

bool S3Transport::Attempt::openSink()
{
    if (call.downloadTo.isEmpty())
        return true;
    sink = std::make_unique<QFile>(call.downloadTo);
    if (!sink->open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        failLocally(QStringLiteral("cannot write %1: %2").arg(call.downloadTo, sink->errorString()));
        return false;
    }
    md5 = std::make_unique<QCryptographicHash>(QCryptographicHash::Md5);
    return true;
}

void S3Transport::Attempt::takeChunk(QNetworkReply *from)
{
    if (call.cancel.isCancelled()) {
        reply.cancelled = true;
        from->abort();
        return;
    }
    const QByteArray chunk = from->readAll();
    reply.bodyBytes += chunk.size();
    const int status = from->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (sink && status >= 200 && status < 300) {
        if (!sinkFailed && sink->write(chunk) != chunk.size())
            sinkFailed = true;
        md5->addData(chunk);
        if (call.onBytes)
            call.onBytes(reply.bodyBytes);
    } else if (reply.body.size() + chunk.size() > call.maxBodyBytes) {
        reply.tooLarge = true;
        from->abort();
    } else {
        reply.body += chunk;
    }
}

QNetworkReply *S3Transport::sendOn(QNetworkAccessManager &nam, QNetworkRequest &req,
                                   const std::shared_ptr<Attempt> &a) const
{
    const HttpCall &call = a->call;
    if (!call.bodyFile.isEmpty()) {
        auto *file = new QFile(call.bodyFile);
        if (!file->open(QIODevice::ReadOnly)) {
            a->failLocally(QStringLiteral("cannot read %1: %2").arg(call.bodyFile, file->errorString()));
            delete file;
            return nullptr;
        }
        req.setHeader(QNetworkRequest::ContentLengthHeader, file->size());
        QNetworkReply *reply = nam.sendCustomRequest(req, call.method, file);
        file->setParent(reply);
        return reply;
    }
    if (!call.body.isEmpty() || call.method == "PUT" || call.method == "POST") {
        req.setHeader(QNetworkRequest::ContentLengthHeader, call.body.size());
        return nam.sendCustomRequest(req, call.method, call.body);
    }
    if (call.method == "HEAD")
        return nam.head(req); // as a custom verb, HEAD would wait for a body that never comes
    return nam.sendCustomRequest(req, call.method);
}

void S3Transport::watch(const std::shared_ptr<Attempt> &a, QNetworkReply *reply)
{
    const HttpCall &call = a->call;
    QObject::connect(reply, &QNetworkReply::readyRead, reply, [a, reply]() { a->takeChunk(reply); });
    if (call.onBytes && (!call.body.isEmpty() || !call.bodyFile.isEmpty())) {
        QObject::connect(reply, &QNetworkReply::uploadProgress, reply, [a](qint64 sent, qint64) {
            if (a->call.onBytes)
                a->call.onBytes(sent);
        });
    }
    if (call.cancel.isCancelled() == false) {
        QObject::connect(reply, &QNetworkReply::uploadProgress, reply, [a, reply](qint64, qint64) {
            if (a->call.cancel.isCancelled()) {
                a->reply.cancelled = true;
                reply->abort();
            }
        });
    }
    // Never ignored: recorded only so the failure can say why (unknown issuer, name, expiry).
    QObject::connect(reply, &QNetworkReply::sslErrors, reply, [a](const QList<QSslError> &errors) {
        a->tlsWhy = NetworkSettings::describeTlsErrors(errors);
    });
    QObject::connect(reply, &QNetworkReply::finished, reply, [this, a, reply]() { finish(a, reply); });
}

void S3Transport::start(std::shared_ptr<Attempt> a)
{
    if (a->call.cancel.isCancelled()) {
        a->reply.cancelled = true;
        a->settle();
        return;
    }
    a->reset();
    if (!a->openSink())
        return;
    QByteArray host;
    QNetworkRequest req = buildRequest(a->call, host);
    QNetworkAccessManager *nam = m_managers.at(int(m_next++ % unsigned(m_managers.size())));
    QNetworkReply *reply = sendOn(*nam, req, a);
    if (!reply)
        return;
    qCDebug(lcS3).noquote() << "attempt" << a->reply.attempts << describe(a->call);
    watch(a, reply);
}

bool S3Transport::shouldRetry(const HttpReply &r) const
{
    if (r.cancelled || r.tooLarge)
        return false;
    switch (r.networkError) {
    case QNetworkReply::NoError:
        break;
    case QNetworkReply::RemoteHostClosedError:
    case QNetworkReply::TimeoutError:
    case QNetworkReply::OperationCanceledError: // the transfer timeout aborts this way
    case QNetworkReply::TemporaryNetworkFailureError:
    case QNetworkReply::NetworkSessionFailedError:
    case QNetworkReply::UnknownNetworkError:
    case QNetworkReply::ConnectionRefusedError:
    case QNetworkReply::ProxyTimeoutError:
    case QNetworkReply::InternalServerError:
    case QNetworkReply::ServiceUnavailableError:
    case QNetworkReply::UnknownServerError:
        return true;
    default:
        if (r.status == 0)
            return false; // TLS and protocol errors fail closed at once
        break;
    }
    if (r.status == 429 || r.status == 500 || r.status == 502 || r.status == 503 || r.status == 504)
        return true;
    S3Xml::ErrorReply e;
    if (S3Xml::parseError(r.body, e) &&
        (e.code == QLatin1String("SlowDown") || e.code == QLatin1String("InternalError") ||
         e.code == QLatin1String("RequestTimeout")))
        return true;
    return false;
}

int S3Transport::backoffMs(int attempt) const
{
    const qint64 cap =
        qMin<qint64>(m_config.retry.maxDelayMs, qint64(m_config.retry.baseDelayMs) << qMin(attempt, 20));
    return int(QRandomGenerator::global()->bounded(qMax<qint64>(1, cap))); // full jitter
}

void S3Transport::finish(std::shared_ptr<Attempt> a, QNetworkReply *reply)
{
    a->reply.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    a->reply.headers = reply->rawHeaderPairs();
    const QByteArray rest = reply->readAll();
    if (!rest.isEmpty()) {
        a->reply.bodyBytes += rest.size();
        if (a->sink && a->reply.status >= 200 && a->reply.status < 300) {
            if (a->sink->write(rest) != rest.size())
                a->sinkFailed = true;
            a->md5->addData(rest);
        } else {
            a->reply.body += rest;
        }
    }
    // HTTP error statuses also set an error code; keep it only when there was no HTTP answer.
    a->reply.networkError = a->reply.status > 0 ? QNetworkReply::NoError : reply->error();
    if (a->reply.status > 0 && reply->error() != QNetworkReply::NoError &&
        reply->error() < QNetworkReply::ContentAccessDenied &&
        reply->error() != QNetworkReply::OperationCanceledError)
        a->reply.networkError = reply->error(); // e.g. the connection closed in mid-body
    if (a->reply.status > 0 && reply->error() == QNetworkReply::OperationCanceledError && !a->reply.cancelled)
        a->reply.networkError = QNetworkReply::OperationCanceledError; // a stall past the timeout mid-body
    a->reply.networkErrorText = reply->errorString();
    if (a->reply.networkError == QNetworkReply::SslHandshakeFailedError && !a->tlsWhy.isEmpty())
        a->reply.networkErrorText = a->tlsWhy;
    // Qt reports a refused proxy as a refused connection: name the proxy (password redacted).
    if (a->reply.status == 0 && a->reply.networkError != QNetworkReply::NoError && !m_proxyDisplay.isEmpty())
        a->reply.networkErrorText += QStringLiteral(" (through proxy %1)").arg(m_proxyDisplay);
    // A body shorter than its Content-Length is a broken transfer, whatever the status says.
    const QVariant len = reply->header(QNetworkRequest::ContentLengthHeader);
    if (a->reply.networkError == QNetworkReply::NoError && len.isValid() && a->call.method != "HEAD" &&
        a->reply.bodyBytes < len.toLongLong()) {
        a->reply.networkError = QNetworkReply::RemoteHostClosedError;
        a->reply.networkErrorText = QStringLiteral("the body ended after %1 of %2 bytes")
                                        .arg(a->reply.bodyBytes)
                                        .arg(len.toLongLong());
    }
    if (a->sink) {
        a->sink->flush();
        a->sink->close();
        if (a->sinkFailed && a->reply.networkError == QNetworkReply::NoError) {
            a->reply.networkError = QNetworkReply::UnknownContentError;
            a->reply.networkErrorText =
                QStringLiteral("cannot write %1: %2").arg(a->call.downloadTo, a->sink->errorString());
        }
        a->reply.bodyMd5 = a->md5->result().toHex();
    }
    reply->deleteLater();
    if (a->call.cancel.isCancelled())
        a->reply.cancelled = true;
    if (shouldRetry(a->reply) && a->reply.attempts < m_config.retry.maxAttempts) {
        const int delay = backoffMs(a->reply.attempts);
        qCDebug(lcS3).noquote() << "retrying" << describe(a->call) << "after" << a->reply.status
                                << a->reply.networkErrorText << "in" << delay << "ms";
        QTimer::singleShot(delay, m_home, [this, a]() { start(a); });
        return;
    }
    a->settle();
}

} // namespace moltdesk

#pragma once

#include "CancelToken.h"
#include "S3Config.h"
#include "SigV4.h"

#include <QFuture>
#include <QNetworkReply>
#include <QObject>
#include <QThread>
#include <functional>
#include <memory>

class QNetworkAccessManager;

namespace moltdesk {

// One HTTP exchange with S3, described so it can be re-signed and re-sent on every attempt.
struct HttpCall
{
    QByteArray method;
    QString bucket;
    QString key; // null for bucket-level requests
    SigV4::Query query;
    QList<QPair<QByteArray, QByteArray>> headers; // extra headers, all signed
    QByteArray body;                              // an in-memory body, or
    QString bodyFile;                             // the file streamed as the body
    QByteArray payloadHash;                       // hex SHA-256 of the body (empty body: computed)
    QString downloadTo;                     // stream a 2xx body into this file (truncated on each attempt)
    qint64 maxBodyBytes = 16 * 1024 * 1024; // in-memory replies larger than this are refused
    CancelToken cancel;
    std::function<void(qint64)> onBytes; // bytes sent or received so far in this attempt
};

struct HttpReply
{
    int status = 0;
    QNetworkReply::NetworkError networkError = QNetworkReply::NoError;
    QString networkErrorText;
    QList<QNetworkReply::RawHeaderPair> headers;
    QByteArray body;      // unless streamed to a file
    qint64 bodyBytes = 0; // bytes received (streamed or not)
    QByteArray bodyMd5;   // hex MD5 of the streamed body
    int attempts = 0;
    bool cancelled = false;
    bool tooLarge = false;

    QByteArray header(const QByteArray &name) const;
    bool ok() const { return networkError == QNetworkReply::NoError && status >= 200 && status < 300; }
};

// The network side of an S3 endpoint: QNetworkAccessManagers on a thread of their own, so no caller
// ever blocks on the network. Each attempt is signed afresh (new x-amz-date); 5xx, 429, SlowDown,
// resets and timeouts are retried with exponential backoff and full jitter; other answers are final.
class S3Transport : public QObject
{
    Q_OBJECT
public:
    explicit S3Transport(S3Config config);
    ~S3Transport() override;

    const S3Config &config() const { return m_config; }
    QFuture<HttpReply> send(HttpCall call);

    // For logs: the request line with nothing secret in it.
    static QString describe(const HttpCall &call);

private:
    struct Attempt;
    void start(std::shared_ptr<Attempt> a);
    QNetworkReply *sendOn(QNetworkAccessManager &nam, QNetworkRequest &req,
                          const std::shared_ptr<Attempt> &a) const;
    void watch(const std::shared_ptr<Attempt> &a, QNetworkReply *reply);
    void finish(std::shared_ptr<Attempt> a, QNetworkReply *reply);
    bool shouldRetry(const HttpReply &r) const;
    int backoffMs(int attempt) const;
    QNetworkRequest buildRequest(const HttpCall &call, QByteArray &hostHeader) const;

    S3Config m_config;
    QThread m_thread;
    QObject *m_home = nullptr; // lives in m_thread; parent of the managers
    QList<QNetworkAccessManager *> m_managers;
    std::atomic<unsigned> m_next{0};
    QString m_proxyDisplay; // the proxy in use, redacted, for error messages; empty when none
};

} // namespace moltdesk

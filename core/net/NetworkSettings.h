#pragma once

#include "Result.h"

#include <QList>
#include <QNetworkProxy>
#include <QProcessEnvironment>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslError>
#include <QStringList>
#include <QUrl>
#include <memory>

class QNetworkAccessManager;
class QNetworkRequest;

namespace moltdesk {

// HTTPS the way operators have it, for every client Moltdesk has (S3 now, the worker's admin API
// too): the conventional proxy variables (HTTPS_PROXY / https_proxy for https URLs, HTTP_PROXY /
// http_proxy for http ones, NO_PROXY / no_proxy exceptions), tunnelled with CONNECT, and extra
// trusted CAs (the profile's "caBundle", AWS_CA_BUNDLE, SSL_CERT_FILE) added to the system's for
// TLS-inspecting corporate proxies. TLS itself stays fail-closed: nothing here ever ignores an error.
// A value type: read once when a workspace opens, copied into every client.
class NetworkSettings
{
public:
    struct Proxy
    {
        QNetworkProxy proxy; // NoProxy when none applies
        QString display;     // the proxy URL with its password redacted, and where it came from
    };

    // `caBundle` is the profile's (absolute; may be empty). Fails with InvalidInput naming the
    // variable when a proxy URL is not one, or a CA file cannot be read or holds no certificate.
    static Result<NetworkSettings>
    fromEnvironment(const QString &caBundle = {},
                    const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment());

    // The proxy for requests to `url`, honouring NO_PROXY.
    Proxy proxyFor(const QUrl &url) const;
    // Sets the manager's proxy for `url`'s host (every manager is bound to one endpoint).
    void configure(QNetworkAccessManager &manager, const QUrl &url) const;
    // Adds the extra CAs to the request's TLS configuration (no change when there are none).
    void configure(QNetworkRequest &request) const;

    bool hasExtraCas() const { return !m_extraCas.isEmpty(); }
    // "caBundle /etc/corp/ca.pem (2 certificates)", one per source, for status and logs.
    QStringList caSources() const { return m_caSources; }

    // "http://user:***@proxy:3128": for any message or log that shows a proxy URL.
    static QString redactUrl(const QString &url);
    // True when NO_PROXY's value exempts `url` (hosts, ".domain" / "domain" suffixes, "host:port", "*").
    static bool noProxyMatches(const QString &noProxy, const QUrl &url);
    // Why a TLS handshake was refused, in words: "unknown issuer", "host name mismatch", "expired".
    static QString describeTlsErrors(const QList<QSslError> &errors);

private:
    struct ProxyVar
    {
        QString url;    // as given
        QString source; // "HTTPS_PROXY"
        QNetworkProxy proxy{QNetworkProxy::NoProxy};
    };
    static Result<ProxyVar> readProxy(const QProcessEnvironment &env, const QStringList &names);
    Status addCaFile(const QString &path, const QString &source);

    ProxyVar m_httpsProxy;
    ProxyVar m_httpProxy;
    QString m_noProxy;
    QList<QSslCertificate> m_extraCas;
    QStringList m_caSources;
    // The default plus m_extraCas, built once, and only when there are extra CAs: even a default-built
    // QSslConfiguration loads Qt's TLS backend and OpenSSL (milliseconds of every command's start),
    // which an http:// endpoint never needs.
    std::shared_ptr<const QSslConfiguration> m_ssl;
};

} // namespace moltdesk

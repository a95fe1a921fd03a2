#include "NetworkSettings.h"

#include "Logging.h"

#include <QFile>
#include <QFileInfo>
#include <QNetworkAccessManager>
#include <QNetworkRequest>
#include <QSet>

namespace moltdesk {

namespace {
constexpr qint64 kMaxCaBytes = 16 * 1024 * 1024;

bool isSystemBundle(const QString &canonicalPath)
{
    static const QStringList kSystem{QStringLiteral("/etc/ssl/certs/ca-certificates.crt"),
                                     QStringLiteral("/etc/pki/tls/certs/ca-bundle.crt"),
                                     QStringLiteral("/etc/ssl/cert.pem")};
    for (const QString &p : kSystem) {
        if (!canonicalPath.isEmpty() && QFileInfo(p).canonicalFilePath() == canonicalPath)
            return true;
    }
    return false;
}
} // namespace

QString NetworkSettings::redactUrl(const QString &url)
{
    QUrl u(url);
    if (!u.isValid() || u.password().isEmpty())
        return url.contains(QLatin1Char('@')) ? QStringLiteral("(a proxy URL that cannot be shown)") : url;
    u.setPassword(QStringLiteral("***"));
    return u.toString();
}

Result<NetworkSettings::ProxyVar> NetworkSettings::readProxy(const QProcessEnvironment &env,
                                                             const QStringList &names)
{
    ProxyVar v;
    for (const QString &n : names) {
        if (env.contains(n) && !env.value(n).trimmed().isEmpty()) {
            v.url = env.value(n).trimmed();
            v.source = n;
            break;
        }
    }
    if (v.url.isEmpty()) {
        v.proxy = QNetworkProxy(QNetworkProxy::NoProxy);
        return v;
    }
    // curl and aws-cli accept "host:port" without a scheme and mean http.
    QUrl u(v.url.contains(QLatin1String("://")) ? v.url : QStringLiteral("http://") + v.url,
           QUrl::StrictMode);
    const QString scheme = u.scheme().toLower();
    if (!u.isValid() || u.host().isEmpty() ||
        (scheme != QLatin1String("http") && scheme != QLatin1String("https")))
        return makeError(ErrorKind::InvalidInput,
                         QStringLiteral("%1 is not a proxy URL like http://proxy.example:3128 (found %2)")
                             .arg(v.source, redactUrl(v.url).left(200)));
    if (scheme == QLatin1String("https"))
        return makeError(ErrorKind::InvalidInput,
                         QStringLiteral("%1 names an https:// proxy (%2): Moltdesk speaks to proxies over "
                                        "http:// and tunnels TLS through them with CONNECT; use http://")
                             .arg(v.source, redactUrl(v.url)));
    v.proxy = QNetworkProxy(QNetworkProxy::HttpProxy, u.host(), quint16(u.port(8080)),
                            u.userName(QUrl::FullyDecoded), u.password(QUrl::FullyDecoded));
    return v;
}

Status NetworkSettings::addCaFile(const QString &path, const QString &source)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(
            ErrorKind::InvalidInput,
            QStringLiteral("%1 names %2, which cannot be read: %3").arg(source, path, f.errorString()));
    if (f.size() > kMaxCaBytes)
        return makeError(
            ErrorKind::InvalidInput,
            QStringLiteral("%1 names %2, which is too large to be a CA bundle").arg(source, path));
    const QByteArray data = f.read(kMaxCaBytes);
    QList<QSslCertificate> certs = QSslCertificate::fromData(data, QSsl::Pem);
    if (certs.isEmpty())
        certs = QSslCertificate::fromData(data, QSsl::Der);
    if (certs.isEmpty())
        return makeError(
            ErrorKind::InvalidInput,
            QStringLiteral("%1 names %2, which holds no PEM or DER certificate").arg(source, path));
    m_extraCas += certs;
    m_caSources << QStringLiteral("%1 %2 (%3 certificate(s))").arg(source, path).arg(certs.size());
    return success();
}

Result<NetworkSettings> NetworkSettings::fromEnvironment(const QString &caBundle,
                                                         const QProcessEnvironment &env)
{
    NetworkSettings s;
    auto https = readProxy(env, {QStringLiteral("HTTPS_PROXY"), QStringLiteral("https_proxy")});
    if (!https)
        return https.error();
    s.m_httpsProxy = https.value();
    // Lowercase first, as curl does: HTTP_PROXY is also set by CGI servers from a client's header.
    auto http = readProxy(env, {QStringLiteral("http_proxy"), QStringLiteral("HTTP_PROXY")});
    if (!http)
        return http.error();
    s.m_httpProxy = http.value();
    s.m_noProxy = env.contains(QStringLiteral("NO_PROXY")) ? env.value(QStringLiteral("NO_PROXY"))
                                                           : env.value(QStringLiteral("no_proxy"));

    // Each source adds to the system's trust store; the same file named twice is read once.
    QSet<QString> seen;
    const QList<std::pair<QString, QString>> sources{
        {caBundle, QStringLiteral("caBundle")},
        {env.value(QStringLiteral("AWS_CA_BUNDLE")), QStringLiteral("AWS_CA_BUNDLE")},
        {env.value(QStringLiteral("SSL_CERT_FILE")), QStringLiteral("SSL_CERT_FILE")}};
    for (const auto &[path, source] : sources) {
        if (path.isEmpty())
            continue;
        const QString canonical = QFileInfo(path).canonicalFilePath();
        if (!canonical.isEmpty() && seen.contains(canonical))
            continue;
        // Often set to the system's own bundle (this project's machines do): Qt trusts those already,
        // and parsing 150 certificates again would cost every command a tenth of a second.
        if (isSystemBundle(canonical)) {
            s.m_caSources
                << QStringLiteral("%1 %2 (the system's own bundle, trusted already)").arg(source, path);
            seen.insert(canonical);
            continue;
        }
        if (auto st = s.addCaFile(path, source); !st)
            return st.error();
        seen.insert(canonical);
    }
    if (!s.m_extraCas.isEmpty()) {
        QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
        ssl.addCaCertificates(s.m_extraCas);
        s.m_ssl = std::make_shared<const QSslConfiguration>(std::move(ssl));
    }
    qCDebug(lcNet).noquote() << "https proxy:"
                             << (s.m_httpsProxy.url.isEmpty() ? QStringLiteral("none")
                                                              : redactUrl(s.m_httpsProxy.url))
                             << "extra CAs:" << s.m_caSources.join(QStringLiteral(", "));
    return s;
}

bool NetworkSettings::noProxyMatches(const QString &noProxy, const QUrl &url)
{
    const QString host = url.host().toLower();
    const int port = url.port(url.scheme() == QLatin1String("https") ? 443 : 80);
    for (QString entry : noProxy.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        entry = entry.trimmed().toLower();
        if (entry.isEmpty())
            continue;
        if (entry == QLatin1String("*"))
            return true;
        // "host:port" exempts that port only ("[::1]:443" for IPv6).
        QString hostPart = entry;
        QString portPart;
        if (entry.startsWith(QLatin1Char('['))) {
            const qsizetype close = entry.indexOf(QLatin1Char(']'));
            hostPart = entry.mid(1, close - 1);
            if (close > 0 && entry.mid(close + 1).startsWith(QLatin1Char(':')))
                portPart = entry.mid(close + 2);
        } else if (entry.count(QLatin1Char(':')) == 1) {
            hostPart = entry.section(QLatin1Char(':'), 0, 0);
            portPart = entry.section(QLatin1Char(':'), 1);
        }
        if (!portPart.isEmpty() && portPart.toInt() != port)
            continue;
        entry = hostPart;
        if (entry.startsWith(QLatin1String("*.")))
            entry = entry.mid(1);
        if (entry.startsWith(QLatin1Char('.')))
            entry = entry.mid(1);
        if (host == entry || host.endsWith(QLatin1Char('.') + entry))
            return true;
    }
    return false;
}

NetworkSettings::Proxy NetworkSettings::proxyFor(const QUrl &url) const
{
    const ProxyVar &v = url.scheme() == QLatin1String("https") ? m_httpsProxy : m_httpProxy;
    if (v.url.isEmpty())
        return {QNetworkProxy(QNetworkProxy::NoProxy), QStringLiteral("none")};
    if (noProxyMatches(m_noProxy, url))
        return {QNetworkProxy(QNetworkProxy::NoProxy),
                QStringLiteral("none (%1 is exempted by NO_PROXY)").arg(url.host())};
    return {v.proxy, QStringLiteral("%1 (%2)").arg(redactUrl(v.url), v.source)};
}

void NetworkSettings::configure(QNetworkAccessManager &manager, const QUrl &url) const
{
    // Always set, NoProxy included: an application-wide proxy must never apply by accident.
    manager.setProxy(proxyFor(url).proxy);
}

void NetworkSettings::configure(QNetworkRequest &request) const
{
    if (m_ssl)
        request.setSslConfiguration(*m_ssl);
}

QString NetworkSettings::describeTlsErrors(const QList<QSslError> &errors)
{
    QStringList out;
    const auto say = [&out](const QString &s) {
        if (!out.contains(s))
            out << s;
    };
    for (const QSslError &e : errors) {
        switch (e.error()) {
        case QSslError::UnableToGetLocalIssuerCertificate:
        case QSslError::UnableToGetIssuerCertificate:
        case QSslError::UnableToVerifyFirstCertificate:
        case QSslError::SelfSignedCertificate:
        case QSslError::SelfSignedCertificateInChain:
        case QSslError::CertificateUntrusted:
            say(QStringLiteral(
                "unknown issuer: the certificate is not signed by a trusted CA (trust a private "
                "CA with the profile's \"caBundle\" or AWS_CA_BUNDLE)"));
            break;
        case QSslError::HostNameMismatch:
            say(QStringLiteral("host name mismatch: the certificate is not for this host"));
            break;
        case QSslError::CertificateExpired:
            say(QStringLiteral("expired: the certificate is no longer valid"));
            break;
        case QSslError::CertificateNotYetValid:
            say(QStringLiteral(
                "not yet valid: the certificate's validity starts in the future (check the clock)"));
            break;
        case QSslError::CertificateRevoked:
            say(QStringLiteral("revoked certificate"));
            break;
        default:
            say(e.errorString());
            break;
        }
    }
    return out.join(QStringLiteral("; "));
}

} // namespace moltdesk

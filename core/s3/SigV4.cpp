#include "SigV4.h"

#include <QCryptographicHash>
#include <QMessageAuthenticationCode>
#include <algorithm>

namespace moltdesk {

QByteArray SigV4::uriEncode(const QByteArray &bytes, bool keepSlash)
{
    static const char hex[] = "0123456789ABCDEF";
    QByteArray out;
    out.reserve(bytes.size() * 3);
    for (unsigned char c : bytes) {
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
            c == '.' || c == '_' || c == '~' || (keepSlash && c == '/')) {
            out += char(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 0xF];
        }
    }
    return out;
}

QByteArray SigV4::encodeKeyPath(const QString &bucket, const QString &key)
{
    QByteArray path = '/' + uriEncode(bucket.toUtf8(), false);
    if (!key.isNull())
        path += '/' + uriEncode(key.toUtf8(), true);
    return path;
}

QByteArray SigV4::encodedQuery(const Query &query)
{
    QList<QPair<QByteArray, QByteArray>> enc;
    for (const auto &[k, v] : query)
        enc.append({uriEncode(k, false), uriEncode(v, false)});
    std::sort(enc.begin(), enc.end());
    QByteArray out;
    for (const auto &[k, v] : enc) {
        if (!out.isEmpty())
            out += '&';
        out += k + '=' + v;
    }
    return out;
}

QByteArray SigV4::amzDate(const QDateTime &utc)
{
    return utc.toUTC().toString(QStringLiteral("yyyyMMddTHHmmssZ")).toLatin1();
}

QByteArray SigV4::sha256Hex(const QByteArray &data)
{
    return QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex();
}

QByteArray SigV4::emptyPayloadHash()
{
    static const QByteArray h = sha256Hex(QByteArray());
    return h;
}

SigV4::Signature SigV4::sign(const Request &r, const QByteArray &accessKeyId, const QByteArray &secret,
                             const QByteArray &region, const QByteArray &service, const QDateTime &when)
{
    Signature s;
    // Canonical headers: lowercase names, trimmed values with inner runs of spaces folded, sorted.
    QList<QPair<QByteArray, QByteArray>> hs;
    for (const auto &[name, value] : r.headers) {
        QByteArray v = value.trimmed();
        QByteArray folded;
        bool space = false;
        for (char c : v) {
            if (c == ' ') {
                if (!space)
                    folded += ' ';
                space = true;
            } else {
                folded += c;
                space = false;
            }
        }
        hs.append({name.toLower(), folded});
    }
    std::stable_sort(hs.begin(), hs.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
    QByteArray canonicalHeaders;
    QByteArrayList names;
    for (const auto &[name, value] : hs) {
        canonicalHeaders += name + ':' + value + '\n';
        if (names.isEmpty() || names.last() != name)
            names.append(name);
    }
    s.signedHeaders = names.join(';');
    s.canonicalRequest = r.method + '\n' + (r.encodedPath.isEmpty() ? QByteArray("/") : r.encodedPath) +
                         '\n' + encodedQuery(r.query) + '\n' + canonicalHeaders + '\n' + s.signedHeaders +
                         '\n' + r.payloadHash;
    const QByteArray date = amzDate(when);
    const QByteArray day = date.left(8);
    const QByteArray scope = day + '/' + region + '/' + service + "/aws4_request";
    s.stringToSign = "AWS4-HMAC-SHA256\n" + date + '\n' + scope + '\n' + sha256Hex(s.canonicalRequest);
    const auto hmac = [](const QByteArray &key, const QByteArray &msg) {
        return QMessageAuthenticationCode::hash(msg, key, QCryptographicHash::Sha256);
    };
    const QByteArray kDate = hmac("AWS4" + secret, day);
    const QByteArray kRegion = hmac(kDate, region);
    const QByteArray kService = hmac(kRegion, service);
    const QByteArray kSigning = hmac(kService, "aws4_request");
    s.signature = hmac(kSigning, s.stringToSign).toHex();
    s.authorization = "AWS4-HMAC-SHA256 Credential=" + accessKeyId + '/' + scope +
                      ", SignedHeaders=" + s.signedHeaders + ", Signature=" + s.signature;
    return s;
}

} // namespace moltdesk

#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QPair>
#include <QString>

namespace moltdesk {

// AWS Signature Version 4, S3 flavour: the path is encoded exactly once and never normalised
// (`a//b` and `..` stay as they are), every byte but A-Z a-z 0-9 - . _ ~ is percent-encoded with
// uppercase hex, and the payload hash is signed. The intermediate strings are exposed for tests.
class SigV4
{
public:
    using Query = QList<QPair<QByteArray, QByteArray>>;   // raw (unencoded) names and values
    using Headers = QList<QPair<QByteArray, QByteArray>>; // names any case, values raw

    struct Request
    {
        QByteArray method;
        QByteArray encodedPath; // already URI-encoded, exactly as sent
        Query query;
        Headers headers;        // must include host and x-amz-date (and x-amz-content-sha256 for S3)
        QByteArray payloadHash; // hex SHA-256 of the body, or UNSIGNED-PAYLOAD
    };

    struct Signature
    {
        QByteArray canonicalRequest;
        QByteArray stringToSign;
        QByteArray signature;     // hex
        QByteArray authorization; // the Authorization header value
        QByteArray signedHeaders;
    };

    static QByteArray uriEncode(const QByteArray &bytes, bool keepSlash);
    static QByteArray encodeKeyPath(const QString &bucket, const QString &key); // "/bucket/enc(key)"
    static QByteArray encodedQuery(const Query &query);                         // sorted, encoded
    static QByteArray amzDate(const QDateTime &utc);                            // 20130524T000000Z

    static Signature sign(const Request &request, const QByteArray &accessKeyId, const QByteArray &secret,
                          const QByteArray &region, const QByteArray &service, const QDateTime &when);

    static QByteArray sha256Hex(const QByteArray &data);
    static QByteArray emptyPayloadHash();
};

} // namespace moltdesk
